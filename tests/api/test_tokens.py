"""Personal API tokens as a user meets them on the profile page, and what the
API does with every request before an area sees it: who is calling (token or
session), how often (per-token rate limit), how big (body limit), malformed
bodies, and the public schema and docs."""

import hashlib
import json
from datetime import timedelta

import pytest
import time_machine
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fourfirsts.accounts import services as accounts
from fourfirsts.accounts.models import ApiToken
from fourfirsts.core.models import SecurityEvent
from tests.access_codes import CAST

pytestmark = pytest.mark.django_db
PROFILE = "/accounts/profile/"


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.FOURFIRSTS_API_RATE = "0"


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def me(client, token):
    return client.get("/api/v1/me", **bearer(token))


def make_on_profile(client, user, name="小程序", expires_on=""):
    """The token a user creates on their profile page, read off the page."""
    client.force_login(user)
    page = client.post(PROFILE, {"name": name, "expires_on": expires_on})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="new-token"' in html
    row = ApiToken.objects.get(user=user, name=name)
    token = next(word for word in html.replace("<", " ").replace(">", " ").split() if word.startswith(row.prefix))
    client.logout()
    return row, token


def assert_refused(response, status=401, code="unauthenticated"):
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] == code and error["message"] and "fields" in error
    return error


def test_a_token_made_on_the_profile_page_is_shown_once_and_stored_as_a_digest(client, cast):
    row, token = make_on_profile(client, cast.secretary_a)
    assert row.digest == hashlib.sha256(token.encode()).hexdigest()
    stored = [str(v) for v in ApiToken.objects.filter(pk=row.pk).values().get().values()]
    assert token not in stored and token.startswith(row.prefix)

    client.force_login(cast.secretary_a)
    again = client.get(PROFILE).content.decode()
    assert token not in again and 'id="new-token"' not in again
    assert row.prefix in again  # the list tells tokens apart by their prefix
    client.logout()

    response = me(client, token)
    assert response.status_code == 200
    assert response.json()["username"] == "secretary_a" and response.json()["role_labels"] == ["党组织书记"]
    row.refresh_from_db()
    assert row.last_used_at is not None


def test_no_token_or_a_wrong_one_is_refused(client, cast):
    error = assert_refused(client.get("/api/v1/me"))
    assert "令牌" in error["message"]
    wrong = me(client, "ff_" + "x" * 40)
    assert_refused(wrong)
    assert wrong["WWW-Authenticate"] == "Bearer"


def test_revoking_on_the_profile_page_refuses_the_token_at_once(client, cast):
    row, token = make_on_profile(client, cast.member_a)
    assert me(client, token).status_code == 200
    client.force_login(cast.member_a)
    done = client.post(reverse("accounts:token_revoke", args=[row.pk]))
    assert done.status_code == 302
    assert "已撤销" in client.get(PROFILE).content.decode()
    client.logout()
    assert_refused(me(client, token))
    assert_refused(client.get("/api/v1/volunteering/hours", **bearer(token)))


def test_another_user_cannot_revoke_it(client, cast):
    row, token = make_on_profile(client, cast.member_a)
    client.force_login(cast.secretary_a)
    assert client.post(reverse("accounts:token_revoke", args=[row.pk])).status_code == 404
    client.logout()
    row.refresh_from_db()
    assert row.revoked_at is None and me(client, token).status_code == 200


def test_an_expired_token_is_refused(client, cast):
    today = timezone.localdate()
    row, token = make_on_profile(client, cast.committee, expires_on=today.isoformat())
    assert me(client, token).status_code == 200  # valid to the end of the day chosen
    with time_machine.travel(row.expires_at + timedelta(seconds=1)):
        assert_refused(me(client, token))
    client.force_login(cast.committee)
    past = client.post(PROFILE, {"name": "旧", "expires_on": (today - timedelta(days=1)).isoformat()})
    assert "有效期必须晚于现在" in past.content.decode()
    assert not ApiToken.objects.filter(name="旧").exists()


def test_a_deactivated_account_s_token_is_refused(client, cast):
    _row, token = accounts.token_create(user=cast.handler, name="对接")
    cast.handler.is_active = False
    cast.handler.save(update_fields=["is_active"])
    assert_refused(me(client, token))


def test_the_security_log_records_create_and_revoke(client, cast):
    row, _token = make_on_profile(client, cast.instructor, name="12345 平台对接")
    client.force_login(cast.instructor)
    client.post(reverse("accounts:token_revoke", args=[row.pk]))
    events = list(SecurityEvent.objects.filter(user=cast.instructor, kind__startswith="token").order_by("id"))
    assert [(e.kind, e.target) for e in events] == [
        (SecurityEvent.Kind.TOKEN_CREATE, str(row)), (SecurityEvent.Kind.TOKEN_REVOKE, str(row))]
    assert all(e.username == "instructor" for e in events)


def test_the_session_works_and_its_writes_need_the_csrf_token(cast, world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.member_a)
    assert browser.get("/api/v1/me").json()["username"] == "member_a"
    body = json.dumps({"activity": 999999, "hours": 1})
    refused = browser.post("/api/v1/volunteering/hours", body, content_type="application/json")
    assert_refused(refused, 403, "forbidden")
    browser.get(PROFILE)  # any page with a form sets the CSRF cookie
    csrf = browser.cookies["csrftoken"].value
    checked = browser.post("/api/v1/volunteering/hours", body, content_type="application/json",
                           HTTP_X_CSRFTOKEN=csrf)
    assert checked.status_code == 422  # past the CSRF check, to the rules: no activity 999999
    # A token needs no CSRF token: it is not sent by a browser on its own.
    _row, token = accounts.token_create(user=cast.member_a, name="小程序")
    anonymous = Client(enforce_csrf_checks=True)
    assert anonymous.post("/api/v1/volunteering/hours", body, content_type="application/json",
                          **bearer(token)).status_code == 422


def test_the_rate_limit_counts_per_token(client, cast, settings):
    settings.FOURFIRSTS_API_RATE = "3/m"
    _row, busy = accounts.token_create(user=cast.secretary_a, name="忙")
    _row, other = accounts.token_create(user=cast.secretary_b, name="闲")
    assert [me(client, busy).status_code for _ in range(3)] == [200, 200, 200]
    fourth = me(client, busy)
    error = assert_refused(fourth, 429, "throttled")
    wait = int(fourth["Retry-After"])
    assert 1 <= wait <= 61 and str(wait) in error["message"]
    assert me(client, other).status_code == 200
    settings.FOURFIRSTS_API_RATE = "0"
    assert me(client, busy).status_code == 200


def test_a_body_over_the_limit_is_refused_before_it_is_read(client, cast, settings):
    settings.FOURFIRSTS_API_MAX_BODY = 1024
    _row, token = accounts.token_create(user=cast.member_a, name="小程序")
    big = json.dumps({"activity": 1, "hours": 1, "note": "x" * 2000})
    response = client.post("/api/v1/volunteering/hours", big, content_type="application/json", **bearer(token))
    error = assert_refused(response, 413, "too_large")
    assert "1 KB" in error["message"]


def test_malformed_json_is_a_400(client, cast):
    _row, token = accounts.token_create(user=cast.member_a, name="小程序")
    response = client.post("/api/v1/volunteering/hours", "{\"hours\": ", content_type="application/json",
                           **bearer(token))
    assert_refused(response, 400, "malformed")


def test_the_schema_and_docs_are_public_and_local(client):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "四个第一 党建工作平台 API"
    assert "Error" in schema.json()["components"]["schemas"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert 'src="/static/ninja/swagger-ui-bundle.js"' in html and 'href="/static/ninja/swagger-ui.css"' in html
    assert "cdn" not in html.lower() and "https://" not in html and "http://" not in html
    for asset in ("ninja/swagger-ui-bundle.js", "ninja/swagger-ui-init.js", "ninja/swagger-ui.css"):
        assert finders.find(asset), asset


def test_the_profile_page_is_every_signed_in_user_s(client, cast):
    users = cast.all()
    for who in CAST:
        client.logout()
        if users[who] is not None:
            client.force_login(users[who])
        response = client.get(PROFILE)
        assert response.status_code == (302 if who == "anonymous" else 200), who


def test_the_profile_page_takes_a_fixed_number_of_queries(client, cast, django_assert_max_num_queries):
    client.force_login(cast.secretary_a)
    counts = []
    for n in (2, 18):
        for i in range(n):
            row, _token = accounts.token_create(user=cast.secretary_a, name=f"令牌{i}",
                                                expires_at=timezone.now() + timedelta(days=i + 1))
            if i % 3:  # most revoked: a user holds at most ten usable ones
                accounts.token_revoke(user=cast.secretary_a, token=row)
        with django_assert_max_num_queries(15) as captured:  # one for the tokens, whatever their number
            assert client.get(PROFILE).content.decode().count("<code>") >= n
        counts.append(len(captured))
    assert counts[0] == counts[1]

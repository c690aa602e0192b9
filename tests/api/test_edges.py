"""What a client meets at the API's edges: paths and methods that do not
exist, numbers too large for the database, dates no database compares, rate
limits that a forged address does not escape, a password reset that stops
the account's tokens, and a child record's change showing up on its parent
when a client syncs."""

import json
from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from fourfirsts.accounts import services as accounts
from fourfirsts.accounts.models import ApiToken
from fourfirsts.core.actors import Actor
from tests.volunteering.conftest import make_pairing, make_project, make_village, pay

pytestmark = pytest.mark.django_db
HUGE = "9" * 30


def bearer(user, name="测试"):
    return {"HTTP_AUTHORIZATION": f"Bearer {accounts.token_create(user=user, name=name)[1]}"}


def error_of(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code and error["message"] and isinstance(error["fields"], dict)
    return error


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.FOURFIRSTS_API_RATE = "0"


def test_an_unknown_path_is_a_404_in_the_error_shape(client, cast):
    error = error_of(client.get("/api/v1/no-such-thing", **bearer(cast.committee)), 404, "not_found")
    assert "/api/v1/no-such-thing" in error["message"]
    error_of(client.get("/api/v2/registry/associations"), 404, "not_found")


def test_a_method_the_endpoint_does_not_take_is_a_405_naming_the_allowed_ones(client, cast):
    response = client.delete("/api/v1/registry/associations", **bearer(cast.committee))
    error = error_of(response, 405, "method_not_allowed")
    assert "DELETE" in error["message"] and "GET" in response["Allow"]


def test_pages_outside_the_api_keep_their_html_404(client, cast):
    client.force_login(cast.committee)
    response = client.get("/registry/no-such-page/")
    assert response.status_code == 404 and not response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("path, field", [
    ("/registry/party-orgs", "parent"), ("/registry/enterprises", "association"),
    ("/registry/people", "party_org"), ("/volunteering/activities", "kind"),
])
def test_an_id_filter_too_large_for_the_database_is_a_400_naming_it(client, cast, path, field):
    error = error_of(client.get(f"/api/v1{path}", {field: HUGE}, **bearer(cast.committee)), 400, "malformed")
    assert field in error["fields"]


def test_updated_since_outside_the_years_a_database_compares_is_a_400(client, cast):
    auth = bearer(cast.committee)
    error = error_of(client.get("/api/v1/registry/associations", {"updated_since": "0001-01-01T00:00:00+08:00"},
                                **auth), 400, "malformed")
    assert error["fields"]["updated_since"] == ["年份应在 1900 至 2100 之间"]  # our own words, not pydantic's


def test_a_forged_cursor_is_a_400(client, cast):
    import base64

    auth = bearer(cast.committee)
    for raw in (f"2022-01-01T00:00:00+00:00|{HUGE};-", "0001-01-01T00:00:00+00:00|1;-", "-;nonsense", "nonsense"):
        cursor = base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")
        error_of(client.get("/api/v1/registry/associations", {"cursor": cursor}, **auth), 400, "malformed")
    error_of(client.get("/api/v1/figures/F01/records", {"year": 2022, "cursor": "１２"}, **auth), 400, "malformed")


def test_the_anonymous_rate_limit_is_per_address_and_x_forwarded_for_does_not_escape_it(client, settings):
    settings.FOURFIRSTS_API_RATE = "2/m"
    settings.FOURFIRSTS_PROXY_COUNT = 0  # no proxy of ours: the header is the client's own words
    public = "/api/v1/service/public/codes/no-such-code"  # a public endpoint: no token to count by
    codes = [client.get(public, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code for n in range(3)]
    assert codes == [404, 404, 429]
    assert client.get(public, REMOTE_ADDR="192.0.2.7").status_code == 404  # another address has its own count


def test_a_password_reset_revokes_the_accounts_tokens(client, cast):
    auth = bearer(cast.secretary_a)
    assert client.get("/api/v1/me", **auth).status_code == 200
    accounts.account_reset_password(actor=Actor.of(cast.sysadmin), user=cast.secretary_a)
    error_of(client.get("/api/v1/me", **auth), 401, "unauthenticated")
    assert not ApiToken.objects.usable(timezone.now()).filter(user=cast.secretary_a).exists()


def test_a_one_time_password_must_be_changed_before_the_api_answers(client, cast):
    auth = bearer(cast.member_a)
    cast.member_a.must_change_password = True
    cast.member_a.save(update_fields=["must_change_password"])
    error = error_of(client.get("/api/v1/me", **auth), 403, "forbidden")
    assert "修改一次性密码" in error["message"]
    client.force_login(cast.member_a)
    error_of(client.get("/api/v1/me"), 403, "forbidden")  # the session too, not a redirect to a page


def test_a_user_holds_at_most_ten_usable_tokens(cast):
    for n in range(accounts.MAX_TOKENS):
        accounts.token_create(user=cast.member_a, name=f"设备{n}")
    with pytest.raises(accounts.ValidationError) as refused:
        accounts.token_create(user=cast.member_a, name="再一个")
    assert "请先撤销" in str(refused.value)


def test_a_progress_update_with_an_unknown_field_is_refused(client, world, cast):
    project = make_project(make_pairing(make_village(), world.assoc_a, world.ent_a))
    response = client.generic("PATCH", f"/api/v1/volunteering/projects/{project.pk}",
                              json.dumps({"jobs_fixd": 3}), content_type="application/json",
                              **bearer(cast.secretary_a))
    assert error_of(response, 400, "malformed")["fields"]["jobs_fixd"] == ["不是可用的字段"]


def test_a_payment_counts_as_a_change_of_its_project_for_sync(client, world, cast):
    before = timezone.now() - timedelta(days=1)
    with time_machine.travel(before, tick=False):
        project = make_project(make_pairing(make_village(), world.assoc_a, world.ent_a))
    auth = bearer(cast.committee)
    since = {"updated_since": (before + timedelta(hours=1)).isoformat()}

    def changed():
        response = client.get("/api/v1/volunteering/projects", since, **auth)
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["items"]]

    assert changed() == []
    pay(project, "1000", date(2022, 3, 1))
    assert changed() == [project.pk]

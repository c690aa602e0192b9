"""Logging in through the real form, the lockout, sessions and logout."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from fourfirsts.core.models import SecurityEvent
from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    # The cast hashes ten passwords; PBKDF2 would make every test take seconds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def login(client, username, password=PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password}, follow=True)


def landed(response) -> str:
    return (
        response.redirect_chain[-1][0] if response.redirect_chain else response.request["PATH_INFO"]
    )


# --- the login page -----------------------------------------------------------


@pytest.mark.django_db
def test_login_page_shows_the_form_in_chinese(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="username"' in html and 'name="password"' in html
    assert "用户名" in html and "密码" in html and "登录" in html
    assert 'style="' not in html and "<script>" not in html


@pytest.mark.django_db
def test_anonymous_home_redirects_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


@pytest.mark.parametrize(
    ("who", "home"),
    [
        ("committee", "/"),
        ("secretary_a", "/"),
        ("member_a", "/"),
        ("handler", "/"),
        ("sysadmin", "accounts:account_list"),
        ("secadmin", "accounts:role_list"),
        ("auditadmin", "accounts:security_log"),
    ],
)
def test_login_through_the_form_lands_on_the_roles_home(client, cast, who, home):
    response = login(client, who)
    assert response.status_code == 200
    expected = home if home.startswith("/") else reverse(home)
    assert landed(response) == expected
    assert response.wsgi_request.user.username == who
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.LOGIN, username=who).count() == 1


def test_wrong_password_shows_a_chinese_error_and_is_logged(client, cast):
    response = login(client, "committee", "wrong-password")
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert (
        SecurityEvent.objects.filter(
            kind=SecurityEvent.Kind.LOGIN_FAILED, username="committee"
        ).count()
        == 1
    )


# --- lockout ------------------------------------------------------------------------


def test_five_failures_lock_the_account_even_for_the_right_password(client, cast):
    for _ in range(4):
        assert login(client, "secretary_a", "wrong-password").status_code == 200
    fifth = login(client, "secretary_a", "wrong-password")
    assert fifth.status_code == 403
    sixth = login(client, "secretary_a", PASSWORD)
    assert sixth.status_code == 403
    assert "锁定" in sixth.content.decode()
    assert "_auth_user_id" not in client.session
    events = SecurityEvent.objects.filter(username="secretary_a")
    assert events.filter(kind=SecurityEvent.Kind.LOCKOUT).exists()
    assert events.filter(kind=SecurityEvent.Kind.LOGIN_FAILED).count() >= 5
    assert not events.filter(kind=SecurityEvent.Kind.LOGIN).exists()
    # Lockout is by account: another account from the same address still logs in.
    assert landed(login(client, "committee")) == "/"


def test_a_success_before_the_fifth_failure_resets_the_count(client, cast):
    for _ in range(4):
        login(client, "committee", "wrong-password")
    assert landed(login(client, "committee")) == "/"
    client.post(reverse("accounts:logout"))
    for _ in range(4):
        assert login(client, "committee", "wrong-password").status_code == 200
    assert landed(login(client, "committee")) == "/"


# --- sessions -----------------------------------------------------------------------


def test_session_idle_timeout_is_30_minutes_and_renewed_on_every_request():
    assert django_settings.SESSION_COOKIE_AGE == 1800
    assert django_settings.SESSION_SAVE_EVERY_REQUEST is True


def test_each_request_pushes_the_server_side_expiry_forward(client, cast):
    login(client, "committee")
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + timedelta(seconds=60)
    )
    client.get("/")
    expires = Session.objects.get(session_key=key).expire_date
    assert expires >= timezone.now() + timedelta(seconds=1790)
    assert expires <= timezone.now() + timedelta(seconds=1800)


def test_an_expired_session_is_sent_back_to_login(client, cast):
    login(client, "committee")
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith(LOGIN)


def test_logout_deletes_the_server_side_session_and_is_logged(client, cast):
    login(client, "committee")
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    assert client.get(reverse("accounts:logout")).status_code == 405  # GET does not log out
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and response.url == reverse("accounts:login")
    assert not Session.objects.filter(session_key=key).exists()
    assert SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.LOGOUT, username="committee"
    ).exists()
    assert client.get("/").status_code == 302

"""The one-time password handed over in person, and the password policy."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from fourfirsts.accounts import services
from fourfirsts.accounts.models import User
from fourfirsts.core.actors import Actor
from fourfirsts.core.models import SecurityEvent

LOGIN = "/accounts/login/"
CHANGE = "/accounts/password/"
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password}, follow=True)


def change(client, old, new, again=None):
    return client.post(
        CHANGE, {"old_password": old, "new_password1": new, "new_password2": again or new}
    )


@pytest.fixture
def new_account(client, cast):
    """A secretary account created by the system admin through the page."""
    client.force_login(cast.sysadmin)
    response = client.post(
        reverse("accounts:account_create"), {"username": "new_secretary", "full_name": "新书记"}
    )
    assert response.status_code == 200
    password = response.context["password"]
    client.post(reverse("accounts:logout"))
    return User.objects.get(username="new_secretary"), password


def test_sysadmin_creates_an_account_and_sees_the_one_time_password_once(client, cast):
    client.force_login(cast.sysadmin)
    assert client.get(reverse("accounts:account_create")).status_code == 200
    response = client.post(
        reverse("accounts:account_create"), {"username": "new_secretary", "full_name": "新书记"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    password = response.context["password"]
    assert escape(password) in html
    assert "首次登录" in html and "修改密码" in html
    user = User.objects.get(username="new_secretary")
    assert (
        user.first_name == "新书记" and user.must_change_password and user.check_password(password)
    )
    assert SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.ACCOUNT_CHANGE, target="new_secretary", detail__action="create"
    ).exists()
    # The password is not stored anywhere readable: the detail page does not show it.
    detail = client.get(reverse("accounts:account_detail", args=[user.pk])).content.decode()
    assert escape(password) not in detail


def test_a_taken_username_is_refused_in_chinese(client, cast):
    client.force_login(cast.sysadmin)
    response = client.post(reverse("accounts:account_create"), {"username": "COMMITTEE"})
    assert response.status_code == 200
    assert "已被使用" in response.content.decode()
    assert "password" not in response.context


def test_every_page_leads_to_the_password_change_until_it_is_changed(client, new_account):
    user, password = new_account
    response = login(client, user.username, password)
    assert response.redirect_chain[-1][0] == reverse("accounts:password_change")
    assert "一次性密码" in response.content.decode()
    for url in (
        "/",
        reverse("accounts:profile"),
        reverse("core:notifications"),
        reverse("core:settings"),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url == reverse("accounts:password_change"), url

    response = change(client, password, "Lou-Di-2024!", again="Lou-Di-2024!")
    assert response.status_code == 302 and response.url == reverse("core:home")
    user.refresh_from_db()
    assert not user.must_change_password and user.password_changed_at is not None
    # Still logged in (the session follows the new password) and home is reachable.
    assert client.get("/").status_code == 200
    assert SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.PASSWORD_CHANGE, username=user.username
    ).exists()
    # The new password works through the login form, the old one does not.
    client.post(reverse("accounts:logout"))
    assert login(client, user.username, password).status_code == 200
    assert "_auth_user_id" not in client.session
    assert login(client, user.username, "Lou-Di-2024!").redirect_chain[-1][0] == "/"


@pytest.mark.parametrize(
    ("new", "phrase"),
    [
        pytest.param(
            "Ab1-xyz",
            "8",
            id="too-short"
        ),
        pytest.param("abcdefgh1234", "至少三类", id="lower-and-digits"),
        pytest.param("ABCDEFGHabcd", "至少三类", id="upper-and-lower"),
    ],
)
def test_the_policy_rejects_weak_passwords_in_chinese(client, new_account, new, phrase):
    user, password = new_account
    login(client, user.username, password)
    response = change(client, password, new)
    assert response.status_code == 200
    assert "new_password1" in response.context["form"].errors  # refused, whatever the language
    errors = response.context["form"].errors["new_password1"]
    assert any(phrase in e and CHINESE.search(e) for e in errors), errors
    assert any(e in response.content.decode() for e in errors)
    user.refresh_from_db()
    assert user.must_change_password and user.check_password(password)


def test_the_old_password_must_be_right_and_the_two_new_ones_equal(client, new_account):
    user, password = new_account
    login(client, user.username, password)
    response = change(client, "not-it", "Lou-Di-2024!")
    assert "当前密码不正确" in response.content.decode()
    response = change(client, password, "Lou-Di-2024!", again="Lou-Di-2025!")
    assert "两次输入的新密码不一致" in response.content.decode()
    user.refresh_from_db()
    assert user.must_change_password


def test_none_of_the_last_five_passwords_may_be_reused(client, new_account):
    user, one_time = new_account
    history = [f"Lou-Di-{n}-Pass" for n in range(1, 6)]
    for pw in history:
        services.password_change(user=user, new_password=pw)
    # Current: Lou-Di-5; the four before it are remembered; the one-time password is 6th back.
    client.force_login(user)
    for old in history:
        response = change(client, history[-1], old)
        assert response.status_code == 200, old
        assert any("最近5次" in e for e in response.context["form"].errors["new_password1"]), old
    response = change(client, history[-1], one_time)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(one_time)


@pytest.mark.django_db
def test_the_service_applies_the_same_policy():
    with pytest.raises(ValidationError) as exc:
        services.password_change(user=User(username="x"), new_password="xqzvloudiwp")
    assert exc.value.messages == ["密码须包含大写字母、小写字母、数字、符号中的至少三类。"]


def test_reset_gives_a_new_one_time_password_that_must_be_changed(client, cast):
    client.force_login(cast.sysadmin)
    response = client.post(reverse("accounts:account_reset", args=[cast.committee.pk]))
    assert response.status_code == 200
    password = response.context["password"]
    assert escape(password) in response.content.decode()
    cast.committee.refresh_from_db()
    assert cast.committee.must_change_password and cast.committee.check_password(password)
    assert SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.PASSWORD_RESET, target="committee"
    ).exists()
    client.post(reverse("accounts:logout"))
    response = login(client, "committee", password)
    assert response.redirect_chain[-1][0] == reverse("accounts:password_change")


def test_one_time_passwords_always_meet_the_policy(db):
    from django.contrib.auth.password_validation import validate_password

    for _ in range(50):
        validate_password(services.one_time_password())


def test_only_the_system_admin_creates_accounts_in_the_service(cast):
    from django.core.exceptions import PermissionDenied

    for who in (cast.secadmin, cast.auditadmin, cast.committee):
        with pytest.raises(PermissionDenied):
            services.account_create(actor=Actor.of(who), username="x")
    user, password = services.account_create(actor=Actor.of(cast.sysadmin), username="  x  ")
    assert user.username == "x" and len(password) == 12


def test_the_one_time_password_page_is_never_cached(client, cast):
    client.force_login(cast.sysadmin)
    created = client.post(reverse("accounts:account_create"), {"username": "cached"})
    reset = client.post(reverse("accounts:account_reset", args=[cast.committee.pk]))
    for response in (created, reset):
        assert "no-store" in response.headers.get("Cache-Control", "")

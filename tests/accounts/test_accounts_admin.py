"""三权分立: the system admin manages accounts, the security admin roles and
permissions, the audit admin reads the log — and each page shows only what the
viewer's role may do. Also the idle-account job and the append-only log."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from fourfirsts.accounts import services
from fourfirsts.accounts.models import User, role_group
from fourfirsts.core import audit
from fourfirsts.core.access import Role, scope_of
from fourfirsts.core.actors import Actor
from fourfirsts.core.models import SecurityEvent
from tests.conftest import make_user


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def url(name, *args):
    return reverse(f"accounts:{name}", args=args)


def roles_of(user) -> set[str]:
    return set(User.objects.get(pk=user.pk).groups.values_list("name", flat=True))


@pytest.fixture
def many_accounts(world):
    """Enough linked accounts with roles that an N+1 would show in the query counts."""
    for n in range(15):
        u = make_user(
            f"extra{n:02d}",
            Role.SECRETARY,
            Role.MEMBER,
            person=world.person_a,
            party_org=world.org_a,
            department=world.department,
        )
        u.groups.add(role_group(Role.HANDLER))


# --- who may open which admin page ------------------------------------------------------

ADMIN_PAGES = {
    "account_list": {"sysadmin", "secadmin"},
    "role_list": {"secadmin"},
    "account_create": {"sysadmin"},
    "security_log": {"auditadmin"},
}


@pytest.mark.parametrize("page", sorted(ADMIN_PAGES))
def test_admin_pages_are_open_only_to_their_admins(client_for, cast, page):
    for who, user in cast.all().items():
        response = client_for(user).get(url(page))
        if user is None:
            assert response.status_code == 302 and response.url.startswith("/accounts/login/"), who
        elif who in ADMIN_PAGES[page]:
            assert response.status_code == 200, who
        else:
            assert response.status_code == 403, (page, who)


def test_account_detail_is_for_the_system_and_security_admins_only(client_for, cast):
    target = url("account_detail", cast.secretary_a.pk)
    for who, user in cast.all().items():
        status = client_for(user).get(target).status_code
        expected = 200 if who in {"sysadmin", "secadmin"} else 302 if user is None else 403
        assert status == expected, who


def test_unknown_account_is_404(client_for, cast):
    assert client_for(cast.sysadmin).get(url("account_detail", 999999)).status_code == 404


# --- system admin ---------------------------------------------------------------------------


def test_sysadmin_cannot_grant_roles(client_for, cast):
    client = client_for(cast.sysadmin)
    response = client.post(
        url("account_role", cast.member_a.pk), {"role": Role.COMMITTEE, "granted": "1"}
    )
    assert response.status_code == 403
    assert Role.COMMITTEE not in roles_of(cast.member_a)
    with pytest.raises(PermissionDenied):
        services.role_set(
            actor=Actor.of(cast.sysadmin), user=cast.member_a, role=Role.COMMITTEE, granted=True
        )
    response = client.post(url("account_full_data", cast.member_a.pk), {"granted": "1"})
    assert response.status_code == 403
    assert not User.objects.get(pk=cast.member_a.pk).has_perm("accounts.view_full_personal_data")


def test_sysadmin_sees_account_controls_and_no_role_controls(client_for, cast, world):
    html = (
        client_for(cast.sysadmin).get(url("account_detail", cast.secretary_a.pk)).content.decode()
    )
    for control in ('id="link-form"', 'id="reset-form"', 'id="active-form"', "停用账号"):
        assert control in html
    for control in ('id="role-table"', 'id="full-data-form"'):
        assert control not in html
    assert world.org_a.name in html
    list_html = client_for(cast.sysadmin).get(url("account_list")).content.decode()
    assert "新建账号" in list_html and url("account_detail", cast.secretary_a.pk) in list_html


def test_sysadmin_links_an_account(client_for, cast, world):
    client = client_for(cast.sysadmin)
    response = client.post(
        url("account_detail", cast.handler.pk),
        {"person": "", "party_org": "", "department": world.other_department.pk},
    )
    assert response.status_code == 302
    cast.handler.refresh_from_db()
    assert cast.handler.department == world.other_department
    assert scope_of(User.objects.get(pk=cast.handler.pk)).department_ids == {
        world.other_department.pk
    }
    assert SecurityEvent.objects.filter(target="handler", detail__action="link").exists()


def test_sysadmin_deactivates_and_reactivates_but_not_themself(client_for, cast):
    client = client_for(cast.sysadmin)
    client.post(url("account_active", cast.leader.pk), {"active": "0"})
    assert not User.objects.get(pk=cast.leader.pk).is_active
    html = client.get(url("account_detail", cast.leader.pk)).content.decode()
    assert "启用账号" in html
    client.post(url("account_active", cast.leader.pk), {"active": "1"})
    assert User.objects.get(pk=cast.leader.pk).is_active
    response = client.post(url("account_active", cast.sysadmin.pk), {"active": "0"}, follow=True)
    assert "不能停用自己的账号" in response.content.decode()
    assert User.objects.get(pk=cast.sysadmin.pk).is_active


def test_a_deactivated_account_is_logged_out(client_for, cast):
    leader = client_for(cast.leader)
    assert leader.get("/").status_code == 200
    services.account_set_active(actor=Actor.of(cast.sysadmin), user=cast.leader, active=False)
    assert leader.get("/").status_code == 302


# --- security admin -------------------------------------------------------------------------


def test_secadmin_cannot_create_accounts_or_reset_passwords(client_for, cast, world):
    client = client_for(cast.secadmin)
    assert client.get(url("account_create")).status_code == 403
    assert client.post(url("account_create"), {"username": "sneaky"}).status_code == 403
    assert not User.objects.filter(username="sneaky").exists()
    old_hash = cast.committee.password
    assert client.post(url("account_reset", cast.committee.pk)).status_code == 403
    assert User.objects.get(pk=cast.committee.pk).password == old_hash
    assert client.post(url("account_active", cast.committee.pk), {"active": "0"}).status_code == 403
    assert User.objects.get(pk=cast.committee.pk).is_active
    response = client.post(url("account_detail", cast.committee.pk), {"party_org": world.org_a.pk})
    assert response.status_code == 403
    assert User.objects.get(pk=cast.committee.pk).party_org is None
    with pytest.raises(PermissionDenied):
        services.account_reset_password(actor=Actor.of(cast.secadmin), user=cast.committee)


def test_secadmin_sees_role_controls_and_no_account_controls(client_for, cast):
    html = (
        client_for(cast.secadmin).get(url("account_detail", cast.secretary_a.pk)).content.decode()
    )
    for control in ('id="role-table"', 'id="full-data-form"', "授予权限"):
        assert control in html
    for control in ('id="link-form"', 'id="reset-form"', 'id="active-form"'):
        assert control not in html
    assert "新建账号" not in client_for(cast.secadmin).get(url("role_list")).content.decode()


def test_secadmin_grants_and_revokes_a_role(client_for, cast, world):
    client = client_for(cast.secadmin)
    response = client.post(
        url("account_role", cast.member_a.pk), {"role": Role.SECRETARY, "granted": "1"}
    )
    assert response.status_code == 302
    assert Role.SECRETARY in roles_of(cast.member_a)
    html = client.get(url("account_detail", cast.member_a.pk)).content.decode()
    assert "党组织书记" in html and "撤销" in html
    client.post(url("account_role", cast.member_a.pk), {"role": Role.SECRETARY, "granted": "0"})
    assert Role.SECRETARY not in roles_of(cast.member_a)
    events = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.ROLE_CHANGE, target="member_a")
    assert sorted(events.values_list("detail__action", flat=True)) == ["grant", "revoke"]


def test_secadmin_cannot_change_their_own_roles_or_post_nonsense(client_for, cast):
    client = client_for(cast.secadmin)
    response = client.post(
        url("account_role", cast.secadmin.pk), {"role": Role.COMMITTEE, "granted": "1"}, follow=True
    )
    assert "不能修改自己的角色" in response.content.decode()
    response = client.post(
        url("account_role", cast.member_a.pk), {"role": "superuser", "granted": "1"}, follow=True
    )
    assert "请选择角色和操作" in response.content.decode()
    assert roles_of(cast.secadmin) == {Role.SECURITY_ADMIN}
    assert roles_of(cast.member_a) == {Role.MEMBER}


def test_admin_roles_cannot_be_combined(cast):
    actor = Actor.of(cast.secadmin)
    with pytest.raises(ValidationError):
        services.role_set(actor=actor, user=cast.auditadmin, role=Role.SYSTEM_ADMIN, granted=True)


def test_secadmin_grants_and_revokes_full_data_permission(client_for, cast):
    client = client_for(cast.secadmin)
    assert (
        client.post(url("account_full_data", cast.committee.pk), {"granted": "1"}).status_code
        == 302
    )
    assert scope_of(User.objects.get(pk=cast.committee.pk)).can_view_full_personal_data
    client.post(url("account_full_data", cast.committee.pk), {"granted": "0"})
    assert not scope_of(User.objects.get(pk=cast.committee.pk)).can_view_full_personal_data
    assert (
        SecurityEvent.objects.filter(
            kind=SecurityEvent.Kind.ROLE_CHANGE,
            target="committee",
            detail__permission="view_full_personal_data",
        ).count()
        == 2
    )


# --- audit admin and the log ------------------------------------------------------------------


def test_auditadmin_reads_the_log_and_does_nothing_else(client_for, cast):
    audit.log(audit.Kind.LOGIN, user=cast.committee)
    client = client_for(cast.auditadmin)
    response = client.get(url("security_log"))
    assert response.status_code == 200
    assert "committee" in response.content.decode()
    for name in ("account_list", "role_list", "account_create"):
        assert client.get(url(name)).status_code == 403, name
    assert client.get(url("account_detail", cast.committee.pk)).status_code == 403
    for name, data in (
        ("account_reset", {}),
        ("account_active", {"active": "0"}),
        ("account_role", {"role": Role.COMMITTEE, "granted": "1"}),
        ("account_full_data", {"granted": "1"}),
    ):
        assert client.post(url(name, cast.member_a.pk), data).status_code == 403, name
    assert client.get(reverse("core:settings")).status_code == 403
    assert client.get(reverse("core:workdays")).status_code == 403
    assert roles_of(cast.member_a) == {Role.MEMBER}
    for action in (
        lambda a: services.account_create(actor=a, username="x"),
        lambda a: services.role_set(actor=a, user=cast.member_a, role=Role.COMMITTEE, granted=True),
        lambda a: services.full_data_permission_set(actor=a, user=cast.member_a, granted=True),
    ):
        with pytest.raises(PermissionDenied):
            action(Actor.of(cast.auditadmin))


def test_security_log_filters_by_kind_and_user(client_for, cast):
    audit.log(audit.Kind.LOGIN, user=cast.committee)
    audit.log(audit.Kind.LOGIN_FAILED, username="leader")
    audit.log(audit.Kind.EXPORT, user=cast.leader, target="workbook")
    client = client_for(cast.auditadmin)
    events = client.get(url("security_log"), {"kind": "login_failed"}).context["events"]
    assert [(e.kind, e.username) for e in events] == [("login_failed", "leader")]
    events = client.get(url("security_log"), {"who": "lead"}).context["events"]
    assert {e.kind for e in events} == {"login_failed", "export"}
    html = client.get(url("security_log"), {"kind": "export", "who": "leader"}).content.decode()
    assert "导出" in html and "workbook" in html


def test_security_log_pages_keep_the_filters(client_for, cast, django_assert_max_num_queries):
    SecurityEvent.objects.bulk_create(
        SecurityEvent(
            at=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=n),
            kind="login_failed",
            username=f"guess{n}",
            ip="10.0.0.1",
            detail={"n": n},
        )
        for n in range(130)
    )
    client = client_for(cast.auditadmin)
    with django_assert_max_num_queries(12):
        response = client.get(url("security_log"), {"kind": "login_failed"})
    events = response.context["events"]
    assert len(events) == 100 and events[0].username == "guess129"
    html = response.content.decode()
    assert f"kind=login_failed&amp;before={events[-1].id}" in html
    second = client.get(url("security_log"), {"kind": "login_failed", "before": str(events[-1].id)})
    assert [e.username for e in second.context["events"]][-1] == "guess0"
    assert len(second.context["events"]) == 30 and not second.context["more"]


def test_nobody_can_update_or_delete_a_security_event(cast):
    event = audit.log(audit.Kind.LOGIN, user=cast.committee)
    event.target = "changed"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    assert SecurityEvent.objects.get(pk=event.pk).target == ""


def test_bulk_update_and_delete_of_security_events_are_refused(cast):
    audit.log(audit.Kind.LOGIN, user=cast.committee)
    with pytest.raises(PermissionError):
        SecurityEvent.objects.update(target="changed")
    with pytest.raises(PermissionError):
        SecurityEvent.objects.all().delete()


# --- idle accounts ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_accounts_idle_for_more_than_90_days_are_disabled():
    now = datetime(2030, 6, 1, 1, 0, tzinfo=UTC)
    specs = {
        "idle_91": (now - timedelta(days=91), now - timedelta(days=400)),
        "used_10": (now - timedelta(days=10), now - timedelta(days=400)),
        "used_89": (now - timedelta(days=89), now - timedelta(days=400)),
        "never_used_old": (None, now - timedelta(days=91)),
        "never_used_new": (None, now - timedelta(days=5)),
    }
    for name, (last_login, joined) in specs.items():
        user = make_user(name, Role.MEMBER)
        User.objects.filter(pk=user.pk).update(last_login=last_login, date_joined=joined)
    disabled = services.disable_idle_accounts(now=now)
    assert sorted(disabled) == ["idle_91", "never_used_old"]
    active = dict(User.objects.values_list("username", "is_active"))
    assert active == {
        "idle_91": False,
        "used_10": True,
        "used_89": True,
        "never_used_old": False,
        "never_used_new": True,
    }
    assert set(
        SecurityEvent.objects.filter(detail__action="disable_idle").values_list("target", flat=True)
    ) == {"idle_91", "never_used_old"}
    assert services.disable_idle_accounts(now=now) == []  # already disabled


# --- query counts: no N+1 however many accounts -----------------------------------------------


@pytest.mark.parametrize(
    ("who", "page", "limit"),
    [
        ("sysadmin", "account_list", 14),
        ("secadmin", "role_list", 14),
        ("sysadmin", "account_create", 11),
        ("auditadmin", "security_log", 13),
    ],
)
def test_admin_list_pages_query_count(
    client_for, cast, many_accounts, django_assert_max_num_queries, who, page, limit
):
    client = client_for(getattr(cast, who))
    with django_assert_max_num_queries(limit):
        response = client.get(url(page), {"q": "e"} if page.endswith("list") else {})
    assert response.status_code == 200


@pytest.mark.parametrize(("who", "limit"), [("sysadmin", 23), ("secadmin", 17)])
def test_account_detail_query_count(
    client_for, cast, many_accounts, django_assert_max_num_queries, who, limit
):
    client = client_for(getattr(cast, who))
    with django_assert_max_num_queries(limit):
        assert client.get(url("account_detail", cast.secretary_a.pk)).status_code == 200


@pytest.mark.parametrize("who", ["committee", "secretary_a", "sysadmin"])
def test_profile_and_password_pages_query_count(
    client_for, cast, django_assert_max_num_queries, who
):
    client = client_for(getattr(cast, who))
    with django_assert_max_num_queries(15):
        response = client.get(url("profile"))
    assert response.status_code == 200
    assert getattr(cast, who).username in response.content.decode()
    with django_assert_max_num_queries(11):
        assert client.get(url("password_change")).status_code == 200


def test_profile_shows_roles_and_links(client_for, cast, world):
    html = client_for(cast.secretary_a).get(url("profile")).content.decode()
    assert "党组织书记" in html and world.org_a.name in html and world.person_a.name in html
    # The person's numbers are never on the profile.
    assert world.person_a.phone not in html


def test_admin_write_views_query_count(client_for, cast, django_assert_max_num_queries):
    client = client_for(cast.secadmin)
    with django_assert_max_num_queries(20):
        client.post(url("account_role", cast.member_a.pk), {"role": Role.SECRETARY, "granted": "1"})
    with django_assert_max_num_queries(20):
        client.post(url("account_full_data", cast.member_a.pk), {"granted": "1"})
    client = client_for(cast.sysadmin)
    with django_assert_max_num_queries(20):
        client.post(url("account_active", cast.member_a.pk), {"active": "0"})
    with django_assert_max_num_queries(20):
        client.post(url("account_reset", cast.member_a.pk))
    with django_assert_max_num_queries(20):
        client.post(url("account_create"), {"username": "brand_new"})

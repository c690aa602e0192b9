"""The pages every role shares: home, the inbox, task progress, the settings and
working-day schedule pages — access, what a user sees, and query counts."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from fourfirsts.core import notify, progress, rules, workdays
from fourfirsts.core.models import Notification, SecurityEvent, SettingValue, WorkdaySchedule

DOMAIN = ("committee", "leader", "instructor", "secretary_a", "secretary_b", "member_a", "handler")


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def private_cache(settings):
    """Progress lives in the cache; the shared file cache is cleared by every other
    test process (conftest's autouse fixture), so keep this test's cache to itself."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "core-views",
        }
    }


def assert_clean_markup(html: str) -> None:
    assert 'style="' not in html
    assert "<script>" not in html and "hx-on" not in html


# --- home ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", DOMAIN)
def test_home_welcomes_each_domain_role_with_its_roles_and_menu(
    client_for, cast, who, django_assert_max_num_queries
):
    client = client_for(getattr(cast, who))
    # The to-do panel's sources each run a fixed number of queries (pinned in
    # their apps' tests), so the page's count does not grow with the data.
    with django_assert_max_num_queries(36):
        response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "您好" in html
    for label in getattr(cast, who).role_labels:
        assert label in html
    for item in response.context["shell"]["menu"]:
        assert f'href="{item["url"]}"' in html
    assert_clean_markup(html)


def test_home_says_when_no_role_is_granted(client_for, db):
    from tests.conftest import make_user

    html = client_for(make_user("nobody")).get("/").content.decode()
    assert "尚未分配角色" in html


@pytest.mark.parametrize(
    ("who", "landing"),
    [
        ("sysadmin", "accounts:account_list"),
        ("secadmin", "accounts:role_list"),
        ("auditadmin", "accounts:security_log"),
    ],
)
def test_admins_home_is_their_own_page(client_for, cast, who, landing):
    response = client_for(getattr(cast, who)).get("/")
    assert response.status_code == 302 and response.url == reverse(landing)


def test_anonymous_is_sent_to_login_from_every_shared_page(client, db):
    for url in (
        "/",
        reverse("core:notifications"),
        reverse("core:settings"),
        reverse("core:workdays"),
        reverse("core:progress", args=["abc"]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/"), url


# --- notifications ---------------------------------------------------------------------------


def test_inbox_lists_own_messages_and_marks_them_read(
    client_for, cast, django_assert_max_num_queries
):
    at = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
    for n in range(20):
        notify.notify(
            [cast.secretary_a], title=f"诉求待办{n}", body="请及时处理", link="/registry/", at=at
        )
    notify.notify([cast.secretary_b], title="别人的消息", at=at)
    client = client_for(cast.secretary_a)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("core:notifications"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "诉求待办0" in html and "诉求待办19" in html and "别人的消息" not in html
    assert "全部标为已读" in html
    assert_clean_markup(html)
    with django_assert_max_num_queries(12):
        response = client.post(reverse("core:notifications"))
    assert response.status_code == 302 and response.url == reverse("core:notifications")
    assert not Notification.objects.filter(
        recipient=cast.secretary_a, read_at__isnull=True
    ).exists()
    assert (
        Notification.objects.filter(recipient=cast.secretary_b, read_at__isnull=True).count() == 1
    )
    html = client.get(reverse("core:notifications")).content.decode()
    assert "全部标为已读" not in html


def test_inbox_never_links_off_site(client_for, cast):
    at = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
    notify.notify([cast.member_a], title="外链", link="https://evil.example/", at=at)
    notify.notify([cast.member_a], title="协议相对", link="//evil.example/", at=at)
    html = client_for(cast.member_a).get(reverse("core:notifications")).content.decode()
    assert "evil.example" not in html


@pytest.mark.parametrize("who", [*DOMAIN, "sysadmin", "secadmin", "auditadmin"])
def test_everyone_signed_in_has_an_inbox(client_for, cast, who):
    assert client_for(getattr(cast, who)).get(reverse("core:notifications")).status_code == 200


# --- progress ------------------------------------------------------------------------------------


def test_progress_is_shown_to_its_owner_only(
    client_for, cast, private_cache, django_assert_max_num_queries
):
    key = progress.new_key()
    progress.start(key, owner_id=cast.committee.pk, label="导入 会员.xlsx", total=200)
    progress.update(key, done=50)
    page = reverse("core:progress", args=[key])
    client = client_for(cast.committee)
    with django_assert_max_num_queries(10):
        response = client.get(page)
    assert response.status_code == 200
    html = response.content.decode()
    assert "导入 会员.xlsx" in html and "<html" in html
    assert "<progress" in html and 'max="100"' in html and 'value="25"' in html
    assert (
        f'hx-get="{page}"' in html
        and 'hx-trigger="every 1s"' in html
        and 'hx-swap="outerHTML"' in html
    )
    assert_clean_markup(html)
    for who in ("secretary_a", "leader", "sysadmin"):
        assert client_for(getattr(cast, who)).get(page).status_code == 404, who
    assert (
        client_for(cast.committee).get(reverse("core:progress", args=["nope"])).status_code == 404
    )


def test_htmx_gets_only_the_bar_and_polling_stops_when_done(client_for, cast, private_cache):
    key = progress.new_key()
    progress.start(key, owner_id=cast.committee.pk, label="导入 会员.xlsx", total=0)
    page = reverse("core:progress", args=[key])
    client = client_for(cast.committee)
    partial = client.get(page, HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert partial.status_code == 200
    assert "<html" not in html and "<nav" not in html
    assert html.strip().startswith(f'<div id="progress-{key}"')
    assert 'hx-trigger="every 1s"' in html
    assert "<progress" in html and "value=" not in html  # unknown total: indeterminate
    progress.finish(
        key,
        ok=False,
        message="发现 2 个问题，未写入任何数据",
        result={
            "problems": [
                ["会员企业", 3, "名称", "必填项为空"],
                ["会员企业", 4, "统一社会信用代码", "统一社会信用代码应为18位"],
            ]
        },
    )
    html = client.get(page, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-get" not in html and "hx-trigger" not in html
    assert 'value="100"' in html
    assert "未写入任何数据" in html and "必填项为空" in html and "统一社会信用代码应为18位" in html
    assert "<table" in html


# --- settings ------------------------------------------------------------------------------------


@pytest.fixture
def rule(monkeypatch):
    monkeypatch.setattr(rules, "_rules", dict(rules._rules))
    return rules.register(
        "testing.reply_days",
        "测试答复期限（工作日）",
        5,
        help="诉求交办后答复的期限",
        minimum=1,
        maximum=30,
    )


@pytest.mark.parametrize("who", [*DOMAIN, "sysadmin", "secadmin", "auditadmin"])
def test_the_committees_rules_are_for_the_committee_only(client_for, cast, rule, who):
    client = client_for(getattr(cast, who))
    expected = 200 if who in ("committee", "secadmin") else 403  # secadmin: the security policy
    assert client.get(reverse("core:settings")).status_code == expected, who
    response = client.post(
        reverse("core:settings"), {"key": rule.key, "value": "9", "effective_from": "2026-01-01"}
    )
    assert response.status_code == (302 if who == "committee" else 403), who
    assert SettingValue.objects.filter(key=rule.key).count() == (1 if who == "committee" else 0)


def test_settings_page_lists_each_rule_with_a_form(
    client_for, cast, rule, django_assert_max_num_queries
):
    client = client_for(cast.committee)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("core:settings"))
    html = response.content.decode()
    for text in (
        "测试答复期限（工作日）",
        "testing.reply_days",
        "诉求交办后答复的期限",
        'name="key"',
        'name="value"',
        'name="effective_from"',
        'name="note"',
    ):
        assert text in html
    assert_clean_markup(html)


@pytest.fixture(autouse=True)
def _on_1_december_2025(request):
    """Settings take effect from today on: these tests live on 2025-12-01."""
    if "time_machine" in request.fixturenames or "rule" not in request.fixturenames:
        yield
        return
    import time_machine

    with time_machine.travel("2025-12-01 10:00 +0800", tick=False):
        yield


def test_a_past_effective_date_is_refused(client_for, cast, rule):
    response = client_for(cast.committee).post(
        reverse("core:settings"), {"key": rule.key, "value": "7", "effective_from": "2025-11-30"})
    assert "生效日期不能早于今天：2025-11-30" in response.content.decode()
    assert not SettingValue.objects.exists()


def test_a_bad_setting_value_shows_the_error_on_its_row_and_changes_nothing(client_for, cast, rule):
    client = client_for(cast.committee)
    for value, message in (("五天", "应为整数"), ("0", "不能小于"), ("31", "不能大于")):
        response = client.post(
            reverse("core:settings"),
            {"key": rule.key, "value": value, "effective_from": "2026-01-01", "note": "试"},
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert message in html and "测试答复期限" in html, value
        assert f'value="{value}"' in html  # the bad input is kept for correcting
    response = client.post(
        reverse("core:settings"), {"key": rule.key, "value": "7", "effective_from": "2026-13-01"}
    )
    assert "生效日期格式" in response.content.decode()
    assert not SettingValue.objects.exists()
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SETTING_CHANGE).exists()


def test_a_good_setting_is_saved_from_its_date_and_logged(client_for, cast, rule):
    client = client_for(cast.committee)
    response = client.post(
        reverse("core:settings"),
        {"key": rule.key, "value": "7", "effective_from": "2026-04-01", "note": "党委会决定"},
        follow=True,
    )
    assert "规则已保存" in response.content.decode()
    assert rules.value(rule.key, on=date(2026, 3, 31)) == 5
    assert rules.value(rule.key, on=date(2026, 4, 1)) == 7
    row = SettingValue.objects.get(key=rule.key)
    assert row.changed_by == "committee" and row.note == "党委会决定"
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.SETTING_CHANGE)
    assert event.username == "committee" and event.target == rule.key


# --- working-day schedules ---------------------------------------------------------------------------

HOLIDAYS_2027 = "2027-10-01\n2027-10-04, 2027-10-05，2027-10-06\n2027-10-07"
WORKDAYS_2027 = "2027-09-26\n2027-10-09"


@pytest.mark.parametrize("who", [*DOMAIN, "sysadmin", "secadmin", "auditadmin"])
def test_workdays_page_is_for_the_committee_only(client_for, cast, who):
    client = client_for(getattr(cast, who))
    expected = 200 if who == "committee" else 403
    assert client.get(reverse("core:workdays")).status_code == expected, who
    if who != "committee":
        response = client.post(
            reverse("core:workdays"),
            {"year": "2027", "holidays": HOLIDAYS_2027, "workdays": WORKDAYS_2027},
        )
        assert response.status_code == 403
        assert not WorkdaySchedule.objects.exists()


def test_committee_saves_the_2027_schedule(client_for, cast, django_assert_max_num_queries):
    assert not workdays.library_knows(2027), "pick a year the calendar library does not know"
    client = client_for(cast.committee)
    assert workdays.is_fallback(2027)
    with django_assert_max_num_queries(20):
        response = client.post(
            reverse("core:workdays"),
            {"year": "2027", "holidays": HOLIDAYS_2027, "workdays": WORKDAYS_2027},
        )
    assert response.status_code == 302 and response.url == reverse("core:workdays")
    schedule = WorkdaySchedule.objects.get(year=2027)
    assert schedule.holidays == [
        "2027-10-01",
        "2027-10-04",
        "2027-10-05",
        "2027-10-06",
        "2027-10-07",
    ]
    assert schedule.workdays == ["2027-09-26", "2027-10-09"]
    assert schedule.entered_by == "committee"
    assert not workdays.is_fallback(2027)
    assert workdays.is_workday(date(2027, 10, 9)) and not workdays.is_workday(date(2027, 10, 4))
    html = client.get(reverse("core:workdays")).content.decode()
    assert "2027-10-04" in html and "2027-09-26" in html and "已保存" in html
    assert_clean_markup(html)


def test_a_bad_date_is_named_and_nothing_is_saved(client_for, cast):
    client = client_for(cast.committee)
    response = client.post(
        reverse("core:workdays"),
        {"year": "2027", "holidays": "2027-10-01, 2027-13-01", "workdays": ""},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "2027-13-01" in html and "放假日期第2项" in html
    assert "2027-10-01, 2027-13-01" in html  # the input is kept
    response = client.post(
        reverse("core:workdays"),
        {"year": "2027", "holidays": "2027-10-02", "workdays": "2027-10-08"},
    )
    html = response.content.decode()
    assert "2027-10-02" in html and "星期六" in html and "2027-10-08" in html and "星期五" in html
    response = client.post(
        reverse("core:workdays"), {"year": "二〇二七", "holidays": "", "workdays": ""}
    )
    assert "年份应为四位数字" in response.content.decode()
    response = client.post(
        reverse("core:workdays"), {"year": "2024", "holidays": "", "workdays": ""}
    )
    assert "官方日历" in response.content.decode()
    assert not WorkdaySchedule.objects.exists()


def test_workdays_page_warns_about_years_on_the_fallback(
    client_for, cast, time_machine, django_assert_max_num_queries
):
    time_machine.move_to("2026-11-27 10:00 +0800")
    workdays.schedule_save(year=2028, holidays=[], workdays=[], actor_label="committee")
    client = client_for(cast.committee)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("core:workdays"))
    assert [(y["year"], y["fallback"]) for y in response.context["years"]] == [
        (2025, False),
        (2026, False),
        (2027, True),
        (2028, False),
    ]
    html = response.content.decode()
    assert html.count("尚未录入，暂按周一至周五计算") == 1

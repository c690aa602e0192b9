"""The appeal pages: the list and its filters, the department inbox, staff
intake, the detail page with its timeline and each role's own actions, the
conflict when two people act at once, on-site assignment in a batch, and the
contact phone shown in full only on request, logged."""

import re
from datetime import date

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fourfirsts.core import attachments
from fourfirsts.core.access import Role
from fourfirsts.core.actors import Actor
from fourfirsts.core.models import SecurityEvent
from fourfirsts.registry.models import PublicOffice
from fourfirsts.service.models import Appeal, Escalation
from fourfirsts.service.services import appeals as services
from fourfirsts.service.workflow import APPEAL_WORKFLOW
from tests.conftest import make_user
from tests.service.conftest import T, at, do

SYSTEM = Actor.system("测试")
AFTER_T = "2022-10-18 10:00 +0800"  # the day after T: nothing assigned at T is overdue yet
LATE = "2022-11-30 10:00 +0800"  # everything assigned at T is overdue


def inputs(action, world):
    return {
        "accept": {},
        "decline": {"ground": "legal_process", "reason": "企业已申请劳动仲裁"},
        "assign": {"department": world.department.pk},
        "reassign": {"department": world.department.pk},
        "sign": {},
        "handle": {"note": "已联系企业"},
        "request_extension": {"days": 2, "reason": "需要省厅协调"},
        "approve_extension": {},
        "refuse_extension": {},
        "return": {"reason": "不属于本单位职责", "basis": "《娄底市交通运输局职能配置规定》"},
        "reply": {"reply": "已协调办理通行证"},
        "rate": {"rating": "satisfied", "note": "电话回访：满意"},
        "close": {"note": "经党委研究予以办结"},
    }[action]


def act(client, appeal, action, world, **extra):
    """Post one action as the detail page's form would, with the state shown."""
    appeal = Appeal.objects.get(pk=appeal.pk)
    data = {"action": action, "seen_state": appeal.state, "seen_updated": appeal.updated_at.isoformat(),
            **inputs(action, world), **extra}
    return client.post(reverse("service:appeal_act", args=[appeal.pk]), data)


def to_rated(appeal, advance, cast, world):
    """Replied, then 不满意 twice (重办) and once more: 回访不满意, for the committee to close."""
    advance(appeal, "replied")
    for _ in range(2):
        services.appeal_rate_by_token(token=appeal.tracking_token, rating="unsatisfied", at=T)
        appeal.refresh_from_db()
        do("reply", appeal, Actor.of(cast.handler), world)
    services.appeal_rate(appeal=appeal, rating="unsatisfied", actor=Actor.of(cast.committee), at=T)
    appeal.refresh_from_db()
    assert appeal.state == "rated"
    return appeal


@pytest.fixture
def appeal_a(world, new_appeal):
    """Appeal A: enterprise A, collected by member A (visible to A's people)."""
    return new_appeal(enterprise=world.ent_a, collected_by=world.member_a)


# --- every transition through the pages, per role ----------------------------------------------

# action → (the state it starts from, the cast members allowed)
CASES = {
    "accept": ("collected", {"committee"}),
    "decline": ("collected", {"committee"}),
    "assign": ("accepted", {"committee"}),
    "sign": ("assigned", {"handler"}),
    "handle": ("signed", {"handler"}),
    "request_extension": ("handling", {"handler"}),
    "approve_extension": ("extension_requested", {"committee"}),
    "refuse_extension": ("extension_requested", {"committee"}),
    "return": ("handling", {"handler"}),
    "reply": ("handling", {"handler"}),
    "rate": ("replied", {"committee"}),
    "reassign": ("returned", {"committee"}),
    "close": ("rated", {"committee"}),
}
TARGETS = {
    "accept": "accepted", "decline": "declined", "assign": "assigned", "sign": "signed", "handle": "handling",
    "request_extension": "extension_requested", "approve_extension": "handling", "refuse_extension": "handling",
    "return": "returned", "reply": "replied", "rate": "closed", "reassign": "assigned", "close": "closed",
}
READERS_OF_A = {"committee", "leader", "instructor", "secretary_a", "member_a"}  # + handler once assigned
ADMINS = {"sysadmin", "secadmin", "auditadmin"}
CAST = ["committee", "leader", "instructor", "secretary_a", "secretary_b", "member_a", "handler",
        *sorted(ADMINS), "anonymous"]


@pytest.mark.parametrize("action", sorted(CASES))
@pytest.mark.parametrize("who", CAST)
def test_each_action_through_the_page(action, who, cast, world, appeal_a, advance, client_for):
    state, allowed = CASES[action]
    appeal = to_rated(appeal_a, advance, cast, world) if state == "rated" else advance(appeal_a, state)
    user = cast.all()[who]
    response = act(client_for(user), appeal, action, world)
    appeal.refresh_from_db()
    if who in allowed:
        assert response.status_code == 302
        assert appeal.state == TARGETS[action]
        event = APPEAL_WORKFLOW.events(appeal).latest("id")
        assert event.actor_user == user
        return
    assert appeal.state == state
    readers = READERS_OF_A | ({"handler"} if appeal.department_id else set())
    if who == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif who in ADMINS:
        assert response.status_code == 403
    elif who not in readers:
        assert response.status_code == 404
    else:
        assert response.status_code == 403
        label = APPEAL_WORKFLOW.get(action).label
        assert f"{user.username}无权执行“{label}”" in response.content.decode()


# Which action forms each reader sees in each state: each role only its own steps.
SHOWN = {
    ("collected", "committee"): {"accept", "decline"},
    ("accepted", "committee"): {"assign"},
    ("assigned", "handler"): {"sign", "return"},
    ("signed", "handler"): {"handle", "return"},
    ("handling", "handler"): {"request_extension", "return", "reply"},
    ("extension_requested", "committee"): {"approve_extension", "refuse_extension"},
    ("returned", "committee"): {"reassign"},
    ("replied", "committee"): {"rate"},
}


@pytest.mark.parametrize("state", ["collected", "accepted", "assigned", "signed", "handling",
                                   "extension_requested", "returned", "replied"])
@pytest.mark.parametrize("who", ["committee", "leader", "instructor", "secretary_a", "member_a", "handler"])
def test_the_detail_page_offers_each_role_only_its_own_steps(state, who, cast, appeal_a, advance, client_for):
    appeal = advance(appeal_a, state)
    response = client_for(getattr(cast, who)).get(reverse("service:appeal_detail", args=[appeal.pk]))
    if who == "handler" and appeal.department_id is None:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    shown = set(re.findall(r'id="action-([a-z_]+)"', response.content.decode()))
    assert shown == SHOWN.get((state, who), set())


def test_a_handler_of_another_department_sees_nothing(appeal_a, advance, handler_other, world, client_for):
    appeal = advance(appeal_a, "assigned")
    client = client_for(handler_other)
    assert client.get(reverse("service:appeal_detail", args=[appeal.pk])).status_code == 404
    assert act(client, appeal, "sign", world).status_code == 404
    appeal.refresh_from_db()
    assert appeal.state == "assigned"


def test_refusals_and_bad_input_keep_what_was_typed(cast, world, appeal_a, advance, client_for):
    appeal = advance(appeal_a, "handling")
    client = client_for(cast.handler)
    response = act(client, appeal, "return", world, basis="", reason="本单位无此职能，建议转市场监管局")
    assert response.status_code == 200
    page = response.content.decode()
    assert "请填写退回依据" in page
    assert "本单位无此职能，建议转市场监管局" in page
    response = act(client, appeal, "request_extension", world, days="0", reason="等待省厅批复")
    assert "等待省厅批复" in response.content.decode()
    assert "确保该值大于或等于 1" in response.content.decode() or "大于或等于" in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.state == "handling"


def test_decline_needs_a_reason_for_other_and_records_the_ground(cast, world, appeal_a, client_for):
    client = client_for(cast.committee)
    response = act(client, appeal_a, "decline", world, ground="other", reason="")
    assert "选择“其他”时请填写不予受理的理由" in response.content.decode()
    act(client, appeal_a, "decline", world)
    appeal_a.refresh_from_db()
    assert appeal_a.state == "declined"
    assert appeal_a.decline_reason == "已进入诉讼、仲裁、行政复议等程序：企业已申请劳动仲裁"


def test_the_return_limit_is_told_on_the_page(cast, world, appeal_a, advance, client_for):
    appeal = advance(appeal_a, "returned")
    do("reassign", appeal, Actor.of(cast.committee), world)
    do("return", appeal, Actor.of(cast.handler), world)
    do("reassign", appeal, Actor.of(cast.committee), world)
    response = act(client_for(cast.handler), appeal, "return", world)
    assert "该诉求已退回 2 次，不能再退回，请商协会党委决定" in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.state == "assigned"


def test_the_committee_records_a_rating_after_a_follow_up_call(cast, world, appeal_a, advance, client_for):
    appeal = advance(appeal_a, "replied")
    response = act(client_for(cast.committee), appeal, "rate", world, rating="fairly_satisfied")
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert (appeal.state, appeal.rating) == ("closed", "fairly_satisfied")


# --- conflict -----------------------------------------------------------------------------------


def test_two_people_at_once_the_second_is_told_and_keeps_the_text(cast, world, appeal_a):
    committee2 = make_user("committee2", Role.COMMITTEE)
    first, second = Client(), Client()
    first.force_login(cast.committee)
    second.force_login(committee2)
    url = reverse("service:appeal_detail", args=[appeal_a.pk])
    assert first.get(url).status_code == 200 and second.get(url).status_code == 200
    seen = {"seen_state": appeal_a.state, "seen_updated": appeal_a.updated_at.isoformat()}
    act_url = reverse("service:appeal_act", args=[appeal_a.pk])
    assert first.post(act_url, {"action": "accept", "note": "同意受理", **seen}).status_code == 302
    response = second.post(act_url, {"action": "decline", "ground": "repeat",
                                     "reason": "该企业上月已反映同一问题，无新情况", **seen})
    assert response.status_code == 409
    page = response.content.decode()
    assert "该诉求已被他人处理为“已受理”，您的操作未执行" in page
    assert "该企业上月已反映同一问题，无新情况" in page
    appeal_a.refresh_from_db()
    assert appeal_a.state == "accepted"
    assert list(APPEAL_WORKFLOW.events(appeal_a).values_list("action", flat=True)) == ["accept"]


def test_a_change_without_a_new_state_is_a_conflict_too(cast, world, appeal_a, advance, client_for):
    """The handler asked for an extension and the committee refused it: the state is 办理中 again, but the
    page the handler saw before is out of date."""
    appeal = advance(appeal_a, "handling")
    seen = {"seen_state": appeal.state, "seen_updated": appeal.updated_at.isoformat()}
    do("request_extension", appeal, Actor.of(cast.handler), world)
    do("refuse_extension", appeal, Actor.of(cast.committee), world)
    response = client_for(cast.handler).post(reverse("service:appeal_act", args=[appeal.pk]), {
        "action": "reply", "reply": "已协调解决", **seen})
    assert response.status_code == 409
    assert "该诉求已被他人处理为“办理中”" in response.content.decode()
    assert "已协调解决" in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.state == "handling"
    # The form shown again carries the new state: submitting it again works.
    again = act(client_for(cast.handler), appeal, "reply", world)
    assert again.status_code == 302


def test_a_lost_compare_and_set_is_a_conflict(cast, world, appeal_a, client_for, monkeypatch):
    """Someone else moves the appeal between the page's check and the write."""
    real = services.appeal_accept

    def racing(**kwargs):
        Appeal.objects.filter(pk=appeal_a.pk).update(state="declined")
        return real(**kwargs)

    monkeypatch.setattr(services, "appeal_accept", racing)
    response = act(client_for(cast.committee), appeal_a, "accept", world, note="同意受理并尽快交办")
    assert response.status_code == 409
    assert "该诉求已被他人处理为“不予受理”" in response.content.decode()
    assert "同意受理并尽快交办" in response.content.decode()


# --- detail: fields, timeline, attachments --------------------------------------------------------


def test_the_detail_page_shows_the_fields_and_the_timeline(cast, world, appeal_a, advance, client_for):
    appeal = advance(appeal_a, "handling")
    Escalation.objects.create(appeal=appeal, step="reminder", at=at(2022, 10, 21, 9), due_at=appeal.due_at)
    do("reply", appeal, Actor.of(cast.handler), world, at(2022, 10, 24))
    page = client_for(cast.committee).get(reverse("service:appeal_detail", args=[appeal.pk])).content.decode()
    for text in ("货车通行证办理难", "湖南安徽建材有限公司", "物流运输", "协调帮助", "堵点", "娄底市交通运输局",
                 "2022-10-24 23:59"):
        assert text in page
    steps = re.findall(r'<span class="fw-semibold">([^<]+)</span>', page.split('id="timeline"')[1])
    assert steps == ["受理", "交办", "签收", "办理", "催办", "答复"]
    assert "已协调办理通行证" in page
    assert "committee" in page and "handler" in page


def test_overdue_is_highlighted(cast, appeal_a, advance, client_for):
    appeal = advance(appeal_a, "signed")
    url = reverse("service:appeal_detail", args=[appeal.pk])
    with time_machine.travel(AFTER_T, tick=False):
        assert "逾期" not in client_for(cast.committee).get(url).content.decode()
    with time_machine.travel(LATE, tick=False):
        assert "逾期" in client_for(cast.committee).get(url).content.decode()


# --- list and inbox -------------------------------------------------------------------------------


@pytest.fixture
def several(cast, world, new_appeal, advance):
    """Appeals of various kinds (collected at explicit times)."""
    committee = Actor.of(cast.committee)
    a1 = advance(new_appeal(title="货车通行证办理难"), "signed")  # logistics, blockage, ent A
    a2 = new_appeal(enterprise=world.ent_b, category=Appeal.Category.TAX, title="增值税留抵退税进度慢")
    a2.is_blockage, a2.is_difficulty = False, True
    a2.channel, a2.kind = Appeal.Channel.HOTLINE, Appeal.Kind.CONSULTATION
    a2.collected_at = at(2021, 12, 30)
    a2.save()
    a3 = advance(new_appeal(enterprise=world.ent_b, title="用地指标协调"), "accepted")
    services.appeal_assign(appeal=a3, department=world.other_department, actor=committee, at=at(2022, 11, 28))
    return a1, a2, a3


def titles(response):
    return re.findall(r'href="/service/appeals/\d+/">([^<]+)</a>', response.content.decode())


@pytest.mark.parametrize("query, expected", [
    ({}, {"货车通行证办理难", "增值税留抵退税进度慢", "用地指标协调"}),
    ({"state": "signed"}, {"货车通行证办理难"}),
    ({"category": "tax"}, {"增值税留抵退税进度慢"}),
    ({"channel": "hotline"}, {"增值税留抵退税进度慢"}),
    ({"kind": "consultation"}, {"增值税留抵退税进度慢"}),
    ({"nature": "difficulty"}, {"增值税留抵退税进度慢"}),
    ({"nature": "blockage"}, {"货车通行证办理难", "用地指标协调"}),
    ({"year": "2021"}, {"增值税留抵退税进度慢"}),
    ({"q": "退税"}, {"增值税留抵退税进度慢"}),
    ({"q": "浙商"}, {"增值税留抵退税进度慢", "用地指标协调"}),
    ({"overdue": "on"}, {"货车通行证办理难"}),
])
def test_the_list_filters(query, expected, cast, world, several, client_for):
    if "department" in query:
        query["department"] = world.other_department.pk
    with time_machine.travel("2022-11-01 10:00 +0800", tick=False):
        response = client_for(cast.committee).get(reverse("service:appeal_list"), query)
    assert set(titles(response)) == expected


def test_the_list_by_department_and_the_overdue_highlight(cast, world, several, client_for):
    client = client_for(cast.committee)
    response = client.get(reverse("service:appeal_list"), {"department": world.other_department.pk})
    assert titles(response) == ["用地指标协调"]
    with time_machine.travel("2022-11-01 10:00 +0800", tick=False):
        page = client_for(cast.committee).get(reverse("service:appeal_list")).content.decode()
    assert page.count('class="table-danger"') == 1


def test_the_list_shows_each_reader_their_own(cast, world, several, client_for):
    assert set(titles(client_for(cast.secretary_a).get(reverse("service:appeal_list")))) == {"货车通行证办理难"}
    assert set(titles(client_for(cast.handler).get(reverse("service:appeal_list")))) == {"货车通行证办理难"}


def make_many(n, world, new_appeal, advance, cast):
    committee = Actor.of(cast.committee)
    made = []
    for i in range(n):
        appeal = new_appeal(title=f"诉求{i:02d}", enterprise=world.ent_a if i % 2 else world.ent_b)
        appeal.collected_at = at(2022, 9, 1 + i % 28, 8 + i % 10)
        appeal.save()
        if i % 3:
            advance(appeal, "accepted")
            services.appeal_assign(appeal=appeal, department=world.department, actor=committee,
                                   at=at(2022, 10, 3 + i % 20))
        made.append(appeal)
    return made


def test_the_list_pages_by_more_without_repeats(cast, world, new_appeal, advance, client_for, monkeypatch):
    from fourfirsts.service.views import appeals as views

    monkeypatch.setattr(views, "PAGE_SIZE", 4)
    make_many(10, world, new_appeal, advance, cast)
    client = client_for(cast.committee)
    seen, url = [], reverse("service:appeal_list")
    params = {}
    for _ in range(5):
        response = client.get(url, params)
        seen += titles(response)
        found = re.search(r'rel="next" href="\?after=([^"&]+)"', response.content.decode())
        if not found:
            break
        from urllib.parse import unquote

        params = {"after": unquote(found.group(1).replace("&amp;", "&"))}
    assert sorted(seen) == [f"诉求{i:02d}" for i in range(10)]


def _queries(client, url):
    client.get(url)  # the first request after logging in does a little more (session)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url_name", ["service:appeal_list", "service:inbox"])
def test_list_and_inbox_queries_do_not_grow(url_name, cast, world, new_appeal, advance, client_for,
                                            django_assert_max_num_queries):
    client = client_for(cast.committee)
    url = reverse(url_name)
    make_many(2, world, new_appeal, advance, cast)
    few = _queries(client, url)
    make_many(20, world, new_appeal, advance, cast)
    with django_assert_max_num_queries(12):
        client.get(url)
    assert _queries(client, url) == few


def test_the_detail_queries_do_not_grow(cast, world, appeal_a, new_appeal, advance, client_for, settings, tmp_path,
                                        django_assert_max_num_queries):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(cast.committee)
    small = advance(new_appeal(), "assigned")
    big = advance(appeal_a, "handling")
    for _n in range(2):
        do("request_extension", big, Actor.of(cast.handler), world)
        do("approve_extension", big, Actor.of(cast.committee), world)
    for step in ("reminder", "notice", "circular"):
        Escalation.objects.create(appeal=big, step=step, at=T, due_at=big.due_at)
    for n in range(3):
        attachments.attach(owner=big, upload=SimpleUploadedFile(f"材料{n}.pdf", b"%PDF-1.4 x"), actor=SYSTEM)
    few = _queries(client, reverse("service:appeal_detail", args=[small.pk]))
    with django_assert_max_num_queries(20):
        client.get(reverse("service:appeal_detail", args=[big.pk]))
    assert _queries(client, reverse("service:appeal_detail", args=[big.pk])) == few


def test_the_inbox_puts_overdue_first_and_no_due_date_last(cast, world, new_appeal, advance, client_for):
    committee = Actor.of(cast.committee)
    late = advance(new_appeal(title="逾期的"), "signed", at(2022, 10, 3))
    soon = advance(new_appeal(title="快到期的"), "assigned", at(2022, 10, 28))
    other = advance(new_appeal(title="别的单位的"), "accepted")
    services.appeal_assign(appeal=other, department=world.other_department, actor=committee, at=at(2022, 9, 26))
    new_appeal(title="未交办的")
    returned = advance(new_appeal(title="退回的"), "returned", at(2022, 10, 25))
    assert late and soon and returned
    with time_machine.travel("2022-10-31 10:00 +0800", tick=False):
        handler_page = client_for(cast.handler).get(reverse("service:inbox"))
        committee_page = client_for(cast.committee).get(reverse("service:inbox"),
                                                        {"department": world.department.pk})
        everyone = client_for(cast.committee).get(reverse("service:inbox"))
    # The returned one has left the department's hands: the committee decides (appeal list).
    assert titles(handler_page) == ["逾期的", "快到期的"]
    assert titles(committee_page) == ["逾期的", "快到期的"]
    assert titles(everyone) == ["别的单位的", "逾期的", "快到期的"]
    assert handler_page.content.decode().count("badge text-bg-danger") == 1
    assert "已签收 1" in handler_page.content.decode()
    narrowed = client_for(cast.handler).get(reverse("service:inbox"), {"state": "signed"})
    assert titles(narrowed) == ["逾期的"]


# --- staff intake ---------------------------------------------------------------------------------


def intake(world, **extra):
    return {"channel": "symposium", "enterprise": world.ent_a.pk, "raised_by": world.person_a.pk,
            "collected_by": world.member_a.pk, "collected_at": "2022-10-17T09:30", "category": "factors",
            "kind": "coordination", "is_pain_point": "on", "title": "用电增容审批慢",
            "description": "新厂房需增容 800kVA", "contact_name": "张经理", "contact_phone": "13712345678",
            "contact_consent": "on", **extra}


def test_the_committee_records_an_appeal_with_attachments(cast, world, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("现场照片.jpg", b"\xff\xd8\xff fake jpeg", content_type="image/jpeg")
    response = client_for(cast.committee).post(reverse("service:appeal_create"),
                                               intake(world, attachment=upload))
    appeal = Appeal.objects.get(title="用电增容审批慢")
    assert response.status_code == 302 and response["Location"] == reverse("service:appeal_detail", args=[appeal.pk])
    assert (appeal.state, appeal.channel, appeal.raised_by, appeal.collected_by) == (
        "collected", "symposium", world.person_a, world.member_a)
    assert appeal.nature_tags == ["痛点"] and appeal.contact_phone == "13712345678"
    assert [a.name for a in attachments.attachments_of(appeal)] == ["现场照片.jpg"]


def test_a_refused_attachment_saves_nothing_and_keeps_the_input(cast, world, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("病毒.exe", b"MZ", content_type="application/octet-stream")
    response = client_for(cast.committee).post(reverse("service:appeal_create"), intake(world, attachment=upload))
    page = response.content.decode()
    assert response.status_code == 200
    assert "“病毒.exe”的类型不允许" in page
    assert "用电增容审批慢" in page and "新厂房需增容 800kVA" in page
    assert not Appeal.objects.exists()


def test_a_bad_phone_is_named(cast, world, client_for):
    response = client_for(cast.committee).post(reverse("service:appeal_create"),
                                               intake(world, contact_phone="0738-123"))
    assert "联系电话格式不正确" in response.content.decode()
    assert not Appeal.objects.exists()


def test_a_secretary_records_for_their_own_member_enterprises_only(cast, world, client_for):
    client = client_for(cast.secretary_a)
    response = client.post(reverse("service:appeal_create"), intake(world, enterprise=world.ent_b.pk))
    assert response.status_code == 200 and not Appeal.objects.exists()
    response = client.post(reverse("service:appeal_create"), intake(world))
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert client.get(reverse("service:appeal_detail", args=[appeal.pk])).status_code == 200


def test_the_service_checks_who_records(cast, world):
    values = {"enterprise": world.ent_b, "channel": "visit", "category": "tax", "kind": "report", "title": "x",
              "collected_at": T}
    with pytest.raises(ValidationError) as exc:
        services.appeal_create(actor=Actor.of(cast.secretary_a), values=values)
    assert "不是您所联系商协会的会员企业" in exc.value.message_dict["enterprise"][0]
    with pytest.raises(PermissionDenied):
        services.appeal_create(actor=Actor.of(cast.handler), values=values)
    with pytest.raises(PermissionDenied):
        services.appeal_create(actor=Actor.of(cast.member_a), values=values)
    # A member records what they collected themselves (during a visit).
    own = services.appeal_create(actor=Actor.of(cast.member_a), values={**values, "collected_by": world.member_a})
    assert own.pk
    assert services.appeal_create(actor=Actor.of(cast.secretary_b), values=values).pk


# --- on-site assignment ---------------------------------------------------------------------------


@pytest.fixture
def mayor(world):
    PublicOffice.objects.create(person=world.person_b, title="市长", is_city_leader=True, since=date(2020, 1, 1),
                                until=date(2022, 12, 31))
    return world.person_b


def on_site_post(world, leader, picks, **extra):
    data = {"leader": leader.pk, "place": "涟源市民营企业座谈会", "on": "2022-10-17", "note": "限期办结",
            "pick": [a.pk for a, _d in picks]}
    for appeal, dept in picks:
        data[f"department_{appeal.pk}"] = dept.pk if dept else ""
    data.update(extra)
    return data


def test_a_leader_assigns_several_on_site_in_one_submit(cast, world, mayor, new_appeal, advance, client_for):
    one = new_appeal(title="一")
    two = advance(new_appeal(title="二"), "accepted")
    untouched = new_appeal(title="三")
    client = client_for(cast.leader)
    page = client.get(reverse("service:on_site"), {"appeal": one.pk}).content.decode()
    assert f'id="pick-{one.pk}" checked' in page and f'id="pick-{untouched.pk}">' in page
    response = client.post(reverse("service:on_site"), on_site_post(
        world, mayor, [(one, world.department), (two, world.other_department)]))
    assert response.status_code == 302
    for appeal, dept in ((one, world.department), (two, world.other_department)):
        appeal.refresh_from_db()
        assert (appeal.state, appeal.department, appeal.assigned_by) == ("assigned", dept, mayor)
        assert (appeal.assigned_place, appeal.assigned_on_site_on) == ("涟源市民营企业座谈会", date(2022, 10, 17))
        event = APPEAL_WORKFLOW.events(appeal).latest("id")
        assert (event.action, event.actor_user) == ("assign_on_site", cast.leader)
    untouched.refresh_from_db()
    assert untouched.state == "collected"


def test_on_site_is_all_or_nothing_with_errors_per_row(cast, world, mayor, new_appeal, advance, client_for):
    one = new_appeal(title="一")
    two = new_appeal(title="二")
    client = client_for(cast.committee)
    response = client.post(reverse("service:on_site"), on_site_post(world, mayor, [(one, world.department),
                                                                                  (two, None)]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "请为该诉求选择承办单位" in page and "涟源市民营企业座谈会" in page
    # Another row moved meanwhile: its error is shown and the other is not assigned either.
    advance(two, "assigned")
    response = client.post(reverse("service:on_site"), on_site_post(world, mayor, [(one, world.department),
                                                                                  (two, world.department)]))
    page = response.content.decode()
    assert "当前状态为“已交办”，不能执行“现场交办”" in page
    assert "有诉求未能交办，全部未执行" in page
    one.refresh_from_db()
    assert one.state == "collected" and not APPEAL_WORKFLOW.events(one).exists()


def test_on_site_needs_a_city_leader_on_the_day(cast, world, mayor, new_appeal, client_for):
    one = new_appeal()
    client = client_for(cast.leader)
    response = client.post(reverse("service:on_site"), on_site_post(world, mayor, [(one, world.department)],
                                                                    on="2023-03-01"))
    assert "李浙江在2023-03-01不是市领导" in response.content.decode()
    response = client.post(reverse("service:on_site"), on_site_post(world, mayor, [], place=""))
    page = response.content.decode()
    assert "请至少勾选一条要现场交办的诉求" in page and "请填写交办地点" in page
    one.refresh_from_db()
    assert one.state == "collected"


# --- the contact phone ----------------------------------------------------------------------------


@pytest.fixture
def with_phone(world, cast, advance):
    def make(consent=True):
        appeal = services.appeal_create(actor=SYSTEM, values={
            "enterprise": world.ent_a, "channel": "business_code", "category": "tax", "kind": "report",
            "title": "发票额度不足", "collected_at": T, "contact_name": "刘会计", "contact_phone": "13755556666",
            "contact_consent": consent})
        return advance(appeal, "assigned")

    return make


def test_the_phone_is_masked_and_the_handler_reveals_it_logged(cast, with_phone, client_for):
    appeal = with_phone()
    client = client_for(cast.handler)
    page = client.get(reverse("service:appeal_detail", args=[appeal.pk])).content.decode()
    assert "137****6666" in page and "13755556666" not in page
    assert "查看完整号码" in page
    response = client.post(reverse("service:appeal_phone", args=[appeal.pk]))
    assert response.status_code == 200 and "13755556666" in response.content.decode()
    event = SecurityEvent.objects.get(kind="unmasked_view")
    assert (event.user, event.target, event.detail) == (cast.handler, appeal.ref, {"field": "contact_phone"})


@pytest.mark.parametrize("who", ["committee", "leader", "instructor", "secretary_a"])
def test_others_may_not_reveal_the_phone(who, cast, with_phone, client_for):
    appeal = with_phone()
    client = client_for(getattr(cast, who))
    assert "查看完整号码" not in client.get(reverse("service:appeal_detail", args=[appeal.pk])).content.decode()
    assert client.post(reverse("service:appeal_phone", args=[appeal.pk])).status_code == 403
    assert not SecurityEvent.objects.filter(kind="unmasked_view").exists()


def test_without_consent_the_handler_may_not_but_the_permission_holder_may(cast, with_phone, client_for):
    appeal = with_phone(consent=False)
    assert client_for(cast.handler).post(reverse("service:appeal_phone", args=[appeal.pk])).status_code == 403
    cast.committee.user_permissions.add(Permission.objects.get(codename="view_full_personal_data"))
    response = client_for(cast.committee).post(reverse("service:appeal_phone", args=[appeal.pk]))
    assert response.status_code == 200 and "13755556666" in response.content.decode()
    assert SecurityEvent.objects.filter(kind="unmasked_view", user=cast.committee).count() == 1


# --- the menu -------------------------------------------------------------------------------------


@pytest.mark.parametrize("who, tabs", [
    ("committee", ["问题诉求", "承办收件箱", "现场交办"]),
    ("leader", ["问题诉求", "现场交办"]),
    ("handler", ["问题诉求", "承办收件箱"]),
    ("member_a", ["问题诉求"]),
])
def test_the_menu_and_the_tabs(who, tabs, cast, client_for):
    page = client_for(getattr(cast, who)).get(reverse("service:appeal_list")).content.decode()
    assert '<a class="nav-link active" href="/service/appeals/">第一要务</a>' in page
    nav = page.split('aria-label="第一要务"')[1].split("</nav>")[0]
    shown = re.findall(r'>([^<>]+)</a>', nav)
    assert [s for s in shown if s in ("问题诉求", "承办收件箱", "现场交办")] == tabs


@pytest.mark.parametrize("who", ["instructor", "secretary_a", "member_a", "handler", "sysadmin"])
def test_only_leaders_and_the_committee_assign_on_site(who, cast, world, mayor, new_appeal, client_for):
    one = new_appeal()
    response = client_for(getattr(cast, who)).post(reverse("service:on_site"),
                                                   on_site_post(world, mayor, [(one, world.department)]))
    assert response.status_code == 403
    one.refresh_from_db()
    assert one.state == "collected"

"""The appeal workflow: every action allowed or refused by state and by role,
the object-level department check, and the return and redo limits."""

from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError

from fourfirsts.core.actors import Actor
from fourfirsts.core.workflow import WorkflowError
from fourfirsts.registry.models import PublicOffice
from fourfirsts.service.models import Appeal
from fourfirsts.service.services import appeals as services
from fourfirsts.service.workflow import APPEAL_WORKFLOW
from tests.service.conftest import T, at, do

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
}
TARGETS = {
    "accept": "accepted", "decline": "declined", "assign": "assigned", "sign": "signed", "handle": "handling",
    "request_extension": "extension_requested", "approve_extension": "handling", "refuse_extension": "handling",
    "return": "returned", "reply": "replied", "rate": "closed", "reassign": "assigned",
}
MEMBERS = ["committee", "leader", "instructor", "secretary_a", "secretary_b", "member_a", "handler",
           "sysadmin", "secadmin", "auditadmin"]


@pytest.mark.parametrize("action", sorted(CASES))
@pytest.mark.parametrize("who", MEMBERS)
def test_each_action_by_role(action, who, cast, world, new_appeal, advance):
    state, allowed = CASES[action]
    appeal = advance(new_appeal(), state)
    user = getattr(cast, who)
    if who in allowed:
        do(action, appeal, Actor.of(user), world)
        appeal.refresh_from_db()
        assert appeal.state == TARGETS[action]
        event = APPEAL_WORKFLOW.events(appeal).latest("id")
        assert (event.action, event.actor_user, event.at) == (action, user, T)
    else:
        label = APPEAL_WORKFLOW.get(action).label
        with pytest.raises(WorkflowError) as exc:
            do(action, appeal, Actor.of(user), world)
        assert exc.value.messages == [f"{user.username}无权执行“{label}”"]
        appeal.refresh_from_db()
        assert appeal.state == state


@pytest.mark.parametrize("action", sorted(CASES))
def test_each_action_refused_in_the_wrong_state(action, cast, world, new_appeal, advance):
    state, allowed = CASES[action]
    wrong = "collected" if state != "collected" else "accepted"
    appeal = advance(new_appeal(), wrong)
    actor = Actor.of(getattr(cast, sorted(allowed)[0]))
    label = APPEAL_WORKFLOW.get(action).label
    with pytest.raises(WorkflowError) as exc:
        do(action, appeal, actor, world)
    wrong_label = APPEAL_WORKFLOW.state_label(wrong)
    assert exc.value.messages == [f"当前状态为“{wrong_label}”，不能执行“{label}”"]


def test_the_public_rates_through_the_tracking_link(cast, new_appeal, advance):
    appeal = advance(new_appeal(), "replied")
    services.appeal_rate_by_token(token=appeal.tracking_token, rating=Appeal.Rating.FAIRLY_SATISFIED,
                                  at=at(2022, 10, 18))
    appeal.refresh_from_db()
    assert (appeal.state, appeal.rating) == ("closed", "fairly_satisfied")
    assert appeal.close_days == 1  # assigned Mon 17 Oct, closed Tue 18 Oct
    event = APPEAL_WORKFLOW.events(appeal).latest("id")
    assert (event.actor_kind, event.actor_user) == ("public", None)


def test_the_public_cannot_act_for_the_committee(new_appeal):
    appeal = new_appeal()
    with pytest.raises(WorkflowError) as exc:
        services.appeal_accept(appeal=appeal, actor=Actor.public(), at=T)
    assert exc.value.messages == ["公众无权执行“受理”"]


def test_a_handler_of_another_department_is_refused(cast, world, new_appeal, advance, handler_other):
    appeal = advance(new_appeal(), "assigned")
    for action in ("sign",):
        with pytest.raises(WorkflowError) as exc:
            do(action, appeal, Actor.of(handler_other), world)
        assert exc.value.messages == ["该诉求不是交办给您所在承办单位的，不能执行“签收”"]
    appeal.refresh_from_db()
    assert appeal.state == "assigned"
    advance_to_handling = [("sign", cast.handler), ("handle", cast.handler)]
    for action, user in advance_to_handling:
        do(action, appeal, Actor.of(user), world)
    for action in ("reply", "return", "request_extension"):
        with pytest.raises(WorkflowError, match="不是交办给您所在承办单位"):
            do(action, appeal, Actor.of(handler_other), world)


def test_decline_needs_a_reason(cast, new_appeal):
    appeal = new_appeal()
    with pytest.raises(ValidationError):
        services.appeal_decline(appeal=appeal, reason=" ", actor=Actor.of(cast.committee), at=T)
    services.appeal_decline(appeal=appeal, reason="属于仲裁事项", actor=Actor.of(cast.committee), at=T)
    appeal.refresh_from_db()
    assert (appeal.state, appeal.decline_reason) == ("declined", "属于仲裁事项")


def test_return_at_most_twice_then_only_the_committee_reassigns(cast, world, new_appeal, advance):
    appeal = advance(new_appeal(), "returned")
    handler, committee = Actor.of(cast.handler), Actor.of(cast.committee)
    assert (appeal.return_count, appeal.return_basis) == (1, "《娄底市交通运输局职能配置规定》")
    with pytest.raises(WorkflowError, match="handler无权执行“重新交办”"):
        do("reassign", appeal, handler, world)
    do("reassign", appeal, committee, world, at(2022, 10, 18))
    assert appeal.assigned_at == at(2022, 10, 18)
    do("return", appeal, handler, world)
    assert (appeal.state, appeal.return_count) == ("returned", 2)
    do("reassign", appeal, committee, world)
    with pytest.raises(WorkflowError) as exc:
        do("return", appeal, handler, world)
    assert exc.value.messages == ["该诉求已退回 2 次，不能再退回，请商协会党委决定"]
    appeal.refresh_from_db()
    assert (appeal.state, appeal.return_count) == ("assigned", 2)


def test_unsatisfied_sends_it_back_at_most_twice_then_the_committee_closes(cast, world, new_appeal, advance):
    appeal = advance(new_appeal(), "replied")
    handler = Actor.of(cast.handler)
    for n in (1, 2):
        services.appeal_rate_by_token(token=appeal.tracking_token, rating=Appeal.Rating.UNSATISFIED, at=T)
        appeal.refresh_from_db()
        assert (appeal.state, appeal.redo_count, appeal.rating) == ("handling", n, "unsatisfied")
        do("reply", appeal, handler, world)
    services.appeal_rate(appeal=appeal, rating=Appeal.Rating.UNSATISFIED, actor=Actor.of(cast.committee),
                         note="电话回访：仍不满意", at=T)
    appeal.refresh_from_db()
    assert (appeal.state, appeal.redo_count) == ("rated", 2)
    with pytest.raises(WorkflowError, match="不能执行“答复”"):
        do("reply", appeal, handler, world)
    with pytest.raises(ValidationError):
        services.appeal_close(appeal=appeal, note="", actor=Actor.of(cast.committee), at=T)
    do("close", appeal, Actor.of(cast.committee), world, at(2022, 10, 19))
    appeal.refresh_from_db()
    assert (appeal.state, appeal.closed_at, appeal.close_days) == ("closed", at(2022, 10, 19), 2)
    actions = list(APPEAL_WORKFLOW.events(appeal).order_by("id").values_list("action", flat=True))
    assert actions[-6:] == ["redo", "reply", "redo", "reply", "rate_unsatisfied", "close"]


def test_close_unrated_after_the_rating_window(cast, world, new_appeal, advance):
    appeal = advance(new_appeal(), "handling", at(2022, 10, 10))
    do("reply", appeal, Actor.of(cast.handler), world, at(2022, 10, 17))
    assert services.close_unrated(at(2022, 10, 28, 20)) == []  # 9 working days after the reply
    assert services.close_unrated(at(2022, 10, 31, 23, 30)) == []  # the 10th: the enterprise may still rate
    closed = services.close_unrated(at(2022, 11, 1, 0, 30))  # the window has passed
    assert closed == [appeal]
    appeal.refresh_from_db()
    assert (appeal.state, appeal.rating, appeal.closed_at) == ("closed", "unrated", at(2022, 11, 1, 0, 30))
    assert appeal.close_days == 16
    event = APPEAL_WORKFLOW.events(appeal).latest("id")
    assert (event.action, event.actor_kind) == ("close_unrated", "system")
    assert services.close_unrated(at(2022, 11, 30)) == []


def test_assign_on_site_by_a_city_leader(cast, world, new_appeal):
    mayor = world.person_b
    PublicOffice.objects.create(person=mayor, title="市长", is_city_leader=True, since=date(2020, 1, 1))
    appeal = new_appeal()
    with pytest.raises(ValidationError):
        services.appeal_assign_on_site(appeal=appeal, department=world.department, leader=world.person_a,
                                       place="涟源市现场办公会", on=date(2022, 10, 17),
                                       actor=Actor.of(cast.leader), at=T)
    services.appeal_assign_on_site(appeal=appeal, department=world.department, leader=mayor,
                                   place="涟源市现场办公会", on=date(2022, 10, 17), actor=Actor.of(cast.leader),
                                   at=T)
    appeal.refresh_from_db()
    assert (appeal.state, appeal.assigned_by, appeal.assigned_place) == ("assigned", mayor, "涟源市现场办公会")
    assert appeal.due_at == at(2022, 10, 24, 23, 59).replace(second=59)
    with pytest.raises(WorkflowError, match="handler无权执行“现场交办”"):
        services.appeal_assign_on_site(appeal=new_appeal(), department=world.department, leader=mayor,
                                       place="x", on=date(2022, 10, 17), actor=Actor.of(cast.handler), at=T)


def test_on_site_entered_later_starts_the_clock_at_the_event(cast, world, new_appeal):
    mayor = world.person_b
    PublicOffice.objects.create(person=mayor, title="市长", is_city_leader=True, since=date(2020, 1, 1))
    appeal = new_appeal()  # collected 30 Sep 2022
    with pytest.raises(ValidationError, match="晚于今天"):
        services.appeal_assign_on_site(appeal=appeal, department=world.department, leader=mayor, place="座谈会",
                                       on=date(2022, 10, 18), actor=Actor.of(cast.committee), at=T)
    with pytest.raises(ValidationError, match="早于该诉求的收集日期"):
        services.appeal_assign_on_site(appeal=appeal, department=world.department, leader=mayor, place="座谈会",
                                       on=date(2022, 9, 29), actor=Actor.of(cast.committee), at=T)
    # Staff enter on Mon 17 Oct what the mayor assigned at Fri 14 Oct's symposium.
    services.appeal_assign_on_site(appeal=appeal, department=world.department, leader=mayor, place="民营企业座谈会",
                                   on=date(2022, 10, 14), actor=Actor.of(cast.committee), at=T)
    appeal.refresh_from_db()
    assert appeal.first_assigned_at == at(2022, 10, 14, 12)
    assert appeal.due_at == at(2022, 10, 21, 23, 59).replace(second=59)
    event = APPEAL_WORKFLOW.events(appeal).latest("id")
    assert datetime.fromisoformat(event.data["due_at"]) == appeal.due_at


def test_a_stale_copy_is_told_someone_else_acted(cast, new_appeal):
    appeal = new_appeal()
    stale = Appeal.objects.get(pk=appeal.pk)
    services.appeal_accept(appeal=appeal, actor=Actor.of(cast.committee), at=T)
    stale.state = "collected"
    with pytest.raises(WorkflowError, match="已被他人处理"):
        services.appeal_decline(appeal=stale, reason="重复", actor=Actor.of(cast.committee), at=T)


def test_an_appeal_cannot_be_collected_in_the_future(world):
    from datetime import timedelta

    from django.utils import timezone

    with pytest.raises(ValidationError, match="晚于现在"):
        services.appeal_create(actor=Actor.system("测试"), values={
            "enterprise": world.ent_a, "channel": "hotline", "category": "tax", "kind": "report",
            "title": "明天的诉求", "collected_at": timezone.now() + timedelta(hours=2)})
    assert not Appeal.objects.exists()


@pytest.mark.parametrize("who", MEMBERS)
def test_only_the_committee_records_an_unsatisfied_rating(who, cast, world, new_appeal, advance):
    """不满意 reopens it (重办) at first, and goes to the committee (不满意待定) after two redos."""
    user = getattr(cast, who)
    for redos, action, target in ((0, "redo", "handling"), (2, "rate_unsatisfied", "rated")):
        appeal = advance(new_appeal(), "replied")
        Appeal.objects.filter(pk=appeal.pk).update(redo_count=redos)
        appeal.refresh_from_db()
        def rate(appeal=appeal):
            services.appeal_rate(appeal=appeal, rating=Appeal.Rating.UNSATISFIED, note="电话回访：仍不满意",
                                 actor=Actor.of(user), at=T)

        if who == "committee":
            rate()
            appeal.refresh_from_db()
            assert (appeal.state, APPEAL_WORKFLOW.events(appeal).latest("id").action) == (target, action)
        else:
            with pytest.raises(WorkflowError) as exc:
                rate()
            assert exc.value.messages == [f"{user.username}无权执行“{APPEAL_WORKFLOW.get(action).label}”"]
            appeal.refresh_from_db()
            assert appeal.state == "replied"


@pytest.mark.parametrize("who", MEMBERS)
def test_nobody_closes_an_appeal_as_unrated_by_hand(who, cast, new_appeal, advance):
    appeal = advance(new_appeal(), "replied")
    with pytest.raises(WorkflowError) as exc:
        services.appeal_close_unrated(appeal=appeal, actor=Actor.of(getattr(cast, who)), at=at(2022, 12, 1))
    assert exc.value.messages == [f"{getattr(cast, who).username}无权执行“未评价办结”"]
    appeal.refresh_from_db()
    assert appeal.state == "replied"


@pytest.mark.parametrize("who", MEMBERS)
def test_on_site_assignment_is_entered_by_the_committee_or_a_leader(who, cast, world, new_appeal):
    mayor = world.person_b
    PublicOffice.objects.get_or_create(person=mayor, title="市长", is_city_leader=True, since=date(2020, 1, 1))
    appeal, user = new_appeal(), getattr(cast, who)
    assign = lambda: services.appeal_assign_on_site(  # noqa: E731
        appeal=appeal, department=world.department, leader=mayor, place="民营企业座谈会", on=date(2022, 10, 14),
        actor=Actor.of(user), at=T)
    if who in ("committee", "leader"):
        assign()
        appeal.refresh_from_db()
        assert (appeal.state, appeal.assigned_by) == ("assigned", mayor)
    else:
        with pytest.raises(WorkflowError) as exc:
            assign()
        assert exc.value.messages == [f"{user.username}无权执行“现场交办”"]
        appeal.refresh_from_db()
        assert appeal.state == "collected"

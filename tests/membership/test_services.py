"""Every DEV rule of rules.md §3, allowed and refused, with explicit dates."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fourfirsts.core.actors import Actor
from fourfirsts.membership import services, workflow
from fourfirsts.membership.models import Development
from fourfirsts.registry import services as reg
from fourfirsts.registry.models import PoliticalStatus, Post
from tests.conftest import make_person
from tests.membership.conftest import DATES, SYSTEM

pytestmark = pytest.mark.django_db


def refused(rule_text, fn, *args, **kwargs):
    with pytest.raises(ValidationError) as err:
        fn(*args, **kwargs)
    assert rule_text in str(err.value), str(err.value)


# --- the table -----------------------------------------------------------------------


def test_the_table_has_25_steps_in_5_stages():
    assert len(workflow.STEPS) == 25
    assert [s.order for s in workflow.STEPS] == list(range(1, 26))
    assert {s.group for s in workflow.STEPS} == {1, 2, 3, 4, 5}
    assert {s.code: s.sets_stage for s in workflow.STEPS if s.sets_stage} == {
        "1.1": "applicant", "2.3": "activist", "3.7": "candidate", "4.17": "probationary", "5.24": "full"}


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2020, 1, 31), 1, date(2020, 2, 29)),
    (date(2021, 1, 31), 1, date(2021, 2, 28)),
    (date(2021, 8, 31), 6, date(2022, 2, 28)),
    (date(2021, 12, 15), 3, date(2022, 3, 15)),
    (date(2020, 2, 29), 12, date(2021, 2, 28)),
])
def test_months_are_calendar_months_clamped_to_the_month_end(day, months, expected):
    assert services.add_months(day, months) == expected


# --- DEV-1 --------------------------------------------------------------------------


def test_dev1_applicant_of_18_may_apply_and_becomes_an_applicant(pipe):
    young = make_person("周青年", birth_date=date(2002, 1, 31), is_entrepreneur=True)
    dev = pipe.apply(person=young, applied_on=date(2020, 1, 31))
    young.refresh_from_db()
    assert dev.stage == "applicant" and dev.is_entrepreneur
    assert young.development_stage == "applicant"
    assert dev.steps.get().code == "1.1"


def test_dev1_a_day_short_of_18_is_refused(pipe):
    young = make_person("周青年", birth_date=date(2002, 2, 1))
    refused("DEV-1", pipe.apply, person=young, applied_on=date(2020, 1, 31))
    assert not Development.objects.exists()


def test_dev1_age_from_the_id_number_when_no_birth_date(pipe):
    from tests.conftest import _ric

    p = make_person("吴身份", id_number=_ric("430102", date(2003, 6, 1), 5))
    p.birth_date = None
    refused("DEV-1", pipe.apply, person=p, applied_on=date(2020, 1, 31))
    assert services.birth_date_of(p) == date(2003, 6, 1)


def test_dev1_unknown_age_is_refused(pipe):
    refused("DEV-1", pipe.apply, person=make_person("无生日"), applied_on=date(2020, 1, 31))


def test_one_application_per_person_and_not_for_members(pipe):
    pipe.apply()
    refused("已有入党申请记录", pipe.apply)
    refused("已是党员", pipe.apply, person=pipe.introducers[0])


# --- DEV-2 ------------------------------------------------------------------------------


def test_dev2_talk_on_the_clamped_month_end_is_allowed(pipe):
    dev = pipe.apply()  # 31 Jan 2020
    assert pipe.record(dev, "1.2", done_on=date(2020, 2, 29)).done_on == date(2020, 2, 29)


def test_dev2_talk_a_day_after_the_month_is_refused(pipe):
    dev = pipe.apply()
    refused("DEV-2", pipe.record, dev, "1.2", done_on=date(2020, 3, 1))


def test_talk_before_the_application_is_refused(pipe):
    dev = pipe.apply()
    refused("不能早于上一步", pipe.record, dev, "1.2", done_on=date(2020, 1, 30))


# --- order -----------------------------------------------------------------------------------------


def test_a_step_needs_the_previous_one(pipe):
    dev = pipe.apply()
    refused("请先完成上一步：1.2", pipe.record, dev, "2.3")
    pipe.record(dev, "1.2")
    refused("已记录", pipe.record, dev, "1.2")


def test_future_dates_are_refused(pipe):
    dev = pipe.apply()
    refused("晚于今天", pipe.record, dev, "1.2", done_on=date(2999, 1, 1))


# --- DEV-3 -------------------------------------------------------------------------------------


def test_dev3_activist_stage_and_contacts(pipe):
    dev = pipe.upto("2.4")
    assert dev.stage == "activist"
    refused("DEV-3：应指定 1 至 2 名培养联系人", pipe.record, dev, "2.5", people=[])
    refused("DEV-3", pipe.record, dev, "2.5", people=[pipe.world.member_a, *pipe.introducers])
    refused("本人不能", pipe.record, dev, "2.5", people=[dev.person])
    rec = pipe.record(dev, "2.5", people=[pipe.world.member_a, pipe.introducers[0]])
    assert rec.people.count() == 2


def test_dev3_candidate_no_earlier_than_a_year_after_activist(pipe):
    dev = pipe.upto("2.6")
    from fourfirsts.membership.models import Review

    Review.objects.all().delete()
    for day in (date(2020, 9, 1), date(2021, 3, 1)):
        services.review_record(actor=SYSTEM, development=dev, reviewed_on=day)
    refused("DEV-3：确定为入党积极分子 12 个月后", pipe.record, dev, "3.7", done_on=date(2021, 3, 9),
            notice_from=date(2021, 3, 1), notice_to=date(2021, 3, 8))
    rec = pipe.record(dev, "3.7", done_on=date(2021, 3, 10), notice_from=date(2021, 3, 1),
                      notice_to=date(2021, 3, 8))
    dev.refresh_from_db()
    dev.person.refresh_from_db()
    assert rec.done_on == date(2021, 3, 10) and dev.stage == "candidate"
    assert dev.person.development_stage == "candidate"


def test_dev3_six_monthly_reviews_are_required(pipe):
    dev = pipe.upto("2.6")
    services.review_record(actor=SYSTEM, development=dev, reviewed_on=date(2020, 9, 1))
    # 1 Sep 2020 → 15 Mar 2021 is more than 6 months without a review.
    refused("DEV-3：入党积极分子每 6 个月至少考察一次", pipe.record, dev, "3.7")


def test_dev3_reviews_only_while_activist(pipe, cast):
    dev = pipe.upto("1.2")
    committee = Actor.of(cast.committee)
    refused("DEV-3", services.review_record, actor=committee, development=dev, reviewed_on=date(2020, 5, 1))
    pipe.advance(dev, "2.3")
    refused("不能早于确定为入党积极分子", services.review_record, actor=committee, development=dev,
            reviewed_on=date(2020, 3, 9))
    assert services.review_record(actor=committee, development=dev, reviewed_on=date(2020, 9, 1))


# --- DEV-4 ------------------------------------------------------------------------------------------


def test_dev4_introducers_are_two_full_members_on_the_day(pipe, world):
    dev = pipe.upto("3.8")
    refused("DEV-4：入党介绍人应为 2 名", pipe.record, dev, "3.9", people=pipe.introducers[:1])
    refused("王会员 在 2021-04-01 不是中共党员", pipe.record, dev, "3.9",
            people=[pipe.introducers[0], world.member_a])
    probationer = make_person("郑预备", birth_date=date(1980, 1, 1))
    from fourfirsts.registry import services as reg

    reg.party_joining_record(actor=SYSTEM, person=probationer, joined_on=date(2021, 1, 1), full_on=date(2022, 1, 1))
    refused("郑预备 在 2021-04-01 不是中共党员", pipe.record, dev, "3.9", people=[pipe.introducers[0], probationer])
    assert pipe.record(dev, "3.9").people.count() == 2


@pytest.mark.parametrize(("days", "hours", "ok"), [(3, None, True), (None, 24, True), (2, 23, False), (None, None, False)])
def test_dev4_training_three_days_or_24_hours(pipe, days, hours, ok):
    dev = pipe.upto("3.10")
    if ok:
        assert pipe.record(dev, "3.11", training_days=days, training_hours=hours)
    else:
        refused("DEV-4：集中培训应不少于 3 天或 24 学时", pipe.record, dev, "3.11", training_days=days,
                training_hours=hours)


# --- DEV-5 -----------------------------------------------------------------------------------------------


def test_dev5_meeting_within_a_month_of_pre_review(pipe):
    dev = pipe.upto("4.14")  # pre-review 1 Jun 2021
    refused("DEV-5：上级党委预审通过后 1 个月内", pipe.record, dev, "4.15", done_on=date(2021, 7, 2))
    assert pipe.record(dev, "4.15", done_on=date(2021, 7, 1))


@pytest.mark.parametrize(("entitled", "present", "yes", "message"), [
    (10, 5, 5, "DEV-5：到会有表决权的党员应超过应到会人数的半数"),
    (10, 8, 5, "DEV-5：赞成票应超过应到会有表决权党员的半数"),
    (10, 6, 6, None),
    (9, 5, 5, None),
    (10, 8, 9, "赞成票数不能多于到会人数"),
    (None, None, None, "DEV-5：请填写"),
])
def test_dev5_quorum_and_majority(pipe, entitled, present, yes, message):
    dev = pipe.upto("4.14")
    kwargs = {"voters_entitled": entitled, "voters_present": present, "votes_yes": yes}
    if message:
        refused(message, pipe.record, dev, "4.15", **kwargs)
    else:
        assert pipe.record(dev, "4.15", **kwargs)


# --- DEV-6 ---------------------------------------------------------------------------------------------------


def test_dev6_approval_within_3_months_makes_a_probationary_member_from_the_meeting(pipe):
    dev = pipe.upto("4.16")  # branch meeting 25 Jun 2021
    pipe.record(dev, "4.17", done_on=date(2021, 9, 25))
    dev.refresh_from_db()
    status = PoliticalStatus.objects.get(person=dev.person)
    assert dev.stage == "probationary"
    assert (status.status, status.since, status.source) == ("02", date(2021, 6, 25), "pipeline")


def test_dev6_approval_after_3_months_needs_a_reason_and_after_6_is_refused(pipe):
    dev = pipe.upto("4.16")
    refused("DEV-6：支部大会后超过 3 个月审批，须填写理由", pipe.record, dev, "4.17", done_on=date(2021, 9, 26))
    refused("DEV-6", pipe.record, dev, "4.17", done_on=date(2021, 12, 26), delay_reason="上级党委换届")
    assert pipe.record(dev, "4.17", done_on=date(2021, 12, 25), delay_reason="上级党委换届").delay_reason


def test_dev6_oath_within_a_month_of_approval(pipe):
    dev = pipe.upto("5.19")  # approval 10 Aug 2021
    refused("DEV-6：审批后 1 个月内入党宣誓", pipe.record, dev, "5.20", done_on=date(2021, 9, 11))
    assert pipe.record(dev, "5.20", done_on=date(2021, 9, 10))


# --- DEV-7 ----------------------------------------------------------------------------------------------------


def test_dev7_full_membership_from_probation_end_within_3_months(pipe):
    dev = pipe.upto("5.23")  # meeting 25 Jun 2021 → probation ends 25 Jun 2022
    refused("DEV-7：预备期满（2022-06-25）", pipe.record, dev, "5.24", done_on=date(2022, 6, 24))
    refused("DEV-7", pipe.record, dev, "5.24", done_on=date(2022, 9, 26))
    pipe.record(dev, "5.24", done_on=date(2022, 9, 25))
    dev.refresh_from_db()
    dev.person.refresh_from_db()
    rows = list(PoliticalStatus.objects.filter(person=dev.person).values_list("status", "since", "until"))
    assert rows == [("02", date(2021, 6, 25), date(2022, 6, 24)), ("01", date(2022, 6, 25), None)]
    assert dev.stage == "full" and dev.person.development_stage == ""


def test_dev7_probation_extended_once_by_6_to_12_months(pipe):
    dev = pipe.upto("5.23")
    refused("DEV-7：预备期可延长 6 至 12 个月", services.probation_extend, actor=SYSTEM, development=dev,
            months=5, reason="考察不够")
    refused("延长预备期的理由", services.probation_extend, actor=SYSTEM, development=dev, months=6, reason=" ")
    services.probation_extend(actor=SYSTEM, development=dev, months=6, reason="需要继续考察")
    refused("DEV-7：预备期只能延长一次", services.probation_extend, actor=SYSTEM, development=dev, months=6,
            reason="再延")
    dev.refresh_from_db()
    # Probation now ends 25 Dec 2022.
    refused("DEV-7：预备期满（2022-12-25）", pipe.record, dev, "5.24", done_on=date(2022, 12, 24))
    pipe.record(dev, "5.24", done_on=date(2023, 3, 25))
    assert PoliticalStatus.objects.get(person=dev.person, status="01").since == date(2022, 12, 25)


def test_dev7_extension_only_for_probationary_members(pipe):
    dev = pipe.upto("4.16")
    refused("DEV-7：只有预备党员", services.probation_extend, actor=SYSTEM, development=dev, months=6, reason="x")


# --- DEV-8 --------------------------------------------------------------------------------------------------------


def test_dev8_notice_of_five_working_days_before_candidate(pipe):
    dev = pipe.upto("2.6")
    for day in (date(2020, 9, 1), date(2021, 3, 1)):
        services.review_record(actor=SYSTEM, development=dev, reviewed_on=day)
    # Mon 8 – Thu 11 Mar 2021: four working days.
    refused("DEV-8：公示应不少于 5 个工作日，2021-03-08 至 2021-03-11 只有 4 个", pipe.record, dev, "3.7",
            notice_from=date(2021, 3, 8), notice_to=date(2021, 3, 11))
    refused("DEV-8：公示应在本步骤之前结束", pipe.record, dev, "3.7", notice_from=date(2021, 3, 8),
            notice_to=date(2021, 3, 15))
    refused("DEV-8：请填写", pipe.record, dev, "3.7", notice_from=None, notice_to=None)
    assert pipe.record(dev, "3.7", notice_from=date(2021, 3, 8), notice_to=date(2021, 3, 12))


def test_dev8_notice_counts_working_days_around_a_holiday(pipe):
    # 2022 Dragon Boat: Fri 3 Jun is a holiday; Wed 1 – Tue 7 Jun has 4 working days.
    assert services.notice_workdays(date(2022, 6, 1), date(2022, 6, 7)) == 4
    dev = pipe.upto("5.22")
    refused("DEV-8", pipe.record, dev, "5.23", notice_from=date(2022, 6, 1), notice_to=date(2022, 6, 7))
    assert pipe.record(dev, "5.23", notice_from=date(2022, 6, 1), notice_to=date(2022, 6, 8))


# --- who may record -----------------------------------------------------------------------------------------------


def test_secretary_records_own_org_but_not_the_higher_committees_steps(pipe, cast, world):
    sec_a, sec_b = Actor.of(cast.secretary_a), Actor.of(cast.secretary_b)
    in_scope_of_a(pipe.applicant, world)
    with pytest.raises(PermissionDenied):
        pipe.apply(actor=sec_b)
    dev = pipe.apply(actor=sec_a)
    with pytest.raises(PermissionDenied):
        pipe.record(dev, "1.2", actor=sec_b)
    with pytest.raises(PermissionDenied):
        pipe.record(dev, "1.2", actor=Actor.of(cast.member_a))
    pipe.record(dev, "1.2", actor=sec_a)
    pipe.advance(dev, "4.12")
    with pytest.raises(PermissionDenied):
        pipe.record(dev, "4.13", actor=sec_a)
    assert pipe.record(dev, "4.13", actor=Actor.of(cast.committee)).actor_user == cast.committee


def test_a_named_person_may_be_recorded_as_who_acted(pipe, world):
    dev = pipe.apply()
    rec = pipe.record(dev, "1.2", acted_by=world.person_a, note="谈话")
    assert (rec.actor_person, rec.actor_label, rec.actor_user) == (world.person_a, "张安徽", None)


def test_the_whole_pipeline_and_the_plan(pipe):
    dev = pipe.upto("5.25")
    records = services.records_of(dev)
    assert set(records) == set(workflow.CODES) and dev.last_code == "5.25"
    assert all(r["state"] == "done" for r in services.plan(dev, records, DATES["5.25"]))


def test_the_plan_shows_the_next_step_and_what_blocks_it(pipe):
    dev = pipe.upto("2.6")
    records = services.records_of(dev)
    rows = {r["step"].code: r for r in services.plan(dev, records, date(2020, 10, 1))}
    assert rows["2.6"]["state"] == "done"
    assert rows["3.7"]["state"] == "blocked" and "最早 2021-03-10" in rows["3.7"]["hint"]
    assert rows["3.8"]["state"] == "waiting"
    rows = {r["step"].code: r for r in services.plan(dev, records, date(2021, 3, 10))}
    assert rows["3.7"]["state"] == "next"
    talk = services.plan(pipe_dev := pipe.apply(person=make_person("钱新", birth_date=date(1990, 1, 1))),
                         services.records_of(pipe_dev), date(2020, 3, 1))
    assert talk[1]["state"] == "overdue" and "DEV-2" in talk[1]["hint"]


def test_the_intervals_are_dated_settings(pipe):
    from fourfirsts.core import rules

    rules.setting_change(key="membership.talk_months", raw="2", effective_from=date(2020, 6, 1), actor=SYSTEM)
    early = pipe.apply()  # 31 Jan 2020: the rule then was 1 month
    refused("DEV-2：收到入党申请书后 1 个月内", pipe.record, early, "1.2", done_on=date(2020, 3, 2))
    later = pipe.apply(person=make_person("冯后来", birth_date=date(1990, 1, 1)), applied_on=date(2020, 7, 31))
    assert pipe.record(later, "1.2", done_on=date(2020, 9, 30))


# --- whom an actor may name -------------------------------------------------------------------------------------


def in_scope_of_a(person, world):
    """A post in association A (covered by org A) puts the person in secretary A's scope."""
    reg.dated_link_save(actor=SYSTEM, model=Post, values={"person": person, "association": world.assoc_a,
                                                          "title": "会员", "since": date(2019, 1, 1)})


def test_a_secretary_applies_only_for_people_in_their_scope(pipe, cast, world):
    sec_b = Actor.of(cast.secretary_b)
    in_scope_of_a(pipe.applicant, world)  # A's, not B's
    refused("申请人 陈申请 不在您的管理范围内", pipe.apply, actor=sec_b, org=world.org_b)
    assert not Development.objects.exists()
    assert pipe.apply(actor=Actor.of(cast.secretary_a), person=pipe.applicant).party_org == world.org_a


def test_contacts_and_introducers_must_be_in_the_actors_scope(pipe, cast, world):
    sec_a = Actor.of(cast.secretary_a)
    dev = pipe.upto("2.4")
    refused("培养联系人 李浙江 不在您的管理范围内", pipe.record, dev, "2.5", actor=sec_a, people=[world.person_b])
    pipe.record(dev, "2.5", actor=sec_a, people=[world.member_a])
    dev = pipe.advance(dev, "3.8")
    refused("入党介绍人 刘介绍、孙介绍 不在您的管理范围内", pipe.record, dev, "3.9", actor=sec_a)
    for person in pipe.introducers:
        in_scope_of_a(person, world)
    assert pipe.record(dev, "3.9", actor=sec_a).people.count() == 2


def test_the_pipeline_writes_the_registry_only_for_actors_who_keep_the_person(pipe, cast, world):
    person, sec_b = world.member_a, Actor.of(cast.secretary_b)
    with pytest.raises(PermissionDenied):
        reg.development_stage_from_pipeline(actor=sec_b, person=person, stage="applicant")
    with pytest.raises(PermissionDenied):
        reg.political_status_from_pipeline(actor=sec_b, person=person, status="02", since=date(2021, 6, 25))
    reg.development_stage_from_pipeline(actor=Actor.of(cast.secretary_a), person=person, stage="applicant")
    refused("发展阶段", reg.development_stage_from_pipeline, actor=SYSTEM, person=person, stage="boss")
    person.refresh_from_db()
    assert person.development_stage == "applicant"


def test_dev7_extension_only_from_the_full_membership_meeting_in_time(pipe):
    dev = pipe.upto("4.17")
    refused("DEV-7：延长预备期由讨论转正的支部大会（5.23）决定", services.probation_extend, actor=SYSTEM,
            development=dev, months=6, reason="继续考察")
    dev = pipe.advance(dev, "5.22")
    # Probation ends 25 Jun 2022; full membership due by 25 Sep 2022: a meeting after that is too late.
    pipe.record(dev, "5.23", done_on=date(2022, 9, 26))
    refused("DEV-7：支部大会（2022-09-26）已晚于转正审批期限（2022-09-25）", services.probation_extend,
            actor=SYSTEM, development=dev, months=6, reason="继续考察")
    dev.refresh_from_db()
    assert dev.extension_months == 0


def test_an_extension_is_carried_by_the_5_23_record(pipe):
    dev = pipe.upto("5.23")
    services.probation_extend(actor=SYSTEM, development=dev, months=6, reason="需要继续考察")
    meeting = dev.steps.get(code="5.23")
    assert (meeting.extension_months, meeting.extension_reason) == (6, "需要继续考察")

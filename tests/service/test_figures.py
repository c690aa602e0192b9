"""F04–F07 and F27–F31 count exactly what figures.md says, on the dated facts
of the day of each event, for the federation and for one secretary's scope."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from fourfirsts.core import figures
from fourfirsts.core.access import scope_of
from fourfirsts.core.actors import Actor
from fourfirsts.core.models import WorkflowEvent
from fourfirsts.registry import services as reg
from fourfirsts.registry.models import EnterpriseMembership, PoliticalStatus, PublicOffice
from fourfirsts.service import figures as service_figures
from fourfirsts.service.models import Appeal, Visit
from fourfirsts.service.services import appeals as services
from fourfirsts.service.services import members
from tests.agenda.conftest import SYSTEM
from tests.conftest import _uscc, make_person
from tests.service.conftest import at

C = Appeal.Category
R = Appeal.Rating
SERVICE_FIGURES = ("F04", "F05", "F06", "F07", "F27", "F28", "F29", "F30", "F31")


def value(fid, year, who=None, today=date(2026, 11, 27)):
    return figures.get(fid).evaluate(who, year, today)


def party(person, status=PoliticalStatus.Status.CPC_MEMBER, since=date(2010, 7, 1), until=None):
    PoliticalStatus.objects.create(person=person, status=status, since=since, until=until,
                                   source=PoliticalStatus.Source.PRE_SYSTEM)


def enterprise(n, name, memberships=()):
    ent = reg.enterprise_save(actor=SYSTEM, values={"name": name, "uscc": _uscc(n), "industry": "C"})
    for assoc, since, until in memberships:
        reg.dated_link_save(actor=SYSTEM, model=EnterpriseMembership,
                            values={"enterprise": ent, "association": assoc, "since": since, "until": until})
    return ent


def visit(visitor, ent, day, channel=Visit.Channel.ON_SITE, entered_by=None):
    created = Visit.objects.create(visitor=visitor, enterprise=ent, visited_on=day, channel=channel,
                                   entered_by=entered_by)
    members.mark_saved_visit(created)  # as visit_create does
    return created


def appeal(ent, collected_at, category=C.LOGISTICS, raised_by=None, **flags):
    return services.appeal_create(actor=Actor.system("测试"), values={
        "enterprise": ent, "raised_by": raised_by, "channel": Appeal.Channel.VISIT, "category": category,
        "kind": Appeal.Kind.COORDINATION, "title": "货车通行证办理难", "collected_at": collected_at, **flags})


@pytest.fixture
def staff(cast, world):
    """Steps of an appeal's life at explicit times, as the committee and the handler take them."""
    committee, handler = Actor.of(cast.committee), Actor.of(cast.handler)

    class Staff:
        @staticmethod
        def assign(a, when):
            services.appeal_accept(appeal=a, actor=committee, at=when)
            services.appeal_assign(appeal=a, department=world.department, actor=committee, at=when)
            services.appeal_sign(appeal=a, actor=handler, at=when)
            services.appeal_handle(appeal=a, actor=handler, at=when)
            return a

        @staticmethod
        def reply(a, when):
            return services.appeal_reply(appeal=a, reply="已协调办理", actor=handler, at=when)

        @staticmethod
        def rate(a, when, rating=R.SATISFIED):
            return services.appeal_rate(appeal=a, rating=rating, actor=committee, at=when)

        @staticmethod
        def close(a, assigned, closed):
            Staff.assign(a, assigned)
            Staff.reply(a, closed)
            return Staff.rate(a, closed)

        @staticmethod
        def extend(a, when, days=5):
            services.appeal_request_extension(appeal=a, days=days, reason="需要省厅协调", actor=handler, at=when)
            return services.appeal_approve_extension(appeal=a, actor=committee, at=when)

        @staticmethod
        def decline(a, when):
            return services.appeal_decline(appeal=a, reason="属于司法程序中的事项", actor=committee, at=when)

        @staticmethod
        def on_site(a, leader, on):
            when = datetime.combine(on, at(2022, 1, 1).timetz())
            return services.appeal_assign_on_site(appeal=a, department=world.department, leader=leader,
                                                  place="现场办公会", on=on, actor=committee, at=when)

    return Staff


# --- F04 ------------------------------------------------------------------------------------


def test_f04_counts_distinct_visitors_party_members_on_the_day_visiting_a_member_enterprise(world, cast):
    ended = enterprise(3, "娄底旧会员商贸有限公司", [(world.assoc_a, date(2016, 1, 1), date(2022, 3, 31))])
    party(world.person_a)
    party(world.person_b)
    party(world.member_a, PoliticalStatus.Status.CPC_PROBATIONARY, since=date(2022, 7, 1))
    # Entered by committee staff: the visitor counts, not whoever typed it.
    visit(world.person_a, world.ent_a, date(2022, 5, 1), entered_by=cast.committee)
    visit(world.person_a, world.ent_b, date(2022, 6, 1), Visit.Channel.PHONE)  # the same person again
    visit(world.member_a, world.ent_a, date(2022, 6, 30))  # 预备党员 only from 1 July
    visit(world.person_b, ended, date(2022, 4, 1))  # membership ended 31 March
    visit(world.person_b, world.ent_b, date(2021, 12, 31))  # the year before
    visit(world.instructor, world.ent_a, date(2022, 5, 2))  # not a party member
    result = value("F04", 2022)
    assert result.value == 1
    assert figures.get("F04").display(result) == "1名"
    assert [(v.visitor.name, v.visited_on) for v in figures.get("F04").records(None, 2022)] == [
        ("张安徽", date(2022, 5, 1)), ("张安徽", date(2022, 6, 1))]

    visit(world.member_a, world.ent_a, date(2022, 7, 1))  # 预备党员 that day
    visit(world.person_b, ended, date(2022, 3, 31))  # still a member that day
    assert value("F04", 2022).value == 3
    assert value("F04", 2021).value == 1
    # A secretary counts the visits to their associations' enterprises.
    # 张安徽 and 王会员 at 安徽建材, and 李浙江 at the firm that was A's member on 31 March.
    assert value("F04", 2022, cast.secretary_a).value == 3
    assert value("F04", 2022, cast.secretary_b).value == 1  # 张安徽 at 浙商物流


def test_f04_a_party_membership_that_ended_before_the_visit_does_not_count(world):
    party(world.person_a, since=date(2000, 1, 1), until=date(2022, 2, 28))
    visit(world.person_a, world.ent_a, date(2022, 3, 1))
    assert value("F04", 2022).value == 0


def test_the_member_mark_follows_each_write_that_changes_it(world):
    """F04, F06 and F07 count the rows whose enterprise was a member on their day,
    a mark stored on the row: creating a row, saving a membership and moving a
    visit to another enterprise each set it again."""
    from fourfirsts.service.services import visits

    def marks(*rows):
        return tuple(type(r).objects.get(pk=r.pk).member_on_day for r in rows)

    firm = enterprise(5, "娄底新会员商贸有限公司")
    other = enterprise(6, "娄底另一商贸有限公司")
    problem = appeal(firm, at(2022, 3, 1))
    seen = visits.visit_create(actor=SYSTEM, values={
        "visitor": world.person_a, "enterprise": firm, "channel": Visit.Channel.ON_SITE,
        "visited_on": date(2022, 3, 2)})
    assert marks(problem, seen) == (False, False)  # not a member yet
    joined = reg.dated_link_save(actor=SYSTEM, model=EnterpriseMembership, values={
        "enterprise": firm, "association": world.assoc_a, "since": date(2022, 1, 1), "until": None})
    assert marks(problem, seen) == (True, True)  # a membership recorded afterwards, dated before them
    reg.dated_link_save(actor=SYSTEM, model=EnterpriseMembership, values={"since": date(2022, 4, 1)},
                        instance=joined)
    assert marks(problem, seen) == (False, False)  # corrected: it began in April
    reg.dated_link_save(actor=SYSTEM, model=EnterpriseMembership, values={"since": date(2022, 1, 1)},
                        instance=joined)
    assert marks(problem, seen) == (True, True)
    reg.dated_link_save(actor=SYSTEM, model=EnterpriseMembership, values={"enterprise": other}, instance=joined)
    assert marks(problem, seen) == (False, False)  # the membership was another firm's: the one it left re-marked
    visits.visit_update(actor=SYSTEM, visit=seen, values={"enterprise": other})
    assert marks(seen) == (True,)  # the visit moved to the member firm
    assert appeal(other, at(2022, 5, 1)).member_on_day is True


def test_the_migration_marks_what_the_services_mark(world):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("fourfirsts.service.migrations.0009_member_on_day")
    ended = enterprise(7, "娄底退会商贸有限公司", [(world.assoc_a, date(2016, 1, 1), date(2022, 3, 31))])
    rows = [appeal(world.ent_a, at(2022, 5, 1)), appeal(ended, at(2022, 3, 31)), appeal(ended, at(2022, 4, 1)),
            visit(world.person_a, ended, date(2022, 3, 31)), visit(world.person_a, ended, date(2022, 4, 1))]
    marked = [r.member_on_day for r in rows]
    assert marked == [True, True, False, True, False]
    Appeal.objects.update(member_on_day=False)
    Visit.objects.update(member_on_day=False)
    migration.mark(apps, None)
    assert [type(r).objects.get(pk=r.pk).member_on_day for r in rows] == marked


def test_f04_shows_an_approximate_count(world):
    party(world.person_a)
    visitors = [make_person(f"走访人{i:03d}") for i in range(173)]
    PoliticalStatus.objects.bulk_create([
        PoliticalStatus(person=p, status="01", since=date(2015, 1, 1), source="pre_system") for p in visitors])
    Visit.objects.bulk_create([
        Visit(visitor=p, enterprise=world.ent_a, visited_on=date(2022, 8, 1), ref=f"V{i:04d}")
        for i, p in enumerate(visitors)])
    members.refresh()  # rows written in bulk are marked as the generator marks them
    result = value("F04", 2022)
    assert result.value == 173
    assert figures.get("F04").display(result) == "170余名"


# --- F05 --------------------------------------------------------------------------------------


def test_f05_counts_visits_and_contacts_of_the_year_by_channel(world, cast):
    stranger = enterprise(4, "非会员科技有限公司")
    visit(world.person_a, world.ent_a, date(2022, 1, 1))
    visit(world.person_a, world.ent_a, date(2022, 12, 31), Visit.Channel.PHONE)
    visit(world.member_a, world.ent_b, date(2022, 6, 1), Visit.Channel.WECHAT)
    visit(world.member_a, stranger, date(2022, 6, 2), Visit.Channel.WECHAT)
    visit(world.person_a, world.ent_a, date(2021, 12, 31))
    visit(world.person_a, world.ent_a, date(2023, 1, 1))
    result = value("F05", 2022)
    assert result.value == 4
    assert result.parts == {"上门走访": 1, "电话": 1, "微信": 2, "其他": 0}
    assert figures.get("F05").display(result) == "4次"
    assert value("F05", 2022, cast.secretary_a).value == 2
    assert [v.visited_on for v in figures.get("F05").records(cast.secretary_b, 2022)] == [date(2022, 6, 1)]


# --- F06 and F07 ------------------------------------------------------------------------------------


def test_f06_counts_appeals_of_member_enterprises_on_the_local_collection_date(world, cast, staff):
    ended = enterprise(3, "娄底旧会员商贸有限公司", [(world.assoc_a, date(2016, 1, 1), date(2022, 3, 31))])
    stranger = enterprise(4, "非会员科技有限公司")
    appeal(world.ent_a, at(2022, 1, 1, 0, 30), C.FUNDING, is_blockage=True)
    # 23:30 in Shanghai on 31 Dec is 15:30 UTC: still 2022.
    appeal(world.ent_a, datetime(2022, 12, 31, 15, 30, tzinfo=UTC), C.TAX, is_pain_point=True, is_difficulty=True)
    appeal(world.ent_b, at(2022, 6, 1), C.FUNDING, is_blockage=True, is_pain_point=True)
    staff.decline(appeal(world.ent_b, at(2022, 6, 2), C.LEGAL), at(2022, 6, 3))  # any state counts
    appeal(ended, at(2022, 3, 31, 23, 30))  # a member that (local) day
    appeal(ended, at(2022, 4, 1, 0, 30))  # 31 March in UTC, but 1 April here: no longer a member
    appeal(stranger, at(2022, 6, 1))  # never a member
    appeal(world.ent_a, datetime(2022, 12, 31, 16, 30, tzinfo=UTC))  # 00:30 on 1 Jan 2023 here
    appeal(world.ent_a, at(2021, 12, 31, 23, 30))
    result = value("F06", 2022)
    assert result.value == 5
    assert result.parts["by_nature"] == {"堵点": 2, "痛点": 2, "难点": 1}
    assert {k: v for k, v in result.parts["by_category"].items() if v} == {"资金周转": 2, "税收": 1, "法律": 1,
                                                                           "物流运输": 1}
    assert len(result.parts["by_category"]) == 11
    assert figures.get("F06").display(result) == "5件"
    assert value("F06", 2023).value == 1
    assert value("F06", 2021).value == 1
    assert value("F06", 2022, cast.secretary_a).value == 3  # with the one of 31 March: A's member that day
    assert value("F06", 2022, cast.secretary_b).value == 2
    rows = figures.get("F06").records(None, 2022)
    assert [a.collected_at for a in rows][-1] == at(2022, 12, 31, 23, 30)
    assert figures.get("F06").as_json(result)["parts"]["by_nature"]["堵点"] == 2


def test_f07_on_site_assignments_by_a_city_leader_that_day_and_distinct_raisers(world, cast, staff):
    mayor, deputy = world.person_b, make_person("刘副市长")
    PublicOffice.objects.create(person=mayor, title="市长", is_city_leader=True, since=date(2020, 1, 1))
    office = PublicOffice.objects.create(person=deputy, title="副市长", is_city_leader=True, since=date(2020, 1, 1))
    raised = [appeal(world.ent_a, at(2022, 5, 1), raised_by=world.person_a),
              appeal(world.ent_a, at(2022, 5, 2), raised_by=world.person_a),
              appeal(world.ent_b, at(2022, 5, 3), raised_by=world.member_a)]
    for a in raised:
        staff.on_site(a, mayor, date(2022, 5, 10))
    by_deputy = appeal(world.ent_b, at(2022, 5, 4), raised_by=world.instructor)
    staff.on_site(by_deputy, deputy, date(2022, 5, 10))
    staff.assign(appeal(world.ent_b, at(2022, 5, 5), raised_by=world.instructor), at(2022, 5, 10))  # not on site
    last_year = appeal(world.ent_a, at(2021, 12, 20), raised_by=world.instructor)  # not of 2022's F06
    staff.on_site(last_year, mayor, date(2022, 1, 5))
    assert value("F07", 2022).value == 4
    # The office record is corrected: the deputy took office only in June, so
    # on 10 May the assignment was not made by a city leader.
    office.since = date(2022, 6, 1)
    office.save()
    result = value("F07", 2022)
    assert (result.value, result.parts) == (3, {"raisers": 2})
    assert figures.get("F07").display(result) == "3件"
    assert figures.get("F07").as_json(result)["parts"] == {"raisers": 2}
    assert value("F07", 2022, cast.secretary_a).parts == {"raisers": 1}
    assert value("F07", 2022, cast.secretary_a).value == 2
    assert [a.pk for a in figures.get("F07").records(None, 2022)] == [a.pk for a in raised]


# --- F27–F31 ---------------------------------------------------------------------------------------------


def test_f27_share_of_appeals_assigned_in_the_year_replied_by_the_report_date(world, cast, staff):
    replied = staff.assign(appeal(world.ent_a, at(2022, 10, 1)), at(2022, 10, 17))
    staff.reply(replied, at(2022, 10, 20))
    late = staff.assign(appeal(world.ent_a, at(2022, 12, 1)), at(2022, 12, 28))
    staff.reply(late, at(2023, 1, 4))  # after the report date
    redone = staff.assign(appeal(world.ent_b, at(2022, 10, 1)), at(2022, 11, 1))
    staff.reply(redone, at(2022, 11, 3))
    staff.rate(redone, at(2022, 12, 29), R.UNSATISFIED)  # 重办
    staff.reply(redone, at(2023, 1, 5))  # the stored reply time moves into 2023; it was replied in 2022
    staff.assign(appeal(world.ent_b, at(2022, 12, 1)), at(2023, 1, 3))  # assigned in 2023
    appeal(world.ent_a, at(2022, 6, 1))  # never assigned
    result = value("F27", 2022)
    assert result.parts == {"numerator": 2, "denominator": 3}
    assert result.value == Decimal("66.7")
    assert figures.get("F27").display(result) == "66.7%"
    assert value("F27", 2023).parts == {"numerator": 0, "denominator": 1}
    # While 2022 ran: on 30 Dec the reply of January was still to come; on 19 Oct none had come.
    assert value("F27", 2022, today=date(2022, 12, 30)).parts == {"numerator": 2, "denominator": 3}
    assert value("F27", 2022, today=date(2022, 10, 19)).parts == {"numerator": 0, "denominator": 3}
    assert [a.replied for a in figures.get("F27").records(None, 2022)] == [True, True, False]
    assert value("F27", 2022, cast.secretary_a).parts == {"numerator": 1, "denominator": 2}
    assert figures.get("F27").display(value("F27", 2020)) == "—"


def test_f28_share_of_appeals_collected_in_the_year_closed_by_the_report_date(world, cast, staff):
    staff.close(appeal(world.ent_a, at(2022, 10, 1)), at(2022, 10, 17), at(2022, 10, 20))
    staff.close(appeal(world.ent_b, at(2022, 12, 1)), at(2022, 12, 5), at(2023, 1, 6))  # closed after
    staff.decline(appeal(world.ent_b, at(2022, 6, 1)), at(2022, 6, 2))  # declined: not one to close
    staff.assign(appeal(world.ent_a, at(2022, 11, 1)), at(2022, 11, 2))  # still open
    staff.close(appeal(world.ent_a, at(2021, 12, 1)), at(2021, 12, 2), at(2022, 1, 5))  # collected in 2021
    result = value("F28", 2022)
    assert result.parts == {"numerator": 1, "denominator": 3}
    assert figures.get("F28").display(result) == "33.3%"
    assert value("F28", 2021).parts == {"numerator": 0, "denominator": 1}  # closed only in January
    assert value("F28", 2022, cast.secretary_b).parts == {"numerator": 0, "denominator": 1}
    drill = figures.get("F28").records(None, 2022)
    assert [(a.state, a.closed) for a in drill] == [("closed", True), ("handling", False), ("closed", False)]


def test_f29_satisfied_share_of_the_ratings_given_in_the_year(world, cast, staff):
    staff.close(appeal(world.ent_a, at(2022, 3, 1)), at(2022, 3, 2), at(2022, 3, 10))  # 满意
    fair = staff.assign(appeal(world.ent_a, at(2022, 4, 1)), at(2022, 4, 2))
    staff.reply(fair, at(2022, 4, 6))
    staff.rate(fair, at(2022, 4, 8), R.FAIRLY_SATISFIED)
    redone = staff.assign(appeal(world.ent_b, at(2022, 5, 1)), at(2022, 5, 2))
    staff.reply(redone, at(2022, 5, 6))
    staff.rate(redone, at(2022, 5, 9), R.UNSATISFIED)  # a rating given: 重办
    staff.reply(redone, at(2022, 5, 20))
    staff.rate(redone, at(2022, 5, 23))  # and another
    unrated = staff.assign(appeal(world.ent_b, at(2022, 10, 1)), at(2022, 10, 10))
    staff.reply(unrated, at(2022, 11, 1))
    assert services.close_unrated(at(2022, 11, 30)) == [unrated]  # 未评价 is not a rating given
    staff.close(appeal(world.ent_a, at(2022, 12, 1)), at(2022, 12, 2), at(2023, 1, 4))  # rated in 2023
    # An appeal imported closed, with its rating but no recorded steps.
    imported = appeal(world.ent_b, at(2022, 2, 1))
    Appeal.objects.filter(pk=imported.pk).update(state="closed", rating=R.FAIRLY_SATISFIED,
                                                  rated_at=at(2022, 2, 20), closed_at=at(2022, 2, 20))
    # The rating service marks what it records a step for; F29 counts the stored rating of the rest.
    marked = set(Appeal.objects.filter(rating_in_history=True).values_list("pk", flat=True))
    assert {fair.pk, redone.pk} <= marked and imported.pk not in marked and unrated.pk not in marked
    result = value("F29", 2022)
    assert result.parts == {"numerator": 4, "denominator": 5}
    assert figures.get("F29").display(result) == "80.0%"
    assert value("F29", 2023).parts == {"numerator": 1, "denominator": 1}
    assert value("F29", 2022, cast.secretary_b).parts == {"numerator": 2, "denominator": 3}
    rows = figures.get("F29").records(None, 2022)
    assert [(r.appeal.pk, str(c.value(r))) for r in rows for c in figures.get("F29").columns[3:4]] == [
        (imported.pk, "基本满意"), (rows[1].appeal.pk, "满意"), (fair.pk, "基本满意"),
        (redone.pk, "不满意"), (redone.pk, "满意")]


def test_f30_median_working_days_from_first_assignment_to_closing(world, cast, staff):
    # Assigned on Sat 1 Oct 2022 (国庆): treated as Sat 8 Oct, a 调休 working day,
    # not counted; 9 Oct (调休) to Thu 13 Oct: 5 working days.
    national_day = staff.close(appeal(world.ent_a, at(2022, 9, 30)), at(2022, 10, 1), at(2022, 10, 13))
    assert national_day.close_days == 5
    staff.close(appeal(world.ent_a, at(2022, 10, 1)), at(2022, 10, 17), at(2022, 10, 20))  # 3
    staff.close(appeal(world.ent_b, at(2022, 10, 1)), at(2022, 10, 17), at(2022, 10, 31))  # 10
    staff.close(appeal(world.ent_b, at(2022, 12, 1)), at(2022, 12, 5), at(2023, 1, 6))  # closed in 2023
    result = value("F30", 2022)
    assert result.value == Decimal(5)
    assert result.parts == {"closed": 3}
    assert figures.get("F30").display(result) == "5个工作日"
    assert value("F30", 2022, cast.secretary_b).value == Decimal(10)
    assert value("F30", 2022, cast.secretary_a).value == Decimal(4)  # median of 5 and 3
    assert [row for row in figures.get("F30").records(None, 2022) if row.pk == national_day.pk][0].close_days == 5
    assert value("F30", 2020).value == Decimal(0)


def test_f31_overdue_on_a_past_report_date_reads_the_timeline(world, cast, staff):
    # Assigned Thu 1 Dec 2022 with 5 working days: due Thu 8 Dec 23:59.
    closed_later = staff.assign(appeal(world.ent_a, at(2022, 11, 30)), at(2022, 12, 1))
    staff.reply(closed_later, at(2023, 1, 5))
    staff.rate(closed_later, at(2023, 1, 10))
    replied_in_time = staff.assign(appeal(world.ent_a, at(2022, 11, 30)), at(2022, 12, 1))
    staff.reply(replied_in_time, at(2022, 12, 6))
    staff.rate(replied_in_time, at(2023, 1, 10))
    not_yet_due = staff.assign(appeal(world.ent_b, at(2022, 12, 20)), at(2022, 12, 26))
    extended = staff.assign(appeal(world.ent_b, at(2022, 11, 30)), at(2022, 12, 1))
    staff.extend(extended, at(2022, 12, 5))  # due Thu 15 Dec
    returned = staff.assign(appeal(world.ent_a, at(2022, 11, 30)), at(2022, 12, 1))
    services.appeal_return(appeal=returned, reason="不属于本单位职责", basis="职能配置规定",
                           actor=Actor.of(cast.handler), at=at(2022, 12, 5))
    staff.extend(extended, at(2023, 1, 3), days=20)  # a later extension does not undo 2022's lateness
    assert extended.due_at.year == 2023
    assert not_yet_due.due_at > at(2022, 12, 31)

    result = value("F31", 2022)
    assert result.value == 2
    assert figures.get("F31").display(result) == "2件"
    rows = figures.get("F31").records(None, 2022)
    assert [(a.pk, a.due_on_report_date.date()) for a in rows] == [
        (closed_later.pk, date(2022, 12, 8)), (extended.pk, date(2022, 12, 15))]
    assert value("F31", 2022, cast.secretary_b).value == 1
    # On 8 Dec itself the first was not yet late.
    assert value("F31", 2022, today=date(2022, 12, 8)).value == 0
    assert value("F31", 2022, today=date(2022, 12, 9)).value == 1
    # A year later the two still being handled are past their (new) due dates.
    assert [a.pk for a in figures.get("F31").records(None, 2023)] == [not_yet_due.pk, extended.pk]
    assert value("F31", 2021).value == 0


def test_f31_judges_an_appeal_imported_without_steps_from_its_stored_fields(world, cast, staff, monkeypatch):
    # The count is taken in SQL and the drill-down by replaying timelines: the two must agree,
    # also when the candidates go in several chunks.
    monkeypatch.setattr(service_figures, "ID_CHUNK", 2)
    def imported(**fields):
        a = appeal(world.ent_a, at(2022, 11, 30))
        WorkflowEvent.objects.filter(object_id=a.pk, workflow="appeal").delete()
        Appeal.objects.filter(pk=a.pk).update(first_assigned_at=at(2022, 12, 1), due_at=at(2022, 12, 8, 23, 59),
                                              department=world.department, **fields)
        return a

    running = imported(state="handling")
    imported(state="replied", replied_at=at(2022, 12, 5))
    replied_late = imported(state="replied", replied_at=at(2023, 1, 5))
    extended_after = staff.assign(appeal(world.ent_b, at(2022, 11, 30)), at(2022, 12, 1))
    staff.extend(extended_after, at(2022, 12, 20), days=20)  # granted on the 20th: late on the 9th, not on the 31st
    for day, expected in ((date(2022, 12, 8), []), (date(2022, 12, 9), [running, replied_late, extended_after]),
                          (date(2022, 12, 31), [running, replied_late]), (date(2023, 1, 6), [running])):
        rows = figures.get("F31").records(None, day.year, today=day)
        assert sorted(a.pk for a in rows) == sorted(a.pk for a in expected), day
        assert value("F31", day.year, today=day).value == len(expected), day


def test_all_service_figures_and_their_drilldowns_take_a_bounded_number_of_queries(
        world, cast, staff, django_assert_max_num_queries):
    party(world.person_a)
    mayor = world.person_b
    PublicOffice.objects.create(person=mayor, title="市长", is_city_leader=True, since=date(2020, 1, 1))
    for i in range(6):
        ent = (world.ent_a, world.ent_b)[i % 2]
        visit(world.person_a, ent, date(2022, 3, 1 + i))
        staff.close(appeal(ent, at(2022, 3, 1 + i), raised_by=world.member_a), at(2022, 3, 10), at(2022, 3, 20))
        staff.on_site(appeal(ent, at(2022, 4, 1 + i)), mayor, date(2022, 4, 11))
        late = staff.assign(appeal(ent, at(2022, 5, 1 + i)), at(2022, 5, 10))
        staff.extend(late, at(2022, 5, 11))
    for who in (None, cast.secretary_a):
        scope_of(who)  # resolved once per request, not per figure
        with django_assert_max_num_queries(13):
            results = {fid: value(fid, 2022, who) for fid in SERVICE_FIGURES}
        assert results["F31"].value == (12 if who is None else 6)
        with django_assert_max_num_queries(14):
            for fid in SERVICE_FIGURES:
                figure = figures.get(fid)
                for row in figure.records(who, 2022):
                    [c.value(row) for c in figure.columns]


def test_a_secretarys_past_year_does_not_change_when_an_enterprise_leaves_later(world, cast):
    """Scope is judged on the day of each record: an enterprise of A's that left
    in 2024 still counts in A's 2022 figures, and one that joined A in 2024
    does not count in them."""
    left = enterprise(71, "湘中物流有限公司", [(world.assoc_a, date(2020, 1, 1), date(2024, 3, 31))])
    joined = enterprise(72, "娄星建材有限公司", [(world.assoc_b, date(2020, 1, 1), date(2024, 3, 31)),
                                               (world.assoc_a, date(2024, 4, 1), None)])
    appeal(left, at(2022, 5, 10))
    appeal(joined, at(2022, 6, 10))
    visit(world.member_a, left, date(2022, 5, 10))
    assert value("F06", 2022, cast.secretary_a).value == 1
    assert value("F05", 2022, cast.secretary_a).value == 1
    assert value("F06", 2022, cast.secretary_b).value == 1


def test_f30_counts_an_appeal_imported_without_its_days_with_the_stored_ones(world, cast, staff):
    staff.close(appeal(world.ent_a, at(2022, 10, 1)), at(2022, 10, 17), at(2022, 10, 20))  # 3, stored
    imported = appeal(world.ent_b, at(2022, 3, 1))  # assigned Tue 1 Mar, closed Tue 15 Mar: 10 working days
    Appeal.objects.filter(pk=imported.pk).update(state="closed", first_assigned_at=at(2022, 3, 1),
                                                  closed_at=at(2022, 3, 15), close_days=None)
    result = value("F30", 2022)
    assert result.parts == {"closed": 2} and result.value == Decimal("6.5")


def test_the_median_of_grouped_days_is_the_median_of_the_days():
    import random
    from collections import Counter
    from statistics import median

    from fourfirsts.service.figures import _median_of_counts

    rng = random.Random(30)
    for size in [1, 2, 3, 4, 7, 10, 101, 1000]:
        days = [rng.choice([0, 1, 2, 3, 5, 8, 13, 40]) for _ in range(size)]
        assert _median_of_counts(Counter(days), len(days)) == Decimal(str(median(days))), days
    assert _median_of_counts(Counter(), 0) == Decimal(0)


def test_the_migration_marks_the_appeals_rated_through_the_service(world, staff):
    """Migration 0008 marks from the history what the rating service marks as it goes."""
    import importlib

    from django.apps import apps

    from fourfirsts.service.figures import RATING_ACTIONS

    migration = importlib.import_module("fourfirsts.service.migrations.0008_appeal_rating_in_history")
    rated = staff.close(appeal(world.ent_a, at(2022, 3, 1)), at(2022, 3, 2), at(2022, 3, 10))
    imported = appeal(world.ent_b, at(2022, 2, 1))
    Appeal.objects.filter(pk=imported.pk).update(rating=R.SATISFIED, rated_at=at(2022, 2, 20))
    Appeal.objects.update(rating_in_history=False)  # as before the migration
    migration.mark_rated_in_history(apps, None)
    assert list(Appeal.objects.filter(rating_in_history=True).values_list("pk", flat=True)) == [rated.pk]
    assert migration.RATING_ACTIONS == RATING_ACTIONS


def test_the_rating_step_indexes_cover_the_steps_f29_counts():
    """Migration 0005's partial indexes name the rating actions and the appeal
    workflow as text; if either changed, F29 would be served by neither."""
    import importlib

    from fourfirsts.service import figures as service_figures
    from fourfirsts.service.workflow import APPEAL_WORKFLOW

    migration = importlib.import_module("fourfirsts.service.migrations.0005_rating_events_index")
    actions = ", ".join(f"'{a}'" for a in service_figures.RATING_ACTIONS)
    assert migration.WHERE == f"WHERE workflow = '{APPEAL_WORKFLOW.name}' AND action IN ({actions})"
    covering = importlib.import_module("fourfirsts.service.migrations.0007_figure_covering_indexes")
    assert covering.RATING_STEPS == migration.WHERE


# Each year count and the covering index meant to answer it alone (service migration 0007).
COVERED = (("F06", "appeal_list_order"), ("F28", "appeal_list_order"), ("F27", "appeal_first_assigned"),
           ("F30", "appeal_closed"), ("F07", "appeal_on_site"))


@pytest.mark.parametrize(("fid", "index_name"), COVERED)
def test_each_year_count_reads_only_columns_its_covering_index_holds(db, fid, index_name):
    """A column added to one of these counts but not to its index would send
    PostgreSQL back to reading the table (several times slower at province
    scale), with nothing else failing."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    index = next(i for i in Appeal._meta.indexes if i.name == index_name)
    held = {Appeal._meta.get_field(name).column for name in (*index.fields, *index.include)}
    key = Appeal._meta.get_field(index.fields[0]).column
    with CaptureQueriesContext(connection) as queries:
        value(fid, 2025)
    counts = [q["sql"] for q in queries if f'FROM "service_appeal" WHERE ("service_appeal"."{key}"' in q["sql"]]
    assert counts, f"{fid} no longer counts appeals by {key}"
    for sql in counts:
        read = set(re.findall(r'"service_appeal"\."(\w+)"', sql))
        assert read <= held, f"{fid} reads {sorted(read - held)}, which {index_name} does not hold"

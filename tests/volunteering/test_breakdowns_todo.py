"""The dashboard's view of 第一身份 volunteering: F32 by activity kind, F12 by
payment year, and the to-do item for hours waiting for confirmation."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fourfirsts.core import figures
from fourfirsts.core import todo as core_todo
from fourfirsts.core.actors import Actor
from fourfirsts.volunteering import services
from fourfirsts.volunteering import todo as volunteering_todo
from fourfirsts.volunteering.models import ActivityKind
from tests.conftest import make_person
from tests.volunteering.conftest import (
    SYSTEM,
    make_activity,
    make_pairing,
    make_project,
    make_village,
    pay,
)

TODAY = date(2026, 11, 27)


def segments(fid, breakdown, who=None, year=2022):
    return {s.key: s for s in figures.get(fid).segments(who, year, breakdown, today=TODAY)}


def records(fid, breakdown, key, who=None, year=2022):
    return list(figures.get(fid).segment_records(who, year, breakdown, key, today=TODAY))


def report(member, activity, hours):
    return services.participation_report(actor=Actor.of(member), activity=activity, hours=Decimal(hours),
                                         today=TODAY)


# --- F32 by kind ----------------------------------------------------------------------------------------


@pytest.fixture
def hours(world, cast):
    """Confirmed hours of two kinds in 2022 for org A and org B, plus hours that do not count."""
    helpers = [make_person(f"志愿者{i}") for i in range(3)]
    make_activity(world.org_a, ActivityKind.CIVILITY, date(2022, 3, 1), hours=Decimal(2), participants=helpers)
    make_activity(world.org_b, ActivityKind.CIVILITY, date(2022, 4, 1), hours=Decimal("1.5"),
                  participants=helpers[:1])
    make_activity(world.org_a, ActivityKind.BEND_DOWN, date(2022, 5, 1), hours=Decimal(3), participants=helpers[:2])
    make_activity(world.org_a, ActivityKind.CIVILITY, date(2021, 5, 1), hours=Decimal(9), participants=helpers)
    report(cast.member_a, make_activity(world.org_a, "community", date(2022, 6, 1)), 4)  # reported, not confirmed


def test_f32_by_kind_splits_the_confirmed_hours_and_sums_to_the_figure(hours):
    by_kind = segments("F32", "by_kind")
    assert by_kind[ActivityKind.CIVILITY].value == Decimal("7.5")  # 3 × 2 + 1.5
    assert by_kind[ActivityKind.CIVILITY].label == "文明劝导"
    assert by_kind[ActivityKind.BEND_DOWN].value == 6
    assert by_kind["community"].value == 0  # reported hours wait for confirmation
    assert sum(s.value for s in by_kind.values()) == figures.get("F32").evaluate(None, 2022, TODAY).value
    assert [s.key for s in figures.get("F32").segments(None, 2022, "by_kind", today=TODAY)][:2] == [
        ActivityKind.CIVILITY, ActivityKind.BEND_DOWN]  # the kinds' own order


def test_f32_segment_records_are_its_participations(hours):
    rows = records("F32", "by_kind", ActivityKind.CIVILITY)
    assert len(rows) == 4 and sum(r.hours for r in rows) == segments("F32", "by_kind")[ActivityKind.CIVILITY].value
    assert {r.activity.held_on.year for r in rows} == {2022}
    with pytest.raises(KeyError):
        records("F32", "by_kind", "no_such_kind")


def test_f32_by_kind_in_a_secretarys_scope(hours, cast):
    mine = segments("F32", "by_kind", cast.secretary_a)
    assert mine[ActivityKind.CIVILITY].value == 6 and mine[ActivityKind.BEND_DOWN].value == 6
    assert segments("F32", "by_kind", cast.secretary_b)[ActivityKind.CIVILITY].value == Decimal("1.5")
    rows = records("F32", "by_kind", ActivityKind.CIVILITY, cast.secretary_b)
    assert [r.activity.party_org for r in rows] == [cast.secretary_b.party_org]


def test_a_retired_kind_shows_only_when_it_has_hours(world):
    retired = services.activity_kind_save(actor=SYSTEM, values={"name": "旧类型", "active": False})
    assert retired.ref not in segments("F32", "by_kind")
    make_activity(world.org_a, retired.ref, date(2022, 7, 1), hours=Decimal(2), participants=[world.person_a])
    assert segments("F32", "by_kind")[retired.ref].value == 2


def test_f32_by_kind_sums_the_years_hours_once(hours, django_assert_num_queries):
    """The kinds, and the year's hours grouped by kind in one pass (summing them
    again for each kind took 700 ms at province scale)."""
    with django_assert_num_queries(2):
        segments("F32", "by_kind")


# --- F12 by payment year -----------------------------------------------------------------------------------


@pytest.fixture
def payments(world):
    village = make_village(weak=[(2019, None)])
    project_a = make_project(make_pairing(village, world.assoc_a, world.ent_a, on=date(2017, 3, 1)),
                             starts=date(2017, 4, 1))
    project_b = make_project(make_pairing(village, world.assoc_b, world.ent_b, on=date(2019, 3, 1)), "蔬菜基地",
                             starts=date(2019, 4, 1))
    pay(project_a, "1000.50", date(2017, 12, 31))  # before the five years
    pay(project_a, "2000", date(2018, 1, 1))
    pay(project_a, "3000", date(2022, 6, 1))
    pay(project_b, "500", date(2022, 12, 31))
    pay(project_b, "700", date(2020, 8, 8))
    pay(project_a, "9999", date(2023, 1, 1))  # after the report year


def test_f12_by_year_gives_the_money_paid_in_each_of_five_years(payments):
    by_year = figures.get("F12").segments(None, 2022, "by_year", today=TODAY)
    assert [(s.key, s.label, s.value) for s in by_year] == [
        ("2018", "2018年", Decimal(2000)), ("2019", "2019年", Decimal(0)), ("2020", "2020年", Decimal(700)),
        ("2021", "2021年", Decimal(0)), ("2022", "2022年", Decimal(3500))]
    f12 = figures.get("F12")
    # F12 is cumulative: the five years are what it grew by since the end of 2017.
    assert sum(s.value for s in by_year) == f12.evaluate(None, 2022, TODAY).value - f12.evaluate(None, 2017, TODAY).value


def test_f12_segment_records_are_the_payments_of_that_year(payments, cast):
    rows = records("F12", "by_year", "2022")
    assert [r.paid_on for r in rows] == [date(2022, 6, 1), date(2022, 12, 31)]
    assert sum(r.amount for r in rows) == segments("F12", "by_year")["2022"].value
    for key in ("2017", "2023", "x"):
        with pytest.raises(KeyError):
            records("F12", "by_year", key)
    assert segments("F12", "by_year", cast.secretary_b)["2022"].value == 500
    assert [r.amount for r in records("F12", "by_year", "2022", cast.secretary_b)] == [Decimal(500)]


def test_f12_by_year_runs_one_query(payments, django_assert_num_queries):
    with django_assert_num_queries(1):
        segments("F12", "by_year")


# --- to-do: hours to confirm ---------------------------------------------------------------------------------


def todos(user):
    return {t.label: t for t in core_todo.todos_for(user, TODAY)}


def test_hours_to_confirm_for_the_secretary_of_the_activity_and_the_committee(world, cast, client_for):
    report(cast.member_a, make_activity(world.org_a, held=date(2022, 5, 1)), 2)
    report(cast.member_a, make_activity(world.org_a, held=date(2022, 5, 2), title="第二次"), 1)
    confirmed = make_activity(world.org_a, held=date(2022, 5, 3), hours=Decimal(1), participants=[world.person_b])
    assert confirmed.participations.get().status == "confirmed"
    item = todos(cast.secretary_a)["待确认的志愿服务时长"]
    assert (item.count, item.level) == (2, "info")
    assert todos(cast.committee)["待确认的志愿服务时长"].count == 2
    assert "待确认的志愿服务时长" not in todos(cast.secretary_b)  # not their org's: left out with 0
    assert "待确认的志愿服务时长" not in todos(cast.member_a)  # not for members
    page = client_for(cast.secretary_a).get(item.url)
    assert page.status_code == 200
    assert page.text.count('name="row"') == item.count  # one confirm form per waiting row


@pytest.mark.parametrize("who", ["committee", "secretary_a"])
def test_hours_to_confirm_count_with_flat_queries(world, cast, who, django_assert_max_num_queries):
    user = getattr(cast, who)
    volunteering_todo.collect(user, TODAY)  # the user's scope is computed once, then cached
    counts = []
    done = 0
    for n in (2, 18):
        for i in range(done, done + n):
            activity = make_activity(world.org_a, held=date(2022, 1, 1) + timedelta(days=i), title=f"活动{i}")
            report(cast.member_a, activity, 1)
        done += n
        with CaptureQueriesContext(connection) as ctx:
            assert volunteering_todo.collect(user, TODAY)[0].count == done
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(1):
        volunteering_todo.collect(user, TODAY)

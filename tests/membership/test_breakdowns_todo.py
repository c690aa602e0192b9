"""The dashboard's view of membership development: F33 by stage, and the
to-do items for development steps overdue or due soon, linking to the board
filtered to exactly those people."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fourfirsts.core import figures
from fourfirsts.core import todo as core_todo
from fourfirsts.membership import services
from fourfirsts.membership import todo as membership_todo
from tests.conftest import make_person
from tests.membership.conftest import SYSTEM

TODAY = date(2022, 9, 1)
OVERDUE, SOON = "发展党员步骤已逾期", "发展党员步骤30天内到期"


def applicant(name, org, on):
    person = make_person(name, gender="male", birth_date=date(1990, 1, 1))
    return services.development_apply(actor=SYSTEM, person=person, party_org=org, applied_on=on)


def steps(dev, *dated):
    for code, day in dated:
        services.step_record(actor=SYSTEM, development=dev, code=code, done_on=day)
    return dev


# --- F33 by stage --------------------------------------------------------------------------------------


@pytest.fixture
def pipeline(pipe, world):
    applicant("周申请", world.org_a, date(2022, 5, 1))
    steps(applicant("吴积极", world.org_a, date(2022, 1, 5)), ("1.2", date(2022, 1, 20)), ("2.3", date(2022, 3, 1)))
    steps(applicant("郑积极", world.org_b, date(2022, 1, 5)), ("1.2", date(2022, 1, 20)), ("2.3", date(2022, 3, 1)))
    applicant("冯明年", world.org_a, date(2023, 2, 1))  # after the report date
    pipe.upto("4.17")  # 陈申请: probationary since 2021


def test_f33_by_stage_counts_each_in_progress_stage_and_sums_to_the_figure(pipeline):
    by_stage = figures.get("F33").segments(None, 2022, "by_stage", today=date(2026, 1, 1))
    assert [(s.key, s.label, s.value) for s in by_stage] == [
        ("applicant", "入党申请人", 1), ("activist", "入党积极分子", 2), ("candidate", "发展对象", 0),
        ("probationary", "预备党员", 1)]
    assert sum(s.value for s in by_stage) == figures.get("F33").evaluate(None, 2022, date(2026, 1, 1)).value


def test_f33_stage_records_are_the_developments_at_that_stage(pipeline, cast):
    f33 = figures.get("F33")
    today = date(2026, 1, 1)
    activists = list(f33.segment_records(None, 2022, "by_stage", "activist", today=today))
    assert sorted(d.person.name for d in activists) == ["吴积极", "郑积极"]
    assert len(activists) == {s.key: s.value for s in f33.segments(None, 2022, "by_stage", today=today)}["activist"]
    # On 31 Dec 2021 the probationary member had not reached full membership either.
    assert [d.person.name for d in f33.segment_records(None, 2021, "by_stage", "probationary", today=today)] == [
        "陈申请"]
    for key in ("full", "nobody"):
        with pytest.raises(KeyError):
            f33.segment_records(None, 2022, "by_stage", key, today=today)
    mine = f33.segment_records(cast.secretary_b, 2022, "by_stage", "activist", today=today)
    assert [d.person.name for d in mine] == ["郑积极"]
    assert [s.value for s in f33.segments(cast.secretary_b, 2022, "by_stage", today=today)] == [0, 1, 0, 0]


# --- to-do: development steps due -----------------------------------------------------------------------------


@pytest.fixture
def due(pipe, world):
    applicant("周逾期", world.org_a, date(2022, 7, 1))  # talk due 1 Aug: overdue
    applicant("吴将到", world.org_a, date(2022, 8, 20))  # talk due 20 Sep: within 30 days
    applicant("郑浙江", world.org_b, date(2022, 7, 1))  # overdue, org B's
    # An activist reviewed on schedule: the next review is due in February.
    steps(applicant("王按时", world.org_a, date(2022, 8, 1)), ("1.2", date(2022, 8, 10)), ("2.3", date(2022, 8, 30)))
    pipe.upto("4.17")  # 陈申请: probation ended 25 Jun 2022 without full membership: overdue


def todos(user, today=TODAY):
    return {t.label: t for t in core_todo.todos_for(user, today)}


def test_steps_overdue_and_due_soon_for_the_secretary_and_the_committee(due, cast):
    mine = todos(cast.secretary_a)
    assert (mine[OVERDUE].count, mine[OVERDUE].level) == (2, "danger")
    assert (mine[SOON].count, mine[SOON].level) == (1, "warning")
    committee = todos(cast.committee)
    assert committee[OVERDUE].count == 3 and committee[SOON].count == 1
    assert todos(cast.secretary_b)[OVERDUE].count == 1 and SOON not in todos(cast.secretary_b)
    assert OVERDUE not in todos(cast.member_a)


def test_the_links_open_the_board_with_exactly_those_people(due, cast, client_for):
    mine = todos(cast.secretary_a)
    client = client_for(cast.secretary_a)
    with time_machine.travel(datetime(2022, 9, 1, 4, tzinfo=UTC), tick=False):
        overdue = client.get(mine[OVERDUE].url)
        soon = client.get(mine[SOON].url)
        everyone = client.get(mine[SOON].url.split("?")[0])
    assert overdue.status_code == soon.status_code == 200
    names = ("周逾期", "吴将到", "郑浙江", "王按时", "陈申请")
    assert [n for n in names if n in overdue.text] == ["周逾期", "陈申请"]
    assert [n for n in names if n in soon.text] == ["吴将到"]
    assert [n for n in names if n in everyone.text] == ["周逾期", "吴将到", "王按时", "陈申请"]
    assert 'value="overdue" selected' in overdue.text  # the filter form shows it


@pytest.mark.parametrize("who", ["committee", "secretary_a"])
def test_steps_due_count_with_flat_queries(world, cast, who, django_assert_max_num_queries):
    user = getattr(cast, who)
    membership_todo.collect(user, TODAY)  # the user's scope is computed once, then cached
    counts, done = [], 0
    for n in (2, 18):
        for i in range(done, done + n):
            dev = applicant(f"申请人{i}", world.org_a, date(2022, 1, 1) + timedelta(days=i))
            if i % 2:  # an activist whose review was due on 15 Aug
                steps(dev, ("1.2", dev.applied_on + timedelta(days=1)), ("2.3", date(2022, 2, 15)))
        done += n
        with CaptureQueriesContext(connection) as ctx:
            assert membership_todo.collect(user, TODAY)[0].count == done
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(4):
        membership_todo.collect(user, TODAY)


def test_the_filtered_board_makes_the_same_queries_at_2_and_20_rows(world, cast, client_for):
    from django.urls import reverse

    client = client_for(cast.committee)
    seen, done = [], 0
    with time_machine.travel(datetime(2022, 9, 1, 4, tzinfo=UTC), tick=False):
        client.get(reverse("membership:board"), {"due": "overdue"})
        for n in (2, 18):
            for i in range(done, done + n):
                applicant(f"申请人{i}", world.org_a, date(2022, 1, 1) + timedelta(days=i))
            done += n
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(reverse("membership:board"), {"due": "overdue"})
            assert response.text.count("申请人") >= n
            seen.append(len(ctx.captured_queries))
    assert seen[0] == seen[1], seen

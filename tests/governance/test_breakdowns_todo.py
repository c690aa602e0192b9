"""The dashboard's view of 第一责任: F22 split by how each association is
covered, and the to-do items (party-org terms, honours, establishment steps,
instructors' terms) with links to their lists filtered to exactly those records."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fourfirsts.core import figures
from fourfirsts.core import todo as core_todo
from fourfirsts.core.access import forget_scope, scope_of
from fourfirsts.governance import services
from fourfirsts.governance import todo as governance_todo
from fourfirsts.governance.models import EstablishmentStep, Honour
from fourfirsts.registry import services as reg
from fourfirsts.registry.models import AssociationStatus, PartyOrg
from tests.conftest import make_person
from tests.governance.conftest import SYSTEM, assign, cover, honour, make_org, new_association

LATER = date(2026, 1, 1)  # "today" for the figures: the 2022 report date is 31 Dec 2022
TODAY = date(2022, 9, 1)  # a Thursday; five working days later is Thu 8 Sep
AT_TODAY = datetime(2022, 9, 1, 4, tzinfo=UTC)


# --- F22 by coverage ------------------------------------------------------------------------------------


@pytest.fixture
def covered(world):
    """A and B have their own branch, C only an instructor (the world's); two
    associations share a joint branch, one has nothing, one is not in operation."""
    joint = make_org("娄底市联合党支部", kind=PartyOrg.Kind.JOINT_BRANCH, established=date(2020, 1, 1))
    for name in ("娄底市湖北商会", "娄底市江西商会"):
        cover(joint, new_association(name), date(2020, 1, 1))
    new_association("娄底市广东商会")
    preparing = new_association("娄底市福建商会", status=AssociationStatus.Status.PREPARING)
    cover(make_org("福建商会党支部"), preparing, date(2020, 1, 1))


def test_f22_by_coverage_splits_its_denominator(covered):
    f22 = figures.get("F22")
    pie = f22.segments(None, 2022, "by_coverage", today=LATER)
    assert [(s.key, s.label, s.value) for s in pie] == [
        ("own", "单独组建党组织", 2), ("joint", "联合组建党组织", 2), ("instructor", "仅选派指导员（工作覆盖）", 1),
        ("none", "未覆盖", 1)]
    parts = f22.evaluate(None, 2022, LATER).parts
    assert sum(s.value for s in pie) == parts["denominator"] == 6
    assert sum(s.value for s in pie if s.key != "none") == parts["numerator"]
    assert f22.breakdown("by_coverage").chart == "pie"


def test_f22_segment_records_are_those_associations(covered, cast):
    f22 = figures.get("F22")
    joint = f22.segment_records(None, 2022, "by_coverage", "joint", today=LATER)
    assert [r.association.name for r in joint] == ["娄底市湖北商会", "娄底市江西商会"]
    assert len(joint) == {s.key: s.value for s in f22.segments(None, 2022, "by_coverage", today=LATER)}["joint"]
    assert [r.association.name for r in f22.segment_records(None, 2022, "by_coverage", "none", today=LATER)] == [
        "娄底市广东商会"]
    with pytest.raises(KeyError):
        f22.segment_records(None, 2022, "by_coverage", "preparing", today=LATER)
    mine = f22.segments(cast.secretary_a, 2022, "by_coverage", today=LATER)
    assert [s.value for s in mine] == [1, 0, 0, 0]
    assert sum(s.value for s in mine) == f22.evaluate(cast.secretary_a, 2022, LATER).parts["denominator"]
    assert [r.association.name for r in f22.segment_records(cast.secretary_a, 2022, "by_coverage", "own",
                                                            today=LATER)] == ["娄底市安徽商会"]


# --- to-do items --------------------------------------------------------------------------------------------


def todos(user):
    return {t.label: t for t in core_todo.todos_for(user, TODAY)}


def counts(user):
    return {label: t.count for label, t in todos(user).items()}


def page(client, url):
    with time_machine_at(AT_TODAY):
        response = client.get(url)
    assert response.status_code == 200
    return response.text


def time_machine_at(moment):
    import time_machine

    return time_machine.travel(moment, tick=False)


@pytest.fixture
def terms(world):
    reg.party_org_save(actor=SYSTEM, values={"term_end": date(2022, 10, 15)}, org=world.org_a)  # ending
    reg.party_org_save(actor=SYSTEM, values={"term_end": date(2022, 8, 1)}, org=world.org_b)  # ended
    make_org("娄底市远期党支部", term_end=date(2023, 6, 1))  # not yet
    make_org("娄底市将满党支部", term_end=date(2022, 12, 1))  # ending: three months from today


def test_party_org_terms_ending_and_ended(terms, cast, client_for):
    assert counts(cast.committee)["党组织任期即将届满"] == 2
    assert counts(cast.committee)["党组织任期已届满未换届"] == 1
    assert todos(cast.committee)["党组织任期已届满未换届"].level == "danger"
    assert todos(cast.committee)["党组织任期即将届满"].level == "warning"
    assert counts(cast.secretary_a)["党组织任期即将届满"] == 1 and "党组织任期已届满未换届" not in counts(cast.secretary_a)
    assert counts(cast.secretary_b)["党组织任期已届满未换届"] == 1
    assert counts(cast.instructor)["党组织任期即将届满"] == 1  # org A covers the instructor's association
    client = client_for(cast.committee)
    text = page(client, todos(cast.committee)["党组织任期即将届满"].url)
    orgs = ("娄底市安徽商会党支部", "娄底市浙江商会党支部", "娄底市远期党支部", "娄底市将满党支部")
    assert [o for o in orgs if o in text] == ["娄底市安徽商会党支部", "娄底市将满党支部"]
    text = page(client, todos(cast.committee)["党组织任期已届满未换届"].url)
    assert [o for o in orgs if o in text] == ["娄底市浙江商会党支部"]
    assert 'value="term_expired" selected' in text


@pytest.fixture
def honours(world):
    honour(association=world.assoc_a, valid_until=date(2022, 10, 1), title="安徽商会四好")
    honour(kind=Honour.Kind.BENCHMARK, level=Honour.Level.CITY, party_org=world.org_a, valid_until=date(2022, 11, 29),
           title="安徽商会标杆")
    honour(association=world.assoc_b, valid_until=date(2023, 6, 1), title="浙江商会四好")  # later
    honour(association=world.assoc_b, valid_until=date(2022, 8, 1), title="浙江商会旧荣誉")  # already expired
    honour(association=world.assoc_b, valid_until=date(2022, 9, 30), revoked_on=date(2022, 8, 1),
           title="浙江商会撤销")  # revoked


def test_honours_expiring(honours, cast, client_for):
    item = todos(cast.committee)["荣誉即将到期"]
    assert (item.count, item.level) == (2, "warning")
    assert counts(cast.secretary_a)["荣誉即将到期"] == 2
    assert counts(cast.instructor)["荣誉即将到期"] == 2
    assert "荣誉即将到期" not in counts(cast.secretary_b)
    text = page(client_for(cast.committee), item.url)
    titles = ("安徽商会四好", "安徽商会标杆", "浙江商会四好", "浙江商会旧荣誉", "浙江商会撤销")
    assert [t for t in titles if t in text] == ["安徽商会四好", "安徽商会标杆"]


def establish(name, registered_on, *done, instructor=None):
    association = new_association(name, founded=registered_on, status=AssociationStatus.Status.PREPARING)
    if instructor:
        assign(instructor, association, since=date(2022, 1, 1))
    est = services.establishment_create(actor=SYSTEM, values={
        "association": association, "registered_on": registered_on, "org_name": f"{name}党支部",
        "org_kind": PartyOrg.Kind.BRANCH})
    for step, day in done:
        services.establishment_step_record(actor=SYSTEM, establishment=est, step=step, done_on=day)
    return est


@pytest.fixture
def establishments(world):
    S = EstablishmentStep.Step
    establish("娄底市超期商会", date(2022, 8, 1))  # letters due 8 Aug: overdue
    establish("娄底市将到商会", date(2022, 8, 26), instructor=world.instructor)  # letters due Fri 2 Sep
    establish("娄底市按时商会", date(2022, 8, 1), (S.COMMITMENT, date(2022, 8, 5)), (S.SURVEY, date(2022, 8, 30)))


def test_establishment_steps_overdue_and_due_within_five_working_days(establishments, cast, client_for):
    committee = todos(cast.committee)
    assert (committee["同步建立步骤已超期"].count, committee["同步建立步骤已超期"].level) == (1, "danger")
    assert (committee["同步建立步骤5个工作日内到期"].count, committee["同步建立步骤5个工作日内到期"].level) == (1, "warning")
    assert counts(cast.instructor)["同步建立步骤5个工作日内到期"] == 1
    assert "同步建立步骤已超期" not in counts(cast.instructor)
    assert not {k for k in counts(cast.secretary_a) if k.startswith("同步建立")}
    client = client_for(cast.committee)
    names = ("娄底市超期商会", "娄底市将到商会", "娄底市按时商会")
    text = page(client, committee["同步建立步骤已超期"].url)
    assert [n for n in names if n in text] == ["娄底市超期商会"]
    text = page(client, committee["同步建立步骤5个工作日内到期"].url)
    assert [n for n in names if n in text] == ["娄底市将到商会"]


@pytest.fixture
def instructor_terms(world):
    assign(world.instructor, world.assoc_b, since=date(2020, 9, 20))  # two years: ends 19 Sep 2022
    other = make_person("钱指导")
    assign(other, new_association("娄底市期满商会"), since=date(2022, 1, 1), until=date(2022, 9, 10))
    assign(other, new_association("娄底市长期商会"), since=date(2022, 1, 1))  # ends 31 Dec 2023
    assign(other, new_association("娄底市已满商会"), since=date(2020, 1, 1), until=date(2022, 8, 31))  # over


def test_instructor_terms_ending(instructor_terms, cast, client_for):
    item = todos(cast.committee)["指导员任期即将届满"]
    assert (item.count, item.level) == (2, "info")
    assert counts(cast.instructor)["指导员任期即将届满"] == 1  # their own
    assert counts(cast.secretary_b)["指导员任期即将届满"] == 1  # the one guiding org B's association
    assert "指导员任期即将届满" not in counts(cast.secretary_a)
    text = page(client_for(cast.committee), item.url)
    names = ("娄底市浙江商会", "娄底市期满商会", "娄底市长期商会", "娄底市已满商会", "娄底市安徽商会")
    assert [n for n in names if n in text] == ["娄底市浙江商会", "娄底市期满商会"]


def test_members_and_handlers_get_no_governance_items(terms, honours, cast):
    assert core_todo.todos_for(cast.member_a, TODAY) == []
    assert core_todo.todos_for(cast.handler, TODAY) == []


# --- a fixed number of queries ----------------------------------------------------------------------------------


def add_records(world, start, n):
    for i in range(start, start + n):
        org = make_org(f"测试党支部{i}", term_end=date(2022, 10, 1) + timedelta(days=i))
        a = new_association(f"娄底市测试商会{i}")
        cover(org, a, date(2020, 1, 1))
        honour(association=a, valid_until=date(2022, 10, 1) + timedelta(days=i))
        assign(world.instructor, a, since=date(2020, 9, 2) + timedelta(days=i))  # ends 1 Sep 2022 + i
        establish(f"娄底市筹备商会{i}", date(2022, 8, 1) + timedelta(days=i % 5), instructor=world.instructor)


SOURCES = [governance_todo.org_terms, governance_todo.honours, governance_todo.establishment_steps,
           governance_todo.instructor_terms]


@pytest.mark.parametrize("collect", SOURCES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("who", ["committee", "instructor"])
def test_each_source_counts_with_flat_queries(world, cast, who, collect, django_assert_max_num_queries):
    user = getattr(cast, who)
    seen, done = [], 0
    for n in (2, 18):
        add_records(world, done, n)
        done += n
        forget_scope(user)  # the instructor's new associations
        scope_of(user)  # computed once a request, then cached
        with CaptureQueriesContext(connection) as ctx:
            assert sum(t.count for t in collect(user, TODAY)) >= n
        seen.append(len(ctx.captured_queries))
    assert seen[0] == seen[1], seen
    with django_assert_max_num_queries(4):
        collect(user, TODAY)


FILTERED = [("governance:org_checks", {"finding": "term_ending"}, "测试党支部1"),
            ("governance:honour_list", {"expiring": "1"}, "测试商会1"),
            ("governance:establishment_list", {"due": "overdue"}, "筹备商会1"),
            ("governance:instructor_list", {"ending": "1"}, "测试商会1")]


@pytest.mark.parametrize("name,query,row", FILTERED)
def test_filtered_lists_make_the_same_queries_at_2_and_20_rows(world, cast, client_for, name, query, row):
    from django.urls import reverse

    client = client_for(cast.committee)
    seen, done = [], 0
    with time_machine_at(AT_TODAY):
        client.get(reverse(name), query)  # warm the caches
        for n in (2, 18):
            add_records(world, done, n)
            done += n
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(reverse(name), query)
            assert response.status_code == 200 and row in response.text
            seen.append(len(ctx.captured_queries))
    assert seen[0] == seen[1], seen

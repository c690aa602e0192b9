"""F06's chart breakdowns (by category, by state) add up to F06 and drill down
to its records; the appeal to-do items count what each role must act on and
link to the list that shows exactly those appeals."""

import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from fourfirsts.core import figures, todo, workdays
from fourfirsts.core.access import scope_of
from fourfirsts.core.actors import Actor
from fourfirsts.service import todo as service_todo
from fourfirsts.service.models import Appeal
from fourfirsts.service.services import appeals as services
from tests.conftest import _uscc
from tests.service.conftest import at, do

C = Appeal.Category
S = Appeal.State
TODAY = date(2022, 10, 28)  # a Friday: the next working day is Monday 31 October
NOW = "2022-10-28 10:00 +0800"
SYSTEM = Actor.system("测试")
COLLECTED = at(2022, 9, 30)


def appeal(world, ent=None, category=C.LOGISTICS, collected_at=COLLECTED, title="货车通行证办理难",
           collected_by=None):
    return services.appeal_create(actor=SYSTEM, values={
        "enterprise": ent or world.ent_a, "channel": Appeal.Channel.VISIT, "category": category,
        "kind": Appeal.Kind.COORDINATION, "title": title, "collected_at": collected_at,
        "collected_by": collected_by})


def segments(breakdown, who=None):
    return {s.key: s.value for s in figures.get("F06").segments(who, 2022, breakdown, today=TODAY)}


# --- F06 breakdowns -----------------------------------------------------------------------------


@pytest.fixture
def collected(world, cast):
    """Appeals of 2022 in several categories and states, plus two F06 leaves out."""
    from fourfirsts.registry import services as reg

    committee = Actor.of(cast.committee)
    a1 = appeal(world, category=C.LOGISTICS)
    a2 = appeal(world, category=C.FUNDING)
    b1 = appeal(world, world.ent_b, category=C.LOGISTICS)
    b2 = appeal(world, world.ent_b, category=C.TAX)
    services.appeal_accept(appeal=a2, actor=committee, at=at(2022, 10, 10))
    services.appeal_decline(appeal=b2, reason="已进入诉讼程序", actor=committee, at=at(2022, 10, 10))
    appeal(world, collected_at=at(2021, 12, 31, 23, 30))  # last year (local date)
    outsider = reg.enterprise_save(actor=SYSTEM, values={"name": "非会员企业", "uscc": _uscc(9), "industry": "C"})
    appeal(world, outsider)  # not a member of any association
    return a1, a2, b1, b2


@pytest.mark.parametrize("breakdown", ["by_category", "by_state"])
def test_f06_segments_add_up_to_f06_for_the_federation_and_a_secretary(world, cast, collected, breakdown):
    f06 = figures.get("F06")
    for who in (None, cast.secretary_a, cast.secretary_b, cast.committee):
        counts = segments(breakdown, who)
        assert sum(counts.values()) == f06.evaluate(who, 2022, TODAY).value
    assert f06.evaluate(None, 2022, TODAY).value == 4


def test_f06_by_category_lists_every_category_and_drills_down_to_its_appeals(world, cast, collected):
    a1, a2, b1, b2 = collected
    segs = figures.get("F06").segments(None, 2022, "by_category", today=TODAY)
    assert [s.key for s in segs] == list(C.values)  # every category, zeros included
    assert {s.key: s.label for s in segs}["logistics"] == "物流运输"
    assert segments("by_category") == {**dict.fromkeys(C.values, 0), "logistics": 2, "funding": 1, "tax": 1}
    records = list(figures.get("F06").segment_records(None, 2022, "by_category", "logistics", today=TODAY))
    assert records == [a1, b1]
    # A secretary's segments and records are their associations' appeals only.
    assert segments("by_category", cast.secretary_a) == {**dict.fromkeys(C.values, 0), "logistics": 1, "funding": 1}
    assert list(figures.get("F06").segment_records(cast.secretary_b, 2022, "by_category", "logistics",
                                                   today=TODAY)) == [b1]


def test_f06_by_state_shows_each_state_with_its_label(world, cast, collected):
    a1, a2, b1, b2 = collected
    segs = figures.get("F06").segments(None, 2022, "by_state", today=TODAY)
    assert [(s.key, s.label) for s in segs][:3] == [("collected", "已收集"), ("accepted", "已受理"),
                                                     ("declined", "不予受理")]
    assert segments("by_state") == {**dict.fromkeys(S.values, 0), "collected": 2, "accepted": 1, "declined": 1}
    for key, value in segments("by_state").items():
        records = figures.get("F06").segment_records(None, 2022, "by_state", key, today=TODAY)
        assert records.count() == value
    assert list(figures.get("F06").segment_records(None, 2022, "by_state", "declined", today=TODAY)) == [b2]
    assert list(figures.get("F06").segment_records(cast.secretary_a, 2022, "by_state", "declined",
                                                   today=TODAY)) == []


@pytest.mark.parametrize("breakdown", ["by_category", "by_state"])
def test_an_unknown_segment_is_a_key_error(world, breakdown):
    with pytest.raises(KeyError):
        figures.get("F06").segment_records(None, 2022, breakdown, "nonsense", today=TODAY)
    with pytest.raises(KeyError):
        figures.get("F06").segments(None, 2022, "by_nonsense", today=TODAY)


@pytest.mark.parametrize("n", [2, 20])
def test_each_f06_breakdown_is_one_query(world, cast, n, django_assert_max_num_queries):
    for i in range(n):
        appeal(world, world.ent_a if i % 2 else world.ent_b, category=C.values[i % len(C.values)])
    scope = scope_of(cast.secretary_a)
    for breakdown in ("by_category", "by_state"):
        with django_assert_max_num_queries(1):
            figures.get("F06").segments(scope, 2022, breakdown, today=TODAY)


# --- to-do items ----------------------------------------------------------------------------------


@pytest.fixture
def pile(world, cast):
    """On Friday 28 October 2022: two appeals overdue (one per department, one
    per association), one due Monday, one due Tuesday, one assigned and not
    signed for, and three waiting for the committee."""
    committee, handler = Actor.of(cast.committee), Actor.of(cast.handler)

    def assigned(ent, when, department=world.department, sign=True, **kw):
        a = appeal(world, ent, **kw)
        services.appeal_accept(appeal=a, actor=committee, at=when)
        services.appeal_assign(appeal=a, department=department, actor=committee, at=when)
        if sign and department == world.department:
            services.appeal_sign(appeal=a, actor=handler, at=when)
        return a

    p = {
        "late_a": assigned(world.ent_a, at(2022, 10, 17), title="逾期甲", collected_by=world.member_a),
        "late_b": assigned(world.ent_b, at(2022, 10, 17), department=world.other_department, title="逾期乙"),
        "monday": assigned(world.ent_a, at(2022, 10, 24), title="周一到期"),
        "tuesday": assigned(world.ent_b, at(2022, 10, 25), title="周二到期"),
        "unsigned": assigned(world.ent_b, at(2022, 10, 27), sign=False, title="待签收"),
        "collected": appeal(world, title="待受理"),
        "accepted": appeal(world, world.ent_b, title="待交办"),
        "returned": assigned(world.ent_a, at(2022, 10, 26), title="已退回"),
    }
    services.appeal_accept(appeal=p["accepted"], actor=committee, at=at(2022, 10, 27))
    do("return", p["returned"], handler, world, at(2022, 10, 27))
    # The dates the scenario rests on (5 working days from assignment).
    due = {k: workdays.local_date(Appeal.objects.get(pk=a.pk).due_at) for k, a in p.items() if a.due_at}
    assert due["late_a"] == due["late_b"] == date(2022, 10, 24)
    assert due["monday"] == date(2022, 10, 31) and due["tuesday"] == date(2022, 11, 1)
    return p


def items(user, today=TODAY):
    return {t.label: t for t in service_todo.collect(user, today)}


def listed(client, url) -> set[int]:
    """The appeals a list page shows (its links to appeal details)."""
    with time_machine.travel(NOW, tick=False):
        response = client.get(url)
    assert response.status_code == 200
    return {int(pk) for pk in re.findall(r'href="/service/appeals/(\d+)/"', response.content.decode())}


def pks(pile, *names):
    return {pile[n].pk for n in names}


def test_the_committee_sees_the_federations_overdue_and_due_soon_appeals_and_what_waits_for_it(
        world, cast, pile, client_for):
    mine = items(cast.committee)
    assert set(mine) == {"已逾期的诉求", "一个工作日内到期的诉求", "待受理或交办的诉求"}
    overdue, soon, waiting = mine["已逾期的诉求"], mine["一个工作日内到期的诉求"], mine["待受理或交办的诉求"]
    assert (overdue.count, overdue.level) == (2, "danger")
    assert (soon.count, soon.level) == (1, "warning")
    assert (waiting.count, waiting.level) == (3, "info")
    client = client_for(cast.committee)
    assert listed(client, overdue.url) == pks(pile, "late_a", "late_b")
    assert listed(client, soon.url) == pks(pile, "monday")
    assert listed(client, waiting.url) == pks(pile, "collected", "accepted", "returned")
    # The leader sees the federation too, but nothing waits for them.
    assert {k: t.count for k, t in items(cast.leader).items()} == {"已逾期的诉求": 2, "一个工作日内到期的诉求": 1}


def test_a_secretary_counts_only_their_associations_appeals(world, cast, pile, client_for):
    a, b = items(cast.secretary_a), items(cast.secretary_b)
    assert "待受理或交办的诉求" not in a
    assert (a["已逾期的诉求"].count, a["一个工作日内到期的诉求"].count) == (1, 1)
    assert (b["已逾期的诉求"].count, b["一个工作日内到期的诉求"].count) == (1, 0)
    assert listed(client_for(cast.secretary_b), b["已逾期的诉求"].url) == pks(pile, "late_b")
    assert listed(client_for(cast.secretary_a), a["已逾期的诉求"].url) == pks(pile, "late_a")
    assert listed(client_for(cast.secretary_a), a["一个工作日内到期的诉求"].url) == pks(pile, "monday")
    # The instructor of A the same as A's secretary; a member only the appeal they collected.
    assert items(cast.instructor)["已逾期的诉求"].count == 1
    assert {k: t.count for k, t in items(cast.member_a).items()} == {"已逾期的诉求": 1, "一个工作日内到期的诉求": 0}
    assert listed(client_for(cast.member_a), items(cast.member_a)["已逾期的诉求"].url) == pks(pile, "late_a")


def test_a_handler_counts_their_departments_appeals_and_those_to_sign_for(world, cast, pile, client_for,
                                                                          handler_other):
    mine = items(cast.handler)
    assert {k: t.count for k, t in mine.items()} == {
        "已逾期的诉求": 1, "一个工作日内到期的诉求": 1, "待签收的诉求": 1}
    assert mine["待签收的诉求"].level == "warning"
    client = client_for(cast.handler)
    assert listed(client, mine["待签收的诉求"].url) == pks(pile, "unsigned")
    assert listed(client, mine["已逾期的诉求"].url) == pks(pile, "late_a")
    assert listed(client, mine["一个工作日内到期的诉求"].url) == pks(pile, "monday")
    other = items(handler_other)  # late_b went to their department and was never signed for
    assert {k: t.count for k, t in other.items()} == {
        "已逾期的诉求": 1, "一个工作日内到期的诉求": 0, "待签收的诉求": 1}
    services.appeal_assign(appeal=Appeal.objects.get(pk=pile["accepted"].pk), department=world.other_department,
                           actor=Actor.of(cast.committee), at=at(2022, 10, 27))
    other = items(handler_other)
    assert other["待签收的诉求"].count == 2
    other_client = client_for(handler_other)
    assert listed(other_client, other["已逾期的诉求"].url) == pks(pile, "late_b")
    assert listed(other_client, other["待签收的诉求"].url) == pks(pile, "late_b", "accepted")


def test_the_panel_shows_the_appeal_items_to_the_right_roles_only(world, cast, pile):
    assert [t.label for t in todo.todos_for(cast.sysadmin, TODAY) if "/service/" in t.url] == []
    committee = [t for t in todo.todos_for(cast.committee, TODAY) if "/service/" in t.url]
    assert [t.level for t in committee] == ["danger", "warning", "info"]


def test_due_soon_on_a_weekend_means_due_by_the_next_working_day(world, cast, pile):
    saturday = date(2022, 10, 29)
    assert items(cast.committee, saturday)["一个工作日内到期的诉求"].count == 1  # Monday's
    assert items(cast.committee, date(2022, 10, 31))["一个工作日内到期的诉求"].count == 2  # Monday's and Tuesday's
    assert items(cast.committee, date(2022, 10, 21))["已逾期的诉求"].count == 0


def test_the_new_filters_are_in_the_list_form(world, cast, client_for):
    with time_machine.travel(NOW, tick=False):
        page = client_for(cast.committee).get(reverse("service:appeal_list")).content.decode()
    assert 'name="due_soon"' in page and 'name="waiting"' in page
    assert "只看一个工作日内到期" in page


@pytest.mark.parametrize("n", [2, 20])
@pytest.mark.parametrize("who", ["committee", "secretary_a", "handler"])
def test_collect_takes_one_query_whatever_the_number_of_appeals(world, cast, who, n, django_assert_max_num_queries):
    committee = Actor.of(cast.committee)
    for i in range(n):
        a = appeal(world, world.ent_a if i % 2 else world.ent_b)
        services.appeal_accept(appeal=a, actor=committee, at=at(2022, 10, 17))
        services.appeal_assign(appeal=a, department=world.department, actor=committee, at=at(2022, 10, 17))
    user = getattr(cast, who)
    scope_of(user)  # the scope is computed once per request, before the panel
    with django_assert_max_num_queries(1):
        found = service_todo.collect(user, TODAY)
    assert sum(t.count for t in found if t.level == "danger") in (n, n // 2)


def test_the_filtered_lists_make_the_same_queries_at_2_and_20(world, cast, client_for, django_assert_max_num_queries):
    committee = Actor.of(cast.committee)

    def make(n):
        for _i in range(n):
            a = appeal(world)
            services.appeal_accept(appeal=a, actor=committee, at=at(2022, 10, 24))
            services.appeal_assign(appeal=a, department=world.department, actor=committee, at=at(2022, 10, 24))

    def queries(params):
        with time_machine.travel(NOW, tick=False), django_assert_max_num_queries(13) as ctx:
            response = client.get(reverse("service:appeal_list"), params)
        return len(ctx), len(response.context["rows"])

    client = client_for(cast.secretary_a)
    make(2)
    few = {p: queries({p: "on"}) for p in ("due_soon", "waiting")}
    make(18)
    many = {p: queries({p: "on"}) for p in ("due_soon", "waiting")}
    assert few["due_soon"] == (few["due_soon"][0], 2) and many["due_soon"] == (few["due_soon"][0], 20)
    assert many["waiting"] == few["waiting"]

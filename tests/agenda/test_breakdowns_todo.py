"""F01's monthly breakdown adds up to F01 and drills down to its meetings; the
agenda's to-do items count the topics the user's orgs have yet to study and
the 三会一课 of the current period not yet held, and link to pages listing
exactly those."""

import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from fourfirsts.agenda import services, timeliness
from fourfirsts.agenda import todo as agenda_todo
from fourfirsts.agenda.models import Meeting, TopicPush
from fourfirsts.core import figures, rules, todo
from fourfirsts.core.access import scope_of
from tests.agenda.conftest import SYSTEM, make_meeting, make_topic

K = Meeting.Kind
TODAY = date(2022, 3, 15)


def by_month(who=None, year=2022):
    return {s.key: s.value for s in figures.get("F01").segments(who, year, "by_month", today=date(2026, 1, 5))}


def month_records(key, who=None):
    return list(figures.get("F01").segment_records(who, 2022, "by_month", key, today=date(2026, 1, 5)))


# --- F01 by month ---------------------------------------------------------------------------------


@pytest.fixture
def studies(world):
    return {
        "new_year": make_meeting(world.committee_org, K.CENTRAL_GROUP, date(2022, 1, 1), "00:30"),
        "june_a": make_meeting(world.org_a, K.TOPIC_STUDY, date(2022, 6, 1)),
        "june_b": make_meeting(world.org_b, K.GROUP_STUDY, date(2022, 6, 30), "23:30"),
        "eve": make_meeting(world.org_b, K.GROUP_STUDY, date(2022, 12, 31), "23:30"),
        "next_year": make_meeting(world.org_a, K.GROUP_STUDY, date(2023, 1, 1), "00:30"),
        "theme": make_meeting(world.org_a, K.THEME_DAY, date(2022, 6, 2)),  # not a study kind
    }


def test_f01_by_month_has_twelve_months_by_local_date_adding_up_to_f01(world, cast, studies):
    segs = figures.get("F01").segments(None, 2022, "by_month", today=date(2026, 1, 5))
    assert [(s.key, s.label) for s in segs][:2] == [("1", "1月"), ("2", "2月")]
    assert len(segs) == 12
    assert by_month() == {**{str(m): 0 for m in range(1, 13)}, "1": 1, "6": 2, "12": 1}
    for who in (None, cast.committee, cast.secretary_a, cast.secretary_b, cast.instructor):
        assert sum(by_month(who).values()) == figures.get("F01").evaluate(who, 2022, date(2026, 1, 5)).value


def test_f01_month_records_are_that_months_meetings_in_scope(world, cast, studies):
    assert month_records("6") == [studies["june_a"], studies["june_b"]]
    assert month_records("12") == [studies["eve"]]
    assert month_records("3") == []
    # Secretary B sees their org's June study only.
    assert by_month(cast.secretary_b)["6"] == 1
    assert month_records("6", cast.secretary_b) == [studies["june_b"]]
    for key, value in by_month(cast.secretary_a).items():
        assert len(month_records(key, cast.secretary_a)) == value


@pytest.mark.parametrize("key", ["0", "13", "六", "06", ""])
def test_f01_an_unknown_month_is_a_key_error(world, key):
    with pytest.raises(KeyError):
        month_records(key)


@pytest.mark.parametrize("n", [2, 20])
def test_f01_by_month_is_one_query(world, cast, n, django_assert_max_num_queries):
    for i in range(n):
        make_meeting(world.org_a, K.TOPIC_STUDY, date(2022, 1 + i % 12, 3))
    scope = scope_of(cast.secretary_a)
    with django_assert_max_num_queries(1):
        assert sum(s.value for s in figures.get("F01").segments(scope, 2022, "by_month", today=TODAY)) == n


# --- topics to study -------------------------------------------------------------------------------


@pytest.fixture
def topics(world):
    """On 15 March 2022 (limit 7 days): `old` pushed to A and B, studied by A
    only; `a_only` pushed to A, never studied; `fresh` released 3 days ago,
    pushed to both; `future` released after today."""
    made = {
        "old": make_topic("中央经济工作会议精神", date(2022, 2, 1)),
        "a_only": make_topic("民营经济促进条例", date(2022, 2, 10)),
        "fresh": make_topic("全国两会精神", date(2022, 3, 12)),
        "future": make_topic("未来议题", date(2022, 3, 20)),
    }
    for name, orgs in (("old", [world.org_a, world.org_b]), ("a_only", [world.org_a]),
                       ("fresh", [world.org_a, world.org_b]), ("future", [world.org_a, world.org_b])):
        services.topic_push(actor=SYSTEM, topic=made[name], orgs=orgs, pushed_on=made[name].released_on)
    make_meeting(world.org_a, K.THEME_DAY, date(2022, 2, 5), topics=[made["old"]])
    return made


def agenda_items(user, today=TODAY):
    return {t.label: t for t in agenda_todo.collect(user, today)}


def shown_topics(client, url, on="2022-03-15 10:00 +0800") -> set[int]:
    with time_machine.travel(on, tick=False):
        response = client.get(url)
    assert response.status_code == 200
    return {int(pk) for pk in re.findall(r'href="/agenda/topics/(\d+)/"', response.content.decode())}


def test_the_committee_counts_topics_unstudied_anywhere(world, cast, topics, client_for):
    mine = agenda_items(cast.committee)
    overdue, pending = mine["超期未学的第一议题"], mine["待学习的第一议题"]
    assert (overdue.count, overdue.level) == (2, "danger")
    assert (pending.count, pending.level) == (1, "info")
    client = client_for(cast.committee)
    assert shown_topics(client, overdue.url) == {topics["old"].pk, topics["a_only"].pk}
    assert shown_topics(client, pending.url) == {topics["fresh"].pk}
    assert agenda_items(cast.leader)["超期未学的第一议题"].count == 2


def test_a_secretary_counts_their_orgs_topics_only(world, cast, topics, client_for):
    a, b = agenda_items(cast.secretary_a), agenda_items(cast.secretary_b)
    assert (a["超期未学的第一议题"].count, a["待学习的第一议题"].count) == (1, 1)
    assert (b["超期未学的第一议题"].count, b["待学习的第一议题"].count) == (1, 1)
    assert shown_topics(client_for(cast.secretary_a), a["超期未学的第一议题"].url) == {topics["a_only"].pk}
    assert shown_topics(client_for(cast.secretary_b), b["超期未学的第一议题"].url) == {topics["old"].pk}
    # The instructor of A's org counts what A's secretary does.
    assert agenda_items(cast.instructor)["超期未学的第一议题"].count == 1
    # Once B studies the old topic, it leaves B's list.
    make_meeting(world.org_b, K.THEME_DAY, date(2022, 3, 14), topics=[topics["old"]])
    assert agenda_items(cast.secretary_b)["超期未学的第一议题"].count == 0
    assert agenda_items(cast.committee)["超期未学的第一议题"].count == 1


def test_pending_and_overdue_agree_with_ft2_timeliness_under_a_changed_limit(world, cast, topics):
    rules.setting_change(key="agenda.timely_days", raw=40, effective_from=date(2022, 2, 5), actor=SYSTEM)
    # a_only (10 Feb) now has 40 days: still pending on 15 March; old (1 Feb) keeps 7 days.
    mine = agenda_items(cast.committee)
    assert (mine["超期未学的第一议题"].count, mine["待学习的第一议题"].count) == (1, 2)
    statuses = timeliness.annotate_statuses(TopicPush.objects.exclude(topic=topics["future"]), TODAY)
    overdue = {p.topic_id for p in statuses if p.status.overdue}
    pending = {p.topic_id for p in statuses if p.status.pending and not p.status.overdue}
    late = agenda_todo.topics_by_status(cast.committee, TODAY, agenda_todo.OVERDUE)
    assert set(late.values_list("pk", flat=True)) == overdue == {topics["old"].pk}
    due = agenda_todo.topics_by_status(cast.committee, TODAY, agenda_todo.PENDING)
    assert set(due.values_list("pk", flat=True)) == pending == {topics["a_only"].pk, topics["fresh"].pk}


def test_the_topic_list_shows_the_status_filter(world, cast, client_for):
    with time_machine.travel("2022-03-15 10:00 +0800", tick=False):
        page = client_for(cast.committee).get(reverse("agenda:topic_list"), {"status": "overdue"}).content.decode()
    assert 'name="status"' in page and '<option value="overdue" selected>' in page


# --- 三会一课 of the current period ---------------------------------------------------------------


def slot_rows(client, url, on="2022-03-15 10:00 +0800"):
    with time_machine.travel(on, tick=False):
        response = client.get(url)
    assert response.status_code == 200
    return [(s.org.name, s.kind) for s in response.context["slots"]]


def test_open_slots_of_the_current_period_per_org(world, cast, client_for):
    # On 15 March: for each branch the quarter's general meeting and party
    # lecture, March's theme day, the year's life meeting, review and the
    # secretary's lecture; for the committee org March's committee meeting
    # and the secretary's lecture.
    assert agenda_items(cast.secretary_a)["本期未开的三会一课"].count == 6
    assert agenda_items(cast.committee)["本期未开的三会一课"].count == 6 + 6 + 2
    make_meeting(world.org_a, K.THEME_DAY, date(2022, 3, 2))
    make_meeting(world.org_a, K.GENERAL_MEETING, date(2022, 1, 20))  # earlier in the quarter: met
    make_meeting(world.org_b, K.THEME_DAY, date(2022, 2, 20))  # last month's: not this period's
    item = agenda_items(cast.secretary_a)["本期未开的三会一课"]
    assert (item.count, item.level) == (4, "warning")
    rows = slot_rows(client_for(cast.secretary_a), item.url)
    assert len(rows) == 4 and {name for name, _kind in rows} == {world.org_a.name}
    assert (world.org_a.name, K.THEME_DAY) not in rows
    b = agenda_items(cast.secretary_b)["本期未开的三会一课"]
    assert b.count == 6
    rows = slot_rows(client_for(cast.secretary_b), b.url)
    assert {name for name, _kind in rows} == {world.org_b.name} and (world.org_b.name, K.THEME_DAY) in rows
    assert len(slot_rows(client_for(cast.committee), item.url)) == agenda_items(cast.committee)[
        "本期未开的三会一课"].count == 4 + 6 + 2


def test_the_panel_leaves_agenda_items_to_org_roles(world, cast, topics):
    for who in (cast.member_a, cast.handler, cast.sysadmin):
        assert [t for t in todo.todos_for(who, TODAY) if t.url.startswith("/agenda/")] == []
    levels = [t.level for t in todo.todos_for(cast.secretary_a, TODAY) if t.url.startswith("/agenda/")]
    assert levels == ["danger", "warning", "info"]


@pytest.mark.parametrize("n", [2, 20])
@pytest.mark.parametrize("who", ["committee", "secretary_a", "instructor"])
def test_collect_takes_a_fixed_number_of_queries(world, cast, who, n, django_assert_max_num_queries):
    for i in range(n):
        t = make_topic(f"议题{i}", date(2022, 1 + i % 3, 1 + i))
        services.topic_push(actor=SYSTEM, topic=t, orgs=[world.org_a, world.org_b], pushed_on=t.released_on)
        make_meeting(world.org_a if i % 2 else world.org_b, K.THEME_DAY, date(2022, 1 + i % 3, 2 + i), topics=[t])
    user = getattr(cast, who)
    scope_of(user)
    with django_assert_max_num_queries(8):
        found = agenda_todo.collect(user, TODAY)
    assert sum(t.count for t in found if t.level == "danger") > 0


def test_the_filtered_pages_make_the_same_queries_at_2_and_20(world, cast, client_for, django_assert_max_num_queries):
    client = client_for(cast.secretary_a)

    def make(start, n):
        for i in range(start, start + n):
            t = make_topic(f"议题{i}", date(2022, 2, 1))
            services.topic_push(actor=SYSTEM, topic=t, orgs=[world.org_a], pushed_on=t.released_on)

    def queries(url, params):
        with time_machine.travel("2022-03-15 10:00 +0800", tick=False), django_assert_max_num_queries(18) as ctx:
            response = client.get(url, params)
        return len(ctx), len(response.context.get("rows") or response.context.get("slots"))

    make(0, 2)
    few = queries(reverse("agenda:topic_list"), {"status": "overdue"})
    few_slots = queries(reverse("agenda:compliance"), {"current": "on"})
    make(2, 18)
    assert few[1] == 2
    assert queries(reverse("agenda:topic_list"), {"status": "overdue"}) == (few[0], 20)
    assert queries(reverse("agenda:compliance"), {"current": "on"}) == few_slots

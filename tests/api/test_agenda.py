"""The 第一议题 API as a client meets it: topics with their orgs' study status,
meetings scoped as on the pages, recording a meeting and its attendance, a
member's own sign-in with the meeting's code, cursor paging and sync."""

import json
from datetime import date, timedelta

import pytest
import time_machine
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fourfirsts.accounts import services as accounts
from fourfirsts.agenda import services
from fourfirsts.agenda.models import Attendance, Meeting
from fourfirsts.agenda.views import SIGN_IN_SALT
from tests.agenda.conftest import SYSTEM, make_meeting, make_topic

K = Meeting.Kind


@pytest.fixture
def api(client, settings):
    """api(user, method, path, body=None, **query) → the response, called with the user's token."""
    settings.FOURFIRSTS_API_RATE = "0"
    tokens = {}

    def call(user, method, path, body=None, **query):
        if user.pk not in tokens:
            tokens[user.pk] = accounts.token_create(user=user, name="测试")[1]
        headers = {"HTTP_AUTHORIZATION": f"Bearer {tokens[user.pk]}"}
        url = "/api/v1/agenda" + path
        if method == "GET":
            return client.get(url, query, **headers)
        return client.generic(method, url, json.dumps(body), content_type="application/json", **headers)

    return call


def _titles(response):
    assert response.status_code == 200, response.content.decode()
    return {m["title"] for m in response.json()["items"]}


# --- topics -----------------------------------------------------------------------------------------


def test_topics_show_each_pushed_org_status_in_the_callers_scope(world, cast, api):
    topic = make_topic("学习贯彻党的二十大精神", released=date(2022, 10, 23))
    services.topic_push(actor=SYSTEM, topic=topic, orgs=[world.org_a, world.org_b], pushed_on=date(2022, 10, 24))
    make_meeting(world.org_a, K.COMMITTEE_MEETING, date(2022, 10, 28), first_topic=topic)

    listed = api(cast.committee, "GET", "/topics", on="2022-12-31").json()["items"][0]
    assert "pushes" not in listed  # a page of topics carries counts; each org's status is on the topic
    assert listed["orgs"] == {"pushed": 2, "studied": 1, "pending": 0, "overdue": 1}
    mine_listed = api(cast.secretary_b, "GET", "/topics", on="2022-10-25").json()["items"][0]
    assert mine_listed["orgs"] == {"pushed": 1, "studied": 0, "pending": 1, "overdue": 0}
    committee = api(cast.committee, "GET", f"/topics/{topic.pk}", on="2022-12-31").json()
    assert committee["orgs"] == listed["orgs"]
    by_org = {p["party_org_name"]: p for p in committee["pushes"]}
    assert by_org[world.org_a.name]["status"] == "studied"
    assert by_org[world.org_a.name]["studied_on"] == "2022-10-28" and by_org[world.org_a.name]["days"] == 5
    assert by_org[world.org_b.name]["status"] == "overdue"
    assert by_org[world.org_b.name]["status_label"] == "超期未学"
    on_release = api(cast.committee, "GET", f"/topics/{topic.pk}", on="2022-10-25").json()
    assert {p["party_org_name"]: p["status"] for p in on_release["pushes"]}[world.org_b.name] == "pending"

    # A secretary sees only their own org's push; the handler sees the library but no org.
    mine = api(cast.secretary_b, "GET", f"/topics/{topic.pk}", on="2022-12-31").json()
    assert [(p["party_org_name"], p["status"]) for p in mine["pushes"]] == [(world.org_b.name, "overdue")]
    assert api(cast.handler, "GET", f"/topics/{topic.pk}").json()["pushes"] == []
    assert api(cast.sysadmin, "GET", "/topics").status_code == 403


def test_the_topic_list_counts_follow_a_new_meeting_at_once(world, cast, api):
    """The counts are kept between requests, but a meeting recorded in between shows on the next one."""
    topic = make_topic("学习贯彻党的二十大精神", released=date(2022, 10, 23))
    services.topic_push(actor=SYSTEM, topic=topic, orgs=[world.org_a, world.org_b], pushed_on=date(2022, 10, 24))
    counts = lambda: api(cast.committee, "GET", "/topics", on="2022-12-31").json()["items"][0]["orgs"]  # noqa: E731
    assert counts() == {"pushed": 2, "studied": 0, "pending": 0, "overdue": 2}
    with CaptureQueriesContext(connection) as warm:  # kept: the pushes are not judged again
        assert counts()["overdue"] == 2
    assert not [q for q in warm.captured_queries if "\"agenda_topicpush\".\"party_org_id\"" in q["sql"]]
    make_meeting(world.org_b, K.COMMITTEE_MEETING, date(2022, 10, 28), first_topic=topic)
    assert counts() == {"pushed": 2, "studied": 1, "pending": 0, "overdue": 1}


def test_the_topic_list_filters_what_an_org_has_yet_to_study(world, cast, api):
    studied = make_topic("已学议题", released=date(2022, 3, 1))
    waiting = make_topic("待学议题", released=date(2022, 3, 2))
    for t in (studied, waiting):
        services.topic_push(actor=SYSTEM, topic=t, orgs=[world.org_a], pushed_on=t.released_on)
    make_meeting(world.org_a, K.COMMITTEE_MEETING, date(2022, 3, 5), first_topic=studied)
    overdue = api(cast.secretary_a, "GET", "/topics", status="overdue", on="2022-12-31").json()["items"]
    assert [t["name"] for t in overdue] == ["待学议题"]
    assert api(cast.secretary_a, "GET", "/topics", status="pending", on="2022-12-31").json()["items"] == []
    found = api(cast.secretary_a, "GET", "/topics", q="已学").json()["items"]
    assert [t["name"] for t in found] == ["已学议题"]


def test_a_deleted_topic_comes_back_as_a_tombstone(world, cast, api):
    with time_machine.travel("2022-05-01 10:00 +0800", tick=False):
        topic = make_topic("误录议题")
    since = "2022-06-01T00:00:00+08:00"
    services.topic_delete(actor=SYSTEM, topic=topic)
    page = api(cast.committee, "GET", "/topics", updated_since=since).json()
    assert page["items"] == [] and [d["id"] for d in page["deleted"]] == [str(topic.pk)]


def test_deletions_are_paged_with_the_records_however_many_there_are(world, cast, api):
    with time_machine.travel("2022-05-01 10:00 +0800", tick=False):
        kept = make_topic("保留议题")
        doomed = [make_topic(f"误录议题{n}") for n in range(5)]
    since = "2022-06-01T00:00:00+08:00"
    for topic in doomed:
        services.topic_delete(actor=SYSTEM, topic=topic)
    services.topic_save(actor=SYSTEM, topic=kept, values={"source": "新华社"})  # one record changed as well
    seen, pages, cursor = [], 0, None
    while True:
        query = {"updated_since": since, "limit": 2, **({"cursor": cursor} if cursor else {})}
        page = api(cast.committee, "GET", "/topics", **query).json()
        pages += 1
        assert len(page["deleted"]) <= 2
        seen += [d["id"] for d in page["deleted"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(str(t.pk) for t in doomed) and pages == 3
    assert api(cast.committee, "GET", "/topics", updated_since=since).json()["items"][0]["id"] == kept.pk


# --- meetings: scope ----------------------------------------------------------------------------


def test_meetings_are_scoped_as_on_the_meetings_page(world, cast, api):
    a = make_meeting(world.org_a, K.THEME_DAY, date(2022, 5, 1), title="安徽主题党日")
    make_meeting(world.org_b, K.THEME_DAY, date(2022, 5, 1), title="浙江主题党日")
    assert _titles(api(cast.committee, "GET", "/meetings")) == {"安徽主题党日", "浙江主题党日"}
    assert _titles(api(cast.secretary_b, "GET", "/meetings")) == {"浙江主题党日"}
    assert _titles(api(cast.member_a, "GET", "/meetings")) == {"安徽主题党日"}
    assert api(cast.secretary_b, "GET", f"/meetings/{a.pk}").status_code == 404
    assert api(cast.handler, "GET", "/meetings").status_code == 403
    # Filtering for an org outside the scope finds nothing rather than leaking it.
    assert _titles(api(cast.secretary_b, "GET", "/meetings", party_org_id=world.org_a.pk)) == set()


def test_meeting_filters_mirror_the_page(world, cast, api):
    make_meeting(world.org_a, K.THEME_DAY, date(2022, 5, 1), title="五月主题党日")
    make_meeting(world.org_a, K.PARTY_LECTURE, date(2022, 6, 1), title="六月党课")
    make_meeting(world.org_b, K.THEME_DAY, date(2021, 5, 1), title="去年主题党日")
    assert _titles(api(cast.committee, "GET", "/meetings", kind="theme_day", year=2022)) == {"五月主题党日"}
    assert _titles(api(cast.committee, "GET", "/meetings", party_org_id=world.org_b.pk)) == {"去年主题党日"}
    assert _titles(api(cast.committee, "GET", "/meetings", held_from="2022-05-15",
                       held_to="2022-12-31")) == {"六月党课"}
    backwards = api(cast.committee, "GET", "/meetings", held_from="2022-06-01", held_to="2022-05-01")
    assert backwards.status_code == 422 and "结束日不能早于开始日" in backwards.json()["error"]["fields"]["held_to"][0]
    bad_kind = api(cast.committee, "GET", "/meetings", kind="picnic")
    assert bad_kind.status_code == 400 and "kind" in bad_kind.json()["error"]["fields"]


# --- meetings: recording ------------------------------------------------------------------------------


def _body(world, **over):
    return {"party_org_id": world.org_a.pk, "kind": "committee_meeting", "title": "11月支委会",
            "held_on": "2022-11-01", "start_time": "19:30", "chair_id": world.person_a.pk, **over}


def test_a_meeting_recorded_through_the_api_is_on_the_meetings_page(world, cast, api, client_for):
    topic = make_topic("学习贯彻党的二十大精神", released=date(2022, 10, 23))
    further = make_topic("民营经济促进法", released=date(2022, 10, 1))
    response = api(cast.secretary_a, "POST", "/meetings",
                   _body(world, first_topic_id=topic.pk, topic_ids=[further.pk], study_form="relay"))
    assert response.status_code == 201, response.content.decode()
    made = response.json()
    assert made["first_topic_name"] == topic.name and [t["name"] for t in made["topics"]] == [further.name]
    assert made["chair"]["name"] == world.person_a.name and made["held_at"].startswith("2022-11-01T")
    page = client_for(cast.secretary_a).get(reverse("agenda:meeting_list")).content.decode()
    assert "11月支委会" in page


def test_secretary_b_cannot_record_a_meeting_for_org_a(world, cast, api):
    response = api(cast.secretary_b, "POST", "/meetings", _body(world, no_topic_reason="专题会议"))
    assert response.status_code == 404 and "党组织" in response.json()["error"]["message"]
    refused = api(cast.instructor, "POST", "/meetings", _body(world, no_topic_reason="专题会议"))
    assert refused.status_code == 403 and refused.json()["error"]["message"] == "您的角色无权记录会议"
    assert not Meeting.objects.exists()


def test_the_services_rules_come_back_as_422_with_chinese_field_messages(world, cast, api):
    no_topic = api(cast.secretary_a, "POST", "/meetings", _body(world))
    assert no_topic.status_code == 422
    assert "未学习第一议题时请填写原因" in no_topic.json()["error"]["fields"]["no_topic_reason"][0]
    bad_time = api(cast.secretary_a, "POST", "/meetings", _body(world, start_time="7点", no_topic_reason="专题"))
    assert bad_time.status_code == 422 and "HH:MM" in bad_time.json()["error"]["fields"]["start_time"][0]
    malformed = api(cast.secretary_a, "POST", "/meetings", _body(world, held_on="上周五"))
    assert malformed.status_code == 400 and malformed.json()["error"]["fields"]["held_on"] == ["应为日期（YYYY-MM-DD）"]
    assert not Meeting.objects.exists()


def test_the_secretary_ticks_attendance_on_the_roster(world, cast, api):
    meeting = make_meeting(world.org_a, K.THEME_DAY, date(2022, 5, 1))
    detail = api(cast.secretary_a, "GET", f"/meetings/{meeting.pk}").json()
    assert {p["name"] for p in detail["roster"]} == {world.person_a.name, world.member_a.name}
    response = api(cast.secretary_a, "PUT", f"/meetings/{meeting.pk}/attendance",
                   {"present_ids": [world.member_a.pk], "reasons": {str(world.person_a.pk): "出差"}})
    assert response.status_code == 200, response.content.decode()
    out = response.json()
    assert (out["present_count"], out["expected_count"]) == (1, 2)
    assert {(a["person_name"], a["present"], a["reason"]) for a in out["attendance"]} == {
        (world.member_a.name, True, ""), (world.person_a.name, False, "出差")}
    stray = api(cast.secretary_a, "PUT", f"/meetings/{meeting.pk}/attendance", {"present_ids": [world.person_b.pk]})
    assert stray.status_code == 422 and "不是会议当天本党组织的党员" in stray.json()["error"]["message"]
    assert api(cast.member_a, "PUT", f"/meetings/{meeting.pk}/attendance", {"present_ids": []}).status_code == 403


# --- sign-in ------------------------------------------------------------------------------------


def test_a_member_signs_in_with_the_meetings_code(world, cast, api):
    meeting = make_meeting(world.org_a, K.THEME_DAY, timezone.localdate())
    code = api(cast.secretary_a, "GET", f"/meetings/{meeting.pk}").json()["sign_in_code"]
    assert code == signing.dumps(meeting.pk, salt=SIGN_IN_SALT)
    assert api(cast.member_a, "GET", f"/meetings/{meeting.pk}").json()["sign_in_code"] is None

    wrong = api(cast.member_a, "POST", "/sign-in", {"code": code[:-3] + "xyz"})
    assert wrong.status_code == 422 and "签到码无效" in wrong.json()["error"]["fields"]["code"][0]
    response = api(cast.member_a, "POST", "/sign-in", {"code": code})
    assert response.status_code == 200, response.content.decode()
    assert response.json()["person_name"] == world.member_a.name and response.json()["signed_in_at"]
    row = Attendance.objects.get(meeting=meeting, person=world.member_a)
    assert row.present and row.signed_in_at is not None
    assert api(cast.secretary_b, "POST", "/sign-in", {"code": code}).status_code == 404
    nobody = api(cast.committee, "POST", "/sign-in", {"code": code})
    assert nobody.status_code == 422 and "没有关联人员信息" in nobody.json()["error"]["message"]


def test_the_code_works_only_on_the_meeting_day(world, cast, api):
    meeting = make_meeting(world.org_a, K.THEME_DAY, timezone.localdate() - timedelta(days=1))
    response = api(cast.member_a, "POST", "/sign-in", {"code": signing.dumps(meeting.pk, salt=SIGN_IN_SALT)})
    assert response.status_code == 422 and "只在会议当天有效" in response.json()["error"]["message"]
    assert not Attendance.objects.filter(meeting=meeting).exists()


# --- paging and sync ------------------------------------------------------------------------------


def test_cursor_paging_walks_every_meeting_once(world, cast, api):
    made = {make_meeting(world.org_a, K.THEME_DAY, date(2022, 1, 1) + timedelta(days=i)).pk for i in range(5)}
    seen, cursor, pages = [], None, 0
    while True:
        query = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = api(cast.secretary_a, "GET", "/meetings", **query).json()
        seen += [m["id"] for m in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert pages == 3 and len(seen) == 5 and set(seen) == made


def test_updated_since_returns_changed_meetings_and_tombstones_of_deleted_ones(world, cast, api):
    with time_machine.travel("2022-05-01 10:00 +0800", tick=False):
        kept = make_meeting(world.org_a, K.THEME_DAY, date(2022, 4, 1), title="未改的会议")
        changed = make_meeting(world.org_a, K.THEME_DAY, date(2022, 4, 2), title="原标题")
        gone = make_meeting(world.org_a, K.THEME_DAY, date(2022, 4, 3), title="误录的会议")
    since = "2022-06-01T00:00:00+08:00"
    services.meeting_save(actor=SYSTEM, meeting=changed, values={"title": "改后的标题"})
    services.meeting_delete(actor=SYSTEM, meeting=gone)
    page = api(cast.secretary_a, "GET", "/meetings", updated_since=since).json()
    assert [m["title"] for m in page["items"]] == ["改后的标题"]
    assert [d["id"] for d in page["deleted"]] == [str(gone.pk)]
    assert page["deleted"][0]["ref"] == ""  # the 编号 of what went only to federation-wide readers
    committee = api(cast.committee, "GET", "/meetings", updated_since=since).json()
    assert [(d["id"], d["ref"]) for d in committee["deleted"]] == [(str(gone.pk), gone.ref)]
    assert kept.pk not in [m["id"] for m in page["items"]]
    assert api(cast.secretary_a, "GET", "/meetings").json()["deleted"] == []  # a full list needs none


# --- query bounds ---------------------------------------------------------------------------------


def _fill(world, n, start):
    for i in range(start, start + n):
        t = make_topic(f"议题{i}", released=date(2022, 1, 1) + timedelta(days=i))
        services.topic_push(actor=SYSTEM, topic=t, orgs=[world.org_a, world.org_b], pushed_on=t.released_on)
        make_meeting(world.org_a, K.COMMITTEE_MEETING, date(2022, 2, 1) + timedelta(days=i), first_topic=t)


@pytest.mark.parametrize("path", ["/topics", "/meetings"])
@pytest.mark.parametrize("who", ["committee", "secretary_a"])
def test_lists_make_the_same_queries_at_2_and_20_rows(world, cast, api, django_assert_max_num_queries, path, who):
    user = getattr(cast, who)
    api(user, "GET", path)  # the token is made on the first call
    counts = []
    for start, n in ((0, 2), (2, 18)):  # 2, then 20 rows
        _fill(world, n, start)
        with CaptureQueriesContext(connection) as ctx:
            response = api(user, "GET", path, limit=50)
        assert len(response.json()["items"]) == start + n
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(12):  # topics: two more for the first meetings, whatever the number
        api(user, "GET", path, limit=50)

"""The agenda pages as a user meets them: what they list, what a secretary
records, the QR sign-in, and a fixed number of queries whatever the rows."""

from datetime import date, timedelta

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fourfirsts.agenda import services
from fourfirsts.agenda.models import Attendance, Meeting, TopicPush
from fourfirsts.agenda.views import SIGN_IN_SALT
from tests.agenda.conftest import SYSTEM, make_meeting, make_topic

K = Meeting.Kind


def _fill(world, n):
    for i in range(n):
        t = make_topic(f"议题{i}", released=date(2022, 1, 1) + timedelta(days=i))
        services.topic_push(actor=SYSTEM, topic=t, orgs=[world.org_a], pushed_on=t.released_on)
        make_meeting(world.org_a, K.COMMITTEE_MEETING, date(2022, 2, 1) + timedelta(days=i), first_topic=t,
                     chair=world.person_a)
        services.training_class_save(actor=SYSTEM, values={"name": f"培训班{i}", "mode": "online",
                                                           "starts_on": date(2022, 3, 1), "ends_on": date(2022, 3, 2)})
        services.lecture_save(actor=SYSTEM, values={"title": f"讲座{i}", "speaker": "刘教授",
                                                    "held_on": date(2022, 4, 1)})


PAGES = [
    ("agenda:topic_list", None),
    ("agenda:meeting_list", None),
    ("agenda:class_list", None),
    ("agenda:lecture_list", None),
    ("agenda:compliance", None),
    ("agenda:org_agenda", "org"),
    ("agenda:compliance_org", "org"),
]


@pytest.mark.parametrize("name,arg", PAGES)
def test_lists_make_the_same_queries_at_2_and_20_rows(world, cast, client_for, django_assert_max_num_queries,
                                                      name, arg):
    client = client_for(cast.secretary_a)
    url = reverse(name, args=[world.org_a.pk] if arg else [])
    counts = []
    for n in (2, 18):  # 2, then 20 rows
        _fill(world, n)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(20):
        client.get(url)


def test_meeting_list_filters_and_scopes(world, cast, client_for):
    make_meeting(world.org_a, K.THEME_DAY, date(2022, 5, 1), title="安徽主题党日")
    make_meeting(world.org_b, K.THEME_DAY, date(2022, 5, 1), title="浙江主题党日")
    make_meeting(world.org_a, K.PARTY_LECTURE, date(2021, 5, 1), title="安徽党课")
    page = client_for(cast.secretary_a).get(reverse("agenda:meeting_list")).content.decode()
    assert "安徽主题党日" in page and "浙江主题党日" not in page
    page = client_for(cast.committee).get(reverse("agenda:meeting_list"), {"year": 2022, "kind": "theme_day"})
    text = page.content.decode()
    assert "安徽主题党日" in text and "浙江主题党日" in text and "安徽党课" not in text
    member = client_for(cast.member_a).get(reverse("agenda:meeting_list")).content.decode()
    assert "安徽主题党日" in member and "浙江主题党日" not in member


def test_with_many_party_orgs_the_meeting_filter_searches_them_by_name(world, cast, client_for, monkeypatch):
    from fourfirsts.core import forms as core_forms

    make_meeting(world.org_a, K.THEME_DAY, date(2022, 5, 1), title="安徽主题党日")
    make_meeting(world.org_b, K.THEME_DAY, date(2022, 5, 2), title="浙江主题党日")
    client = client_for(cast.committee)
    page = client.get(reverse("agenda:meeting_list")).content.decode()
    assert '<select name="party_org"' in page and 'name="party_org_name"' not in page
    monkeypatch.setattr(core_forms, "CHOICES_MAX", 1)  # a province's 3,000 orgs, in small
    page = client.get(reverse("agenda:meeting_list")).content.decode()
    assert 'name="party_org_name"' in page and '<select name="party_org"' not in page
    page = client.get(reverse("agenda:meeting_list"), {"party_org_name": world.org_b.name}).content.decode()
    assert "浙江主题党日" in page and "安徽主题党日" not in page
    page = client.get(reverse("agenda:meeting_list"), {"party_org": world.org_a.pk}).content.decode()
    assert "安徽主题党日" in page and "浙江主题党日" not in page  # a link by id still filters


def test_a_secretary_records_a_committee_meeting_that_studies_a_pushed_topic(world, cast, client_for, topic):
    services.topic_push(actor=SYSTEM, topic=topic, orgs=[world.org_a, world.org_b], pushed_on=date(2022, 3, 1))
    client = client_for(cast.secretary_a)
    response = client.post(reverse("agenda:meeting_create"), {
        "party_org": world.org_a.pk, "kind": "committee_meeting", "title": "3月支委会", "held_on": "2022-03-05",
        "start_time": "19:30", "first_topic": topic.pk, "study_form": "relay", "chair": world.person_a.pk})
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting = Meeting.objects.get(title="3月支委会")
    assert response.url == reverse("agenda:meeting_attendance", args=[meeting.pk])
    response = client.post(response.url, {f"present_{world.person_a.pk}": "1",
                                          f"reason_{world.member_a.pk}": "出差"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.expected_count, meeting.present_count) == (2, 1)
    detail = client_for(cast.committee).get(reverse("agenda:topic_detail", args=[topic.pk]), {"on": "2022-03-20"})
    pushes = {p.party_org_id: p.status.pending for p in detail.context["pushes"]}
    assert pushes == {world.org_a.pk: False, world.org_b.pk: True}
    # Secretary B cannot choose A's org, nor record for it by posting its id.
    response = client_for(cast.secretary_b).post(reverse("agenda:meeting_create"), {
        "party_org": world.org_a.pk, "kind": "theme_day", "title": "x", "held_on": "2022-03-05",
        "start_time": "09:00"})
    assert response.status_code == 200 and not Meeting.objects.filter(title="x").exists()


def test_ft1_reason_is_asked_on_the_form(world, cast, client_for):
    response = client_for(cast.secretary_a).post(reverse("agenda:meeting_create"), {
        "party_org": world.org_a.pk, "kind": "general_meeting", "title": "党员大会", "held_on": "2022-03-05",
        "start_time": "09:00"})
    assert response.status_code == 200
    assert "请填写原因" in response.content.decode()


def test_a_member_signs_in_with_the_meetings_qr_code(world, cast, client_for):
    today = timezone.localdate()
    meeting = make_meeting(world.org_a, K.THEME_DAY, today)
    qr = client_for(cast.secretary_a).get(reverse("agenda:meeting_qr", args=[meeting.pk]))
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    url = reverse("agenda:meeting_sign_in", args=[signing.dumps(meeting.pk, salt=SIGN_IN_SALT)])
    client = client_for(cast.member_a)
    assert client.post(url).status_code == 302
    assert Attendance.objects.get(meeting=meeting, person=world.member_a).present
    assert client.get(reverse("agenda:meeting_sign_in", args=["forged"])).status_code == 404
    assert client_for(cast.secretary_b).get(url).status_code == 404


def test_topic_push_page_pushes_to_all(world, cast, client_for, topic):
    response = client_for(cast.committee).post(reverse("agenda:topic_push", args=[topic.pk]),
                                               {"everyone": "on", "pushed_on": "2022-03-02"})
    assert response.status_code == 302
    assert TopicPush.objects.filter(topic=topic).count() == 3


def test_compliance_year_view_shows_missing_slots(world, cast, client_for):
    make_meeting(world.org_a, K.THEME_DAY, date(2022, 1, 10))
    response = client_for(cast.secretary_a).get(reverse("agenda:compliance_org", args=[world.org_a.pk]),
                                                {"year": 2022})
    assert response.context["met"] == 1 and response.context["required"] == 23
    rollup = client_for(cast.secretary_a).get(reverse("agenda:compliance"), {"year": 2022})
    assert [r["org"] for r in rollup.context["rows"]] == [world.org_a]


def test_the_committee_adds_participants_and_ticks_who_completed(world, cast, client_for):
    tc = services.training_class_save(actor=SYSTEM, values={"name": "书记培训班", "mode": "offline",
                                                             "starts_on": date(2022, 4, 1), "ends_on": date(2022, 4, 3)})
    url = reverse("agenda:class_detail", args=[tc.pk])
    client = client_for(cast.committee)
    assert client.post(url, {"action": "add", "person": world.person_a.pk}).status_code == 302
    assert client.post(url, {"action": "add", "person": world.member_a.pk}).status_code == 302
    again = client.post(url, {"action": "add", "person": world.member_a.pk})
    assert again.status_code == 200 and "已在本培训班" in again.content.decode()
    row = tc.participants.get(person=world.member_a)
    assert client.post(url, {"action": "completion", "completed": [row.pk]}).status_code == 302
    assert {p.person_id: p.completed for p in tc.participants.all()} == {world.person_a.pk: False,
                                                                         world.member_a.pk: True}
    assert client_for(cast.secretary_a).post(url, {"action": "completion"}).status_code == 403


def test_photos_and_attachments_go_through_the_core_limits(world, cast, client_for, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from fourfirsts.core import attachments

    settings.MEDIA_ROOT = tmp_path
    client = client_for(cast.secretary_a)
    data = {"party_org": world.org_a.pk, "kind": "theme_day", "title": "5月主题党日", "held_on": "2022-05-10",
            "start_time": "09:00"}
    bad = client.post(reverse("agenda:meeting_create"), {
        **data, "attachment": [SimpleUploadedFile("签到表.exe", b"MZ", content_type="application/octet-stream")]})
    assert bad.status_code == 200 and "类型不允许" in bad.content.decode()
    assert not Meeting.objects.filter(title="5月主题党日").exists()
    good = client.post(reverse("agenda:meeting_create"), {**data, "attachment": [
        SimpleUploadedFile("合影.png", b"\x89PNG data", content_type="image/png"),
        SimpleUploadedFile("会议记录.pdf", b"%PDF-1.4 x", content_type="application/pdf")]})
    assert good.status_code == 302
    meeting = Meeting.objects.get(title="5月主题党日")
    files = {a.name: a.purpose for a in attachments.attachments_of(meeting)}
    assert files == {"合影.png": "photo", "会议记录.pdf": ""}
    page = client_for(cast.member_a).get(reverse("agenda:meeting_detail", args=[meeting.pk])).content.decode()
    assert "合影.png" in page

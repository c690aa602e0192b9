"""Editing classes and lectures (the committee, through the services) and
deleting meetings and topics: a confirmation page, then a POST that leaves a
tombstone for every row that goes, so API clients can sync."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fourfirsts.agenda import services
from fourfirsts.agenda.models import (
    Attendance,
    Lecture,
    Meeting,
    MeetingTopic,
    Topic,
    TopicPush,
    TrainingClass,
)
from fourfirsts.core import attachments
from fourfirsts.core.actors import Actor
from fourfirsts.core.models import Attachment, Tombstone
from tests.agenda.conftest import SYSTEM, make_meeting, make_topic

K = Meeting.Kind


def _class(name="书记培训班"):
    return services.training_class_save(actor=SYSTEM, values={"name": name, "mode": "offline",
                                                               "starts_on": date(2022, 4, 1),
                                                               "ends_on": date(2022, 4, 3)})


def _lecture():
    return services.lecture_save(actor=SYSTEM, values={"title": "民营经济政策解读", "speaker": "刘教授",
                                                       "held_on": date(2022, 6, 18)})


def _tombstones(obj):
    return Tombstone.objects.filter(model=obj._meta.label_lower, object_pk=str(obj.pk))


# --- editing classes and lectures ------------------------------------------------------------


def test_the_committee_edits_a_class_through_the_service(world, cast, client_for):
    tc = _class()
    url = reverse("agenda:class_edit", args=[tc.pk])
    client = client_for(cast.committee)
    page = client.get(url)
    assert page.status_code == 200 and "书记培训班" in page.content.decode()
    data = {"name": "商协会党组织书记培训班", "mode": "hybrid", "starts_on": "2022-04-01", "ends_on": "2022-04-05",
            "hours": "32", "organiser": "娄底市工商联商协会党委"}
    response = client.post(url, data)
    assert response.status_code == 302 and response.url == reverse("agenda:class_detail", args=[tc.pk])
    tc.refresh_from_db()
    assert (tc.name, tc.mode, tc.ends_on, tc.hours) == ("商协会党组织书记培训班", "hybrid", date(2022, 4, 5), 32)
    assert tc.search_key and tc.history.latest().history_user == cast.committee
    # The service's rule comes back on the form, and nothing is saved.
    bad = client.post(url, {**data, "ends_on": "2022-03-01"})
    assert bad.status_code == 200 and "结束日期不能早于开始日期" in bad.content.decode()
    assert TrainingClass.objects.get(pk=tc.pk).ends_on == date(2022, 4, 5)
    for user in (cast.secretary_a, cast.leader, cast.member_a):
        assert client_for(user).get(url).status_code == 403
        assert client_for(user).post(url, data).status_code == 403
    detail = client_for(cast.committee).get(reverse("agenda:class_detail", args=[tc.pk])).content.decode()
    assert url in detail


def test_the_committee_edits_a_lecture_through_the_service(world, cast, client_for):
    lecture = _lecture()
    url = reverse("agenda:lecture_edit", args=[lecture.pk])
    client = client_for(cast.committee)
    assert url in client.get(reverse("agenda:lecture_list")).content.decode()
    assert url not in client_for(cast.secretary_a).get(reverse("agenda:lecture_list")).content.decode()
    client = client_for(cast.committee)
    data = {"title": "民营经济政策解读（二）", "speaker": "陈教授", "held_on": "2022-06-19", "place": "报告厅",
            "audience": "210"}
    response = client.post(url, data)
    assert response.status_code == 302 and response.url == reverse("agenda:lecture_list")
    lecture.refresh_from_db()
    assert (lecture.title, lecture.speaker, lecture.audience) == ("民营经济政策解读（二）", "陈教授", 210)
    bad = client.post(url, {**data, "audience": "-1"})
    assert bad.status_code == 200 and Lecture.objects.get(pk=lecture.pk).audience == 210
    assert client_for(cast.secretary_a).post(url, data).status_code == 403
    with pytest.raises(PermissionDenied):
        services.lecture_save(actor=Actor.of(cast.secretary_a), values={"title": "x"}, lecture=lecture)


def test_edit_pages_make_the_same_queries_whatever_the_rows(world, cast, client_for):
    tc, lecture = _class(), _lecture()
    client = client_for(cast.committee)
    urls = [reverse("agenda:class_edit", args=[tc.pk]), reverse("agenda:lecture_edit", args=[lecture.pk])]
    client.get(urls[0])  # the session and the settings cache warm up
    counts = []
    for n, people in ((2, [world.person_a]), (18, [world.member_a, world.person_b])):
        for i in range(n):
            _class(f"培训班{n}-{i}")
            _lecture()
        for person in people:
            services.class_participant_add(actor=SYSTEM, training_class=tc, person=person)
        with CaptureQueriesContext(connection) as ctx:
            for url in urls:
                assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 24, counts


# --- deleting a meeting ----------------------------------------------------------------------


def _studied_meeting(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    first, other = make_topic("第一议题", date(2022, 3, 1)), make_topic("其他议题", date(2022, 3, 2))
    meeting = make_meeting(world.org_a, K.COMMITTEE_MEETING, date(2022, 3, 10), first_topic=first, topics=[other])
    services.meeting_attendance_record(actor=SYSTEM, meeting=meeting, present_ids={world.person_a.pk},
                                       reasons={world.member_a.pk: "出差"})
    attachments.attach(owner=meeting, upload=SimpleUploadedFile("合影.png", b"\x89PNG x", content_type="image/png"),
                       actor=SYSTEM, purpose="photo")
    return meeting


def test_the_orgs_secretary_deletes_a_meeting_leaving_tombstones(world, cast, client_for, settings, tmp_path,
                                                                 django_capture_on_commit_callbacks):
    meeting = _studied_meeting(world, settings, tmp_path)
    rows = [*Attendance.objects.filter(meeting=meeting), *MeetingTopic.objects.filter(meeting=meeting)]
    files = list(attachments.attachments_of(meeting))
    stored = files[0].file.path
    url = reverse("agenda:meeting_delete", args=[meeting.pk])
    client = client_for(cast.secretary_a)
    assert url in client.get(reverse("agenda:meeting_detail", args=[meeting.pk])).content.decode()
    confirm = client.get(url)
    assert confirm.status_code == 200 and "确认删除" in confirm.content.decode()
    assert Meeting.objects.filter(pk=meeting.pk).exists()  # asking deletes nothing
    # Others: B's secretary does not learn it exists, readers may not.
    assert client_for(cast.secretary_b).post(url).status_code == 404
    for user in (cast.leader, cast.instructor, cast.member_a):
        assert client_for(user).post(url).status_code == 403
    assert Meeting.objects.filter(pk=meeting.pk).exists()

    client = client_for(cast.secretary_a)  # one test client, signed in as each user in turn
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302 and response.url == reverse("agenda:meeting_list")
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    assert len(rows) == 3 and not Attendance.objects.filter(pk__in=[r.pk for r in rows[:2]]).exists()
    assert not Attachment.objects.filter(pk=files[0].pk).exists()
    import os

    assert not os.path.exists(stored)
    stone = _tombstones(meeting).get()
    assert stone.ref == meeting.ref and stone.deleted_by == str(Actor.of(cast.secretary_a)) and stone.deleted_at
    for row in [*rows, *files]:
        assert _tombstones(row).get().ref == getattr(row, "ref", "")
    assert meeting.history.filter(history_type="-").get().history_user == cast.secretary_a
    assert client.get(url).status_code == 404


def test_the_committee_deletes_any_orgs_meeting(world, cast, client_for):
    meeting = make_meeting(world.org_b, K.THEME_DAY)
    assert client_for(cast.committee).post(reverse("agenda:meeting_delete", args=[meeting.pk])).status_code == 302
    assert not Meeting.objects.filter(pk=meeting.pk).exists() and _tombstones(meeting).exists()


def test_meeting_delete_service_checks_the_actor(world, cast):
    meeting = make_meeting(world.org_a, K.THEME_DAY)
    with pytest.raises(ValidationError):
        services.meeting_delete(actor=Actor.of(cast.secretary_b), meeting=meeting)
    with pytest.raises(PermissionDenied):
        services.meeting_delete(actor=Actor.of(cast.member_a), meeting=meeting)
    assert Meeting.objects.filter(pk=meeting.pk).exists() and not _tombstones(meeting).exists()


# --- deleting a topic ------------------------------------------------------------------------


def test_the_committee_deletes_an_unstudied_topic_with_its_pushes(world, cast, client_for):
    topic = make_topic("待删除的议题")
    pushes = services.topic_push(actor=SYSTEM, topic=topic, orgs=[world.org_a, world.org_b],
                                 pushed_on=date(2022, 3, 1))
    url = reverse("agenda:topic_delete", args=[topic.pk])
    client = client_for(cast.committee)
    assert url in client.get(reverse("agenda:topic_detail", args=[topic.pk])).content.decode()
    assert client.get(url).status_code == 200
    for user in (cast.secretary_a, cast.leader, cast.instructor, cast.member_a):
        assert client_for(user).post(url).status_code == 403
    assert client_for(cast.sysadmin).post(url).status_code == 403
    assert Topic.objects.filter(pk=topic.pk).exists()

    response = client_for(cast.committee).post(url)
    assert response.status_code == 302 and response.url == reverse("agenda:topic_list")
    assert not Topic.objects.filter(pk=topic.pk).exists()
    assert not TopicPush.objects.filter(pk__in=[p.pk for p in pushes]).exists()
    assert _tombstones(topic).get().ref == topic.ref
    assert all(_tombstones(p).get().ref == p.ref for p in pushes)


@pytest.mark.parametrize("how", ["first", "further"])
def test_a_topic_an_org_studied_cannot_be_deleted(world, cast, client_for, how):
    topic = make_topic("已学习的议题")
    services.topic_push(actor=SYSTEM, topic=topic, orgs=[world.org_a], pushed_on=date(2022, 3, 1))
    if how == "first":
        make_meeting(world.org_a, K.COMMITTEE_MEETING, first_topic=topic)
    else:
        make_meeting(world.org_a, K.THEME_DAY, topics=[topic])
    url = reverse("agenda:topic_delete", args=[topic.pk])
    client = client_for(cast.committee)
    confirm = client.get(url).content.decode()
    assert "已有1个党组织学习过该议题，不能删除" in confirm and "confirm-delete" not in confirm
    refused = client.post(url)
    assert refused.status_code == 200 and "已有1个党组织学习过该议题，不能删除" in refused.content.decode()
    with pytest.raises(ValidationError) as e:
        services.topic_delete(actor=Actor.of(cast.committee), topic=topic)
    assert "不能删除" in e.value.messages[0]
    assert Topic.objects.filter(pk=topic.pk).exists() and topic.pushes.count() == 1
    assert not Tombstone.objects.exists()


def test_delete_pages_make_a_bounded_number_of_queries(world, cast, client_for, django_assert_max_num_queries):
    topic = make_topic()
    meeting = make_meeting(world.org_a, K.THEME_DAY)
    client = client_for(cast.committee)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("agenda:topic_delete", args=[topic.pk])).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("agenda:meeting_delete", args=[meeting.pk])).status_code == 200

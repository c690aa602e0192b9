"""The rules the services enforce, with the messages a user would read."""

from datetime import date, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from fourfirsts.agenda import services, timeliness
from fourfirsts.agenda.models import Attendance, Meeting, TopicPush
from fourfirsts.core.actors import Actor
from tests.agenda.conftest import SYSTEM, make_meeting, make_topic

K = Meeting.Kind


def test_a_secretary_records_only_for_their_own_org(world, cast):
    make_meeting(world.org_a, K.THEME_DAY, actor=Actor.of(cast.secretary_a))
    with pytest.raises(ValidationError) as e:
        make_meeting(world.org_a, K.THEME_DAY, actor=Actor.of(cast.secretary_b))
    assert "本党组织" in e.value.message_dict["party_org"][0]
    with pytest.raises(PermissionDenied):
        make_meeting(world.org_a, K.THEME_DAY, actor=Actor.of(cast.member_a))
    with pytest.raises(PermissionDenied):
        make_meeting(world.org_a, K.THEME_DAY, actor=Actor.of(cast.leader))
    # The committee records for any org, its own included.
    make_meeting(world.committee_org, K.CENTRAL_GROUP, actor=Actor.of(cast.committee), no_topic_reason="x")


def test_ft1_meetings_without_a_first_topic_need_a_reason(world, topic):
    for kind in Meeting.FT1_KINDS:
        with pytest.raises(ValidationError) as e:
            make_meeting(world.org_a, kind, no_topic_reason="")
        assert "第一议题" in e.value.message_dict["no_topic_reason"][0]
    make_meeting(world.org_a, K.COMMITTEE_MEETING, first_topic=topic)
    make_meeting(world.org_a, K.THEME_DAY)  # no FT-1 rule for a theme day


def test_a_meeting_cannot_study_a_topic_released_after_it(world):
    later = make_topic(released=date(2022, 4, 1))
    with pytest.raises(ValidationError) as e:
        make_meeting(world.org_a, K.THEME_DAY, held=date(2022, 3, 10), first_topic=later)
    assert "first_topic" in e.value.message_dict


def test_attendance_comes_from_the_roster_and_counts(world):
    meeting = make_meeting(world.org_a, K.GENERAL_MEETING, date(2022, 6, 1))
    services.meeting_attendance_record(actor=SYSTEM, meeting=meeting, present_ids={world.person_a.pk},
                                       reasons={world.member_a.pk: "出差"})
    meeting.refresh_from_db()
    assert (meeting.expected_count, meeting.present_count) == (2, 1)
    assert Attendance.objects.get(meeting=meeting, person=world.member_a).reason == "出差"
    with pytest.raises(ValidationError):
        services.meeting_attendance_record(actor=SYSTEM, meeting=meeting, present_ids={world.person_b.pk})
    with pytest.raises(ValidationError) as e:
        services.attendance_save(actor=SYSTEM, values={"meeting": meeting, "person": world.person_b,
                                                       "present": True})
    assert "李浙江" in e.value.message_dict["person"][0]


def test_sign_in_works_on_the_meeting_day_only(world):
    meeting = make_meeting(world.org_a, K.THEME_DAY, date(2022, 6, 1))
    on_day = timezone.make_aware(datetime(2022, 6, 1, 8, 55))
    with pytest.raises(ValidationError):
        services.meeting_sign_in(actor=SYSTEM, meeting=meeting, person=world.member_a,
                                 now=timezone.make_aware(datetime(2022, 6, 2, 8, 0)))
    row = services.meeting_sign_in(actor=SYSTEM, meeting=meeting, person=world.member_a, now=on_day)
    assert row.present and row.signed_in_at == on_day
    meeting.refresh_from_db()
    assert (meeting.expected_count, meeting.present_count) == (1, 1)
    with pytest.raises(ValidationError):
        services.meeting_sign_in(actor=SYSTEM, meeting=meeting, person=world.person_b, now=on_day)


def test_pushing_and_studying_shrinks_the_pending_list(world, topic):
    services.topic_push(actor=SYSTEM, topic=topic, orgs=None, pushed_on=date(2022, 3, 1))
    assert TopicPush.objects.filter(topic=topic).count() == 3  # every org in existence
    on = date(2022, 3, 20)
    pending = [p.party_org for p in timeliness.annotate_statuses(TopicPush.objects.filter(topic=topic), on)
               if p.status.pending]
    assert world.org_a in pending
    make_meeting(world.org_a, K.COMMITTEE_MEETING, date(2022, 3, 5), first_topic=topic)
    rows = timeliness.annotate_statuses(TopicPush.objects.filter(topic=topic), on)
    a = next(p for p in rows if p.party_org == world.org_a)
    assert not a.status.pending and a.status.days == 4 and not a.status.late
    assert all(p.status.overdue for p in rows if p.party_org != world.org_a)
    with pytest.raises(ValidationError):
        services.topic_push(actor=SYSTEM, topic=topic, orgs=[world.org_a], pushed_on=date(2022, 2, 1))


def test_only_the_committee_keeps_the_library(world, cast):
    with pytest.raises(PermissionDenied):
        services.topic_save(
            actor=Actor.of(cast.secretary_a), values={"name": "x", "kind": "speech", "released_on": date(2022, 1, 1)})
    with pytest.raises(ValidationError) as e:
        services.training_class_save(actor=Actor.of(cast.committee), values={
            "name": "培训班", "mode": "online", "starts_on": date(2022, 5, 2), "ends_on": date(2022, 5, 1)})
    assert "ends_on" in e.value.message_dict


def test_a_push_tells_the_receiving_orgs_secretaries(world, cast, topic):
    from fourfirsts.core.models import Notification

    services.topic_push(actor=Actor.of(cast.committee), topic=topic, orgs=[world.org_a], pushed_on=date(2022, 3, 1))
    note = Notification.objects.get(recipient=cast.secretary_a)
    assert topic.name in note.title and note.link.endswith(f"/agenda/orgs/{world.org_a.pk}/")
    assert not Notification.objects.filter(recipient=cast.secretary_b).exists()

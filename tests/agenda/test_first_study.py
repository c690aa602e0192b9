"""Each push keeps the org's first meeting that studied its topic (FT-2):
whatever way a meeting is added, moved, changed or deleted, and whichever
comes first, the push or the meeting, the stored first meeting is the one a
search of the meetings would find."""

from datetime import date

from fourfirsts.agenda import services, timeliness
from fourfirsts.agenda.models import Meeting, MeetingTopic, TopicPush
from tests.agenda.conftest import SYSTEM, make_meeting, make_topic

K = Meeting.Kind


def first(org, topic):
    push = TopicPush.objects.get(party_org=org, topic=topic)
    return push.first_studied_on, push.first_meeting_id


def searched(org, topic):
    found = timeliness.first_meetings({(org.pk, topic.pk)}).get((org.pk, topic.pk))
    return (found[1], found[2]) if found else (None, None)


def test_the_first_meeting_follows_every_change_of_the_meetings(world):
    topic = make_topic(released=date(2022, 3, 1))
    other = make_topic("另一个议题", released=date(2022, 3, 1))
    # Studied before it was pushed: the push finds the meeting at once.
    early = make_meeting(world.org_a, K.COMMITTEE_MEETING, date(2022, 3, 5), first_topic=topic)
    services.topic_push(actor=SYSTEM, topic=topic, orgs=[world.org_a, world.org_b], pushed_on=date(2022, 3, 6))
    services.topic_push(actor=SYSTEM, topic=other, orgs=[world.org_a], pushed_on=date(2022, 3, 6))
    assert first(world.org_a, topic) == (date(2022, 3, 5), early.pk)
    assert first(world.org_b, topic) == (None, None)

    # A later meeting studying it as a further topic is not the first; moved earlier, it is.
    later = make_meeting(world.org_a, K.THEME_DAY, date(2022, 3, 20), topics=[topic])
    assert first(world.org_a, topic) == (date(2022, 3, 5), early.pk)
    services.meeting_save(actor=SYSTEM, values={"held_on": date(2022, 3, 3)}, meeting=later)
    assert first(world.org_a, topic) == (date(2022, 3, 3), later.pk)

    # Its topic changed: the first meeting goes back to the earlier one, and the other topic is studied.
    services.meeting_save(actor=SYSTEM, values={}, meeting=later, topics=[other])
    assert first(world.org_a, topic) == (date(2022, 3, 5), early.pk)
    assert first(world.org_a, other) == (date(2022, 3, 3), later.pk)

    # Moved to the other org: the studies go with it.
    services.meeting_save(actor=SYSTEM, values={"party_org": world.org_b, "first_topic": topic}, meeting=later)
    assert first(world.org_a, other) == (None, None)
    assert first(world.org_b, topic) == (date(2022, 3, 3), later.pk)

    # Deleted: the org's next meeting on the topic, if any, becomes the first.
    services.meeting_delete(actor=SYSTEM, meeting=early)
    assert first(world.org_a, topic) == (None, None)
    services.meeting_delete(actor=SYSTEM, meeting=later)
    assert first(world.org_b, topic) == (None, None)


def test_a_further_topic_from_the_workbook_and_a_push_from_it_are_kept_too(world):
    topic = make_topic(released=date(2022, 3, 1))
    meeting = make_meeting(world.org_a, K.THEME_DAY, date(2022, 4, 1))
    push = services.topic_push_save(actor=SYSTEM, values={"topic": topic, "party_org": world.org_a,
                                                          "pushed_on": date(2022, 3, 2)})
    assert (push.first_studied_on, push.first_meeting_id) == (None, None)
    row = services.meeting_topic_save(actor=SYSTEM, values={"meeting": meeting, "topic": topic})
    assert first(world.org_a, topic) == (date(2022, 4, 1), meeting.pk)
    moved = make_meeting(world.org_b, K.THEME_DAY, date(2022, 3, 20))
    services.meeting_topic_save(actor=SYSTEM, values={"meeting": moved}, instance=row)
    assert first(world.org_a, topic) == (None, None)
    assert MeetingTopic.objects.get(pk=row.pk).meeting_id == moved.pk


def test_refreshing_every_push_finds_what_a_search_finds(world):
    """As the migration and the benchmark's generator fill the stored values."""
    topic = make_topic(released=date(2022, 3, 1))
    services.topic_push(actor=SYSTEM, topic=topic, orgs=[world.org_a, world.org_b], pushed_on=date(2022, 3, 2))
    make_meeting(world.org_a, K.COMMITTEE_MEETING, date(2022, 3, 9), first_topic=topic)
    make_meeting(world.org_a, K.THEME_DAY, date(2022, 3, 8), topics=[topic])
    kept = {(p.party_org_id, p.first_studied_on, p.first_meeting_id) for p in TopicPush.objects.all()}
    TopicPush.objects.update(first_meeting=None, first_studied_on=None)
    assert timeliness.refresh_all() == 1
    assert {(p.party_org_id, p.first_studied_on, p.first_meeting_id) for p in TopicPush.objects.all()} == kept
    assert first(world.org_a, topic) == searched(world.org_a, topic)
    assert first(world.org_a, topic)[0] == date(2022, 3, 8)

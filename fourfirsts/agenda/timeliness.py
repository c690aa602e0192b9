"""FT-2: how quickly each org studied the topics pushed to it.

For a push (topic, org): the first meeting of the org that studied the topic,
days from the topic's release to that meeting, and on a report date whether
it is still pending, and pending past the limit (overdue)."""

from dataclasses import dataclass
from datetime import date

from fourfirsts.agenda.models import Meeting, MeetingTopic, TopicPush
from fourfirsts.core import rules
from fourfirsts.core.models import SettingValue

ORG_FILTER_MAX = 500  # beyond this many orgs, read every org's meetings of the topics rather than list the orgs


def first_meetings(wanted: set[tuple[int, int]], meeting_model=Meeting,
                   topic_model=MeetingTopic) -> dict[tuple[int, int], tuple]:
    """{(org id, topic id): (held_at, held_on, meeting id)} of the first meeting
    of each push's org that studied its topic, as the first topic or a
    further one. Two queries for any number of pushes (an OR across the two
    ways, asked per push, does not use an index and took minutes at
    province scale). `wanted` holds the pushes' (org id, topic id) pairs;
    the models are the migration's when it fills the stored values."""
    if not wanted:
        return {}
    topics = {topic for __, topic in wanted}
    orgs = {org for org, __ in wanted}
    as_first = meeting_model.objects.filter(first_topic_id__in=topics)
    as_further = topic_model.objects.filter(topic_id__in=topics)
    if len(orgs) <= ORG_FILTER_MAX:
        as_first = as_first.filter(party_org_id__in=orgs)
        as_further = as_further.filter(meeting__party_org_id__in=orgs)
    first: dict[tuple[int, int], tuple] = {}
    for rows in (
        as_first.values_list("party_org_id", "first_topic_id", "held_at", "held_on", "id"),
        as_further.values_list("meeting__party_org_id", "topic_id", "meeting__held_at", "meeting__held_on",
                               "meeting_id"),
    ):
        for org, topic, held_at, held_on, meeting in rows.iterator(chunk_size=5000):
            key = (org, topic)
            if key in wanted and (key not in first or (held_at, meeting) < (first[key][0], first[key][2])):
                first[key] = (held_at, held_on, meeting)
    return first


def refresh(pairs, push_model=TopicPush, meeting_model=Meeting, topic_model=MeetingTopic) -> int:
    """Store on each push of the (org id, topic id) pairs its first meeting and
    day: called by every service that adds, moves or removes a meeting or a
    topic studied at one, and by a push's creation. Returns the pushes changed."""
    pairs = set(pairs)
    if not pairs:
        return 0
    first = first_meetings(pairs, meeting_model, topic_model)
    pushes = push_model.objects.filter(party_org_id__in={o for o, __ in pairs}, topic_id__in={t for __, t in pairs})
    changed = []
    for push in pushes.only("id", "party_org_id", "topic_id", "first_meeting_id", "first_studied_on"):
        if (push.party_org_id, push.topic_id) not in pairs:
            continue
        __, day, meeting = first.get((push.party_org_id, push.topic_id), (None, None, None))
        if (push.first_meeting_id, push.first_studied_on) != (meeting, day):
            push.first_meeting_id, push.first_studied_on = meeting, day
            changed.append(push)
    push_model.objects.bulk_update(changed, ["first_meeting", "first_studied_on"], batch_size=1000)
    return len(changed)


def refresh_all(push_model=TopicPush, meeting_model=Meeting, topic_model=MeetingTopic, batch: int = 20_000) -> int:
    """Every push's first meeting (a migration, the benchmark's generator)."""
    changed = 0
    ids = list(push_model.objects.order_by("id").values_list("id", flat=True))
    for start in range(0, len(ids), batch):
        chunk = ids[start:start + batch]
        pairs = set(push_model.objects.filter(id__in=chunk).values_list("party_org_id", "topic_id"))
        changed += refresh(pairs, push_model, meeting_model, topic_model)
    return changed


@dataclass
class Status:
    studied_on: date | None
    days: int | None
    pending: bool
    overdue: bool
    late: bool


KEY = "agenda.timely_days"


def limit_for(released_on: date) -> int:
    return int(rules.value(KEY, on=released_on))


def status(first_studied_on: date | None, released_on: date, report_date: date, limit: int) -> Status:
    studied = first_studied_on if first_studied_on and first_studied_on <= report_date else None
    if studied is not None:
        days = (studied - released_on).days
        return Status(studied, days, False, False, days > limit)
    overdue = (report_date - released_on).days > limit
    return Status(None, None, True, overdue, overdue)


def limits():
    """limit(day): the FT-2 limit in force on a day, from one query."""
    rule = rules.get_rule(KEY)
    changes = list(SettingValue.objects.filter(key=KEY).order_by("effective_from", "id")
                   .values_list("effective_from", "value"))

    def limit(day: date) -> int:
        value = rule.default
        for since, v in changes:
            if since <= day:
                value = v
        return int(value)

    return limit


def annotate_statuses(pushes, report_date: date) -> list[TopicPush]:
    """The pushes (with topic loaded), each with its `.status` on the report
    date from its stored first meeting (`first_studied_on`, `first_meeting_id`)."""
    rows = list(pushes.select_related("topic", "party_org"))
    limit = limits()
    for push in rows:
        released = push.topic.released_on
        push.status = status(push.first_studied_on, released, report_date, limit(released))
    return rows


def counts_by_topic(pushes, report_date: date) -> dict[int, dict[str, int]]:
    """{topic id: {"pushed", "studied", "pending", "overdue"}} over the pushes,
    from two queries whatever their number (no push is loaded as a record)."""
    rows = pushes.order_by().values_list("topic_id", "topic__released_on", "first_studied_on")
    limit = limits()
    counts: dict[int, dict[str, int]] = {}
    for topic, released, studied_on in rows.iterator(chunk_size=5000):
        s = status(studied_on, released, report_date, limit(released))
        c = counts.setdefault(topic, {"pushed": 0, "studied": 0, "pending": 0, "overdue": 0})
        c["pushed"] += 1
        c["overdue" if s.overdue else "pending" if s.pending else "studied"] += 1
    return counts

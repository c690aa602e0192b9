"""FT-2: how quickly each org studied the topics pushed to it.

For a push (topic, org): the first meeting of the org that studied the topic,
days from the topic's release to that meeting, and on a report date whether
it is still pending, and pending past the limit (overdue)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import OuterRef, Q, Subquery

from fourfirsts.agenda.models import Meeting, TopicPush
from fourfirsts.core import rules
from fourfirsts.core.models import SettingValue


def with_first_meeting(pushes):
    first = (
        Meeting.objects.filter(party_org_id=OuterRef("party_org_id"))
        .filter(Q(first_topic_id=OuterRef("topic_id")) | Q(meeting_topics__topic_id=OuterRef("topic_id")))
        .order_by("held_at")
    )
    return pushes.annotate(
        first_studied_on=Subquery(first.values("held_on")[:1]),
        first_meeting_id=Subquery(first.values("id")[:1]),
    )


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


def status(push: TopicPush, released_on: date, report_date: date, limit: int) -> Status:
    studied = push.first_studied_on if push.first_studied_on and push.first_studied_on <= report_date else None
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
    """The pushes (with topic loaded), each with `.status` on the report date."""
    rows = list(with_first_meeting(pushes).select_related("topic", "party_org"))
    limit = limits()
    for push in rows:
        released = push.topic.released_on
        push.status = status(push, released, report_date, limit(released))
    return rows

"""The agenda's to-do items (core.todo): 第一议题 pushed to the user's orgs and
not yet studied, within the FT-2 limit (pending) or past it (overdue), and the
三会一课 of the current period not yet held.

Each links to the page that lists exactly what it counts: the topic list
filtered by study status, the compliance page's current-period view. The
views call the functions below, so page and count agree."""

from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fourfirsts.agenda import compliance, timeliness
from fourfirsts.agenda.models import Topic, TopicPush
from fourfirsts.core import rules, todo
from fourfirsts.core.access import Role
from fourfirsts.core.models import SettingValue
from fourfirsts.registry.models import PartyOrg

PENDING, OVERDUE = "pending", "overdue"
STUDY_STATUS = ((PENDING, gettext_lazy("待学习（未超期）")), (OVERDUE, gettext_lazy("超期未学")))
ROLES = (Role.COMMITTEE, Role.LEADER, Role.SECRETARY, Role.INSTRUCTOR)
ORG_FIELDS = ("id", "name", "kind", "established_on", "dissolved_on", "has_committee", "secretary_id", "sort_key")


def late_q(today: date, field: str = "released_on") -> Q:
    """Released more than the FT-2 limit (the one in force on the release day)
    before today: one query for the limit's dated values, then one condition
    per stretch of release days with the same limit."""
    limits = {}  # from a day on → limit; a later row of the same day wins, as in rules.value
    for since, value in SettingValue.objects.filter(key=timeliness.KEY).order_by("effective_from", "id").values_list(
            "effective_from", "value"):
        limits[since] = int(value)
    stretches = [(None, int(rules.get_rule(timeliness.KEY).default)), *sorted(limits.items())]
    q = None
    for i, (since, limit) in enumerate(stretches):
        part = Q(**{f"{field}__lt": today - timedelta(days=limit)})
        if since is not None:
            part &= Q(**{f"{field}__gte": since})
        if i + 1 < len(stretches):
            part &= Q(**{f"{field}__lt": stretches[i + 1][0]})
        q = part if q is None else q | part
    return q


def unstudied_pushes(user, today: date):
    """Pushes to the user's orgs (made by today) that no meeting of the org has
    studied by today: none stored as its first, or a first one after today."""
    unstudied = Q(first_studied_on__isnull=True) | Q(first_studied_on__gt=today)
    return TopicPush.objects.visible_to(user).filter(unstudied, pushed_on__lte=today, topic__released_on__lte=today)


def topics_to_study(user, today: date):
    """Topics with at least one unstudied push to the user's orgs."""
    return Topic.objects.visible_to(user).filter(
        Exists(unstudied_pushes(user, today).filter(topic_id=OuterRef("pk"))))


def topics_by_status(user, today: date, status: str):
    late = late_q(today)
    return topics_to_study(user, today).filter(late if status == OVERDUE else ~late)


def open_slots(user, today: date) -> list:
    """三会一课 slots of the user's orgs whose period runs today, not yet met;
    each with its `org`."""
    visible = PartyOrg.objects.visible_to(user).only(*ORG_FIELDS)
    orgs = {o.pk: o for o in visible}
    slots = [s for s in compliance.slots_for(visible, today.year, today, running_on=today) if not s.met]
    for s in slots:
        s.org = orgs[s.org_id]
    return sorted(slots, key=lambda s: (s.org.sort_key, s.org_id, s.first, s.kind))


def _topics(status: str) -> str:
    return f"{reverse('agenda:topic_list')}?{urlencode({'status': status})}"


def collect(user, today: date) -> list[todo.Todo]:
    late = late_q(today)
    n = topics_to_study(user, today).aggregate(overdue=Count("id", filter=late),
                                               pending=Count("id", filter=~late))
    slots = open_slots(user, today)
    return [
        todo.Todo(_("超期未学的第一议题"), n["overdue"], _topics(OVERDUE), "danger"),
        todo.Todo(_("本期未开的三会一课"), len(slots),
                  f"{reverse('agenda:compliance')}?{urlencode({'current': 'on'})}", "warning"),
        todo.Todo(_("待学习的第一议题"), n["pending"], _topics(PENDING), "info"),
    ]


todo.register("agenda.study", 10, ROLES, collect)

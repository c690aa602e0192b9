"""发展党员's to-do source: developments with a step due, as the reminders
job computes them (DEV-2 talk, DEV-3 review, DEV-6 approval, DEV-7 end of
probation). Overdue ones are "danger", those due within `SOON_DAYS` "warning";
each links to the board filtered to exactly them (`?due=overdue|soon`)."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils.translation import gettext as _

from fourfirsts.core import todo
from fourfirsts.core.access import Role
from fourfirsts.membership import rules, services, workflow
from fourfirsts.membership.models import Development

SOON_DAYS = 30
OVERDUE, SOON = "overdue", "soon"


def due(developments, today: date) -> dict[str, set[int]]:
    """The ids of `developments` with a step overdue and with one due within
    SOON_DAYS: three queries however many there are."""
    value = rules.snapshot()
    soon_by = today + timedelta(days=SOON_DAYS)
    out: dict[str, set[int]] = {OVERDUE: set(), SOON: set()}
    for pk, facts in services.due_facts(developments.exclude(stage=workflow.FULL)).items():
        for _kind, day, _text in services.steps_due(facts, value):
            if day < today:
                out[OVERDUE].add(pk)
            elif day <= soon_by:
                out[SOON].add(pk)
    return out


def collect(user, today) -> list[todo.Todo]:
    ids = due(Development.objects.visible_to(user), today)
    board = reverse("membership:board")
    return [
        todo.Todo(label=_("发展党员步骤已逾期"), count=len(ids[OVERDUE]), url=f"{board}?due={OVERDUE}",
                  level="danger"),
        todo.Todo(label=_("发展党员步骤%(n)s天内到期") % {"n": SOON_DAYS}, count=len(ids[SOON]),
                  url=f"{board}?due={SOON}", level="warning"),
    ]


todo.register("membership.steps_due", 70, (Role.COMMITTEE, Role.SECRETARY), collect)

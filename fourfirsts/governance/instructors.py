"""INS-1 compliance: an instructor contacts each association weekly and visits
it monthly.

For one assignment over a period [first, last], cut to the days the
assignment was active (since … until):

- contact windows: consecutive windows of `governance.contact_days` (7)
  days from the first active day; only whole windows count; a window is met
  when any log (a contact or a visit) falls in it;
- visit months: calendar months lying wholly in the active days; a month is
  met when a visit (实地走访) falls in it.

The rate of an instructor or of the federation is met ÷ required over both.
"""

import calendar
import functools
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from fourfirsts.governance import rules
from fourfirsts.governance.models import InstructorLog
from fourfirsts.registry.models import InstructorAssignment, overlapping


@dataclass
class AssignmentCompliance:
    assignment: InstructorAssignment
    contacts_met: int
    contacts_required: int
    visits_met: int
    visits_required: int

    @property
    def met(self) -> int:
        return self.contacts_met + self.visits_met

    @property
    def required(self) -> int:
        return self.contacts_required + self.visits_required


def _window_count(start: date, end: date, days: int) -> int:
    """How many whole windows of `days` days, back to back from `start`, end by `end`."""
    return max(0, ((end - start).days + 1) // days)


def _months(start: date, end: date):
    y, m = start.year, start.month
    while date(y, m, 1) <= end:
        first, last = date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])
        if first >= start and last <= end:
            yield first, last
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


@functools.lru_cache(maxsize=4096)
def _whole_months(start: date, end: date) -> frozenset:
    """(year, month) of each whole month in [start, end]: thousands of
    assignments share a handful of (start, end) pairs."""
    return frozenset((m.year, m.month) for m, _last in _months(start, end))


def compliance(assignments, first: date, last: date) -> list[AssignmentCompliance]:
    """Each assignment active in [first, last], with its person and association, and its counts."""
    counts = _counts(assignments, first, last)
    rows = (assignments.filter(overlapping(first, last)).select_related("person", "association")
            .order_by("person__sort_key", "association__sort_key", "id"))
    return [AssignmentCompliance(a, *counts[a.pk]) for a in rows]


def _counts(assignments, first: date, last: date) -> dict[int, tuple[int, int, int, int]]:
    """(contacts met, contacts required, visits met, visits required) per
    assignment active in [first, last], from plain values: the federation's
    rate needs no instructor or association loaded."""
    active = assignments.filter(overlapping(first, last))
    days = int(rules.value(rules.CONTACT_DAYS, on=last))
    logs = defaultdict(list)
    for assignment_id, kind, held in (InstructorLog.objects.filter(assignment__in=active.values("pk"),
                                                                   held_on__range=(first, last))
                                      .order_by().values_list("assignment_id", "kind", "held_on")):
        logs[assignment_id].append((kind, held))
    out = {}
    for pk, since, until in active.values_list("pk", "since", "until"):
        start, end = max(first, since), min(last, until or last)
        mine = logs[pk]
        windows = _window_count(start, end, days)
        months = _whole_months(start, end)
        out[pk] = (_windows_met((d for _k, d in mine), start, windows, days), windows,
                   len(months & {(d.year, d.month) for k, d in mine if k == InstructorLog.Kind.VISIT}), len(months))
    return out


def _windows_met(days_logged, start: date, windows: int, days: int) -> int:
    """How many of the `windows` consecutive windows of `days` days from
    `start` hold a logged day: each day falls in one window by its offset, so
    the count takes one pass over the logs, not one per window."""
    return len({i for i in ((d - start).days // days for d in days_logged) if 0 <= i < windows})


def by_instructor(rows: list[AssignmentCompliance]) -> list[tuple]:
    """(person, met, required) per instructor, by sort key."""
    totals: dict[int, list] = {}
    for r in rows:
        t = totals.setdefault(r.assignment.person_id, [r.assignment.person, 0, 0])
        t[1] += r.met
        t[2] += r.required
    return [tuple(t) for t in totals.values()]


@dataclass
class Rates:
    contacts_met: int = 0
    contacts_required: int = 0
    visits_met: int = 0
    visits_required: int = 0

    @property
    def met(self) -> int:
        return self.contacts_met + self.visits_met

    @property
    def required(self) -> int:
        return self.contacts_required + self.visits_required


def rates(assignments, first: date, last: date) -> Rates:
    """The totals of `compliance`, counted without loading the assignments."""
    return _summed(_counts(assignments, first, last).values())


def totals(rows: list[AssignmentCompliance]) -> Rates:
    """Weekly contacts and monthly visits, met and required, over all rows."""
    return _summed((r.contacts_met, r.contacts_required, r.visits_met, r.visits_required) for r in rows)


def _summed(counts) -> Rates:
    out = Rates()
    for contacts_met, contacts_required, visits_met, visits_required in counts:
        out.contacts_met += contacts_met
        out.contacts_required += contacts_required
        out.visits_met += visits_met
        out.visits_required += visits_required
    return out


def rates_by_instructor(rows: list[AssignmentCompliance]) -> list[tuple]:
    """(person, Rates) per instructor, by sort key."""
    people: dict[int, tuple] = {}
    for r in rows:
        people.setdefault(r.assignment.person_id, (r.assignment.person, []))[1].append(r)
    return [(person, totals(mine)) for person, mine in people.values()]


def overloaded(day: date) -> dict[int, int]:
    """Instructors guiding more associations than INS-1 allows on a day: person id → count."""
    from fourfirsts.registry.models import active_on

    limit = int(rules.value(rules.INSTRUCTOR_MAX, on=day))
    counts = defaultdict(set)
    for person_id, assoc_id in InstructorAssignment.objects.filter(active_on(day)).values_list(
            "person_id", "association_id"):
        counts[person_id].add(assoc_id)
    return {p: len(a) for p, a in counts.items() if len(a) > limit}

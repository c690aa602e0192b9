"""三会一课 compliance: for each org and period, the required (org, kind,
period) slots (rules.md §1) and whether a meeting met each.

Each condition (the org exists, is a branch, has a branch committee, has
party groups) is judged on the period's first day; an org is required from
the first full period after it was established. A period counts once it has
ended on or before the report date. Frequencies come from agenda.rules, in
force on the period's first day."""

import calendar
import functools
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Aggregate, IntegerField, Q, QuerySet, Value
from django.db.models.functions import Cast, ExtractMonth
from django.utils.translation import gettext_lazy as _

from fourfirsts.agenda import rules as agenda_rules
from fourfirsts.agenda.models import Meeting
from fourfirsts.core import rules
from fourfirsts.core.periods import local_midnight
from fourfirsts.registry.models import CommitteeSeat, PartyGroup, PartyOrg

K = Meeting.Kind
BRANCH_KINDS = (PartyOrg.Kind.BRANCH, PartyOrg.Kind.JOINT_BRANCH)
BRANCH_SLOTS = (K.GENERAL_MEETING, K.COMMITTEE_MEETING, K.GROUP_MEETING, K.PARTY_LECTURE, K.THEME_DAY,
                K.LIFE_MEETING, K.MEMBER_REVIEW)
UPPER_SLOTS = (K.COMMITTEE_MEETING,)
SECRETARY_LECTURE = "secretary_lecture"
SECRETARY_POST = "书记"  # the post as stored in committee seats
SLOT_LABELS = {**dict(Meeting.Kind.choices), SECRETARY_LECTURE: _("书记讲党课")}
COLUMNS = (*BRANCH_SLOTS, SECRETARY_LECTURE)
ORG_FIELDS = ("kind", "established_on", "dissolved_on", "has_committee", "secretary")  # what judging slots reads


@dataclass(slots=True)
class Slot:
    org_id: int
    kind: str
    first: date
    last: date
    met: bool
    due: bool  # the period has ended by the report date
    org: PartyOrg | None = None  # set by callers that list slots with their org

    @property
    def kind_label(self) -> str:
        return str(SLOT_LABELS[self.kind])

    @property
    def label(self) -> str:
        if self.last.month - self.first.month == 11:
            return str(_("%(year)s年")) % {"year": self.first.year}
        if self.first.month == self.last.month:
            return str(_("%(month)s月")) % {"month": self.first.month}
        return str(_("%(first)s–%(last)s月")) % {"first": self.first.month, "last": self.last.month}


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


@functools.cache
def periods(year: int, months: int) -> tuple[tuple[date, date], ...]:
    if months <= 0:
        return ()
    return tuple((date(year, m, 1), _month_end(year, m + months - 1)) for m in range(1, 13, months))


@functools.cache
def _masked_periods(year: int, months: int) -> tuple[tuple[date, date, int], ...]:
    """`periods`, each with its months as bits (bit m for month m): a slot is
    met when these bits and those of the months held overlap."""
    return tuple((first, last, sum(1 << m for m in range(first.month, last.month + 1)))
                 for first, last in periods(year, months))


def slots_for(orgs, year: int, report_date: date, running_on: date | None = None) -> list[Slot]:
    """Every required slot of these orgs in the year, met or not (a few queries
    whatever the number of orgs); with `running_on`, only those whose period
    runs that day."""
    slots = []
    for pk, kind, months, required, met in _required(orgs, year):
        if running_on is not None:
            required &= _running_bits(year, months, running_on)
        for i, (first, last, _months) in enumerate(_masked_periods(year, months)):
            if required >> i & 1:
                slots.append(Slot(pk, kind, first, last, bool(met >> i & 1), last <= report_date))
    return slots


def rate_for(orgs, year: int, report_date: date) -> tuple[int, int]:
    """`rate(slots_for(...))` without building the slots: the federation's F26
    judges about 100,000 of them at province scale, here a few bit operations
    per org and kind."""
    met = required = 0
    for _pk, _kind, months, wanted, held in _required(orgs, year):
        due = wanted & _due_bits(year, months, report_date)
        required += due.bit_count()
        met += (due & held).bit_count()
    return met, required


# Periods as bit sets: bit i stands for the i-th period of `periods(year, months)`.


@functools.lru_cache(maxsize=4096)
def _due_bits(year: int, months: int, report_date: date) -> int:
    return sum(1 << i for i, (_first, last) in enumerate(periods(year, months)) if last <= report_date)


@functools.lru_cache(maxsize=4096)
def _running_bits(year: int, months: int, day: date) -> int:
    return sum(1 << i for i, (first, last) in enumerate(periods(year, months)) if first <= day <= last)


@functools.lru_cache(maxsize=65536)
def _met_bits(year: int, months: int, held_months: int) -> int:
    """The periods with a meeting, from the months held (bit m for month m)."""
    return sum(1 << i for i, (_f, _l, mask) in enumerate(_masked_periods(year, months)) if held_months & mask)


@functools.lru_cache(maxsize=65536)
def _existing_bits(year: int, months: int, since: date, until: date | None) -> int:
    """The periods an org established on `since` (dissolved on `until`) exists throughout."""
    return sum(1 << i for i, (first, last) in enumerate(periods(year, months))
               if since <= first and (until is None or until > last))


@functools.lru_cache(maxsize=65536)
def _starting_bits(year: int, months: int, since: date, before: date | None) -> int:
    """The periods whose first day is in [since, before) (`before` None: open-ended)."""
    return sum(1 << i for i, (first, _last) in enumerate(periods(year, months))
               if since <= first and (before is None or first < before))


class MonthBits(Aggregate):
    """The months of a date column's values as bits (bit m for month m), OR-ed
    over the group: a year's meetings of an org and kind in one small integer
    rather than a row per meeting (60,000 a year at province scale)."""

    function = "SUM"
    allow_distinct = True
    output_field = IntegerField()

    def __init__(self, field: str):
        # SUM of the distinct powers of two is their OR, on any database.
        super().__init__(Value(1).bitleftshift(Cast(ExtractMonth(field), IntegerField())), distinct=True)

    def as_postgresql(self, compiler, connection, **extra):
        plain = self.copy()
        plain.distinct = False  # BIT_OR needs no sort for DISTINCT
        return plain.as_sql(compiler, connection, function="BIT_OR", **extra)


def _of_orgs(orgs) -> Q:
    """Rows of these orgs, through a subquery of the orgs: at province scale
    PostgreSQL then reads the year's meetings by time and hashes the orgs;
    given 3,000 ids to compare with, it read every meeting of each org by org
    (100 ms more per query)."""
    if not isinstance(orgs, QuerySet):
        orgs = PartyOrg.objects.filter(pk__among=[o.pk for o in orgs])
    return Q(party_org__in=orgs.values("pk"))


def _required(orgs, year: int):
    """(org id, kind, months per period, required, met) for each kind an org
    must hold in the year, `required` and `met` as bit sets over the kind's
    periods. The secretary's lectures are one yearly period (months 12)."""
    of_orgs = _of_orgs(orgs)
    orgs = list(orgs)
    groups = defaultdict(list)
    for g in PartyGroup.objects.filter(of_orgs).values_list(
            "party_org_id", "established_on", "dissolved_on"):
        groups[g[0]].append(g[1:])
    # Committee seats, dated: a branch has a committee on a day when it is
    # marked as having one and, if seats are recorded, one is held that day;
    # the secretary on a day is the org's 书记 seat then (else its secretary).
    seats = defaultdict(list)
    for seat in CommitteeSeat.objects.filter(of_orgs).values(
            "party_org_id", "person_id", "post", "since", "until"):
        seats[seat["party_org_id"]].append(seat)

    def lectured_as_secretary(org_id, day, person_id):  # held the org's 书记 seat that day
        return any(x["since"] <= day and (x["until"] is None or x["until"] >= day)
                   and x["person_id"] == person_id and x["post"] == SECRETARY_POST for x in seats[org_id])

    def seated_bits(org_id, months):  # the periods on whose first day a seat is held
        bits = 0
        for x in seats[org_id]:
            bits |= _starting_bits(year, months, x["since"], x["until"] and x["until"] + timedelta(days=1))
        return bits

    def group_bits(org_id, months):  # the periods on whose first day a party group exists
        bits = 0
        for since, until in groups[org_id]:
            bits |= _starting_bits(year, months, since, until)
        return bits

    meetings = Meeting.objects.filter(of_orgs, held_at__gte=local_midnight(date(year, 1, 1)),
                                      held_at__lt=local_midnight(date(year + 1, 1, 1))).order_by()
    held = {(org_id, kind): bits for org_id, kind, bits in meetings.values_list(
        "party_org_id", "kind").annotate(bits=MonthBits("held_on")).values_list("party_org_id", "kind", "bits")}
    lectures = defaultdict(set)  # org → days the secretary lectured
    secretaries = {o.pk: o.secretary_id for o in orgs}
    for org_id, day, leader in meetings.filter(kind=K.PARTY_LECTURE, study_leader__isnull=False).values_list(
            "party_org_id", "held_on", "study_leader_id"):
        if leader == secretaries.get(org_id) or lectured_as_secretary(org_id, day, leader):
            lectures[org_id].add(day)
    settings = rules.current_values(on=date(year, 1, 1))
    months = {kind: agenda_rules.months_in(kind, settings) for kind in BRANCH_SLOTS}
    secretary_times = int(settings["agenda.secretary_lectures"])
    for org in orgs:
        pk, branch = org.pk, org.kind in BRANCH_KINDS
        for kind in BRANCH_SLOTS if branch else UPPER_SLOTS:
            n = months[kind]
            required = _existing_bits(year, n, org.established_on, org.dissolved_on)
            if required and branch and kind == K.COMMITTEE_MEETING:
                if not org.has_committee:
                    required = 0
                elif seats[pk]:
                    required &= seated_bits(pk, n)
            if required and kind == K.GROUP_MEETING:
                required &= group_bits(pk, n)
            if required:
                yield pk, kind, n, required, _met_bits(year, n, held.get((pk, kind), 0))
        if secretary_times and _existing_bits(year, 12, org.established_on, org.dissolved_on):
            yield pk, SECRETARY_LECTURE, 12, 1, int(len(lectures[pk]) >= secretary_times)


def rate(slots) -> tuple[int, int]:
    """(met, required) over the slots that are due."""
    due = [s for s in slots if s.due]
    return sum(1 for s in due if s.met), len(due)


def grid(slots, year: int) -> dict:
    """The year view: for each month a row of cells per kind (met, missing,
    not yet due, or not required), and the yearly slots apart."""
    monthly, yearly = [], []
    for month in range(1, 13):
        first = date(year, month, 1)
        cells = []
        for kind in COLUMNS:
            slot = next((s for s in slots if s.kind == kind and s.first <= first <= s.last
                         and (s.first, s.last) != (date(year, 1, 1), date(year, 12, 31))), None)
            cells.append(_cell(slot))
        monthly.append({"month": month, "cells": cells})
    for kind in COLUMNS:
        slot = next((s for s in slots if s.kind == kind and (s.first, s.last) == (date(year, 1, 1), date(year, 12, 31))),
                    None)
        yearly.append(_cell(slot))
    return {"columns": [SLOT_LABELS[k] for k in COLUMNS], "months": monthly, "yearly": yearly}


def _cell(slot) -> str:
    if slot is None:
        return "none"
    if slot.met:
        return "met"
    return "missing" if slot.due else "open"

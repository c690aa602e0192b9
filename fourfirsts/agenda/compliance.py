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
from datetime import date

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


def _exists(org: PartyOrg, first: date, last: date) -> bool:
    return org.established_on <= first and (org.dissolved_on is None or org.dissolved_on > last)


def slots_for(orgs, year: int, report_date: date) -> list[Slot]:
    """Every required slot of these orgs in the year, met or not (a few queries
    whatever the number of orgs)."""
    return [Slot(*row) for row in _slot_rows(orgs, year, report_date)]


def rate_for(orgs, year: int, report_date: date) -> tuple[int, int]:
    """`rate(slots_for(...))` without building the slots: the federation's F26
    judges about 100,000 of them at province scale."""
    met = required = 0
    for _org, _kind, _first, _last, is_met, due in _slot_rows(orgs, year, report_date):
        if due:
            required += 1
            met += is_met
    return met, required


def _slot_rows(orgs, year: int, report_date: date):
    """(org id, kind, first, last, met, due) for each required slot."""
    orgs = list(orgs)
    ids = [o.pk for o in orgs]
    groups = defaultdict(list)
    for g in PartyGroup.objects.filter(party_org_id__in=ids).values("party_org_id", "established_on", "dissolved_on"):
        groups[g["party_org_id"]].append(g)
    # Committee seats, dated: a branch has a committee on a day when it is
    # marked as having one and, if seats are recorded, one is held that day;
    # the secretary on a day is the org's 书记 seat then (else its secretary).
    seats = defaultdict(list)
    for seat in CommitteeSeat.objects.filter(party_org_id__in=ids).values(
            "party_org_id", "person_id", "post", "since", "until"):
        seats[seat["party_org_id"]].append(seat)

    def seated(org_id, day, person_id=None):
        return any(x["since"] <= day and (x["until"] is None or x["until"] >= day)
                   and (person_id is None or (x["person_id"] == person_id and x["post"] == SECRETARY_POST))
                   for x in seats[org_id])

    held = defaultdict(int)  # (org, kind) → the months with a meeting, as bits
    lectures = defaultdict(set)  # org → days the secretary lectured
    secretaries = {o.pk: o.secretary_id for o in orgs}
    rows = Meeting.objects.filter(party_org_id__in=ids, held_at__gte=local_midnight(date(year, 1, 1)),
                                  held_at__lt=local_midnight(date(year + 1, 1, 1)))
    for org_id, kind, day, leader in rows.values_list("party_org_id", "kind", "held_on", "study_leader_id"):
        held[(org_id, kind)] |= 1 << day.month
        if kind == K.PARTY_LECTURE and leader and (leader == secretaries.get(org_id) or seated(org_id, day, leader)):
            lectures[org_id].add(day)
    settings = rules.current_values(on=date(year, 1, 1))
    months = {kind: agenda_rules.months_in(kind, settings) for kind in BRANCH_SLOTS}
    secretary_times = int(settings["agenda.secretary_lectures"])
    for org in orgs:
        pk, branch = org.pk, org.kind in BRANCH_KINDS
        since, until = org.established_on, org.dissolved_on  # _exists, inlined: ~100,000 slots at province
        for kind in BRANCH_SLOTS if branch else UPPER_SLOTS:
            months_held = held.get((pk, kind), 0)
            for first, last, period_months in _masked_periods(year, months[kind]):
                if since > first or (until is not None and until <= last):
                    continue
                if branch and kind == K.COMMITTEE_MEETING and not (
                        org.has_committee and (not seats[pk] or seated(pk, first))):
                    continue
                if kind == K.GROUP_MEETING and not any(
                    g["established_on"] <= first and (g["dissolved_on"] is None or g["dissolved_on"] > first)
                    for g in groups[pk]
                ):
                    continue
                yield pk, kind, first, last, bool(months_held & period_months), last <= report_date
        first, last = date(year, 1, 1), date(year, 12, 31)
        if secretary_times and _exists(org, first, last):
            met = len(lectures[pk]) >= secretary_times
            yield pk, SECRETARY_LECTURE, first, last, met, last <= report_date


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

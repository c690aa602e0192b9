"""两个覆盖, computed from the registry's dated facts, never typed in.

An association's coverage on a day D (rules.md COV-1, COV-2):

- **own** (单独组建): a Coverage row active on D links it to a party org that
  exists on D (established on or before D, not dissolved by then), and that
  org is not a 联合党支部 and covers no other association on D;
- **joint** (联合组建): the same, but the org is a 联合党支部 or covers two or
  more associations on D (an association with both an own and a joint org
  counts as own);
- **instructor** (工作覆盖 only): no such org, but an InstructorAssignment
  active on D;
- **none**: neither.

Only associations **in operation** on D count (their latest AssociationStatus
dated on or before D is 正常): one in preparation or deregistered is left out.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from fourfirsts.governance import rules
from fourfirsts.registry.models import (
    Coverage,
    EnterpriseMembership,
    InstructorAssignment,
    PartyMembership,
    PartyOrg,
    PoliticalStatus,
    Post,
    active_on,
)

OWN, JOINT, INSTRUCTOR, NONE = "own", "joint", "instructor", "none"
KIND_LABELS = {
    OWN: _("单独组建党组织"),
    JOINT: _("联合组建党组织"),
    INSTRUCTOR: _("仅选派指导员（工作覆盖）"),
    NONE: _("未覆盖"),
}
ORG_COVERED = (OWN, JOINT)


@dataclass
class AssociationCoverage:
    association: "Ref"
    kind: str
    orgs: list = field(default_factory=list)
    instructor_ids: set = field(default_factory=set)

    @property
    def label(self):
        return KIND_LABELS[self.kind]

    @property
    def org_covered(self) -> bool:
        return self.kind in ORG_COVERED

    @property
    def work_covered(self) -> bool:
        return self.kind != NONE


def in_operation(associations, day: date):
    return associations.in_operation_on(day)


class Ref(NamedTuple):
    """What the coverage pages, the API and the drill-downs show of an
    association or a party org: plain values, not records (thousands of
    associations at province scale, and a record costs more to build than
    the classification)."""

    pk: int
    name: str
    kind: str = ""
    sort_key: str = ""


def coverage_on(associations, day: date) -> list[AssociationCoverage]:
    """Each association of `associations` in operation on `day`, classified; by sort key."""
    running = in_operation(associations, day)
    rows = [Ref(pk, name) for pk, name in running.order_by("sort_key", "id").values_list("id", "name")]
    # The ids as one array parameter: as a subquery, each query below judged
    # every association's latest status again.
    ids = [a.pk for a in rows]
    by_assoc = defaultdict(list)
    for assoc_id, *org in (Coverage.objects.filter(active_on(day), association_id__among=ids)
                           .filter(party_org__in=PartyOrg.objects.existing_on(day))
                           .values_list("association_id", "party_org_id", "party_org__name", "party_org__kind",
                                        "party_org__sort_key")):
        by_assoc[assoc_id].append(Ref(*org))
    org_ids = {o.pk for orgs in by_assoc.values() for o in orgs}
    sizes = defaultdict(int)
    for org_id in (Coverage.objects.filter(active_on(day), party_org_id__among=org_ids)
                   .values_list("party_org_id", flat=True)):
        sizes[org_id] += 1
    instructors = defaultdict(set)
    for assoc_id, person_id in (InstructorAssignment.objects.filter(active_on(day), association_id__among=ids)
                                .values_list("association_id", "person_id")):
        instructors[assoc_id].add(person_id)
    out = []
    for a in rows:
        orgs = sorted(by_assoc.get(a.pk, []), key=lambda o: (o.sort_key, o.pk))
        if any(o.kind != PartyOrg.Kind.JOINT_BRANCH and sizes[o.pk] < 2 for o in orgs):
            kind = OWN
        elif orgs:
            kind = JOINT
        elif instructors.get(a.pk):
            kind = INSTRUCTOR
        else:
            kind = NONE
        out.append(AssociationCoverage(a, kind, orgs, instructors.get(a.pk, set())))
    return out


def first_covered(associations) -> dict[int, date]:
    """The day each association first came under a party org: the earliest
    max(coverage start, org established) over its coverages. A coverage that
    ended before the org was established, or started after it was dissolved,
    never covered anyone and is skipped."""
    first: dict[int, date] = {}
    for assoc_id, since, until, established, dissolved in (
            Coverage.objects.filter(association__in=associations)
            .values_list("association_id", "since", "until", "party_org__established_on",
                         "party_org__dissolved_on")):
        if (until is not None and until < established) or (dissolved is not None and since > dissolved):
            continue
        day = max(since, established)
        if assoc_id not in first or day < first[assoc_id]:
            first[assoc_id] = day
    return first


def people_of(association_ids, day: date) -> dict[int, set[int]]:
    """An association's people on a day: those holding a post in it, or in one
    of its member enterprises (membership and post both active on the day)."""
    out = defaultdict(set)
    for assoc_id, person_id in (Post.objects.filter(active_on(day), association_id__in=association_ids)
                                .values_list("association_id", "person_id")):
        out[assoc_id].add(person_id)
    firms = defaultdict(set)
    for ent_id, assoc_id in (EnterpriseMembership.objects.filter(active_on(day), association_id__in=association_ids)
                             .values_list("enterprise_id", "association_id")):
        firms[ent_id].add(assoc_id)
    for ent_id, person_id in (Post.objects.filter(active_on(day), enterprise_id__in=firms)
                              .values_list("enterprise_id", "person_id")):
        for assoc_id in firms[ent_id]:
            out[assoc_id].add(person_id)
    return out


STATISTICS_KEYS = ("units", "own", "joint", "without", "should_set_up", "few_members", "no_members",
                   "with_instructor", "not_transferred")


def statistics_labels(day: date) -> dict[str, str]:
    """The statistics table's rows, with ORG-1's minimum in force on `day`."""
    n = {"n": int(rules.value(rules.OWN_BRANCH_MINIMUM, on=day))}
    return {
        "units": _("商协会数"),
        "own": _("单独建立党组织"),
        "joint": _("纳入联合党支部"),
        "without": _("未建立党组织"),
        "should_set_up": _("其中：应单独建立（正式党员%(n)s名以上）") % n,
        "few_members": _("其中：党员不足%(n)s名") % n,
        "no_members": _("其中：无党员"),
        "with_instructor": _("其中：已选派指导员"),
        "not_transferred": _("组织关系未转入的党员"),
    }


def statistics(associations, day: date) -> dict[str, int]:
    """The party's statistics table on a day, over `associations` in operation then:

    - units: associations in operation;
    - own / joint: classified as in this module's docstring;
    - without: neither own nor joint (instructor-only or none), split into
      - should_set_up: at least `governance.own_branch_minimum` (3) full members (中共党员 on
        the day) among its people (see `people_of`),
      - few_members: at least one party member (中共党员 or 中共预备党员) but
        fewer than 3 full members,
      - no_members: no party member among its people,
      - with_instructor: an instructor assignment active on the day (overlaps
        the three above);
    - not_transferred: distinct party members among the people of all these
      associations who have no party membership (组织关系) active on the day
      in any party org of the registry.
    """
    rows = coverage_on(associations, day)
    ids = [r.association.pk for r in rows]
    people = people_of(ids, day)
    everyone = set().union(*people.values()) if people else set()
    statuses = PoliticalStatus.objects.filter(active_on(day), person_id__in=everyone,
                                              status__in=PoliticalStatus.PARTY)
    full = set(statuses.filter(status=PoliticalStatus.Status.CPC_MEMBER).values_list("person_id", flat=True))
    party = set(statuses.values_list("person_id", flat=True))
    placed = set(PartyMembership.objects.filter(active_on(day), person_id__in=party)
                 .values_list("person_id", flat=True))
    minimum = int(rules.value(rules.OWN_BRANCH_MINIMUM, on=day))
    out = dict.fromkeys(STATISTICS_KEYS, 0)
    out["units"] = len(rows)
    for r in rows:
        if r.kind in ORG_COVERED:
            out[r.kind] += 1
            continue
        out["without"] += 1
        mine = people.get(r.association.pk, set())
        if len(mine & full) >= minimum:
            out["should_set_up"] += 1
        elif mine & party:
            out["few_members"] += 1
        else:
            out["no_members"] += 1
        if r.kind == INSTRUCTOR:
            out["with_instructor"] += 1
    out["not_transferred"] = len(party - placed)
    return out


def rates(rows: list[AssociationCoverage]) -> dict[str, int]:
    return {
        "units": len(rows),
        "org_covered": sum(r.org_covered for r in rows),
        "work_covered": sum(r.work_covered for r in rows),
    }

"""ORG-1…ORG-3 checks of each party org on a day, from the registry.

Full members: people with a party membership in the org active on the day
whose 政治面貌 that day is 中共党员 (probationary members do not count).

- ORG-1 `too_few`: a branch of its own (党支部, covering one association) with
  fewer than `governance.own_branch_minimum` (3) full members;
  `joint_too_wide`: a 联合党支部 covering more than `governance.joint_max_units`
  (5) associations;
- ORG-2 `kind_for_size`: a 党支部 or 联合党支部 with more than
  `governance.branch_max_members` (50) members, a 党总支 with more than
  `governance.general_branch_max_members` (100) (or 50 or fewer), a 党委 with
  fewer than 100 (allowed with approval: flagged for review);
- ORG-3 `no_committee`: at least `governance.committee_minimum` (7) full
  members but no branch committee; `term_ending`: term ends within
  `governance.term_warn_months` (3) months; `term_expired`: term ended.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_lazy as _

from fourfirsts.core.periods import add_months
from fourfirsts.governance import rules
from fourfirsts.registry.models import (
    Coverage,
    PartyMembership,
    PartyOrg,
    PoliticalStatus,
    active_on,
)

FINDINGS = ("too_few", "joint_too_wide", "kind_for_size", "no_committee", "term_ending", "term_expired")


THRESHOLDS = (rules.OWN_BRANCH_MINIMUM, rules.COMMITTEE_MINIMUM, rules.TERM_WARN_MONTHS, rules.JOINT_MAX_UNITS,
              rules.BRANCH_MAX_MEMBERS, rules.GENERAL_BRANCH_MAX_MEMBERS)


def thresholds(day: date) -> dict:
    """ORG-1…3's settings in force on `day`, from one query."""
    read = rules.reader(*THRESHOLDS)
    return {r: int(read(r, day)) for r in THRESHOLDS}


def labels(day: date, read: dict | None = None) -> dict[str, str]:
    """What each finding says, with the thresholds in force on `day`."""
    read = read or thresholds(day)
    return {
        "too_few": _("正式党员不足，宜联合组建或选派指导员（ORG-1）"),
        "joint_too_wide": _("联合党支部覆盖单位超过%(n)s个（ORG-1）") % {"n": read[rules.JOINT_MAX_UNITS]},
        "kind_for_size": _("组织类型与党员人数不符（ORG-2）"),
        "no_committee": _("正式党员%(n)s名以上未设支部委员会（ORG-3）") % {"n": read[rules.COMMITTEE_MINIMUM]},
        "term_ending": _("任期将在%(n)s个月内届满（ORG-3）") % {"n": read[rules.TERM_WARN_MONTHS]},
        "term_expired": _("任期已届满未换届（ORG-3）"),
    }


@dataclass
class OrgCheck:
    org: PartyOrg
    members: int
    full_members: int
    units: int
    findings: list[str] = field(default_factory=list)
    texts: dict = field(default_factory=dict, repr=False)

    @property
    def messages(self):
        return [self.texts[f] for f in self.findings]


def _size_ok(kind: str, members: int, branch_max: int, general_max: int) -> bool:
    if kind in (PartyOrg.Kind.BRANCH, PartyOrg.Kind.JOINT_BRANCH):
        return members <= branch_max
    if kind == PartyOrg.Kind.GENERAL_BRANCH:
        return branch_max < members <= general_max
    return members >= general_max


def check(orgs, day: date) -> list[OrgCheck]:
    rows = list(orgs.existing_on(day).order_by("sort_key", "id"))
    ids = [o.pk for o in rows]
    members = defaultdict(set)
    for org_id, person_id in PartyMembership.objects.filter(active_on(day), party_org_id__in=ids).values_list(
            "party_org_id", "person_id"):
        members[org_id].add(person_id)
    everyone = set().union(*members.values()) if members else set()
    full = set(PoliticalStatus.objects.filter(active_on(day), person_id__in=everyone,
                                              status=PoliticalStatus.Status.CPC_MEMBER)
               .values_list("person_id", flat=True))
    units = defaultdict(int)
    for org_id in Coverage.objects.filter(active_on(day), party_org_id__in=ids).values_list("party_org_id", flat=True):
        units[org_id] += 1
    read = thresholds(day)
    minimum, committee_at = read[rules.OWN_BRANCH_MINIMUM], read[rules.COMMITTEE_MINIMUM]
    warn_by = add_months(day, read[rules.TERM_WARN_MONTHS])
    joint_max = read[rules.JOINT_MAX_UNITS]
    branch_max, general_max = read[rules.BRANCH_MAX_MEMBERS], read[rules.GENERAL_BRANCH_MAX_MEMBERS]
    texts = labels(day, read)
    out = []
    for o in rows:
        n, n_full = len(members[o.pk]), len(members[o.pk] & full)
        c = OrgCheck(o, n, n_full, units[o.pk], texts=texts)
        if o.kind == PartyOrg.Kind.BRANCH and units[o.pk] <= 1 and n_full < minimum:
            c.findings.append("too_few")
        if o.kind == PartyOrg.Kind.JOINT_BRANCH and units[o.pk] > joint_max:
            c.findings.append("joint_too_wide")
        if not _size_ok(o.kind, n, branch_max, general_max):
            c.findings.append("kind_for_size")
        if n_full >= committee_at and not o.has_committee:
            c.findings.append("no_committee")
        if o.term_end and o.term_end < day:
            c.findings.append("term_expired")
        elif o.term_end and o.term_end <= warn_by:
            c.findings.append("term_ending")
        out.append(c)
    return out


def rollup(rows: list[OrgCheck]) -> dict[str, int]:
    counts = dict.fromkeys(FINDINGS, 0)
    for r in rows:
        for f in r.findings:
            counts[f] += 1
    return counts

"""党建进章程 (CH-1): which associations' charters carry every required clause.

The charter in force on a day is the association's latest one approved on or
before it; it complies when each REQUIRED clause is ticked with evidence.
Only associations in operation on the day count."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from fourfirsts.governance.coverage import Ref
from fourfirsts.governance.models import REQUIRED_CLAUSES, Charter, CharterClause, Clause


@dataclass
class CharterCompliance:
    association: Ref
    charter: Charter | None
    ticked: set = field(default_factory=set)

    @property
    def missing(self) -> list[Clause]:
        return [c for c in REQUIRED_CLAUSES if c not in self.ticked]

    @property
    def complete(self) -> bool:
        return self.charter is not None and not self.missing


def compliance_on(associations, day: date) -> list[CharterCompliance]:
    # Only what is shown of them: thousands of associations at province scale (as coverage_on).
    rows = [Ref(pk, name) for pk, name in
            associations.in_operation_on(day).order_by("sort_key", "id").values_list("id", "name")]
    charters = {c.association_id: c for c in Charter.objects.in_force_on(day).filter(
        association_id__among=[a.pk for a in rows]).only("id", "association_id", "version", "approved_on")}
    ticked = defaultdict(set)
    for charter_id, clause in (CharterClause.objects.filter(charter_id__among=[c.pk for c in charters.values()])
                               .exclude(evidence="").values_list("charter_id", "clause")):
        ticked[charter_id].add(clause)
    out = []
    for a in rows:
        charter = charters.get(a.pk)
        out.append(CharterCompliance(a, charter, ticked[charter.pk] if charter else set()))
    return out

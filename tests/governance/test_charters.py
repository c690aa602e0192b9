"""党建进章程 (CH-1): charters with ticked clauses, the charter in force, F23."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fourfirsts.core import figures
from fourfirsts.core.actors import Actor
from fourfirsts.governance import charters, services
from fourfirsts.governance.models import REQUIRED_CLAUSES, Clause
from fourfirsts.registry.models import Association, AssociationStatus
from tests.governance.conftest import SYSTEM, new_association

ALL = {c.value: f"第{i}条" for i, c in enumerate(REQUIRED_CLAUSES, start=3)}


def charter(association, approved, clauses, version="2022版", actor=SYSTEM):
    return services.charter_save(actor=actor, values={"association": association, "version": version,
                                                      "approved_on": approved}, clauses=clauses)


def test_f23_counts_associations_whose_charter_in_force_has_every_required_clause(world):
    charter(world.assoc_a, date(2021, 5, 1), ALL)
    missing_one = dict(ALL)
    missing_one.pop(Clause.BODIES)
    charter(world.assoc_b, date(2021, 5, 1), {**missing_one, Clause.FUNDS: "第20条"})
    charter(world.assoc_c, date(2023, 1, 10), ALL)  # approved after the year
    new_association("娄底市筹备商会", status=AssociationStatus.Status.PREPARING)  # not in operation
    f23 = figures.get("F23")
    result = f23.evaluate(None, 2022)
    assert (result.value, result.parts) == (Decimal("33.3"), {"numerator": 1, "denominator": 3})
    assert f23.display(result) == "33.3%"
    rows = {r.association.name: r for r in f23.records(None, 2022)}
    assert rows["娄底市浙江商会"].missing == [Clause.BODIES]
    assert rows["娄底市长沙商会"].charter is None
    assert figures.get("F23").evaluate(None, 2023).parts["numerator"] == 2


def test_a_newer_charter_replaces_the_older_one_from_its_approval(world):
    charter(world.assoc_a, date(2019, 5, 1), ALL, version="2019版")
    charter(world.assoc_a, date(2022, 6, 1), {Clause.LEADERSHIP: "第3条"}, version="2022版")
    got = {r.association.pk: r for r in charters.compliance_on(Association.objects.all(), date(2022, 5, 31))}
    assert got[world.assoc_a.pk].complete
    got = {r.association.pk: r for r in charters.compliance_on(Association.objects.all(), date(2022, 6, 1))}
    assert not got[world.assoc_a.pk].complete and got[world.assoc_a.pk].charter.version == "2022版"


def test_a_clause_without_evidence_is_not_ticked_and_editing_replaces_clauses(world):
    c = charter(world.assoc_a, date(2021, 5, 1), {**ALL, Clause.LEADERSHIP: "  "})
    assert set(c.clauses.values_list("clause", flat=True)) == set(ALL) - {Clause.LEADERSHIP}
    services.charter_save(actor=SYSTEM, charter=c, values={}, clauses=ALL)
    assert c.clauses.count() == len(ALL)


def test_bad_charters_are_refused(world, cast):
    with pytest.raises(ValidationError) as e:
        charter(world.assoc_a, date(2021, 5, 1), {"nonsense": "第1条"})
    assert "clauses" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        charter(world.assoc_a, None, ALL)
    assert "approved_on" in e.value.message_dict
    with pytest.raises(PermissionDenied):
        charter(world.assoc_a, date(2021, 5, 1), ALL, actor=Actor.of(cast.secretary_a))


def test_compliance_with_few_queries(world, django_assert_max_num_queries):
    for i in range(6):
        charter(new_association(f"娄底市商会{i}"), date(2021, 5, 1), ALL)
    with django_assert_max_num_queries(4):
        figures.get("F23").evaluate(None, 2022)

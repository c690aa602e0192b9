"""Standardisation checklists, yearly assessments with ranking, and 双支撑 support."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fourfirsts.core.actors import Actor
from fourfirsts.governance import services
from fourfirsts.governance.models import Assessment, Checklist, Support
from tests.governance.conftest import SYSTEM, make_org

ITEMS = [("组织设置规范", Decimal(30)), ("三会一课", Decimal(40)), ("党建进章程", Decimal(30))]


def checklist(items=ITEMS, actor=SYSTEM):
    return services.checklist_save(actor=actor, values={"name": "商会党组织规范化建设", "year": 2022}, items=items)


def assess(cl, org, points, actor=SYSTEM):
    items = list(cl.items.all())
    return services.assessment_save(actor=actor, values={"checklist": cl, "party_org": org,
                                                         "assessed_on": date(2022, 12, 10)},
                                    scores={i.pk: (Decimal(p), "台账") for i, p in zip(items, points, strict=True)})


def test_assessments_are_ranked_by_total_with_ties_sharing_a_rank(world):
    cl = checklist()
    c = make_org("娄底市长沙商会党支部")
    assess(cl, world.org_a, [30, 35, 25])
    assess(cl, world.org_b, [20, 40, 30])
    assess(cl, c, [10, 20, 10])
    ranked = services.ranking(cl, Assessment.objects.all())
    assert [(r, a.party_org.name, t) for r, a, t in ranked] == [
        (1, "娄底市安徽商会党支部", Decimal(90)), (1, "娄底市浙江商会党支部", Decimal(90)),
        (3, "娄底市长沙商会党支部", Decimal(40))]


def test_bad_scores_and_checklists_are_refused(world, cast):
    cl = checklist()
    with pytest.raises(ValidationError) as e:
        assess(cl, world.org_a, [31, 0, 0])
    assert "scores" in e.value.message_dict and not Assessment.objects.exists()
    assess(cl, world.org_a, [1, 1, 1])
    with pytest.raises(ValidationError) as e:
        assess(cl, world.org_a, [1, 1, 1])
    assert "party_org" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        checklist(items=[("组织设置", Decimal(0))])
    assert "items" in e.value.message_dict
    with pytest.raises(ValidationError):
        checklist(items=[])
    with pytest.raises(PermissionDenied):
        checklist(actor=Actor.of(cast.secretary_a))
    assert Checklist.objects.count() == 1


def test_editing_a_checklist_keeps_items_by_name(world):
    cl = checklist()
    first = cl.items.get(name="三会一课").pk
    services.checklist_save(actor=SYSTEM, checklist=cl, values={},
                            items=[("三会一课", Decimal(50)), ("台账规范", Decimal(50))])
    assert list(cl.items.values_list("name", "weight")) == [("三会一课", Decimal(50)), ("台账规范", Decimal(50))]
    assert cl.items.get(name="三会一课").pk == first


def test_support_needs_an_amount_for_funds_and_people_for_people(world, cast):
    base = {"party_org": world.org_a, "purpose": "党建活动阵地建设", "given_on": date(2022, 5, 1),
            "given_by": "娄底市安徽商会"}
    s = services.support_save(actor=SYSTEM, values={**base, "kind": Support.Kind.FUNDS, "amount": Decimal(20000)})
    assert s.pk
    with pytest.raises(ValidationError) as e:
        services.support_save(actor=SYSTEM, values={**base, "kind": Support.Kind.FUNDS, "amount": None})
    assert "amount" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        services.support_save(actor=SYSTEM, values={**base, "kind": Support.Kind.PEOPLE})
    assert "people" in e.value.message_dict
    assert services.support_save(actor=SYSTEM, values={**base, "kind": Support.Kind.PEOPLE, "people": 2}).pk
    with pytest.raises(PermissionDenied):
        services.support_save(actor=Actor.of(cast.secretary_a), values={**base, "kind": "funds", "amount": 1})
    assert Support.objects.visible_to(cast.secretary_a).count() == 2
    assert Support.objects.visible_to(cast.secretary_b).count() == 0
    assert Support.objects.visible_to(cast.member_a).count() == 0


def test_dropping_a_scored_item_is_refused_and_a_rename_keeps_its_scores(world):
    cl = checklist()
    assess(cl, world.org_a, [30, 35, 25])
    with pytest.raises(ValidationError) as e:
        services.checklist_save(actor=SYSTEM, checklist=cl, values={},
                                items=[("组织设置规范", Decimal(30)), ("三会一课", Decimal(40))])
    assert "党建进章程" in e.value.message_dict["items"][0]
    assert cl.items.count() == 3
    services.checklist_save(actor=SYSTEM, checklist=cl, values={},
                            items=[("组织设置规范", Decimal(30)), ("三会一课", Decimal(40)), ("章程建设", Decimal(30))])
    assert list(cl.items.values_list("name", flat=True)) == ["组织设置规范", "三会一课", "章程建设"]
    assert services.ranking(cl, Assessment.objects.all())[0][2] == Decimal(90)  # no score lost

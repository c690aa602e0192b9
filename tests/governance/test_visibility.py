"""Who reads which governance rows: the committee and the leader all;
instructors their associations and their own logs; secretaries their orgs and
associations; members only their org's honours; handlers nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from fourfirsts.governance import services
from fourfirsts.governance.models import Charter, Establishment, Honour, InstructorLog, Support
from fourfirsts.registry.models import AssociationStatus, InstructorAssignment, PartyOrg
from tests.governance.conftest import SYSTEM, assign, honour, new_association


def names(qs, attr):
    return sorted(str(attr(x)) for x in qs)


def test_each_role_reads_its_own_rows(world, cast):
    honour(association=world.assoc_a)
    honour(association=world.assoc_b)
    honour(kind=Honour.Kind.BENCHMARK, level=Honour.Level.CITY, party_org=world.org_b)
    for a in (world.assoc_a, world.assoc_b):
        services.charter_save(actor=SYSTEM, values={"association": a, "version": "v1",
                                                    "approved_on": date(2021, 1, 1)})
    services.support_save(actor=SYSTEM, values={"party_org": world.org_b, "kind": "funds", "amount": Decimal(1),
                                                "purpose": "经费", "given_on": date(2022, 1, 1), "given_by": "商会"})
    holder = lambda h: h.holder.name  # noqa: E731
    assert len(Honour.objects.visible_to(cast.committee)) == 3
    assert len(Honour.objects.visible_to(cast.leader)) == 3
    assert names(Honour.objects.visible_to(cast.secretary_a), holder) == ["娄底市安徽商会"]
    assert names(Honour.objects.visible_to(cast.secretary_b), holder) == ["娄底市浙江商会", "娄底市浙江商会党支部"]
    assert names(Honour.objects.visible_to(cast.member_a), holder) == ["娄底市安徽商会"]
    assert names(Honour.objects.visible_to(cast.instructor), holder) == ["娄底市安徽商会"]
    assert not Honour.objects.visible_to(cast.handler).exists()
    assert names(Charter.objects.visible_to(cast.secretary_b), lambda c: c.association.name) == ["娄底市浙江商会"]
    assert not Charter.objects.visible_to(cast.member_a).exists()
    assert not Support.objects.visible_to(cast.secretary_a).exists()


def test_an_instructor_keeps_reading_their_own_logs_after_a_term_ends(world, cast):
    d = new_association("娄底市湘潭商会")
    old = assign(world.instructor, d, since=date(2020, 1, 1), until=date(2021, 12, 31))
    services.instructor_log_save(actor=SYSTEM, values={"assignment": old, "kind": "visit",
                                                       "held_on": date(2021, 5, 1)})
    own = InstructorAssignment.objects.get(person=world.instructor, association=world.assoc_a)
    services.instructor_log_save(actor=SYSTEM, values={"assignment": own, "kind": "contact",
                                                       "held_on": date(2022, 5, 1)})
    assert InstructorLog.objects.visible_to(cast.instructor).count() == 2
    assert InstructorLog.objects.visible_to(cast.secretary_a).count() == 1  # the one at 安徽商会
    assert not InstructorLog.objects.visible_to(cast.secretary_b).exists()
    assert not InstructorLog.objects.visible_to(cast.member_a).exists()


def test_a_deregistered_association_gets_no_establishment(world):
    d = new_association("娄底市摩托车行业协会", status=AssociationStatus.Status.DEREGISTERED)
    with pytest.raises(ValidationError) as e:
        services.establishment_create(actor=SYSTEM, values={
            "association": d, "registered_on": date(2022, 3, 1), "org_name": "党支部",
            "org_kind": PartyOrg.Kind.BRANCH})
    assert "association" in e.value.message_dict and not Establishment.objects.exists()

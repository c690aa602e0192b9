from fourfirsts.registry.models import Association, Enterprise, Person


def test_each_role_sees_its_own_associations(cast, world):
    assert Association.objects.visible_to(cast.committee).count() == 3
    assert set(Association.objects.visible_to(cast.secretary_a)) == {world.assoc_a}
    assert set(Association.objects.visible_to(cast.instructor)) == {world.assoc_a, world.assoc_c}
    assert not Association.objects.visible_to(None).exists()
    assert not Association.objects.visible_to(cast.sysadmin).exists()
    assert set(Enterprise.objects.visible_to(cast.secretary_b)) == {world.ent_b}
    assert world.member_a in Person.objects.visible_to(cast.secretary_a)
    assert world.member_a not in Person.objects.visible_to(cast.secretary_b)


def test_personal_numbers_are_encrypted_at_rest(world):
    from django.db import connection

    with connection.cursor() as c:
        c.execute("select id_number, phone from registry_person where id = %s", [world.person_a.pk])
        stored_id, stored_phone = c.fetchone()
    assert stored_id.startswith("v1:") and "1975" not in stored_id
    assert stored_phone.startswith("v1:")
    assert Person.objects.get(pk=world.person_a.pk).phone == "13800001111"


def test_scope_follows_todays_facts_not_ended_ones(cast, world):
    from datetime import date

    from fourfirsts.registry import services
    from fourfirsts.registry.models import EnterpriseMembership, PartyMembership
    from tests.conftest import SYSTEM

    moved = PartyMembership.objects.get(person=world.member_a)
    services.dated_link_save(actor=SYSTEM, model=PartyMembership, instance=moved,
                             values={"until": date(2021, 1, 1)})
    services.dated_link_save(actor=SYSTEM, model=PartyMembership,
                             values={"person": world.member_a, "party_org": world.org_b, "since": date(2021, 1, 2)})
    left = EnterpriseMembership.objects.get(enterprise=world.ent_a)
    services.dated_link_save(actor=SYSTEM, model=EnterpriseMembership, instance=left,
                             values={"until": date(2020, 12, 31)})
    assert world.member_a not in Person.objects.visible_to(cast.secretary_a)
    assert world.member_a in Person.objects.visible_to(cast.secretary_b)
    assert world.ent_a not in Enterprise.objects.visible_to(cast.secretary_a)


def test_a_secretary_is_not_told_whose_id_number_it_is(cast, world):
    import pytest
    from django.core.exceptions import ValidationError

    from fourfirsts.core.actors import Actor
    from fourfirsts.registry import services

    with pytest.raises(ValidationError) as refused:
        services.person_save(actor=Actor.of(cast.secretary_a), person=world.member_a,
                             values={"birth_date": world.person_a.birth_date, "id_number": world.person_a.id_number})
    assert "另一人员" not in str(refused.value) and "无法在此登记" in str(refused.value)
    with pytest.raises(ValidationError, match="已登记在另一人员名下"):
        services.person_save(actor=Actor.of(cast.committee), person=world.member_a,
                             values={"birth_date": world.person_a.birth_date, "id_number": world.person_a.id_number})

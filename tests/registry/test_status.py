"""An association's status is a dated fact: a later 注销 leaves earlier years as they were."""

from datetime import date

from fourfirsts.registry.models import Association, AssociationStatus


def test_committee_records_a_deregistration_from_a_date(cast, world, client_for):
    client = client_for(cast.committee)
    url = f"/registry/associations/{world.assoc_b.pk}/status/"
    response = client.post(url, {"status": "deregistered", "since": "2025-07-01"})
    assert response.status_code == 302
    assert list(world.assoc_b.statuses.values_list("status", "since")) == [
        ("active", date(2015, 3, 1)), ("deregistered", date(2025, 7, 1))]
    in_operation = Association.objects.in_operation_on
    assert world.assoc_b in in_operation(date(2024, 12, 31))
    assert world.assoc_b not in in_operation(date(2025, 12, 31))
    page = client.get(f"/registry/associations/{world.assoc_b.pk}/").content.decode()
    assert "注销" in page


def test_a_bad_status_entry_is_refused_and_changes_nothing(cast, world, client_for):
    response = client_for(cast.committee).post(
        f"/registry/associations/{world.assoc_a.pk}/status/", {"status": "", "since": "not-a-date"})
    assert response.status_code == 200
    assert world.assoc_a.statuses.count() == 1
    assert "请选择" in response.content.decode()  # “请选择状态”: the message names the field


def test_secretaries_cannot_record_status(cast, world, client_for):
    assert client_for(cast.secretary_a).post(
        f"/registry/associations/{world.assoc_a.pk}/status/", {"status": "deregistered", "since": "2025-01-01"}
    ).status_code == 403
    assert AssociationStatus.objects.filter(status="deregistered").count() == 0


def test_the_detail_page_links_to_the_status_form_for_the_committee_only(cast, world, client_for):
    link = f"/registry/associations/{world.assoc_a.pk}/status/"
    assert link in client_for(cast.committee).get(f"/registry/associations/{world.assoc_a.pk}/").content.decode()
    assert link not in client_for(cast.secretary_a).get(f"/registry/associations/{world.assoc_a.pk}/").content.decode()


def test_the_org_tree_cannot_loop_and_is_the_committees(cast, world):
    import pytest
    from django.core.exceptions import PermissionDenied, ValidationError

    from fourfirsts.core.actors import Actor
    from fourfirsts.registry import services
    from fourfirsts.registry.models import PartyOrg

    child = services.party_org_save(actor=Actor.of(cast.committee), values={
        "name": "安徽商会第一党小组支部", "kind": PartyOrg.Kind.BRANCH, "parent": world.org_a,
        "established_on": date(2020, 1, 1)})
    with pytest.raises(ValidationError, match="不能是自己或自己的下级组织"):
        services.party_org_save(actor=Actor.of(cast.committee), org=world.org_a, values={"parent": child})
    with pytest.raises(PermissionDenied):
        services.party_org_save(actor=Actor.of(cast.secretary_a), org=world.org_a, values={"parent": None})
    world.org_a.refresh_from_db()
    assert world.org_a.parent == world.committee_org
    services.party_org_save(actor=Actor.of(cast.secretary_a), org=world.org_a, values={"term_end": date(2027, 6, 30)})
    world.org_a.refresh_from_db()
    assert world.org_a.term_end == date(2027, 6, 30)

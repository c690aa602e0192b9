"""Who keeps which volunteering record: a secretary keeps villages their
associations pair, never moves another org's rows onto their own, never
confirms their own hours, and never loses group members they cannot see."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fourfirsts.core.actors import Actor
from fourfirsts.volunteering import services
from fourfirsts.volunteering.models import (
    ActivityKind,
    Pairing,
    PairingEnterprise,
    Participation,
    Village,
    WeakYears,
)
from tests.volunteering.conftest import (
    SYSTEM,
    make_activity,
    make_pairing,
    make_project,
    make_village,
    pay,
)

PLACE = {"province": "湖南省", "city": "娄底市", "county": "双峰县", "township": "井字镇"}


def as_(user):
    return Actor.of(user)


def test_a_secretary_keeps_only_villages_their_associations_pair(world, cast):
    village = make_village(weak=[(2020, 2021)])
    make_pairing(village, world.assoc_a, on=date(2021, 3, 1))
    with pytest.raises(PermissionDenied):
        services.village_save(actor=as_(cast.secretary_b), values={"name": "改名村"}, village=village)
    with pytest.raises(PermissionDenied):
        services.weak_years_save(actor=as_(cast.secretary_b),
                                 values={"village": village, "since_year": 2023, "until_year": None})
    weak = WeakYears.objects.get(village=village)
    with pytest.raises(PermissionDenied):
        services.weak_years_save(actor=as_(cast.secretary_b), values={"until_year": 2022}, instance=weak)
    village.refresh_from_db()
    assert village.name == "石井村" and WeakYears.objects.filter(village=village).count() == 1
    services.village_save(actor=as_(cast.secretary_a), values={"township": "琅塘镇 "}, village=village)
    services.weak_years_save(actor=as_(cast.secretary_a),
                             values={"village": village, "since_year": 2023, "until_year": None})
    services.village_save(actor=as_(cast.committee), values={"name": "石井新村"}, village=village)
    # A brand-new village any secretary may add.
    new = services.village_save(actor=as_(cast.secretary_b), values={"name": "新田村", **PLACE})
    assert Village.objects.filter(pk=new.pk).exists()


def test_a_secretary_may_not_move_another_orgs_rows_onto_their_own(world, cast):
    a_pairing = make_pairing(make_village(), world.assoc_a, world.ent_a, way=Pairing.Way.GROUP)
    b_pairing = make_pairing(make_village("大塘村", **{k: PLACE[k] for k in ("county", "township")}),
                             world.assoc_b, world.ent_b, way=Pairing.Way.GROUP)
    a_project, b_project = make_project(a_pairing), make_project(b_pairing)
    payment = pay(a_project, 1000, date(2021, 5, 1))
    with pytest.raises(PermissionDenied):
        services.payment_save(actor=as_(cast.secretary_b), values={"project": b_project}, instance=payment,
                              today=date(2026, 11, 27))
    payment.refresh_from_db()
    assert payment.project == a_project

    a_activity = make_activity(world.org_a, held=date(2022, 5, 10), hours=Decimal(2), participants=[world.member_a])
    b_activity = make_activity(world.org_b, held=date(2022, 5, 10))
    row = Participation.objects.get(activity=a_activity)
    with pytest.raises(PermissionDenied):
        services.participation_save(actor=as_(cast.secretary_b), values={"activity": b_activity}, instance=row)
    row.refresh_from_db()
    assert row.activity == a_activity

    member = services.pairing_enterprise_save(actor=SYSTEM, values={"pairing": a_pairing, "enterprise": world.ent_b})
    with pytest.raises(PermissionDenied):
        services.pairing_enterprise_save(actor=as_(cast.secretary_b), values={"pairing": b_pairing}, instance=member)
    member.refresh_from_db()
    assert member.pairing == a_pairing


def test_nobody_but_the_committee_confirms_their_own_hours(world, cast):
    activity = make_activity(world.org_a, held=date(2022, 5, 10))
    own = services.participation_report(actor=as_(cast.secretary_a), activity=activity, hours=Decimal(2),
                                        today=date(2022, 6, 1))
    assert own.status == Participation.Status.REPORTED
    with pytest.raises(PermissionDenied, match="不能确认本人登记的服务时长"):
        services.participation_confirm(actor=as_(cast.secretary_a), participation=own, on=date(2022, 6, 2))
    own.refresh_from_db()
    assert own.status == Participation.Status.REPORTED
    services.participation_confirm(actor=as_(cast.committee), participation=own, on=date(2022, 6, 2))
    own.refresh_from_db()
    assert own.status == Participation.Status.CONFIRMED


def test_a_secretary_listing_themselves_at_an_activity_leaves_their_hours_to_the_committee(world, cast):
    me = cast.secretary_a.person
    activity = make_activity(world.org_a, held=date(2022, 5, 10), hours=Decimal(2),
                             participants=[world.member_a, me], actor=as_(cast.secretary_a))
    status = dict(activity.participations.values_list("person_id", "status"))
    assert status == {world.member_a.pk: Participation.Status.CONFIRMED, me.pk: Participation.Status.REPORTED}


def test_a_secretary_cannot_confirm_their_own_hours_through_the_workbook_sheet(world, cast):
    activity = make_activity(world.org_a, held=date(2022, 5, 10))
    own = services.participation_report(actor=as_(cast.secretary_a), activity=activity, hours=Decimal(2),
                                        today=date(2022, 6, 1))
    with pytest.raises(PermissionDenied, match="不能确认本人登记的服务时长"):
        services.participation_save(actor=as_(cast.secretary_a), instance=own,
                                    values={"status": Participation.Status.CONFIRMED})
    with pytest.raises(PermissionDenied, match="不能确认本人登记的服务时长"):
        services.participation_save(actor=as_(cast.secretary_a), values={
            "activity": make_activity(world.org_a, held=date(2022, 5, 11)), "person": cast.secretary_a.person,
            "hours": Decimal(1), "status": Participation.Status.CONFIRMED})
    own.refresh_from_db()
    assert own.status == Participation.Status.REPORTED
    # Their own row's other fields are theirs to keep; the status stays as decided.
    services.participation_save(actor=as_(cast.secretary_a), instance=own, values={"note": "补充说明"})


def test_participants_of_a_future_activity_wait_until_it_is_held(world, cast):
    with pytest.raises(ValidationError) as e:
        make_activity(world.org_a, ActivityKind.CIVILITY, held=date(2099, 5, 10), hours=Decimal(2),
                      participants=[world.member_a], actor=as_(cast.secretary_a))
    message = e.value.message_dict["participants"][0]
    assert "活动日期" in message and "参加人员" in message
    assert not Participation.objects.exists()
    make_activity(world.org_a, held=date(2099, 5, 10), actor=as_(cast.secretary_a))  # without participants: fine


def test_a_secretary_editing_a_group_keeps_members_they_cannot_see(world, cast):
    pairing = make_pairing(make_village(), world.assoc_a, world.ent_a, way=Pairing.Way.GROUP)
    services.pairing_save(actor=SYSTEM, values={}, pairing=pairing, group=[world.ent_b])
    services.pairing_save(actor=as_(cast.secretary_a), values={}, pairing=pairing, group=[])
    assert list(PairingEnterprise.objects.filter(pairing=pairing).values_list("enterprise", flat=True)) == [
        world.ent_b.pk]

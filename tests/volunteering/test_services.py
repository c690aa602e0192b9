"""The volunteering services: who may write what, and the rules each write
keeps (messages in Chinese naming the field); reads through visible_to."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fourfirsts.core.actors import Actor
from fourfirsts.volunteering import services
from fourfirsts.volunteering.models import (
    Activity,
    ActivityKind,
    Donation,
    Pairing,
    Participation,
    Payment,
    Project,
    Village,
)
from tests.volunteering.conftest import (
    SYSTEM,
    donate,
    make_activity,
    make_pairing,
    make_project,
    make_village,
    pay,
)


def as_(user):
    return Actor.of(user)


def errors(excinfo) -> dict:
    return excinfo.value.message_dict


def test_the_seeded_kinds_keep_their_codes(db):
    assert ActivityKind.objects.get(ref="civility_persuasion").name == "文明劝导"
    assert ActivityKind.objects.get(ref="bend_down").name == "弯腰行动"
    assert list(ActivityKind.objects.values_list("name", flat=True)) == [
        "文明劝导", "弯腰行动", "进社区", "文明创建", "基层治理", "乡村振兴", "捐资助学活动", "其他"]


def test_the_committee_extends_the_kinds_and_a_secretary_may_not(cast):
    services.activity_kind_save(actor=as_(cast.committee), values={"name": "关爱老人"})
    assert ActivityKind.objects.filter(name="关爱老人").exists()
    with pytest.raises(PermissionDenied):
        services.activity_kind_save(actor=as_(cast.secretary_a), values={"name": "植树"})


def test_a_secretary_records_activities_of_their_own_org_only(world, cast):
    activity = make_activity(world.org_a, actor=as_(cast.secretary_a), hours=Decimal(3),
                             participants=[world.person_a, world.member_a])
    # The other member's hours count at once; the secretary's own wait for someone else to confirm them.
    status = dict(Participation.objects.filter(activity=activity).values_list("person", "status"))
    assert status == {world.member_a.pk: Participation.Status.CONFIRMED,
                      world.person_a.pk: Participation.Status.REPORTED}
    with pytest.raises(ValidationError) as e:
        make_activity(world.org_b, actor=as_(cast.secretary_a))
    assert "党组织" in errors(e)["party_org"][0]
    with pytest.raises(ValidationError) as e:
        make_activity(None, actor=as_(cast.secretary_a))
    assert errors(e)["party_org"] == ["请选择组织活动的党组织或商协会"]
    # The association their org covers is theirs too.
    assert make_activity(None, association=world.assoc_a, actor=as_(cast.secretary_a)).pk
    with pytest.raises(ValidationError) as e:
        make_activity(world.org_a, hours=Decimal(25))
    assert errors(e)["hours"] == ["服务时长不能超过一天24小时"]
    with pytest.raises(ValidationError) as e:
        make_activity(world.org_a, held=date(2018, 1, 1))
    assert errors(e)["held_on"] == ["活动日期不能早于党组织成立日期"]


def test_a_member_reports_hours_and_the_secretary_confirms_or_rejects(world, cast):
    today = date(2022, 6, 1)
    first = make_activity(world.org_a, held=date(2022, 5, 10))
    second = make_activity(world.org_a, code=ActivityKind.BEND_DOWN, held=date(2022, 5, 20))
    row = services.participation_report(actor=as_(cast.member_a), activity=first, hours=Decimal("2.5"),
                                        note="路口劝导", today=today)
    assert row.status == Participation.Status.REPORTED and row.person == world.member_a
    with pytest.raises(ValidationError) as e:
        services.participation_report(actor=as_(cast.member_a), activity=first, hours=Decimal(1), today=today)
    assert "已登记过" in errors(e)["activity"][0]
    with pytest.raises(ValidationError) as e:
        services.participation_report(actor=as_(cast.member_a), activity=second, hours=Decimal(0), today=today)
    assert errors(e)["hours"] == ["服务时长应大于0小时"]
    later = make_activity(world.org_a, held=date(2022, 7, 1))
    with pytest.raises(ValidationError) as e:
        services.participation_report(actor=as_(cast.member_a), activity=later, hours=Decimal(1), today=today)
    assert "还未开展" in errors(e)["activity"][0]
    # Another org's activity is not theirs to report.
    other = make_activity(world.org_b, held=date(2022, 5, 10))
    with pytest.raises(PermissionDenied):
        services.participation_report(actor=as_(cast.member_a), activity=other, hours=Decimal(1), today=today)
    # Only the org's secretary or the committee confirms.
    for who in (cast.secretary_b, cast.member_a, cast.instructor, cast.leader):
        with pytest.raises(PermissionDenied):
            services.participation_confirm(actor=as_(who), participation=row)
    services.participation_confirm(actor=as_(cast.secretary_a), participation=row, on=date(2022, 6, 2))
    row.refresh_from_db()
    assert (row.status, row.decided_by, row.decided_on) == ("confirmed", "secretary_a", date(2022, 6, 2))
    rejected = services.participation_report(actor=as_(cast.member_a), activity=second, hours=Decimal(3), today=today)
    with pytest.raises(ValidationError) as e:
        services.participation_reject(actor=as_(cast.committee), participation=rejected, reason=" ")
    assert errors(e)["reason"] == ["请填写未通过的原因"]
    services.participation_reject(actor=as_(cast.committee), participation=rejected, reason="当天未到场")
    rejected.refresh_from_db()
    assert (rejected.status, rejected.reason) == ("rejected", "当天未到场")


def test_a_persons_hours_on_one_day_add_up_to_at_most_24(world, cast):
    day = date(2022, 5, 10)
    a = make_activity(world.org_a, held=day)
    b = make_activity(world.org_a, held=day, title="第二场")
    services.participation_report(actor=SYSTEM, activity=a, person=world.member_a, hours=Decimal(20), today=day)
    with pytest.raises(ValidationError) as e:
        services.participation_report(actor=SYSTEM, activity=b, person=world.member_a, hours=Decimal(5), today=day)
    assert "合计25小时，超过一天24小时" in errors(e)["hours"][0]
    assert services.participation_report(actor=SYSTEM, activity=b, person=world.member_a, hours=Decimal(4), today=day)


def test_who_sees_activities_and_hours(world, cast):
    a = make_activity(world.org_a, hours=Decimal(2), participants=[world.person_a, world.member_a])
    b = make_activity(world.org_b, hours=Decimal(2), participants=[world.person_b])
    assert set(Activity.objects.visible_to(cast.committee)) == {a, b}
    assert set(Activity.objects.visible_to(cast.leader)) == {a, b}
    assert set(Activity.objects.visible_to(cast.secretary_a)) == {a}
    assert set(Activity.objects.visible_to(cast.instructor)) == {a}
    assert set(Activity.objects.visible_to(cast.member_a)) == {a}
    assert not Activity.objects.visible_to(cast.handler).exists()
    assert not Activity.objects.visible_to(None).exists()
    # A member sees their own hours only; the secretary their org's.
    assert [p.person for p in Participation.objects.visible_to(cast.member_a)] == [world.member_a]
    assert Participation.objects.visible_to(cast.secretary_a).count() == 2
    assert Participation.objects.visible_to(cast.secretary_b).count() == 1


def test_villages_weak_years_and_pairings(world, cast):
    village = make_village(weak=[(2020, 2021)])
    with pytest.raises(ValidationError) as e:
        services.weak_years_save(actor=SYSTEM, values={"village": village, "since_year": 2021, "until_year": None})
    assert "重叠" in errors(e)["since_year"][0]
    with pytest.raises(ValidationError) as e:
        services.weak_years_save(actor=SYSTEM, values={"village": village, "since_year": 2024, "until_year": 2023})
    assert errors(e)["until_year"] == ["截止年份不能早于起始年份"]
    with pytest.raises(ValidationError) as e:
        make_village()
    assert "已登记" in errors(e)["name"][0]
    with pytest.raises(ValidationError) as e:
        make_pairing(village, world.assoc_a, way=Pairing.Way.ENTERPRISE)
    assert errors(e)["enterprise"] == ["一企帮一村请选择企业"]
    with pytest.raises(PermissionDenied):
        make_pairing(village, world.assoc_b, actor=as_(cast.secretary_a))
    with pytest.raises(PermissionDenied):
        services.village_save(actor=as_(cast.instructor), values={"name": "新村", "province": "湖南省", "city": "娄底市",
                                                                         "county": "双峰县", "township": "井字镇"})
    group = make_pairing(village, world.assoc_a, world.ent_a, way=Pairing.Way.GROUP, actor=as_(cast.secretary_a))
    services.pairing_save(actor=SYSTEM, values={}, pairing=group, group=[world.ent_b])
    assert [m.enterprise for m in group.group_members.all()] == [world.ent_b]
    assert set(Pairing.objects.visible_to(cast.secretary_a)) == {group}
    assert not Pairing.objects.visible_to(cast.secretary_b).exists()
    assert Village.objects.visible_to(cast.secretary_b).count() == 1
    assert not Village.objects.visible_to(cast.member_a).exists()


def test_projects_and_payments_keep_their_dates_in_order(world, cast):
    pairing = make_pairing(make_village(), world.assoc_a, world.ent_a, on=date(2021, 3, 1))
    with pytest.raises(ValidationError) as e:
        make_project(pairing, starts=date(2021, 2, 1))
    assert errors(e)["starts_on"] == ["项目开始日期不能早于结对日期（2021-03-01）"]
    with pytest.raises(ValidationError) as e:
        make_project(pairing, ends_on=date(2021, 3, 31))
    assert errors(e)["ends_on"] == ["结束日期不能早于开始日期"]
    with pytest.raises(ValidationError) as e:
        make_project(pairing, planned_funds=Decimal(-1))
    assert errors(e)["planned_funds"] == ["计划投资（元）不能为负数"]
    project = make_project(pairing, planned_funds=Decimal(500000))
    with pytest.raises(ValidationError) as e:
        pay(project, 1000, date(2021, 3, 31))
    assert errors(e)["paid_on"] == ["到位日期不能早于项目开始日期（2021-04-01）"]
    with pytest.raises(ValidationError) as e:
        pay(project, 0, date(2021, 5, 1))
    assert errors(e)["amount"] == ["到位金额应大于0元"]
    with pytest.raises(ValidationError) as e:
        pay(project, 10, date(2026, 11, 28))
    assert errors(e)["paid_on"] == ["到位日期不能晚于今天"]
    pay(project, 1000, date(2021, 5, 1))
    with pytest.raises(ValidationError) as e:
        services.project_save(actor=SYSTEM, values={"starts_on": date(2021, 6, 1)}, project=project)
    assert "2021-05-01" in errors(e)["starts_on"][0]
    with pytest.raises(PermissionDenied):
        pay(project, 10, date(2021, 5, 2), actor=as_(cast.secretary_b))
    assert Payment.objects.visible_to(cast.secretary_a).count() == 1
    assert not Payment.objects.visible_to(cast.secretary_b).exists()
    assert Project.objects.visible_to(cast.instructor).count() == 1


def test_donations_name_a_donor_an_amount_and_no_personal_data(world, cast):
    with pytest.raises(ValidationError) as e:
        donate(amount=1000, org=world.org_a)
    assert errors(e)["donor_enterprise"] == ["请选择捐赠企业"]
    with pytest.raises(ValidationError) as e:
        donate(org=world.org_a, enterprise=world.ent_a)
    assert errors(e)["amount"] == ["请填写捐款金额或物资折价"]
    with pytest.raises(ValidationError) as e:
        donate(amount=-5, org=world.org_a, enterprise=world.ent_a)
    assert errors(e)["amount"] == ["捐款金额（元）不能为负数"]
    with pytest.raises(ValidationError) as e:
        donate(amount=100, org=world.org_a, enterprise=world.ent_a, recipient="学生张三 13912345678")
    assert "手机号" in errors(e)["recipient"][0]
    with pytest.raises(ValidationError) as e:
        donate(amount=100, org=world.org_b, enterprise=world.ent_a, actor=as_(cast.secretary_a))
    assert "党组织" in errors(e)["party_org"][0]
    d = donate(amount=100, goods=50, org=world.org_a, enterprise=world.ent_a, actor=as_(cast.secretary_a),
               donor_person=world.person_a)
    assert d.donor == world.ent_a.name and d.donor_person is None  # only the chosen kind of donor stays
    assert list(Donation.objects.visible_to(cast.secretary_a)) == [d]
    assert not Donation.objects.visible_to(cast.secretary_b).exists()
    assert not Donation.objects.visible_to(cast.member_a).exists()

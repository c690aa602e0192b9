"""F08–F14 and F32 count exactly what figures.md says, for the federation
and for one secretary's scope."""

from datetime import date
from decimal import Decimal

from fourfirsts.core import figures
from fourfirsts.core.actors import Actor
from fourfirsts.volunteering import services
from fourfirsts.volunteering.models import ActivityKind, Donation, Project
from tests.volunteering.conftest import (
    SYSTEM,
    donate,
    make_activity,
    make_pairing,
    make_project,
    make_village,
    pay,
)


def value(fid, year, who=None, today=date(2026, 11, 27)):
    return figures.get(fid).evaluate(who, year, today)


def shown(fid, year, who=None):
    return figures.get(fid).display(value(fid, year, who))


def test_f08_f09_count_activities_of_their_kind_in_the_year(world, cast):
    for day in (date(2022, 1, 1), date(2022, 6, 1), date(2022, 12, 31)):
        make_activity(world.org_a, ActivityKind.CIVILITY, day)
    make_activity(world.org_b, ActivityKind.CIVILITY, date(2021, 12, 31))  # last year
    make_activity(world.org_b, ActivityKind.CIVILITY, date(2023, 1, 1))  # next year
    make_activity(world.org_b, ActivityKind.BEND_DOWN, date(2022, 3, 5))
    make_activity(world.org_a, "community", date(2022, 3, 5))  # another kind
    assert value("F08", 2022).value == 3 and shown("F08", 2022) == "3次"
    assert value("F09", 2022).value == 1 and shown("F09", 2022) == "1次"
    assert value("F08", 2022, cast.secretary_a).value == 3
    assert value("F08", 2022, cast.secretary_b).value == 0
    assert value("F09", 2022, cast.secretary_b).value == 1
    drill = list(figures.get("F08").records(None, 2022))
    assert [a.held_on for a in drill] == [date(2022, 1, 1), date(2022, 6, 1), date(2022, 12, 31)]


def test_f10_counts_villages_weak_in_the_year_of_their_first_pairing(world, cast):
    weak_then = make_village("石井村", weak=[(2020, 2022)])
    make_pairing(weak_then, world.assoc_a, world.ent_a, on=date(2021, 3, 1))
    make_pairing(weak_then, world.assoc_b, world.ent_b, on=date(2022, 5, 1))  # a second pairing: still one village
    # Not weak when A first paired it in 2021, weak when B paired it in 2022: not counted, in any scope.
    weak_later = make_village("白沙村", weak=[(2022, 2022)])
    make_pairing(weak_later, world.assoc_a, on=date(2021, 6, 1))
    make_pairing(weak_later, world.assoc_b, world.ent_b, on=date(2022, 6, 1))
    # Weak in 2020–2021, first paired in 2022: not a weak village when paired.
    no_longer = make_village("大塘村", weak=[(2020, 2021)])
    make_pairing(no_longer, world.assoc_a, on=date(2022, 2, 1))
    # Weak only from 2023, paired 2022: not counted.
    later_weak = make_village("杨家村", county="双峰县", township="井字镇", weak=[(2023, None)])
    make_pairing(later_weak, world.assoc_a, on=date(2022, 2, 1))
    # Never weak.
    make_pairing(make_village("新田村", county="涟源市", township="桥头河镇"), world.assoc_a, on=date(2021, 1, 1))
    # Weak and paired on 31 Dec 2022 (counts for 2022), or on 1 Jan 2023 (not).
    last_day = make_village("上梅村", county="双峰县", township="井字镇", weak=[(2019, None)])
    make_pairing(last_day, world.assoc_b, world.ent_b, on=date(2022, 12, 31))
    next_year = make_village("下梅村", county="双峰县", township="井字镇", weak=[(2019, None)])
    make_pairing(next_year, world.assoc_a, on=date(2023, 1, 1))
    result = value("F10", 2022)
    assert result.value == 2 and shown("F10", 2022) == "2个"
    assert result.parts == {"双峰县": 1, "新化县": 1}
    assert value("F10", 2021).value == 1
    assert value("F10", 2023).value == 3
    # The first pairing is over all pairings; the scope only chooses which villages count:
    # B sees 石井村 and 白沙村 through its 2022 pairings, judged at A's 2021 pairings.
    assert value("F10", 2022, cast.secretary_a).value == 1
    assert value("F10", 2022, cast.secretary_b).value == 2
    b_drill = list(figures.get("F10").records(cast.secretary_b, 2022))
    assert [(r.village.name, r.first_paired) for r in b_drill] == [("上梅村", date(2022, 12, 31)),
                                                                   ("石井村", date(2021, 3, 1))]
    drill = list(figures.get("F10").records(None, 2022))
    assert [(r.village.name, r.first_paired) for r in drill] == [("上梅村", date(2022, 12, 31)),
                                                                 ("石井村", date(2021, 3, 1))]


def test_f11_counts_industry_projects_started_by_31_december(world, cast):
    pairing = make_pairing(make_village(), world.assoc_a, world.ent_a, on=date(2020, 1, 1))
    make_project(pairing, "油茶基地", starts=date(2020, 5, 1))
    make_project(pairing, "生猪养殖", starts=date(2022, 12, 31), klass=Project.Klass.PUBLIC)
    make_project(pairing, "蔬菜大棚", starts=date(2023, 1, 1))  # starts next year
    make_project(pairing, "村小图书室", tag=Project.Tag.CULTURE, starts=date(2021, 5, 1))  # not industry
    assert value("F11", 2022).value == 2 and shown("F11", 2022) == "2个"
    assert value("F11", 2020).value == 1
    assert value("F11", 2022, cast.secretary_a).value == 2
    assert value("F11", 2022, cast.secretary_b).value == 0


def test_f12_sums_money_paid_in_by_payment_date_goods_excluded(world, cast):
    pairing = make_pairing(make_village(), world.assoc_a, world.ent_a, on=date(2020, 1, 1))
    business = make_project(pairing, "油茶基地", starts=date(2020, 5, 1), planned_funds=Decimal(90_000_000),
                            goods_value=Decimal(5_000_000))
    public = make_project(pairing, "村道硬化", tag=Project.Tag.WELFARE, klass=Project.Klass.PUBLIC,
                          starts=date(2021, 1, 1))
    pay(business, "100000000", date(2020, 6, 1))
    pay(public, "27000000", date(2022, 12, 31))
    pay(public, "500000", date(2023, 1, 1))  # after 31 Dec: not in 2022
    result = value("F12", 2022)
    assert result.value == Decimal(127_000_000) and shown("F12", 2022) == "1.27亿元"
    assert result.parts == {"经营类": Decimal(100_000_000), "公益类": Decimal(27_000_000)}
    assert value("F12", 2021).value == Decimal(100_000_000)
    assert value("F12", 2023).value == Decimal(127_500_000)
    assert value("F12", 2022, cast.secretary_b).value == 0
    assert [p.amount for p in figures.get("F12").records(None, 2022)] == [Decimal(100_000_000),
                                                                          Decimal(27_000_000)]


def test_f13_f14_sum_money_donated_with_goods_apart(world, cast):
    donate(Donation.Kind.EDUCATION, 40000, goods=8000, on=date(2021, 9, 1), org=world.org_a, enterprise=world.ent_a)
    donate(Donation.Kind.EDUCATION, 20000, on=date(2022, 12, 31), org=world.org_b, enterprise=world.ent_b)
    donate(Donation.Kind.EDUCATION, 10000, on=date(2023, 1, 1), org=world.org_b, enterprise=world.ent_b)
    donate(Donation.Kind.EDUCATION, 0, goods=3000, on=date(2022, 3, 1), org=world.org_a, enterprise=world.ent_a)
    donate(Donation.Kind.HARDSHIP, 93500, goods=12000, on=date(2022, 2, 1), org=world.org_a, enterprise=world.ent_a)
    donate(Donation.Kind.OTHER, 5000, on=date(2022, 2, 1), org=world.org_a, enterprise=world.ent_a)
    f13 = value("F13", 2022)
    assert f13.value == Decimal(60000) and shown("F13", 2022) == "6万元"
    assert f13.parts == {"物资折价（元）": Decimal(11000), "捐赠笔数": 3}
    assert value("F13", 2021).value == Decimal(40000)
    f14 = value("F14", 2022)
    assert f14.value == Decimal(93500) and shown("F14", 2022) == "9万余元"
    assert f14.parts == {"物资折价（元）": Decimal(12000), "捐赠笔数": 1}
    assert value("F13", 2022, cast.secretary_a).value == Decimal(40000)
    assert value("F14", 2022, cast.secretary_b).value == 0


def test_f32_counts_confirmed_hours_of_activities_in_the_year(world, cast):
    day = date(2022, 5, 10)
    a = make_activity(world.org_a, held=day, hours=Decimal("2.5"), participants=[world.person_a])
    make_activity(world.org_b, "community", held=day, hours=Decimal(4), participants=[world.person_b])
    make_activity(world.org_a, held=date(2023, 1, 1), hours=Decimal(8), participants=[world.person_a])
    reported = services.participation_report(actor=Actor.of(cast.member_a), activity=a, hours=Decimal(3),
                                             today=day)
    result = value("F32", 2022)
    assert result.value == Decimal("6.5") and shown("F32", 2022) == "6.5小时"
    assert result.parts == {"文明劝导": Decimal("2.5"), "进社区": Decimal(4)}
    services.participation_confirm(actor=SYSTEM, participation=reported)
    assert value("F32", 2022).value == Decimal("9.5")
    assert value("F32", 2022, cast.secretary_a).value == Decimal("5.5")
    assert value("F32", 2022, cast.member_a).value == Decimal(3)

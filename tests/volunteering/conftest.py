"""Helpers for the volunteering tests: records built through the services."""

import importlib
from datetime import date
from decimal import Decimal

import pytest

from fourfirsts.core.actors import Actor
from fourfirsts.volunteering import services
from fourfirsts.volunteering.models import ActivityKind, Donation, Pairing, Project

SYSTEM = Actor.system("测试")


@pytest.fixture(autouse=True)
def activity_kinds(db):
    """The kinds a data migration seeds: a transactional test (the browser
    tests) flushes them, and later tests on the same worker still need them."""
    seed_activity_kinds()


def seed_activity_kinds():
    from django.apps import apps

    seeding = importlib.import_module("fourfirsts.volunteering.migrations.0002_seed_activity_kinds")
    if ActivityKind.objects.filter(ref__in=[code for code, _name in seeding.KINDS]).count() < len(seeding.KINDS):
        seeding.seed(apps, None)


def kind(code):
    return ActivityKind.objects.get(ref=code)


def make_activity(org=None, code=ActivityKind.CIVILITY, held=date(2022, 5, 10), hours=None, participants=None,
                  actor=SYSTEM, association=None, title="文明交通劝导"):
    return services.activity_save(actor=actor, values={
        "kind": kind(code), "title": title, "party_org": org, "association": association, "held_on": held,
        "place": "娄星区乐坪大道", "hours": hours}, participants=participants)


def make_village(name="石井村", county="新化县", township="琅塘镇", weak=None):
    village = services.village_save(actor=SYSTEM, values={"name": name, "province": "湖南省", "city": "娄底市",
                                                          "county": county, "township": township})
    for since, until in weak or ():
        services.weak_years_save(actor=SYSTEM, values={"village": village, "since_year": since, "until_year": until})
    return village


def make_pairing(village, association, enterprise=None, on=date(2021, 3, 1), way=None, actor=SYSTEM):
    way = way or (Pairing.Way.ENTERPRISE if enterprise else Pairing.Way.ASSOCIATION)
    return services.pairing_save(actor=actor, values={"village": village, "association": association,
                                                      "enterprise": enterprise, "way": way, "paired_on": on})


def make_project(pairing, name="油茶种植基地", tag=Project.Tag.INDUSTRY, klass=Project.Klass.BUSINESS,
                 starts=date(2021, 4, 1), **values):
    return services.project_save(actor=SYSTEM, values={"pairing": pairing, "name": name, "tag": tag,
                                                       "klass": klass, "starts_on": starts, **values})


def pay(project, amount, on, actor=SYSTEM):
    return services.payment_save(actor=actor, values={"project": project, "amount": Decimal(amount), "paid_on": on},
                                 today=date(2026, 11, 27))


def donate(kind=Donation.Kind.EDUCATION, amount=0, goods=0, on=date(2022, 9, 1), org=None, enterprise=None,
           actor=SYSTEM, **values):
    return services.donation_save(actor=actor, values={
        "kind": kind, "donor_kind": Donation.DonorKind.ENTERPRISE, "donor_enterprise": enterprise,
        "recipient": "新化县某中学贫困学生12名", "amount": Decimal(amount), "goods_value": Decimal(goods),
        "donated_on": on, "party_org": org, **values})

"""Honours: who may hold which, their validity on 31 Dec, and F18–F20."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fourfirsts.core import figures
from fourfirsts.core.actors import Actor
from fourfirsts.governance import services
from fourfirsts.governance.models import Honour
from tests.governance.conftest import honour, make_org, new_association

FOUR, BENCH, OTHER = Honour.Kind.FOUR_GOOD, Honour.Kind.BENCHMARK, Honour.Kind.OTHER
NAT, PROV, CITY = Honour.Level.NATIONAL, Honour.Level.PROVINCIAL, Honour.Level.CITY


def test_f19_f20_count_distinct_associations_valid_on_31_december(world):
    honour(association=world.assoc_a, level=NAT, recognised_on=date(2021, 5, 1), valid_until=date(2023, 4, 30))
    honour(association=world.assoc_a, level=PROV, recognised_on=date(2020, 5, 1))  # no end: valid until revoked
    honour(association=world.assoc_a, level=PROV, recognised_on=date(2022, 5, 1), valid_until=date(2024, 4, 30))
    honour(association=world.assoc_b, level=NAT, recognised_on=date(2020, 1, 1), valid_until=date(2022, 12, 31))
    honour(association=world.assoc_c, level=NAT, recognised_on=date(2022, 1, 1), revoked_on=date(2022, 12, 31))
    honour(association=world.assoc_c, level=PROV, recognised_on=date(2023, 1, 1))  # after the year
    honour(association=world.assoc_c, level=PROV, stage=Honour.Stage.JUDGED, recognised_on=None)  # not yet recognised
    f19, f20 = figures.get("F19"), figures.get("F20")
    assert f19.evaluate(None, 2022).value == 2  # A (valid), B (ends on 31 Dec itself); C revoked that day
    assert f20.evaluate(None, 2022).value == 1  # A once, though twice recognised
    assert f19.display(f19.evaluate(None, 2022)) == "2家"
    assert f19.evaluate(None, 2023).value == 0
    assert f20.evaluate(None, 2023).value == 2
    assert [h.association.name for h in f20.records(None, 2022)] == ["娄底市安徽商会", "娄底市安徽商会"]


def test_an_honour_ending_31_december_is_no_longer_valid_on_1_january(world):
    h = honour(association=world.assoc_a, level=NAT, recognised_on=date(2020, 1, 1), valid_until=date(2022, 12, 31))
    assert list(Honour.objects.valid_on(date(2022, 12, 31))) == [h]
    assert not Honour.objects.valid_on(date(2023, 1, 1)).exists()
    f19 = figures.get("F19")
    assert (f19.evaluate(None, 2022).value, f19.evaluate(None, 2023).value) == (1, 0)


def test_an_honour_ending_1_january_counts_for_the_year_before_only(world):
    h = honour(association=world.assoc_b, level=PROV, recognised_on=date(2020, 1, 1), valid_until=date(2023, 1, 1))
    assert list(Honour.objects.valid_on(date(2022, 12, 31))) == [h]
    assert list(Honour.objects.valid_on(date(2023, 1, 1))) == [h]  # its last day
    assert not Honour.objects.valid_on(date(2023, 1, 2)).exists()
    assert not Honour.objects.valid_on(date(2023, 12, 31)).exists()
    f20 = figures.get("F20")
    assert (f20.evaluate(None, 2022).value, f20.evaluate(None, 2023).value) == (1, 0)
    assert [r.association.name for r in f20.records(None, 2022)] == ["娄底市浙江商会"]
    assert not f20.records(None, 2023).exists()


def test_f18_counts_party_orgs_with_a_provincial_or_city_benchmark(world):
    other = make_org("娄底市湘潭商会党支部")
    honour(kind=BENCH, level=PROV, party_org=world.org_a, recognised_on=date(2022, 7, 1))
    honour(kind=BENCH, level=CITY, party_org=world.org_a, recognised_on=date(2021, 7, 1))
    honour(kind=BENCH, level=CITY, party_org=world.org_b, recognised_on=date(2021, 7, 1), valid_until=date(2022, 6, 30))
    honour(kind=BENCH, level=CITY, party_org=other, recognised_on=date(2022, 12, 31))
    honour(kind=OTHER, level=NAT, party_org=world.org_b, title="全国先进基层党组织", recognised_on=date(2021, 7, 1))
    result = figures.get("F18").evaluate(None, 2022)
    assert result.value == 2
    assert figures.get("F18").display(result) == "2个"


def test_honour_figures_for_a_secretary_count_their_own(world, cast):
    honour(association=world.assoc_a, level=NAT)
    honour(association=world.assoc_b, level=NAT)
    assert figures.get("F19").evaluate(cast.secretary_a, 2022).value == 1
    assert figures.get("F19").evaluate(cast.member_a, 2022).value == 1  # a member reads their org's honours
    assert figures.get("F19").evaluate(cast.handler, 2022).value == 0


@pytest.mark.parametrize("values, field", [
    ({"kind": FOUR, "association": None}, "association"),
    ({"kind": BENCH, "association": None, "party_org": "org"}, "level"),
    ({"kind": BENCH, "association": None, "level": CITY}, "party_org"),
    ({"party_org": "org"}, "party_org"),
    ({"kind": OTHER, "title": ""}, "title"),
    ({"recognised_on": None}, "recognised_on"),
    ({"valid_until": date(2021, 1, 1)}, "valid_until"),
    ({"revoked_on": date(2021, 1, 1)}, "revoked_on"),
])
def test_bad_honours_are_refused_with_the_field_named(world, values, field):
    values = {k: (world.org_a if v == "org" else v) for k, v in values.items()}
    base = {"kind": FOUR, "level": NAT, "association": world.assoc_a, "party_org": None,
            "stage": Honour.Stage.RECOGNISED, "recognised_on": date(2021, 6, 1)}
    with pytest.raises(ValidationError) as e:
        services.honour_save(actor=Actor.system(), values={**base, **values})
    assert field in e.value.message_dict
    assert not Honour.objects.exists()


def test_only_the_committee_records_honours(world, cast):
    with pytest.raises(PermissionDenied):
        honour(association=world.assoc_a, actor=Actor.of(cast.secretary_a))
    assert honour(association=world.assoc_a, actor=Actor.of(cast.committee)).pk


def test_expiring_honours_are_flagged(world):
    soon = honour(association=world.assoc_a, valid_until=date(2023, 2, 1))
    honour(association=world.assoc_b, valid_until=date(2024, 1, 1))
    honour(association=world.assoc_c)  # no end
    got = services.honours_expiring(Honour.objects.all(), date(2023, 1, 1), days=90)
    assert list(got) == [soon]


def test_stages_follow_the_declaration_to_recognition(world):
    h = honour(association=world.assoc_a, stage=Honour.Stage.DECLARED, recognised_on=None, cycle="2022—2023")
    assert figures.get("F19").evaluate(None, 2022).value == 0
    services.honour_save(actor=Actor.system(), honour=h,
                         values={"stage": Honour.Stage.RECOGNISED, "recognised_on": date(2022, 9, 1)})
    assert figures.get("F19").evaluate(None, 2022).value == 1
    assert new_association  # helper import kept for the table of other tests


def test_the_expiry_warning_follows_the_setting_in_force(world):
    from fourfirsts.core import rules
    from tests.governance.conftest import SYSTEM

    soon = honour(association=world.assoc_a, valid_until=date(2023, 2, 1))
    assert list(services.honours_expiring(Honour.objects.all(), date(2023, 1, 1))) == [soon]  # 90 days
    rules.setting_change(key="governance.honour_warn_days", raw="20", effective_from=date(2022, 12, 1), actor=SYSTEM)
    assert list(services.honours_expiring(Honour.objects.all(), date(2023, 1, 1))) == []

"""ORG-1…ORG-3 checks per org and rolled up."""

from datetime import date

from fourfirsts.governance import orgchecks
from fourfirsts.registry import services as reg
from fourfirsts.registry.models import PartyMembership, PartyOrg
from tests.conftest import make_person
from tests.governance.conftest import SYSTEM, cover, make_org, new_association


def members(org, n, full=True, prefix="党员"):
    for i in range(n):
        p = make_person(f"{org.name}{prefix}{i}")
        reg.party_joining_record(actor=SYSTEM, person=p, joined_on=date(2010, 1, 1),
                                 full_on=date(2011, 1, 1) if full else None)
        reg.dated_link_save(actor=SYSTEM, model=PartyMembership,
                            values={"person": p, "party_org": org, "since": date(2019, 1, 1)})


def by_name(day=date(2022, 12, 31)):
    return {c.org.name: c for c in orgchecks.check(PartyOrg.objects.all(), day)}


def test_each_rule_flags_its_case(world):
    members(world.org_a, 8)  # ≥7 full members, no committee
    members(world.org_b, 2)
    members(world.org_b, 3, full=False, prefix="预备")  # 5 members, 2 full: too few for its own branch
    joint = make_org("联合党支部", PartyOrg.Kind.JOINT_BRANCH, date(2019, 1, 1))
    for i in range(6):
        cover(joint, new_association(f"娄底市商会{i}"), date(2019, 1, 1))
    members(joint, 4)
    ok = make_org("娄底市福建商会党支部", has_committee=True, term_end=date(2024, 6, 1))
    cover(ok, new_association("娄底市福建商会"), date(2020, 1, 1))
    members(ok, 9)
    make_org("总支", PartyOrg.Kind.GENERAL_BRANCH, term_end=date(2023, 3, 31))
    old = make_org("旧支部", term_end=date(2022, 12, 30), has_committee=True)
    members(old, 3)
    got = by_name()
    assert got["娄底市安徽商会党支部"].findings == ["no_committee"]
    assert (got["娄底市浙江商会党支部"].full_members, got["娄底市浙江商会党支部"].findings) == (2, ["too_few"])
    assert got["联合党支部"].findings == ["joint_too_wide"]
    assert got["娄底市福建商会党支部"].findings == []
    assert got["总支"].findings == ["kind_for_size", "term_ending"]  # 0 members; ends within 3 months
    assert got["旧支部"].findings == ["term_expired"]
    assert "娄底市工商联商协会党委" in got and "kind_for_size" in got["娄底市工商联商协会党委"].findings
    roll = orgchecks.rollup(list(got.values()))
    assert roll["kind_for_size"] == 2 and roll["term_expired"] == 1 and roll["too_few"] == 1


def test_checks_are_as_of_a_date(world):
    members(world.org_a, 8)
    assert "no_committee" not in by_name(date(2018, 12, 31)).get("娄底市安徽商会党支部").findings
    assert "娄底市安徽商会党支部" not in by_name(date(2018, 1, 1))  # not yet established


def test_add_months_keeps_to_the_month_end():
    assert orgchecks.add_months(date(2022, 11, 30), 3) == date(2023, 2, 28)


def test_checks_with_few_queries(world, django_assert_max_num_queries):
    for i in range(6):
        members(make_org(f"支部{i}"), 2)
    with django_assert_max_num_queries(8):
        orgchecks.check(PartyOrg.objects.all(), date(2022, 12, 31))

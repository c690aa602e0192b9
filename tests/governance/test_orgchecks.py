"""ORG-1…ORG-3 checks per org and rolled up."""

from datetime import date

from fourfirsts.core import rules
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


def test_boundaries_of_org_1_to_3(world):
    cases = {"二名": 2, "三名": 3, "六名": 6, "七名": 7}
    for name, n in cases.items():
        org = make_org(f"{name}支部", has_committee=False)
        cover(org, new_association(f"娄底市{name}商会"), date(2019, 1, 1))
        members(org, n)
    for name, n in (("五个", 5), ("六个", 6)):
        joint = make_org(f"{name}联合支部", PartyOrg.Kind.JOINT_BRANCH)
        for i in range(n):
            cover(joint, new_association(f"娄底市{name}{i}商会"), date(2019, 1, 1))
    make_org("满三月支部", term_end=date(2023, 3, 31))  # exactly 3 months after 31 Dec
    make_org("过三月支部", term_end=date(2023, 4, 1))
    got = by_name()
    assert "too_few" in got["二名支部"].findings and "too_few" not in got["三名支部"].findings
    assert "no_committee" not in got["六名支部"].findings and "no_committee" in got["七名支部"].findings
    assert "joint_too_wide" not in got["五个联合支部"].findings
    assert "joint_too_wide" in got["六个联合支部"].findings
    assert "term_ending" in got["满三月支部"].findings and "term_ending" not in got["过三月支部"].findings


def test_size_boundaries_of_org_2(world):
    for name, kind, n in (("五十", PartyOrg.Kind.BRANCH, 50), ("五十一", PartyOrg.Kind.BRANCH, 51),
                          ("九十九", PartyOrg.Kind.PARTY_COMMITTEE, 99), ("一百", PartyOrg.Kind.PARTY_COMMITTEE, 100)):
        members(make_org(name, kind), n, full=False)
    got = by_name()
    assert "kind_for_size" not in got["五十"].findings and "kind_for_size" in got["五十一"].findings
    assert "kind_for_size" in got["九十九"].findings and "kind_for_size" not in got["一百"].findings


def test_size_boundaries_of_a_general_branch(world):
    """A 党总支 suits more than 50 members and at most 100: 50 and 101 are flagged, 51 and 100 are not."""
    for name, n in (("总支五十", 50), ("总支五十一", 51), ("总支一百", 100), ("总支一百零一", 101)):
        members(make_org(name, PartyOrg.Kind.GENERAL_BRANCH), n, full=False)
    got = by_name()
    assert "kind_for_size" in got["总支五十"].findings and "kind_for_size" not in got["总支五十一"].findings
    assert "kind_for_size" not in got["总支一百"].findings and "kind_for_size" in got["总支一百零一"].findings


def test_thresholds_and_their_labels_follow_the_settings_in_force(world):
    rules.setting_change(key="governance.joint_max_units", raw="4", effective_from=date(2022, 1, 1), actor=SYSTEM)
    rules.setting_change(key="governance.term_warn_months", raw="6", effective_from=date(2022, 1, 1), actor=SYSTEM)
    joint = make_org("联合支部", PartyOrg.Kind.JOINT_BRANCH)
    for i in range(5):
        cover(joint, new_association(f"娄底市联合{i}商会"), date(2019, 1, 1))
    make_org("半年支部", term_end=date(2023, 6, 30))
    got = by_name()
    assert got["联合支部"].findings == ["joint_too_wide"] and "term_ending" in got["半年支部"].findings
    assert "超过4个" in got["联合支部"].messages[0]
    assert "6个月" in orgchecks.labels(date(2022, 12, 31))["term_ending"]
    assert "joint_too_wide" not in by_name(date(2021, 12, 31))["联合支部"].findings

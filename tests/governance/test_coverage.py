"""两个覆盖 from the registry: own, joint, instructor-only, none; as of a date;
associations not in operation left out; F16, F21, F22 and the statistics table."""

from datetime import date

from fourfirsts.core import figures
from fourfirsts.governance import coverage
from fourfirsts.governance.figures import lead_names
from fourfirsts.registry import services as reg
from fourfirsts.registry.models import (
    Association,
    AssociationStatus,
    EnterpriseMembership,
    PartyMembership,
    PartyOrg,
    Post,
)
from tests.conftest import make_person
from tests.governance.conftest import SYSTEM, assign, cover, make_org, new_association, set_status


def kinds(day):
    return {r.association.name: r.kind for r in coverage.coverage_on(Association.objects.all(), day)}


def test_world_has_own_orgs_an_instructor_only_association(world):
    got = kinds(date(2022, 12, 31))
    assert got == {"娄底市安徽商会": "own", "娄底市浙江商会": "own", "娄底市长沙商会": "instructor"}


def test_a_joint_branch_or_an_org_covering_two_associations_is_joint(world):
    d = new_association("娄底市衡阳商会")
    e = new_association("娄底市益阳商会")
    f = new_association("娄底市常德商会")
    joint = make_org("异地商会联合党支部", PartyOrg.Kind.JOINT_BRANCH, date(2019, 4, 10))
    cover(joint, d, date(2019, 4, 10))
    shared = make_org("益阳常德商会党支部", PartyOrg.Kind.BRANCH, date(2019, 4, 10))
    cover(shared, e, date(2019, 4, 10))
    cover(shared, f, date(2021, 1, 1))
    got = kinds(date(2020, 6, 1))
    assert (got["娄底市衡阳商会"], got["娄底市益阳商会"]) == ("joint", "own")  # f not yet covered
    assert got["娄底市常德商会"] == "none"
    got = kinds(date(2022, 6, 1))
    assert (got["娄底市益阳商会"], got["娄底市常德商会"]) == ("joint", "joint")


def test_own_org_wins_over_a_joint_one(world):
    joint = make_org("联合党支部", PartyOrg.Kind.JOINT_BRANCH, date(2019, 1, 1))
    cover(joint, world.assoc_a, date(2019, 1, 1))
    assert kinds(date(2022, 1, 1))["娄底市安徽商会"] == "own"


def test_coverage_as_of_a_date_follows_coverage_and_org_dates(world):
    assert kinds(date(2018, 5, 31))["娄底市安徽商会"] == "none"
    assert kinds(date(2018, 6, 1))["娄底市安徽商会"] == "own"
    # The org dissolved: the association falls back to its instructor.
    reg.party_org_save(actor=SYSTEM, org=world.org_a, values={"dissolved_on": date(2023, 1, 1)})
    assert kinds(date(2022, 12, 31))["娄底市安徽商会"] == "own"
    assert kinds(date(2023, 1, 1))["娄底市安徽商会"] == "instructor"
    # An ended coverage no longer counts; an ended assignment neither.
    cover_b = world.org_b.coverages.get()
    reg.coverage_save(actor=SYSTEM, coverage=cover_b, values={"until": date(2022, 6, 30)})
    assert kinds(date(2022, 6, 30))["娄底市浙江商会"] == "own"
    assert kinds(date(2022, 7, 1))["娄底市浙江商会"] == "none"


def test_associations_not_in_operation_are_left_out(world):
    new_association("娄底市江西商会", founded=date(2022, 1, 1), status=AssociationStatus.Status.PREPARING)
    set_status(world.assoc_b, AssociationStatus.Status.DEREGISTERED, date(2022, 7, 1))
    got = kinds(date(2022, 12, 31))
    assert "娄底市江西商会" not in got and "娄底市浙江商会" not in got
    assert "娄底市浙江商会" in kinds(date(2022, 6, 30))


def test_f21_f22_rates_as_of_the_report_date(world):
    new_association("娄底市湘潭商会")  # none
    f21 = figures.get("F21").evaluate(None, 2022)
    f22 = figures.get("F22").evaluate(None, 2022)
    assert (f21.value, f21.parts) == (50, {"numerator": 2, "denominator": 4})
    assert str(f21.value) == "50.0"
    assert (f22.value, f22.parts["numerator"]) == (75, 3)
    # Before A's org and B's: only the instructor covers C (A's instructor starts 2020).
    assert figures.get("F21").evaluate(None, 2017).parts == {"numerator": 0, "denominator": 4}
    # The current year is judged on today.
    f21_now = figures.get("F21").evaluate(None, 2023, today=date(2023, 3, 1))
    assert f21_now.parts["denominator"] == 4


def test_f21_for_a_secretary_counts_their_own_associations(world, cast):
    result = figures.get("F21").evaluate(cast.secretary_a, 2022)
    assert result.parts == {"numerator": 1, "denominator": 1}
    assert figures.get("F21").evaluate(cast.member_a, 2022).value is None  # nothing visible: no rate


def test_f16_counts_associations_first_covered_in_the_year_in_order(world):
    power = new_association("娄底经开区电力局协会")
    jiangxi = new_association("娄底市江西商会")
    guangdong = new_association("娄底市广东商会")
    hengyang = new_association("娄底市衡阳商会")
    reg.coverage_save(actor=SYSTEM, coverage=world.org_a.coverages.get(), values={"since": date(2022, 3, 15)})
    reg.party_org_save(actor=SYSTEM, org=world.org_a, values={"established_on": date(2022, 3, 15)})
    cover(make_org("娄底经开区电力局协会党支部", established=date(2022, 5, 20)), power, date(2022, 5, 20))
    cover(make_org("娄底市江西商会党支部", established=date(2022, 11, 8)), jiangxi, date(2022, 11, 8))
    joint = make_org("联合党支部", PartyOrg.Kind.JOINT_BRANCH, date(2019, 4, 10))
    cover(joint, hengyang, date(2022, 11, 8))  # an existing joint branch takes it in; same day as 江西
    cover(make_org("娄底市广东商会党支部", established=date(2023, 6, 12)), guangdong, date(2023, 6, 12))
    # Covered since 2019 and again in 2022: not newly covered.
    cover(make_org("浙江商会第二支部", established=date(2022, 2, 1)), world.assoc_b, date(2022, 2, 1))
    f16 = figures.get("F16")
    result = f16.evaluate(None, 2022)
    assert result.value == 4
    assert result.names == ["娄底市安徽商会", "娄底经开区电力局协会", "娄底市衡阳商会", "娄底市江西商会"]
    assert result.parts["lead"] == "娄底市安徽商会、娄底经开区电力局协会等"
    assert f16.display(result) == "4家"
    assert [r[3].name for r in f16.records(None, 2022)] == result.names
    assert f16.evaluate(None, 2023).names == ["娄底市广东商会"]


def test_f16_counts_an_existing_org_covering_from_its_founding_day(world):
    late = new_association("娄底市郴州商会")
    org = make_org("郴州商会党支部", established=date(2023, 2, 1))
    cover(org, late, date(2022, 12, 1))  # coverage typed before the org existed: counts from 2023
    assert figures.get("F16").evaluate(None, 2022).value == 0
    assert figures.get("F16").evaluate(None, 2023).names == ["娄底市郴州商会"]


def test_lead_names_prints_two_and_etc_only_when_more_exist():
    assert lead_names([]) == ""
    assert lead_names(["甲"]) == "甲"
    assert lead_names(["甲", "乙"]) == "甲、乙"
    assert lead_names(["甲", "乙", "丙"]) == "甲、乙等"


def _full_member(name, since=date(2010, 1, 1), status="01"):
    p = make_person(name)
    full_on = date(2011, 1, 1) if status == "01" else None
    reg.party_joining_record(actor=SYSTEM, person=p, joined_on=since, full_on=full_on)
    return p


def _post(person, association=None, enterprise=None, since=date(2016, 1, 1)):
    reg.dated_link_save(actor=SYSTEM, model=Post, values={"person": person, "association": association,
                                                         "enterprise": enterprise, "title": "会长", "since": since})


def test_statistics_table_counts_each_line_from_the_registry(world):
    # C (instructor only) has 3 full members among its people (one through a member enterprise): should set one up.
    for i in range(2):
        _post(_full_member(f"长沙党员{i}"), association=world.assoc_c)
    reg.dated_link_save(actor=SYSTEM, model=EnterpriseMembership,
                        values={"enterprise": world.ent_b, "association": world.assoc_c, "since": date(2016, 1, 1)})
    _post(_full_member("物流党员"), enterprise=world.ent_b)
    # D: one probationary member: only a few. E: nobody.
    d = new_association("娄底市湘潭商会")
    _post(_full_member("湘潭预备党员", status="02"), association=d)
    new_association("娄底市邵阳商会")
    # A member of A's org with no relations transferred in: 张安徽 has his in org_a; a new one does not.
    _post(_full_member("安徽党员"), association=world.assoc_a)
    joint = make_org("联合党支部", PartyOrg.Kind.JOINT_BRANCH, date(2019, 1, 1))
    f = new_association("娄底市益阳商会")
    cover(joint, f, date(2019, 1, 1))
    placed = _full_member("已转入党员")
    _post(placed, association=f)
    reg.dated_link_save(actor=SYSTEM, model=PartyMembership,
                        values={"person": placed, "party_org": joint, "since": date(2019, 1, 1)})
    got = coverage.statistics(Association.objects.all(), date(2022, 12, 31))
    assert got == {"units": 6, "own": 2, "joint": 1, "without": 3, "should_set_up": 1, "few_members": 1,
                   "no_members": 1, "with_instructor": 1,
                   # 3 at C, 1 at D, 1 at A; the one at F is placed
                   "not_transferred": 5}


def test_coverage_counts_with_few_queries(world, django_assert_max_num_queries):
    for i in range(6):
        a = new_association(f"娄底市商会{i}")
        cover(make_org(f"党支部{i}", established=date(2019, 1, 1)), a, date(2019, 1, 1))
        assign(world.instructor, a)
    with django_assert_max_num_queries(12):
        coverage.statistics(Association.objects.all(), date(2022, 12, 31))
    with django_assert_max_num_queries(8):
        figures.get("F16").evaluate(None, 2019)


def test_statistics_labels_and_threshold_follow_the_setting(world):
    from fourfirsts.core import rules

    rules.setting_change(key="governance.own_branch_minimum", raw="4", effective_from=date(2022, 1, 1),
                         actor=SYSTEM)
    assert "4名" in coverage.statistics_labels(date(2022, 12, 31))["should_set_up"]
    assert "3名" in coverage.statistics_labels(date(2021, 12, 31))["should_set_up"]
    for i in range(3):
        _post(_full_member(f"长沙党员{i}"), association=world.assoc_c)
    assert coverage.statistics(Association.objects.all(), date(2021, 12, 31))["should_set_up"] == 1
    assert coverage.statistics(Association.objects.all(), date(2022, 12, 31))["should_set_up"] == 0


def test_f16_skips_coverage_outside_the_life_of_the_org(world):
    early = new_association("娄底市湘潭商会")
    late = new_association("娄底市邵阳商会")
    org = make_org("湘潭邵阳联合党支部", PartyOrg.Kind.JOINT_BRANCH, date(2022, 3, 1), dissolved_on=date(2022, 6, 30))
    cover(org, early, date(2021, 1, 1), until=date(2022, 2, 1))  # ended before the org existed
    cover(org, late, date(2022, 7, 1))  # began after it was dissolved
    assert figures.get("F16").evaluate(None, 2022).value == 0


def test_f16_one_new_joint_branch_covering_two(world):
    x, y = new_association("娄底市邵阳商会"), new_association("娄底市湘潭商会")
    joint = make_org("邵阳湘潭联合党支部", PartyOrg.Kind.JOINT_BRANCH, date(2022, 4, 1))
    cover(joint, x, date(2022, 4, 1))
    cover(joint, y, date(2022, 4, 1))
    result = figures.get("F16").evaluate(None, 2022)
    assert (result.value, result.names) == (2, ["娄底市邵阳商会", "娄底市湘潭商会"])  # same day: by pinyin

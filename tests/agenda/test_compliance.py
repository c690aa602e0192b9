"""三会一课: which required (org, kind, period) slots are missing, across
month, quarter and year boundaries, and for an org founded mid-year."""

from datetime import date

from fourfirsts.agenda import compliance
from fourfirsts.agenda.models import Meeting
from fourfirsts.core import rules
from fourfirsts.registry import services as reg
from fourfirsts.registry.models import PartyGroup, PartyOrg
from tests.agenda.conftest import SYSTEM, make_meeting

K = Meeting.Kind


def slots(org, year=2022, on=date(2022, 12, 31)):
    org.refresh_from_db()
    found = compliance.slots_for([org], year, on)
    # F26 counts without building the slots: the same (met, required) in every test here.
    assert compliance.rate_for([org], year, on) == compliance.rate(found)
    return found


def kinds(found, kind):
    return [(s.first, s.met) for s in found if s.kind == kind]


def test_a_plain_branch_needs_the_branch_slots_only(world):
    found = slots(world.org_a)
    assert {s.kind for s in found} == {K.GENERAL_MEETING, K.PARTY_LECTURE, K.THEME_DAY, K.LIFE_MEETING,
                                       K.MEMBER_REVIEW, compliance.SECRETARY_LECTURE}
    assert len(kinds(found, K.THEME_DAY)) == 12 and len(kinds(found, K.GENERAL_MEETING)) == 4
    assert compliance.rate(found) == (0, 23)


def test_month_and_quarter_boundaries(world):
    make_meeting(world.org_a, K.THEME_DAY, date(2022, 1, 31), "23:30")  # January
    make_meeting(world.org_a, K.THEME_DAY, date(2022, 3, 1), "00:30")  # March, not February
    make_meeting(world.org_a, K.GENERAL_MEETING, date(2022, 3, 31))  # Q1
    make_meeting(world.org_a, K.GENERAL_MEETING, date(2022, 4, 1))  # Q2
    found = slots(world.org_a)
    theme = dict(kinds(found, K.THEME_DAY))
    assert theme[date(2022, 1, 1)] and not theme[date(2022, 2, 1)] and theme[date(2022, 3, 1)]
    assert kinds(found, K.GENERAL_MEETING) == [(date(2022, 1, 1), True), (date(2022, 4, 1), True),
                                               (date(2022, 7, 1), False), (date(2022, 10, 1), False)]


def test_year_boundary_and_periods_not_yet_due(world):
    make_meeting(world.org_a, K.LIFE_MEETING, date(2023, 1, 1), "00:30")  # counts for 2023, not 2022
    assert kinds(slots(world.org_a), K.LIFE_MEETING) == [(date(2022, 1, 1), False)]
    running = slots(world.org_a, 2023, date(2023, 5, 15))
    assert kinds(running, K.LIFE_MEETING) == [(date(2023, 1, 1), True)]
    # By 15 May only January–April's theme days and Q1's general meeting are due.
    met, required = compliance.rate(running)
    assert required == 4 + 1 + 1  # theme days, general meeting, party lecture
    assert met == 0


def test_an_org_founded_mid_year_is_required_from_its_first_full_period(world):
    org = reg.party_org_save(actor=SYSTEM, values={
        "name": "娄底市福建商会党支部", "kind": PartyOrg.Kind.BRANCH, "parent": world.committee_org,
        "established_on": date(2022, 5, 15)})
    found = slots(org)
    assert [first for first, _ in kinds(found, K.THEME_DAY)] == [date(2022, m, 1) for m in range(6, 13)]
    assert [first for first, _ in kinds(found, K.GENERAL_MEETING)] == [date(2022, 7, 1), date(2022, 10, 1)]
    assert kinds(found, K.LIFE_MEETING) == []  # 2022 is not a full year for it
    assert len(kinds(slots(org, 2023, date(2023, 12, 31)), K.LIFE_MEETING)) == 1


def test_committee_and_groups_add_monthly_slots_judged_on_the_first_day(world):
    reg.party_org_save(actor=SYSTEM, values={"has_committee": True}, org=world.org_a)
    reg.party_group_save(actor=SYSTEM, values={"party_org": world.org_a, "name": "第一党小组",
                                               "established_on": date(2022, 9, 2)})
    found = slots(world.org_a)
    assert len(kinds(found, K.COMMITTEE_MEETING)) == 12
    assert [first for first, _ in kinds(found, K.GROUP_MEETING)] == [date(2022, 10, 1), date(2022, 11, 1),
                                                                      date(2022, 12, 1)]
    assert PartyGroup.objects.count() == 1


def test_an_upper_org_needs_monthly_committee_meetings_and_its_secretarys_lecture(world):
    reg.party_org_save(actor=SYSTEM, values={"secretary": world.person_a}, org=world.committee_org)
    make_meeting(world.committee_org, K.PARTY_LECTURE, date(2022, 7, 1), study_leader=world.person_a)
    found = slots(world.committee_org)
    assert {s.kind for s in found} == {K.COMMITTEE_MEETING, compliance.SECRETARY_LECTURE}
    assert kinds(found, compliance.SECRETARY_LECTURE) == [(date(2022, 1, 1), True)]


def test_frequencies_are_dated_settings(world):
    rules.setting_change(key="agenda.months.theme_day", raw="3", effective_from=date(2023, 1, 1), actor=SYSTEM)
    assert len(kinds(slots(world.org_a), K.THEME_DAY)) == 12
    assert len(kinds(slots(world.org_a, 2023, date(2023, 12, 31)), K.THEME_DAY)) == 4


def test_a_branch_committee_counts_from_its_election_and_its_secretary_from_the_seat(world):
    from fourfirsts.registry.models import CommitteeSeat

    reg.party_org_save(actor=SYSTEM, values={"has_committee": True}, org=world.org_a)
    reg.dated_link_save(actor=SYSTEM, model=CommitteeSeat, values={
        "party_org": world.org_a, "person": world.member_a, "post": "书记", "since": date(2022, 4, 10)})
    make_meeting(world.org_a, K.PARTY_LECTURE, date(2022, 6, 1), study_leader=world.member_a)
    found = slots(world.org_a)
    assert [first.month for first, _ in kinds(found, K.COMMITTEE_MEETING)] == list(range(5, 13))
    assert kinds(found, compliance.SECRETARY_LECTURE) == [(date(2022, 1, 1), True)]


def test_f26_judges_orgs_loaded_with_only_the_fields_it_reads(world):
    """F26 loads the orgs with `ORG_FIELDS` only; a field read but not loaded
    would cost a query per org (3,000 at province scale)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    reg.party_org_save(actor=SYSTEM, values={"has_committee": True}, org=world.org_a)
    make_meeting(world.org_a, K.PARTY_LECTURE, date(2022, 6, 1), study_leader=world.member_a)

    def queries(orgs):
        with CaptureQueriesContext(connection) as done:
            result = compliance.rate_for(orgs.only(*compliance.ORG_FIELDS), 2022, date(2022, 12, 31))
        return len(done), result

    one, _rate = queries(PartyOrg.objects.filter(pk=world.org_a.pk))
    every, rate = queries(PartyOrg.objects.all())
    assert PartyOrg.objects.count() > 1 and every == one
    assert rate == compliance.rate_for(list(PartyOrg.objects.all()), 2022, date(2022, 12, 31))

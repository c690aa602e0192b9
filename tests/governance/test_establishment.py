"""同步筹备同步建立 (EST-1): steps in order with working-day deadlines; the
founding step creates the party org and its coverage, which F16 counts."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fourfirsts.core import figures, rules, workdays
from fourfirsts.core.actors import Actor
from fourfirsts.governance import coverage, services
from fourfirsts.governance.models import Establishment, EstablishmentStep
from fourfirsts.registry.models import Association, AssociationStatus, PartyOrg
from tests.governance.conftest import SYSTEM, new_association, set_status

S = EstablishmentStep.Step


def start(association, registered=date(2022, 3, 1), parent=None, actor=SYSTEM):
    return services.establishment_create(actor=actor, values={
        "association": association, "registered_on": registered, "org_name": f"{association.name}党支部",
        "org_kind": PartyOrg.Kind.BRANCH, "parent": parent})


def record(est, step, day, actor=SYSTEM):
    return services.establishment_step_record(actor=actor, establishment=est, step=step, done_on=day)


@pytest.fixture
def preparing(world):
    a = new_association("娄底经开区电力局协会", founded=date(2022, 3, 1), status=AssociationStatus.Status.PREPARING)
    return a


def test_deadlines_count_working_days_from_registration_then_from_the_step_before(world, preparing):
    est = start(preparing)
    states = {s.step: s for s in services.step_states(est)}
    assert states[S.COMMITMENT].due_on == date(2022, 3, 8)  # 5 working days after Tue 1 March
    assert states[S.SURVEY].due_on == date(2022, 3, 8)
    assert states[S.APPROVAL].due_on == workdays.add_workdays(date(2022, 3, 8), 20)
    record(est, S.SURVEY, date(2022, 3, 10))  # late by two days
    record(est, S.COMMITMENT, date(2022, 3, 2))
    states = {s.step: s for s in services.step_states(Establishment.objects.get(pk=est.pk))}
    assert states[S.SURVEY].late and not states[S.COMMITMENT].late
    assert states[S.APPROVAL].due_on == workdays.add_workdays(date(2022, 3, 10), 20)
    assert states[S.FOUNDING].due_on == workdays.add_workdays(
        workdays.add_workdays(states[S.APPROVAL].due_on, 20), 20)
    assert states[S.APPROVAL].overdue(date(2022, 12, 1)) and not states[S.APPROVAL].overdue(date(2022, 3, 11))
    assert services.progress(est) == (2, 5)


def test_deadline_settings_in_force_on_the_registration_day_apply(world, preparing):
    rules.setting_change(key="governance.establishment_first_days", raw="10", effective_from=date(2022, 1, 1),
                         actor=SYSTEM)
    est = start(preparing)
    assert services.step_states(est)[0].due_on == workdays.add_workdays(date(2022, 3, 1), 10)


def test_the_step_days_in_force_on_the_registration_day_set_the_later_deadlines(world, preparing):
    rules.setting_change(key="governance.establishment_step_days", raw="30", effective_from=date(2022, 1, 1),
                         actor=SYSTEM)
    rules.setting_change(key="governance.establishment_step_days", raw="60", effective_from=date(2022, 3, 2),
                         actor=SYSTEM)  # after the registration day: not for this establishment
    est = start(preparing)
    states = {s.step: s for s in services.step_states(est)}
    first_due = workdays.add_workdays(date(2022, 3, 1), 5)
    assert states[S.SURVEY].due_on == first_due  # the first steps keep their own setting
    assert states[S.APPROVAL].due_on == workdays.add_workdays(first_due, 30)
    assert states[S.TRANSFER].due_on == workdays.add_workdays(states[S.APPROVAL].due_on, 30)
    assert states[S.FOUNDING].due_on == workdays.add_workdays(states[S.TRANSFER].due_on, 30)
    record(est, S.SURVEY, date(2022, 3, 10))
    states = {s.step: s for s in services.step_states(Establishment.objects.get(pk=est.pk))}
    assert states[S.APPROVAL].due_on == workdays.add_workdays(date(2022, 3, 10), 30)  # from the recorded date

    later = start(new_association("娄底经开区水务局协会", founded=date(2022, 3, 1),
                                  status=AssociationStatus.Status.PREPARING), registered=date(2022, 3, 2))
    states = {s.step: s for s in services.step_states(later)}
    assert states[S.APPROVAL].due_on == workdays.add_workdays(workdays.add_workdays(date(2022, 3, 2), 5), 60)


def test_steps_follow_their_order_and_dates(world, preparing):
    est = start(preparing)
    with pytest.raises(ValidationError) as e:
        record(est, S.APPROVAL, date(2022, 4, 1))
    assert "step" in e.value.message_dict
    record(est, S.SURVEY, date(2022, 3, 7))
    with pytest.raises(ValidationError) as e:
        record(est, S.APPROVAL, date(2022, 3, 6))
    assert "done_on" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        record(est, S.SURVEY, date(2022, 3, 8))
    assert "step" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        record(est, S.COMMITMENT, date(2022, 2, 1))  # before registration
    assert "done_on" in e.value.message_dict
    assert est.steps.count() == 1


def test_founding_creates_the_org_and_its_coverage_which_f16_counts(world, preparing):
    est = start(preparing, parent=world.committee_org)
    for step, day in ((S.COMMITMENT, date(2022, 3, 2)), (S.SURVEY, date(2022, 3, 7)),
                      (S.APPROVAL, date(2022, 4, 1)), (S.TRANSFER, date(2022, 4, 20))):
        record(est, step, day)
    set_status(preparing, AssociationStatus.Status.ACTIVE, date(2022, 5, 1))
    assert figures.get("F16").evaluate(None, 2022).value == 0
    record(est, S.FOUNDING, date(2022, 5, 20))
    est.refresh_from_db()
    org = est.party_org
    assert (org.name, org.established_on, org.parent) == ("娄底经开区电力局协会党支部", date(2022, 5, 20),
                                                          world.committee_org)
    assert org.coverages.get().since == date(2022, 5, 20)
    result = figures.get("F16").evaluate(None, 2022)
    assert (result.value, result.names) == (1, ["娄底经开区电力局协会"])
    kinds = {r.association.pk: r.kind for r in coverage.coverage_on(Association.objects.all(), date(2022, 5, 20))}
    assert kinds[preparing.pk] == "own"
    assert services.progress(est) == (5, 5)


def test_only_the_committee_runs_an_establishment(world, cast, preparing):
    with pytest.raises(PermissionDenied):
        start(preparing, actor=Actor.of(cast.instructor))
    est = start(preparing, actor=Actor.of(cast.committee))
    with pytest.raises(PermissionDenied):
        record(est, S.SURVEY, date(2022, 3, 7), actor=Actor.of(cast.secretary_a))


def test_one_open_establishment_per_association(world, preparing):
    start(preparing)
    with pytest.raises(ValidationError) as e:
        start(preparing)
    assert "association" in e.value.message_dict


def test_editing_a_step_runs_the_same_checks_and_the_founding_date_stays_with_the_registry(world, preparing):
    est = start(preparing, parent=world.committee_org)
    days = ((S.COMMITMENT, date(2022, 3, 2)), (S.SURVEY, date(2022, 3, 7)), (S.APPROVAL, date(2022, 4, 1)),
            (S.TRANSFER, date(2022, 4, 20)))
    rows = {step: record(est, step, day) for step, day in days}
    for row, day in ((rows[S.APPROVAL], date(2022, 3, 6)),  # before the survey
                     (rows[S.APPROVAL], date(2022, 4, 21)),  # after the transfer that follows it
                     (rows[S.COMMITMENT], date(2022, 2, 1))):  # before registration
        with pytest.raises(ValidationError) as e:
            services.establishment_step_save(actor=SYSTEM, values={"done_on": day}, instance=row)
        assert "done_on" in e.value.message_dict
    services.establishment_step_save(actor=SYSTEM, values={"done_on": date(2022, 4, 2)}, instance=rows[S.APPROVAL])
    set_status(preparing, AssociationStatus.Status.ACTIVE, date(2022, 5, 1))
    founding = record(est, S.FOUNDING, date(2022, 5, 20))
    with pytest.raises(ValidationError) as e:
        services.establishment_step_save(actor=SYSTEM, values={"done_on": date(2022, 5, 25)}, instance=founding)
    assert "名录" in e.value.message_dict["done_on"][0]
    services.establishment_step_save(actor=SYSTEM, values={"done_on": date(2022, 5, 20), "notes": "补记"},
                                     instance=founding)
    assert EstablishmentStep.objects.get(pk=founding.pk).notes == "补记"


def test_only_an_association_in_preparation_starts_one_and_the_org_sits_under_the_committee(world, preparing):
    with pytest.raises(ValidationError) as e:
        start(world.assoc_a)  # already 正常
    assert "筹备中" in e.value.message_dict["association"][0]
    est = start(preparing)  # no parent picked: the committee's own org
    assert est.parent == world.committee_org
    for step, day in ((S.COMMITMENT, date(2022, 3, 2)), (S.SURVEY, date(2022, 3, 7)),
                      (S.APPROVAL, date(2022, 4, 1)), (S.TRANSFER, date(2022, 4, 20))):
        record(est, step, day)
    with pytest.raises(ValidationError) as e:
        record(est, S.FOUNDING, date(2022, 5, 20))  # still in preparation
    assert "正常" in e.value.message_dict["done_on"][0]
    assert not PartyOrg.objects.filter(name="娄底经开区电力局协会党支部").exists()
    set_status(preparing, AssociationStatus.Status.ACTIVE, date(2022, 5, 1))
    record(est, S.FOUNDING, date(2022, 5, 20))
    assert PartyOrg.objects.get(name="娄底经开区电力局协会党支部").parent == world.committee_org


def test_deadline_crossing_national_day_2022_skips_holidays_and_counts_make_up_days(world, preparing):
    # 国庆 2022: 1–7 Oct off; Sat 8 and Sun 9 Oct are 调休 working days.
    est = start(preparing, registered=date(2022, 9, 29))
    assert services.step_states(est)[0].due_on == date(2022, 10, 11)  # 30 Sep, 8, 9, 10, 11 Oct

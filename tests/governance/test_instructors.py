"""Instructors: assignments with the INS-1 load warning, their own logs,
weekly-contact / monthly-visit compliance, and the term reminder job."""

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fourfirsts.core import jobs
from fourfirsts.core.actors import Actor
from fourfirsts.core.models import Notification
from fourfirsts.governance import instructors, services
from fourfirsts.governance.models import InstructorLog, TermReminder
from fourfirsts.registry.models import InstructorAssignment
from tests.governance.conftest import SYSTEM, assign, new_association

C, V = InstructorLog.Kind.CONTACT, InstructorLog.Kind.VISIT


def log(assignment, kind, day, actor=SYSTEM):
    return services.instructor_log_save(actor=actor, values={"assignment": assignment, "kind": kind,
                                                             "held_on": day, "notes": "了解党员情况"})


def a_of(world, association):
    return InstructorAssignment.objects.get(person=world.instructor, association=association)


def test_weekly_contacts_and_monthly_visits_over_a_period(world):
    a = a_of(world, world.assoc_a)
    # March 2022 from Tue 1st: 4 whole 7-day windows (1–28), one calendar month.
    log(a, C, date(2022, 3, 2))
    log(a, V, date(2022, 3, 9))   # a visit is also a contact
    log(a, C, date(2022, 3, 29))  # outside the whole windows
    log(a, C, date(2022, 2, 28))  # before the period
    rows = {r.assignment.association_id: r for r in instructors.compliance(
        InstructorAssignment.objects.all(), date(2022, 3, 1), date(2022, 3, 31))}
    r = rows[world.assoc_a.pk]
    assert (r.contacts_met, r.contacts_required, r.visits_met, r.visits_required) == (2, 4, 1, 1)
    c = rows[world.assoc_c.pk]
    assert (c.met, c.required) == (0, 5)
    [(person, t)] = instructors.rates_by_instructor(list(rows.values()))
    assert (person, t.met, t.required) == (world.instructor, 3, 10)
    # The federation's rate, counted without loading the assignments, is the same.
    assert instructors.rates(InstructorAssignment.objects.all(), date(2022, 3, 1), date(2022, 3, 31)) == \
        instructors.totals(list(rows.values()))


def test_compliance_counts_only_the_active_days_of_an_assignment(world):
    d = new_association("娄底市湘潭商会")
    a = assign(world.instructor, d, since=date(2022, 3, 15), until=date(2022, 5, 10))
    log(a, V, date(2022, 4, 20))
    r = instructors.compliance(InstructorAssignment.objects.filter(pk=a.pk), date(2022, 1, 1), date(2022, 12, 31))[0]
    assert (r.visits_met, r.visits_required) == (1, 1)  # only April lies wholly inside
    assert r.contacts_required == 8  # 15 Mar – 9 May


def test_an_instructor_logs_their_own_assignments_only(world, cast):
    own = a_of(world, world.assoc_a)
    other = assign(new_association_person(), world.assoc_b)
    assert log(own, C, date(2022, 3, 2), actor=Actor.of(cast.instructor)).pk
    with pytest.raises(PermissionDenied):
        log(other, C, date(2022, 3, 2), actor=Actor.of(cast.instructor))
    with pytest.raises(PermissionDenied):
        log(own, C, date(2022, 3, 2), actor=Actor.of(cast.secretary_a))
    with pytest.raises(ValidationError) as e:
        log(own, C, date(2019, 3, 2), actor=Actor.of(cast.instructor))  # before the term
    assert "held_on" in e.value.message_dict


def new_association_person():
    from tests.conftest import make_person

    return make_person("钱指导")


def test_assigning_more_than_five_associations_warns(world, cast):
    warnings = []
    for i in range(3):  # with the world's two: the third, fourth and fifth
        _saved, w = services.instructor_assign(actor=Actor.of(cast.committee), values={
            "person": world.instructor, "association": new_association(f"娄底市商会{i}"), "since": date(2022, 1, 1)})
        warnings.append(w)
    assert not any(warnings)  # a fifth association: no warning
    assert instructors.overloaded(date(2022, 6, 1)) == {}
    saved, warning = services.instructor_assign(actor=Actor.of(cast.committee), values={
        "person": world.instructor, "association": new_association("娄底市第六商会"), "since": date(2022, 1, 1)})
    assert saved.pk and "6" in warning and "5" in warning
    assert instructors.overloaded(date(2022, 6, 1)) == {world.instructor.pk: 6}
    with pytest.raises(PermissionDenied):
        services.instructor_assign(actor=Actor.of(cast.instructor), values={
            "person": world.instructor, "association": world.assoc_b, "since": date(2022, 1, 1)})


def test_term_end_is_two_years_from_the_start_unless_an_end_is_set(world):
    a = a_of(world, world.assoc_a)
    assert services.term_end(a) == date(2021, 12, 31)
    a.until = date(2021, 6, 30)
    assert services.term_end(a) == date(2021, 6, 30)


def test_the_daily_job_reminds_the_committee_once_per_term(world, cast):
    a = assign(world.instructor, new_association("娄底市湘潭商会"), since=date(2022, 12, 1))  # ends 30 Nov 2024
    job = next(j for j in jobs.all_jobs() if j.name == "governance.instructor_terms")
    assert job.func(datetime(2024, 10, 1, tzinfo=UTC)) == 0  # 60 days before: too early
    assert job.func(datetime(2024, 11, 1, tzinfo=UTC)) == 1
    assert job.func(datetime(2024, 11, 2, tzinfo=UTC)) == 0  # already reminded
    assert TermReminder.objects.get().assignment == a
    note = Notification.objects.get(recipient=cast.committee)
    assert "娄底市湘潭商会" in note.body and "2024-11-30" in note.body
    assert not Notification.objects.filter(recipient=cast.instructor).exists()


def test_jobs_claim_each_slot_once(world, cast):
    now = datetime(2030, 1, 1, tzinfo=UTC)
    first = jobs.tick(now, enqueue=False)
    assert "governance.instructor_terms" in [r.job for r in first]
    assert "governance.instructor_terms" not in [r.job for r in jobs.tick(now, enqueue=False)]


def test_compliance_with_few_queries(world, django_assert_max_num_queries):
    for i in range(6):
        a = assign(world.instructor, new_association(f"娄底市商会{i}"))
        log(a, V, date(2022, 3, 3))
    with django_assert_max_num_queries(4):
        instructors.compliance(InstructorAssignment.objects.all(), date(2022, 1, 1), date(2022, 12, 31))


def test_f34_gives_the_contact_and_visit_rates_as_parts(world):
    from decimal import Decimal

    from fourfirsts.core import figures

    a = a_of(world, world.assoc_a)
    log(a, V, date(2022, 3, 9))
    result = figures.get("F34").evaluate(None, 2022, today=date(2022, 3, 31))
    t = instructors.totals(instructors.compliance(InstructorAssignment.objects.all(), date(2022, 1, 1),
                                                  date(2022, 3, 31)))
    assert (result.parts["contacts_met"], result.parts["visits_met"]) == (1, 1)
    assert (result.parts["contacts_required"], result.parts["visits_required"]) == (t.contacts_required,
                                                                                    t.visits_required)
    assert result.parts["visit_rate"] > result.parts["contact_rate"] > Decimal(0)


def test_the_instructors_page_defaults_to_the_last_whole_month_and_shows_both_rates(world, cast, client_for):
    import time_machine
    from django.urls import reverse

    log(a_of(world, world.assoc_a), V, date(2022, 3, 9))
    with time_machine.travel(datetime(2022, 4, 15, 4, tzinfo=UTC), tick=False):
        page = client_for(cast.committee).get(reverse("governance:instructor_list")).content.decode()
    assert "2022-03-01 — 2022-03-31" in page
    assert "每周联系落实率" in page and "每月走访落实率" in page


def test_a_user_cannot_log_a_day_after_today(world, cast):
    import time_machine

    own = a_of(world, world.assoc_a)
    with time_machine.travel(datetime(2022, 3, 10, 4, tzinfo=UTC), tick=False):
        with pytest.raises(ValidationError) as e:
            log(own, C, date(2022, 3, 11), actor=Actor.of(cast.instructor))
        assert "held_on" in e.value.message_dict
        assert log(own, C, date(2022, 3, 10), actor=Actor.of(cast.instructor)).pk


def test_windows_met_counts_each_window_holding_a_log_once():
    """The one-pass count agrees with checking every 7-day window for a log."""
    import random
    from datetime import timedelta

    rng = random.Random(7)
    start = date(2025, 1, 3)
    for _ in range(200):
        windows = rng.randint(0, 10)
        logged = [start + timedelta(days=rng.randint(-10, 80)) for _ in range(rng.randint(0, 12))]
        spans = [(start + timedelta(days=7 * i), start + timedelta(days=7 * i + 6)) for i in range(windows)]
        naive = sum(any(lo <= d <= hi for d in logged) for lo, hi in spans)
        assert instructors._windows_met(logged, start, windows, 7) == naive


def test_window_count_is_the_number_of_whole_windows_from_the_start():
    """Windows of n days back to back from the start, the last ending by the
    end: counted by arithmetic, checked against stepping through them."""
    from datetime import timedelta

    start = date(2025, 1, 3)
    for days in (1, 7, 14, 30):
        for span in range(-3, 100):
            end = start + timedelta(days=span)
            stepped, first = 0, start
            while first + timedelta(days=days - 1) <= end:
                stepped, first = stepped + 1, first + timedelta(days=days)
            assert instructors._window_count(start, end, days) == stepped, (days, span)

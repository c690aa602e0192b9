"""The daily reminders: talk due, six-monthly review (to the org's secretaries),
approval (to the higher org and the committee), probation end; each once, when someone can receive it."""

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fourfirsts.core import jobs
from fourfirsts.core.access import Role
from fourfirsts.core.models import Notification
from fourfirsts.membership import services
from fourfirsts.membership.models import Reminder
from tests.conftest import make_person, make_user

pytestmark = pytest.mark.django_db


def test_talk_reminder_goes_to_the_secretary_once(pipe, cast):
    pipe.apply()  # 31 Jan 2020: talk due 29 Feb 2020, reminded 7 days ahead
    assert services.remind(today=date(2020, 2, 21)) == 0
    assert services.remind(today=date(2020, 2, 22)) == 1
    assert services.remind(today=date(2020, 2, 23)) == 0
    note = Notification.objects.get()
    assert note.recipient == cast.secretary_a
    assert "陈申请" in note.title and "DEV-2：应在 2020-02-29 前派人谈话" in note.body


def test_review_approval_and_probation_reminders(pipe, cast):
    dev = pipe.upto("2.3")  # activist 10 Mar 2020: review due 10 Sep 2020
    assert services.remind(today=date(2020, 9, 5)) == 1
    assert Reminder.objects.get().kind == "review"
    dev = pipe.advance(dev, "4.16")  # meeting 25 Jun 2021: approval due 25 Sep 2021
    assert services.remind(today=date(2021, 9, 20)) == 1
    pipe.advance(dev, "5.23")  # probation ends 25 Jun 2022
    services.remind(today=date(2022, 6, 20))
    assert set(Reminder.objects.values_list("kind", flat=True)) == {"review", "approval", "probation"}
    bodies = list(Notification.objects.filter(recipient=cast.secretary_a).values_list("body", flat=True))
    assert any("DEV-7：预备期将于 2022-06-25 期满" in b for b in bodies)
    assert not any("DEV-6" in b for b in bodies)
    approval = Notification.objects.get(body__contains="DEV-6：上级党委应在 2021-09-25 前审批")
    assert approval.recipient == cast.committee  # the committee approves; org_a's parent has no secretary here


def test_the_approval_reminder_goes_to_the_higher_orgs_secretary_and_the_committee(pipe, cast, world):
    higher = make_user("secretary_top", Role.SECRETARY, party_org=world.committee_org)
    dev = pipe.upto("4.16")
    assert services.remind(today=date(2021, 9, 20)) == 1
    assert set(Notification.objects.values_list("recipient", flat=True)) == {higher.pk, cast.committee.pk}
    assert Reminder.objects.get(development=dev).kind == "approval"


def test_a_reminder_nobody_can_receive_waits_for_a_recipient(pipe, world):
    pipe.apply()  # no users at all: nobody to tell
    assert services.remind(today=date(2020, 2, 22)) == 0
    assert not Reminder.objects.exists()
    secretary = make_user("secretary_new", Role.SECRETARY, party_org=world.org_a)
    assert services.remind(today=date(2020, 2, 23)) == 1
    assert Notification.objects.get().recipient == secretary


def test_the_job_makes_as_many_queries_for_20_developments_as_for_2(pipe, cast):
    def run(total):
        for i in range(Reminder.objects.count(), total):
            pipe.apply(person=make_person(f"申请人{i}", birth_date=date(1990, 1, 1)), applied_on=date(2020, 1, 31))
        Reminder.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            assert services.remind(today=date(2020, 2, 22)) == total
        return len(queries)

    two = run(2)
    assert two <= 12 and run(20) == two
    assert Notification.objects.filter(recipient=cast.secretary_a).count() == 22


def test_the_job_runs_once_per_daily_slot(pipe, cast, time_machine):
    pipe.apply(applied_on=date(2020, 1, 31))
    time_machine.move_to(datetime(2020, 2, 25, 1, 0, tzinfo=UTC))
    job = next(j for j in jobs.all_jobs() if j.name == "membership.remind")
    now = datetime(2020, 2, 25, 1, 0, tzinfo=UTC)
    first = jobs.claim(job, now)
    assert first is not None and jobs.claim(job, now) is None
    assert jobs.execute(first.pk).output == "1"

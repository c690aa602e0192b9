"""APL-2: reminder 1 working day before the due date, formal notice 1 after,
circular 5 after; each step once per appeal, even with several workers."""

import threading

import pytest
from django.db import connection

from fourfirsts.core.actors import Actor
from fourfirsts.core.models import Notification
from fourfirsts.service.models import Escalation
from fourfirsts.service.services import appeals as services
from tests.service.conftest import at, do


@pytest.fixture
def running(new_appeal, advance, handler_other):
    # Assigned Mon 17 Oct 2022: due Mon 24 Oct.
    return advance(new_appeal(), "handling", at(2022, 10, 17))


def steps(appeal):
    return sorted(appeal.escalations.values_list("step", flat=True))


def test_each_step_comes_due_once(running, cast):
    assert services.escalate(at(2022, 10, 20, 9)) == []
    assert [e.step for e in services.escalate(at(2022, 10, 21, 9))] == ["reminder"]
    assert services.escalate(at(2022, 10, 21, 15)) == []
    assert services.escalate(at(2022, 10, 24, 9)) == []
    assert [e.step for e in services.escalate(at(2022, 10, 25, 9))] == ["notice"]
    assert services.escalate(at(2022, 10, 28, 9)) == []
    assert [e.step for e in services.escalate(at(2022, 10, 31, 9))] == ["circular"]
    assert services.escalate(at(2022, 10, 31, 9)) == []
    assert steps(running) == ["circular", "notice", "reminder"]
    titles = list(Notification.objects.filter(recipient=cast.handler).order_by("id").values_list("title", flat=True))
    assert titles == ["催办：货车通行证办理难", "催办通知书：货车通行证办理难", "通报：货车通行证办理难"]
    assert not Notification.objects.exclude(recipient=cast.handler).exists()


def test_a_replied_appeal_is_not_escalated(running, cast, world):
    do("reply", running, Actor.of(cast.handler), world)
    assert services.escalate(at(2022, 10, 31, 9)) == []


@pytest.mark.django_db(transaction=True)
def test_two_workers_record_each_step_once(running, cast):
    barrier = threading.Barrier(3)
    errors = []

    def worker():
        try:
            barrier.wait(timeout=10)
            services.escalate(at(2022, 10, 31, 9))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert steps(running) == ["circular", "notice", "reminder"]
    assert Escalation.objects.count() == 3
    assert Notification.objects.filter(recipient=cast.handler).count() == 3

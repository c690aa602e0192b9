"""Periodic jobs: each (job, slot) runs once however many workers tick."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from fourfirsts.core import jobs
from fourfirsts.core.models import JobRun

pytestmark = pytest.mark.django_db

NOW = datetime(2030, 6, 1, 9, 15, tzinfo=UTC)


@pytest.fixture
def only_test_jobs(monkeypatch):
    """Run only the jobs a test registers (not accounts.disable_idle and friends)."""
    monkeypatch.setattr(jobs, "_jobs", {})
    calls: list[datetime] = []

    @jobs.register("testing.count", timedelta(hours=1), "测试：计数")
    def count(slot):
        calls.append(slot)
        return f"slot {slot:%H:%M}"

    return calls


def test_the_same_slot_runs_once(only_test_jobs):
    first = jobs.tick(NOW, enqueue=False)
    second = jobs.tick(NOW + timedelta(minutes=30), enqueue=False)  # same hour
    assert [r.job for r in first] == ["testing.count"] and second == []
    assert only_test_jobs == [datetime(2030, 6, 1, 9, 0, tzinfo=UTC)]
    run = JobRun.objects.get()
    assert run.ok is True and run.output == "slot 09:00" and run.finished_at is not None
    assert run.slot == datetime(2030, 6, 1, 9, 0, tzinfo=UTC) and run.claimed_at == NOW


def test_a_new_slot_runs_again(only_test_jobs):
    jobs.tick(NOW, enqueue=False)
    jobs.tick(NOW + timedelta(hours=1), enqueue=False)
    jobs.tick(NOW + timedelta(hours=1, minutes=30), enqueue=False)  # still 10:00–11:00
    assert len(only_test_jobs) == 2
    assert list(JobRun.objects.order_by("slot").values_list("slot", flat=True)) == [
        datetime(2030, 6, 1, 9, 0, tzinfo=UTC),
        datetime(2030, 6, 1, 10, 0, tzinfo=UTC),
    ]


def test_a_failing_job_is_recorded_and_the_others_still_run(only_test_jobs):
    @jobs.register("testing.broken", timedelta(hours=1), "测试：出错")
    def broken(slot):
        raise RuntimeError("数据源不可用")

    won = jobs.tick(NOW, enqueue=False)
    assert sorted(r.job for r in won) == ["testing.broken", "testing.count"]
    broken_run = JobRun.objects.get(job="testing.broken")
    assert broken_run.ok is False and "数据源不可用" in broken_run.output and broken_run.finished_at
    assert JobRun.objects.get(job="testing.count").ok is True
    assert jobs.tick(NOW, enqueue=False) == []  # a failed slot is not retried by another worker


def test_a_daily_slot_starts_at_local_midnight():
    shanghai = ZoneInfo("Asia/Shanghai")
    midnight = datetime(2030, 6, 1, 0, 0, tzinfo=shanghai)
    assert jobs.slot_of(NOW, timedelta(days=1)) == midnight  # 17:15 in Shanghai
    assert jobs.slot_of(datetime(2030, 6, 1, 0, 5, tzinfo=shanghai), timedelta(days=1)) == midnight
    assert jobs.slot_of(
        datetime(2030, 5, 31, 23, 55, tzinfo=shanghai), timedelta(days=1)
    ) == midnight - timedelta(days=1)
    assert jobs.slot_of(NOW, timedelta(minutes=10)) == datetime(2030, 6, 1, 9, 10, tzinfo=UTC)


def test_enqueue_runs_the_job_through_the_task_queue(only_test_jobs, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    won = jobs.tick(NOW, enqueue=True)
    assert len(won) == 1 and only_test_jobs == [datetime(2030, 6, 1, 9, 0, tzinfo=UTC)]
    assert JobRun.objects.get().ok is True


def test_idle_accounts_job_is_registered_daily():
    job = {j.name: j for j in jobs.all_jobs()}["accounts.disable_idle"]
    assert job.every == timedelta(days=1) and job.label


@pytest.mark.django_db(transaction=True)
def test_workers_ticking_at_the_same_moment_claim_a_slot_once(only_test_jobs):
    """Four worker threads (own connections) race for the same slot."""
    import threading

    from django.db import connection

    won, errors = [], []
    barrier = threading.Barrier(4)

    def worker():
        try:
            barrier.wait()
            won.extend(jobs.tick(NOW, enqueue=False))
        except Exception as e:  # pragma: no cover - shown in the assertion
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(won) == 1 and JobRun.objects.count() == 1 and len(only_test_jobs) == 1


def test_the_appeal_jobs_are_registered_hourly():
    registered = {job.name: job.every for job in jobs.all_jobs()}
    assert registered["service.escalate"] == timedelta(hours=1)
    assert registered["service.close_unrated"] == timedelta(hours=1)

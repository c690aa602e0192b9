"""Periodic jobs. The Tasks API has no schedule, so: each app registers its
jobs (in its `jobs.py`) with a slot length; every worker's scheduler loop
calls `tick`, which claims (job, slot) by inserting a JobRun row whose unique
constraint lets exactly one worker win, then enqueues the job as a task."""

import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from fourfirsts.core.models import JobRun

logger = logging.getLogger("fourfirsts.jobs")


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    func: Callable[[datetime], object]
    label: str = ""


_jobs: dict[str, Job] = {}


def register(name: str, every: timedelta, label: str = ""):
    """Decorator: `@jobs.register("accounts.disable_idle", timedelta(days=1))`."""

    def wrap(func):
        _jobs[name] = Job(name, every, func, label)
        return func

    return wrap


def all_jobs() -> list[Job]:
    return sorted(_jobs.values(), key=lambda j: j.name)


def slot_of(now: datetime, every: timedelta) -> datetime:
    """The start of the slot containing `now`, aligned on local midnight
    (a daily job runs just after 00:00 Asia/Shanghai, not 08:00)."""
    seconds = int(every.total_seconds())
    offset = int(timezone.localtime(now).utcoffset().total_seconds())
    ts = int(now.timestamp()) + offset
    return datetime.fromtimestamp(ts - ts % seconds - offset, tz=UTC)


def claim(job: Job, now: datetime) -> JobRun | None:
    slot = slot_of(now, job.every)
    try:
        with transaction.atomic():
            return JobRun.objects.create(job=job.name, slot=slot, claimed_at=now)
    except IntegrityError:
        return None  # another worker has this slot


def tick(now: datetime | None = None, enqueue: bool = True) -> list[JobRun]:
    """Claim every job whose current slot is unclaimed; enqueue what we won."""
    from fourfirsts.core import tasks

    now = now or timezone.now()
    won = [run for job in all_jobs() if (run := claim(job, now))]
    for run in won:
        if enqueue:
            tasks.run_job.enqueue(run.pk)
        else:
            execute(run.pk)
    return won


def execute(run_id: int) -> JobRun:
    run = JobRun.objects.get(pk=run_id)
    job = _jobs[run.job]
    try:
        result = job.func(run.slot)
        run.ok, run.output = True, str(result or "")[:2000]
    except Exception:  # a failing job is recorded, the worker goes on
        logger.exception("job %s failed", job.name)
        run.ok, run.output = False, traceback.format_exc()[-2000:]
    run.finished_at = timezone.now()
    run.save(update_fields=["ok", "output", "finished_at"])
    return run

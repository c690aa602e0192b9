"""The task worker with the scheduler: `manage.py worker`.

Runs django-tasks-db's worker loop, plus a thread that claims periodic jobs'
time slots every 30 seconds. Start as many as you like, on as many hosts:
each slot is claimed once."""

import logging
import threading

from django.db import close_old_connections
from django_tasks_db.management.commands import db_worker

from fourfirsts.core import jobs

logger = logging.getLogger("fourfirsts.jobs")


def scheduler_loop(stop: threading.Event, interval: float) -> None:
    while not stop.is_set():
        try:
            close_old_connections()
            for run in jobs.tick():
                logger.info("claimed %s for %s", run.job, run.slot)
        except Exception:
            logger.exception("scheduler tick failed")
        finally:
            close_old_connections()
        stop.wait(interval)


class Command(db_worker.Command):
    help = "Run the task worker and the periodic-job scheduler."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--schedule-interval", type=float, default=30.0)
        parser.add_argument("--no-schedule", action="store_true")

    def handle(self, *args, schedule_interval, no_schedule, **options):
        stop = threading.Event()
        if not no_schedule:
            threading.Thread(target=scheduler_loop, args=(stop, schedule_interval), daemon=True).start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()

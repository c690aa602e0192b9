"""Read-only work spread over several database connections that all read one
snapshot of the data.

A year's figures are independent aggregate queries. On PostgreSQL they can
run side by side, a connection each, while the caller's connection holds a
REPEATABLE READ transaction whose snapshot the workers import
(`SET TRANSACTION SNAPSHOT`): every worker sees exactly the rows the caller
sees, so a write committed meanwhile is counted by all the figures or by none,
as if they had run one after another in one transaction.

`run_all` falls back to the caller's thread, one item after another, where
that cannot be done: on SQLite (no exported snapshots), inside a transaction
(a test's rows, not yet committed, are invisible to other connections; a
service's writes likewise), or with `FOURFIRSTS_READ_WORKERS` set to 1.
"""

import queue
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone, translation


def workers() -> int:
    """How many connections `run_all` may use now (1: the caller's alone)."""
    wanted = getattr(settings, "FOURFIRSTS_READ_WORKERS", 1)
    if wanted <= 1 or connection.vendor != "postgresql" or connection.in_atomic_block:
        return 1
    return wanted


def run_all(fn: Callable, items: Iterable, done: Callable[[int], None] | None = None) -> list:
    """[fn(item) for item in items], spread over `workers()` connections.
    Items are taken in order as workers become free, so put the slowest
    first. `done(n)` is called after each item with the number finished (from
    a worker's thread; it must not use the database)."""
    items = list(items)
    n = min(workers(), len(items))
    if n <= 1:
        results = []
        for finished, item in enumerate(items, start=1):
            results.append(fn(item))
            if done:
                done(finished)
        return results
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        return _in_threads(fn, items, n, snapshot, done)


def _in_threads(fn, items, n, snapshot, done) -> list:
    jobs: queue.SimpleQueue = queue.SimpleQueue()
    for job in enumerate(items):
        jobs.put(job)
    results: list = [None] * len(items)
    finished, lock = [0], threading.Lock()
    # A worker's thread has none of the caller's thread-local settings.
    language, zone = translation.get_language(), timezone.get_current_timezone()

    def work():
        try:
            with translation.override(language), timezone.override(zone), transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    cursor.execute("SET TRANSACTION SNAPSHOT %s", [snapshot])
                while True:
                    try:
                        i, item = jobs.get_nowait()
                    except queue.Empty:
                        return
                    results[i] = fn(item)
                    if done:
                        with lock:
                            finished[0] += 1
                            done(finished[0])
        finally:
            connections.close_all()  # the thread ends here; its connections would be left open

    with ThreadPoolExecutor(n, thread_name_prefix="snapshot") as pool:
        for future in [pool.submit(work) for _ in range(n)]:
            future.result()  # a worker's error is the caller's
    return results

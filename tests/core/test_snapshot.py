"""Figures computed side by side on several connections (core.snapshot) read
the one snapshot their caller exported, give what one connection gives, and
leave no connection open."""

import threading
from datetime import date

import pytest
from django.db import connection, connections

from fourfirsts.core import figures, snapshot
from fourfirsts.core.models import WorkdaySchedule

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="exported snapshots are PostgreSQL's")


def _open_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_inside_a_transaction_the_work_stays_on_the_callers_connection(settings):
    """A test's (or a service's) rows are not yet committed: no other
    connection would see them, so nothing is spread."""
    settings.FOURFIRSTS_READ_WORKERS = 4
    WorkdaySchedule.objects.create(year=2099)
    done = []
    results = snapshot.run_all(lambda i: (i, threading.current_thread().name, WorkdaySchedule.objects.count()),
                               range(3), done.append)
    assert results == [(i, threading.current_thread().name, 1) for i in range(3)]
    assert done == [1, 2, 3]


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_workers_count_the_rows_of_the_callers_snapshot(settings):
    """A row committed by someone else while the figures are computed is
    counted by none of them, even by those that start after it."""
    settings.FOURFIRSTS_READ_WORKERS = 2
    WorkdaySchedule.objects.create(year=2098)
    before = _open_connections()

    def count(i):
        if i == 0:
            writer = threading.Thread(target=_write_elsewhere)
            writer.start()
            writer.join()
        return threading.current_thread().name, WorkdaySchedule.objects.count()

    done = []
    results = snapshot.run_all(count, range(6), done.append)
    assert [n for _thread, n in results] == [1] * 6
    assert all(name.startswith("snapshot") for name, _n in results)
    assert sorted(done) == [1, 2, 3, 4, 5, 6]
    assert WorkdaySchedule.objects.count() == 2  # the caller, afterwards, sees the new row
    assert _open_connections() == before


def _write_elsewhere():
    try:
        WorkdaySchedule.objects.create(year=2099)
    finally:
        connections.close_all()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_workers_error_reaches_the_caller_and_no_connection_is_left(settings):
    settings.FOURFIRSTS_READ_WORKERS = 3
    before = _open_connections()

    def fail_on_two(i):
        if i == 2:
            raise ValueError("第 2 项出错")
        return i

    with pytest.raises(ValueError, match="第 2 项出错"):
        snapshot.run_all(fail_on_two, range(5))
    assert _open_connections() == before


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_every_figure_spread_over_connections_equals_the_figure_alone(settings, cast, staff_appeals):
    settings.FOURFIRSTS_READ_WORKERS = 3
    spread = figures.evaluate_all(None, 2025, date(2026, 11, 27))
    assert list(spread) == [f.id for f in figures.all_figures()]
    settings.FOURFIRSTS_READ_WORKERS = 1
    assert spread == {f.id: f.evaluate(None, 2025, date(2026, 11, 27)) for f in figures.all_figures()}
    assert spread["F06"].value > 0


@pytest.fixture
def staff_appeals(world):
    """Appeals of 2025 from a member enterprise, so the appeal figures are not all zero."""
    from datetime import UTC, datetime

    from fourfirsts.core.actors import Actor
    from fourfirsts.service.models import Appeal
    from fourfirsts.service.services import appeals

    for day in (3, 4, 5):
        appeals.appeal_create(actor=Actor.system("测试"), values={
            "enterprise": world.ent_a, "channel": Appeal.Channel.VISIT, "category": Appeal.Category.LOGISTICS,
            "kind": Appeal.Kind.COORDINATION, "title": "货车通行证办理难",
            "collected_at": datetime(2025, 3, day, 2, tzinfo=UTC)})

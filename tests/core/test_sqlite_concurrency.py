"""Two writers on SQLite at once — the web server and the worker — must queue on
the busy timeout, never fail with "database is locked" (WAL + BEGIN IMMEDIATE)."""

import threading
from datetime import UTC, date, datetime

import pytest
from django.db import connection, transaction

from fourfirsts.core.models import Notification, SettingValue
from tests.conftest import make_user

ROUNDS = 60
AT = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _require_file_sqlite():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite-only: other databases have row locks")
    if connection.is_in_memory_db():
        pytest.skip(
            "the SQLite test database is in memory (shared cache): there is no WAL and a second "
            "connection gets 'database table is locked' at once; set DATABASES['default']['TEST']"
            "['NAME'] to a file to run this test"
        )


@pytest.mark.django_db(transaction=True)
def test_the_sqlite_test_database_uses_wal_and_immediate_transactions():
    _require_file_sqlite()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 5000
    assert connection.transaction_mode == "IMMEDIATE"


@pytest.mark.django_db(transaction=True)
def test_a_worker_thread_and_the_main_thread_write_at_the_same_time():
    _require_file_sqlite()
    user = make_user("inbox_owner")
    start = threading.Barrier(2, timeout=30)
    errors: list[BaseException] = []

    def worker():
        try:
            start.wait()
            for n in range(ROUNDS):
                # Read, then write, in one transaction: under a deferred BEGIN this is
                # the pattern that fails with "database is locked" when the other
                # connection committed in between.
                with transaction.atomic():
                    seen = Notification.objects.filter(recipient_id=user.pk).count()
                    Notification.objects.create(
                        recipient_id=user.pk, title=f"任务{n}", body=str(seen), created_at=AT
                    )
        except BaseException as e:  # reported by the main thread
            errors.append(e)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=worker, name="worker")
    thread.start()
    start.wait()
    main_errors: list[BaseException] = []
    try:
        for n in range(ROUNDS):
            with transaction.atomic():
                seen = SettingValue.objects.filter(key__startswith="testing.").count()
                SettingValue.objects.create(
                    key=f"testing.k{n}", value=seen, effective_from=date(2026, 1, 1)
                )
                Notification.objects.filter(recipient_id=user.pk).update(read_at=None)
    except BaseException as e:
        main_errors.append(e)
    finally:
        thread.join(timeout=120)
    assert not thread.is_alive(), "the worker thread hung"
    assert not errors and not main_errors, [str(e) for e in errors + main_errors]
    assert Notification.objects.filter(recipient=user).count() == ROUNDS
    assert SettingValue.objects.filter(key__startswith="testing.").count() == ROUNDS
    # Each transaction saw a consistent count: the values written are 0..ROUNDS-1.
    assert sorted(SettingValue.objects.values_list("value", flat=True)) == list(range(ROUNDS))

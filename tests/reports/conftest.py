"""The demo, built once per test module and rolled back after it: the
report tests read it from several angles, and building it takes a while."""

from datetime import date

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

TODAY = date(2026, 11, 27)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """Each test that uses it must also request `db` (its changes are then
    rolled back to this point after the test)."""
    from django.contrib.contenttypes.models import ContentType

    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), transaction.atomic():
        ContentType.objects.clear_cache()
        with fast:
            call_command("demo", "--today", TODAY.isoformat(),
                         "--workbook", str(tmp_path_factory.mktemp("demo") / "d.xlsx"))
        yield TODAY
        transaction.set_rollback(True)
    ContentType.objects.clear_cache()

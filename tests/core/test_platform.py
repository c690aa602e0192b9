"""Platform-wide guarantees: production settings, the CSP, no inline code."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _manage(*args, **env):
    full = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "FOURFIRSTS_"))}
    full.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=full, capture_output=True, text=True,
                          timeout=120)


PRODUCTION = {
    "FOURFIRSTS_ENV": "production",
    "DJANGO_SECRET_KEY": "k" * 20 + "Q9-z" * 10 + "production-secret-key-value",
    "FOURFIRSTS_DATA_KEY": "ab" * 32,
    "DJANGO_ALLOWED_HOSTS": "party.example.org",
}


def test_check_deploy_is_clean_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "FOURFIRSTS_DATA_KEY"])
def test_production_refuses_to_start_without_its_secrets(missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = _manage("check", **env)
    assert result.returncode != 0
    assert f"生产环境必须设置环境变量 {missing}" in result.stderr


def test_development_runs_with_no_environment_set():
    result = _manage("check")
    assert result.returncode == 0, result.stderr


# Documents rendered to a file (downloaded, or printed by WeasyPrint), never
# served as a page under the CSP: they must carry their own styles.
DOCUMENTS = {"reports/annual_document.html"}


def test_no_template_has_inline_scripts_styles_or_hx_on():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        if path.relative_to(ROOT / "templates").as_posix() in DOCUMENTS:
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text):
            offenders.append(f"{path}: inline <script>")
        if re.search(r"\sstyle=\"", text) or re.search(r"<style", text):
            offenders.append(f"{path}: inline style")
        if re.search(r"\shx-on[:-]", text):
            offenders.append(f"{path}: hx-on")
    assert not offenders, offenders


def test_every_page_carries_a_strict_csp(client, db):
    response = client.get("/accounts/login/")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_periods_cut_at_local_midnight():
    from datetime import UTC, datetime

    from fourfirsts.core.periods import Period

    p = Period.of(2023)
    new_year_0030_shanghai = datetime(2022, 12, 31, 16, 30, tzinfo=UTC)
    assert p.start <= new_year_0030_shanghai < p.end
    assert not (p.previous.start <= new_year_0030_shanghai < p.previous.end)


def test_committee_is_warned_while_next_years_holiday_schedule_is_missing(cast, client_for, time_machine):
    from datetime import date

    from fourfirsts.core import workdays

    time_machine.move_to("2026-11-27 10:00 +0800")
    page = client_for(cast.committee).get("/notifications/").content.decode()
    assert "2027年节假日安排尚未录入" in page
    assert "2027年节假日安排尚未录入" not in client_for(cast.secretary_a).get("/notifications/").content.decode()
    workdays.schedule_save(year=2027, holidays=[date(2027, 10, 1)], workdays=[], actor_label="committee")
    assert "2027年节假日安排尚未录入" not in client_for(cast.committee).get("/notifications/").content.decode()


def test_the_security_log_takes_the_client_address_our_proxy_saw(rf, settings):
    from fourfirsts.core.audit import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9", REMOTE_ADDR="10.0.0.2")
    assert client_ip(request) == "10.0.0.2"
    settings.FOURFIRSTS_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.9"  # not the client-written 6.6.6.6
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"
    assert client_ip(rf.get("/", HTTP_X_FORWARDED_FOR="junk", REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"


def test_the_security_policy_is_the_security_admins_and_the_working_rules_the_committees(cast, client_for):
    from fourfirsts.core.models import SettingValue

    sec = client_for(cast.secadmin).get("/settings/").content.decode()
    assert "accounts.password_min_length" in sec and "accounts.idle_days" in sec
    assert "agenda." not in sec
    committee = client_for(cast.committee).get("/settings/").content.decode()
    assert "accounts.idle_days" not in committee and "agenda." in committee
    response = client_for(cast.committee).post("/settings/", {"key": "accounts.idle_days", "value": "30",
                                                               "effective_from": "2026-01-01"})
    assert response.status_code == 403 and not SettingValue.objects.exists()
    client_for(cast.secadmin).post("/settings/", {"key": "accounts.password_min_length", "value": "12",
                                                  "effective_from": "2030-01-01"})
    assert SettingValue.objects.get().value == 12


def test_a_longer_minimum_from_the_policy_applies_to_new_passwords(cast, db):
    from datetime import date

    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from fourfirsts.core import rules
    from fourfirsts.core.actors import Actor

    validate_password("Ab1-long9", cast.member_a)  # 9 characters pass the default 8
    rules.setting_change(key="accounts.password_min_length", raw="12", effective_from=date(2020, 1, 1),
                         actor=Actor.system("测试：已生效的策略"))
    with pytest.raises(ValidationError, match="至少需要 12 个字符"):
        validate_password("Ab1-long9", cast.member_a)


@pytest.mark.django_db
def test_postgresql_connections_run_without_jit():
    """The app's connections turn PostgreSQL's JIT off (settings: it cost more
    than it saved on the figures' counts)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"

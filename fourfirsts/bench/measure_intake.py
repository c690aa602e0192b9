"""Public 营商码 submissions per second: locust, headless, in a subprocess,
against the gunicorn server (started with the intake rate limits off),
bounded in time. Every submission carries a marker; afterwards the appeals
with it, their history rows and the committee's notifications about them are
deleted directly in the database (bench clean-up, not a service: a real
appeal is never deleted)."""

import csv
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

from django.db import transaction
from django.urls import reverse

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
CODES = 20  # enterprises whose codes the users share


def _codes() -> list[str]:
    from fourfirsts.registry.models import Enterprise
    from fourfirsts.service.services import intake

    ids = Enterprise.objects.order_by("id").values_list("id", flat=True)[:CODES]
    return [reverse("service:intake", args=[intake.code_token("e", pk)]) for pk in ids]


def _stats(prefix: str) -> dict[str, dict]:
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as f:
        return {row["Name"]: row for row in csv.DictReader(f)}


def clean_up(marker: str) -> int:
    """Delete what the run wrote: the appeals carrying the marker, their
    workflow events and history rows, and the notifications about them. Returns the appeals deleted."""
    from django.contrib.contenttypes.models import ContentType

    from fourfirsts.core.models import Notification, WorkflowEvent
    from fourfirsts.service.models import Appeal

    with transaction.atomic():
        ids = list(Appeal.objects.filter(description__contains=marker).values_list("id", flat=True))
        Notification.objects.filter(title__contains=marker).delete()
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            # Events first: no appeal is deleted while its events remain (F29 relies on it).
            WorkflowEvent.objects.filter(content_type=ContentType.objects.get_for_model(Appeal),
                                         object_id__in=chunk).delete()
            Appeal.objects.filter(id__in=chunk).delete()
            Appeal.history.filter(id__in=chunk).delete()  # after: deleting writes a "-" history row
    return len(ids)


def new_marker() -> str:
    return f"BENCH-{secrets.token_hex(6)}"


def measure(base: str, env: dict, *, seconds: int, users: int, marker: str) -> dict:
    """Run locust against `base`; clean up what it wrote (the caller cleans up
    once more after stopping the server, for a request still in flight)."""
    from fourfirsts.service.models import Appeal

    paths = _codes()
    if not paths:
        return {"skipped": "no enterprise to take a 营商码 from"}
    env = {**env, "FOURFIRSTS_BENCH_INTAKE_PATHS": ",".join(paths), "FOURFIRSTS_BENCH_MARKER": marker}
    try:
        with tempfile.TemporaryDirectory(prefix="fourfirsts-locust-") as tmp:
            prefix = str(Path(tmp) / "intake")
            done = subprocess.run(
                [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--host", base,
                 "-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--stop-timeout", "5",
                 "--csv", prefix, "--only-summary", "--loglevel", "WARNING"],
                env=env, capture_output=True, text=True, timeout=seconds + 120)
            try:
                stats = _stats(prefix)
            except OSError:
                return {"error": (done.stderr.strip().splitlines() or [f"locust exit {done.returncode}"])[-1]}
        submit, form = stats.get("submit", {}), stats.get("form", {})
        saved = Appeal.objects.filter(description__contains=marker).count()
    finally:
        removed = clean_up(marker)
    return {
        "seconds": seconds, "users": users, "codes": len(paths),
        "submissions": int(submit.get("Request Count") or 0),
        "submissions_per_second": round(float(submit.get("Requests/s") or 0), 1),
        "errors": int(submit.get("Failure Count") or 0) + int(form.get("Failure Count") or 0),
        "p50_ms": float(submit.get("50%") or 0), "p95_ms": float(submit.get("95%") or 0),
        "saved": saved, "removed": removed,
    }

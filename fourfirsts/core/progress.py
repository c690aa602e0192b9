"""Progress of long tasks, kept in the shared cache (not the database: an
import's open transaction would hide its own progress from the page that
polls it)."""

import uuid

from django.core.cache import cache

TTL = 24 * 3600


def new_key() -> str:
    return uuid.uuid4().hex


def _k(key: str) -> str:
    return f"progress:{key}"


def start(key: str, *, owner_id: int | None, label: str, total: int = 0) -> None:
    cache.set(_k(key), {"owner": owner_id, "label": label, "done": 0, "total": total,
                        "state": "running", "message": "", "result": None}, TTL)


def update(key: str, **changes) -> None:
    state = cache.get(_k(key)) or {}
    state.update(changes)
    cache.set(_k(key), state, TTL)


def finish(key: str, *, ok: bool, message: str = "", result=None) -> None:
    update(key, state="done" if ok else "failed", message=message, result=result)


def read(key: str) -> dict | None:
    return cache.get(_k(key))


def percent(state: dict) -> int:
    if state.get("state") in {"done", "failed"}:
        return 100
    total = state.get("total") or 0
    return min(99, int(100 * state.get("done", 0) / total)) if total else 0

"""Figure results for the dashboard, cached in the shared cache per year,
day and scope, and dropped on writes.

"Dropped on writes" without hooking every write path: the cache key holds a
fingerprint of the data — the newest `updated_at` (or id, for rows that are
only ever added) of every table the figures read, in one query of indexed
MAX()es. Any save, workflow step, import or history row changes it, in
whichever process or transaction it happened, and a test sees its own
writes at once. Deletes leave a tombstone or a history row, which counts
as a change too.
"""

import hashlib

from django.apps import apps
from django.core.cache import cache
from django.db import connection

from fourfirsts.core import figures, snapshot
from fourfirsts.core.access import SYSTEM_SCOPE, scope_of

TRACKED_APPS = ("core", "registry", "agenda", "service", "volunteering", "membership", "governance")
# Written on every sign-in, page view or job run; no figure reads them.
UNTRACKED = {"core.securityevent", "core.notification", "core.jobrun"}
TIMEOUT = 24 * 3600  # a stale fingerprint's entries are never read again; let them go

_sql: str | None = None


def _fingerprint_sql() -> str:
    """SELECT (SELECT MAX(col) FROM t1), (SELECT MAX(col) FROM t2), …"""
    global _sql
    if _sql is None:
        quote = connection.ops.quote_name
        parts = []
        for model in apps.get_models():
            meta = model._meta
            if meta.app_label not in TRACKED_APPS or meta.label_lower in UNTRACKED or not meta.managed:
                continue
            names = {f.name for f in meta.concrete_fields}
            column = meta.get_field("updated_at").column if "updated_at" in names else meta.pk.column
            parts.append(f"(SELECT MAX({quote(column)}) FROM {quote(meta.db_table)})")
        _sql = "SELECT " + ", ".join(parts)
    return _sql


def fingerprint() -> str:
    with connection.cursor() as cursor:
        cursor.execute(_fingerprint_sql())
        row = cursor.fetchone()
    return hashlib.sha1(repr(row).encode()).hexdigest()[:16]


def scope_key(who) -> str:
    """Readers who see the same records share entries: every federation-wide
    reader one, each org scope its own."""
    scope = SYSTEM_SCOPE if who is None else scope_of(who)
    if scope.sees_all:
        return "all"
    parts = (sorted(scope.party_org_ids), sorted(scope.association_ids), sorted(scope.department_ids),
             scope.person_id, sorted(scope.roles))
    return hashlib.sha1(repr(parts).encode()).hexdigest()[:16]


def _cached(kind: str, who, year: int, today, data: str, compute, timeout: int = TIMEOUT):
    key = f"figures:{kind}:{data}:{scope_key(who)}:{today.isoformat()}:{year}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, timeout)
    return found


def results(who, year: int, today, data: str | None = None) -> dict:
    """{figure id: FigureResult} for the year, as `Figure.evaluate` gives them."""
    data = data or fingerprint()
    return _cached("results", who, year, today, data,
                   lambda: figures.evaluate_all(who, year, today))


def segments(who, year: int, today, data: str | None = None) -> dict:
    """{(figure id, breakdown id): [Segment, …]} for every chart."""
    data = data or fingerprint()
    charts = [(f, b.id) for f in figures.all_figures() for b in f.breakdowns]
    return _cached("segments", who, year, today, data,
                   lambda: dict(zip([(f.id, b) for f, b in charts],
                                    snapshot.run_all(lambda chart: chart[0].segments(who, year, chart[1], today), charts),
                                    strict=True)))


TASK_PANEL_TIMEOUT = 300  # "overdue" moves with the clock as well as with the data: at most five minutes behind


def todos(user, today, data: str | None = None) -> list:
    """The user's to-do panel (core.todo), cached per user as the figures are."""
    from fourfirsts.core import todo

    data = data or fingerprint()
    return _cached(f"todos:{user.pk}", user, 0, today, data, lambda: todo.todos_for(user, today), TASK_PANEL_TIMEOUT)


def remember(kind: str, who, day, compute, data: str | None = None):
    """Any result computed from the records in a scope for a day (a page's
    statistics), cached as the figures are: `compute()` runs only when the
    data has changed. The result must pickle (plain values, not querysets)."""
    data = data or fingerprint()
    return _cached(kind, who, 0, day, data, compute)

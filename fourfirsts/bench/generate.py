"""`manage.py bench generate`: deterministic benchmark data, written in bulk
into an empty database (migrations only).

- **Deterministic.** Every draw comes from `random.Random` streams seeded
  from (seed, stage), and nothing depends on the day it runs: the data covers
  the five years 2022–2026 up to a fixed REFERENCE_DAY (2026-11-27), its
  "today" (gen_base.py). Primary keys are explicit (1, 2, 3 … per table), so
  the same scale and seed give the same rows, ids included; only the
  timestamps Django stamps (created_at/updated_at), the encrypted phones'
  random nonces and the password hash differ.
- **Sizes.** SCALES holds the counts; the shapes are the same at every size
  (the rules in each gen_* module), so `scaled("province", 0.02)` is a small
  province for a check. City ≈ the demo's federation (demo/build.py);
  province ≈ 3,000 associations and party orgs, 80,000 people, 200,000
  enterprises, a million appeals, 300,000 meetings, 60,000 volunteer
  activities and 20,000 village projects.
- **Valid.** Rows are what the services would have written: named records
  carry their keys (gen_names.py), dated facts their dates, appeals the
  workflow events of their state (gen_service.py); every figure computes for
  each of the five years.
- **Fast and small.** The registry is planned in memory as small objects
  (gen_registry.py); everything else is streamed in batches (`bulk_create`),
  one transaction per group of tables, so memory stays flat.

The demo's role accounts are created too (password FourFirsts-2022, hashed
once), linked as `manage.py demo` links them, so `bench run` can log in.
"""

import hashlib
import importlib
import json
import sys
import time

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import JSONField
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.translation import gettext as _

from fourfirsts.agenda import timeliness
from fourfirsts.bench import gen_agenda, gen_pillars, gen_registry, gen_service
from fourfirsts.bench.gen_base import LAST_FULL_YEAR, REFERENCE_DAY, YEARS  # noqa: F401 (re-exported for bench run)
from fourfirsts.core import crypto
from fourfirsts.core.access import Role
from fourfirsts.core.fields import SealedCharField
from fourfirsts.core.models import WorkflowEvent
from fourfirsts.service.services import members
from fourfirsts.volunteering.models import ActivityKind

PASSWORD = "FourFirsts-2022"

# Counts per scale; every other size follows from these through the shapes
# in the gen_* modules (per year: over each of the five years).
SCALES = {
    "city": {
        "cities": 1, "associations": 100, "party_orgs": 20, "party_members": 250, "other_people": 100,
        "enterprises": 600, "instructors": 9, "developments_per_year": 5,
        "meeting_share": 0.93, "study_sessions_per_org": 4,
        "appeals_per_year": 600, "visits_per_year": 900, "policies_per_year": 10,
        "activities_per_year": 12, "villages": 55, "projects": 80, "donations_per_year": 3,
    },
    "province": {
        "cities": 14, "associations": 3_000, "party_orgs": 3_000, "party_members": 40_000, "other_people": 40_000,
        "enterprises": 200_000, "instructors": 300, "developments_per_year": 800,
        "meeting_share": 0.55, "study_sessions_per_org": 2,
        "appeals_per_year": 200_000, "visits_per_year": 60_000, "policies_per_year": 140,
        "activities_per_year": 12_000, "villages": 13_000, "projects": 20_000, "donations_per_year": 500,
    },
}
# Not multiplied by `scaled`: shares, and counts that are already per org or per city.
UNSCALED = {"cities", "meeting_share", "study_sessions_per_org"}
BATCH = {"sqlite": 2_000, "postgresql": 5_000}
PROGRESS_EVERY = 500_000


def say(out, text: str) -> None:
    """A line to `out` (a management command's OutputWrapper adds no second newline)."""
    out.write(text + "\n")


class NotEmpty(Exception):
    """The target database already holds domain records."""


def scaled(name: str, factor: float) -> dict:
    """A scale's counts times `factor` (at least 1 each): the same shapes, smaller."""
    return {k: v if k in UNSCALED else max(1, round(v * factor)) for k, v in SCALES[name].items()}


def counts_of(scale) -> dict:
    if isinstance(scale, dict):
        return scale
    try:
        return SCALES[scale]
    except KeyError:
        raise ValueError(_("没有名为“%(name)s”的规模，可选：%(names)s")
                         % {"name": scale, "names": "、".join(SCALES)}) from None


# --- the emptiness check -----------------------------------------------------------------------


DOMAIN_APPS = ("registry", "agenda", "service", "volunteering", "membership", "governance", "reports")
SEEDED = (ActivityKind,)  # rows a data migration writes


def non_empty_tables() -> list[tuple[str, int]]:
    """(table, rows) of each domain table that holds rows, users included."""
    models = [m for label in DOMAIN_APPS for m in apps.get_app_config(label).get_models()
              if m not in SEEDED and not m.__name__.startswith("Historical")]
    models += [WorkflowEvent, apps.get_model("accounts", "User")]
    found = []
    for model in models:
        if model._base_manager.exists():
            found.append((f"{model._meta.verbose_name} {model._meta.db_table}", model._base_manager.count()))
    return found


def restore_seeded() -> None:
    """Put back the activity kinds the data migration writes: `flush` (and a
    transactional test) removes them, and every activity row names one."""
    seeding = importlib.import_module("fourfirsts.volunteering.migrations.0002_seed_activity_kinds")
    if ActivityKind.objects.filter(ref__in=[code for code, _name in seeding.KINDS]).count() < len(seeding.KINDS):
        seeding.seed(apps, None)


def check_empty() -> None:
    found = non_empty_tables()
    if found:
        tables = "、".join(_("%(table)s（%(n)s 行）") % {"table": t, "n": n} for t, n in found[:8])
        more = _("等 %(n)s 张表") % {"n": len(found)} if len(found) > 8 else ""
        raise NotEmpty(_("目标数据库不是空的：%(tables)s%(more)s已有数据。基准数据只写入只运行过 migrate 的空数据库，"
                         "请用 DATABASE_URL 指向一个新建的数据库。") % {"tables": tables, "more": more})


# --- sinks: where the generated rows go ------------------------------------------------------------


class DbSink:
    """Writes rows in batches (PostgreSQL: COPY; otherwise bulk_create), one
    transaction per stream, and reports each table's rows and seconds."""

    def __init__(self, out, batch: int | None = None):
        self.out = out
        self.batch = batch or BATCH.get(connection.vendor, 2_000)
        self.rows: dict = {}
        self.models: list = []

    def stream(self, models: list, rows) -> None:
        started = time.monotonic()
        buffers = {m: [] for m in models}
        counts = dict.fromkeys(models, 0)
        spent = dict.fromkeys(models, 0.0)
        pending = total = 0
        with transaction.atomic():
            for obj in rows:
                buffers[type(obj)].append(obj)
                pending += 1
                if pending >= self.batch:
                    self._flush(buffers, counts, spent)
                    total += pending
                    pending = 0
                    if total % PROGRESS_EVERY < self.batch:
                        say(self.out, _("  … %(rows)s 行，%(seconds).0f 秒") % {
                            "rows": f"{total:,}", "seconds": time.monotonic() - started})
            self._flush(buffers, counts, spent)
        for m in models:
            self.rows[m] = self.rows.get(m, 0) + counts[m]
            if m not in self.models:
                self.models.append(m)
            say(self.out, f"{m._meta.label:<36}{counts[m]:>12,}" + _(" 行 %(seconds)8.1f 秒") % {"seconds": spent[m]})
        say(self.out, _("  （本组共 %(seconds).1f 秒，含生成）") % {"seconds": time.monotonic() - started})

    def _flush(self, buffers, counts, spent) -> None:
        for model, objs in buffers.items():
            if objs:
                t = time.monotonic()
                if connection.vendor == "postgresql":
                    _copy(model, objs)
                else:
                    model.objects.bulk_create(objs, batch_size=self.batch)
                spent[model] += time.monotonic() - t
                counts[model] += len(objs)
                objs.clear()

    def finish(self) -> None:
        """Move the id sequences past the explicit ids (PostgreSQL; SQLite's
        AUTOINCREMENT follows by itself)."""
        statements = connection.ops.sequence_reset_sql(no_style(), self.models)
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _copy(model, objs) -> None:
    """PostgreSQL: the rows through COPY, several times faster than
    bulk_create's per-field preparation. What Django would convert on the way
    is converted here: timestamps stamped now, sealed fields encrypted, JSON
    dumped; every other value (str, int, bool, Decimal, date, aware
    datetime, None) psycopg adapts as it is."""
    now = timezone.now()
    cipher = crypto.get_cipher()
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and objs[0].pk is None)]
    convert = []
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            convert.append(lambda _v: now)
        elif isinstance(f, SealedCharField):
            convert.append(lambda v: cipher.encrypt(v) if v else "")
        elif isinstance(f, JSONField):
            convert.append(json.dumps)
        else:
            convert.append(None)
    names = [f.attname for f in fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for obj in objs:
            values = obj.__dict__
            copy.write_row([values[n] if c is None else c(values[n]) for n, c in zip(names, convert, strict=True)])


class DigestSink:
    """Writes nothing: counts the rows and digests, per model, every named
    record's (id, 编号, name) and every titled one's (id, 编号, title) in id
    order, which `key_digest` computes from the database the same way."""

    def __init__(self):
        self.rows: dict = {}
        self.hashes: dict = {}

    def stream(self, models: list, rows) -> None:
        for obj in rows:
            model = type(obj)
            self.rows[model] = self.rows.get(model, 0) + 1
            name = obj.__dict__.get("name", obj.__dict__.get("title"))
            if name is not None and obj.__dict__.get("ref"):
                line = f"{obj.pk}|{obj.ref}|{name}\n".encode()
                self.hashes.setdefault(model._meta.label, hashlib.sha256()).update(line)

    def digests(self) -> dict[str, str]:
        return {label: h.hexdigest() for label, h in self.hashes.items()}


def key_digest(model) -> str:
    """A model's stored rows digested as DigestSink digests them."""
    name = "name" if any(f.name == "name" for f in model._meta.concrete_fields) else "title"
    h = hashlib.sha256()
    for pk, ref, value in model._base_manager.order_by("pk").values_list("pk", "ref", name).iterator():
        h.update(f"{pk}|{ref}|{value}\n".encode())
    return h.hexdigest()


# --- the run ------------------------------------------------------------------------------------------------------


def build(counts: dict, seed: int, sink) -> gen_registry.World:
    """Plan the registry, then write every stage's rows to the sink."""
    world = gen_registry.World(counts, seed).build()
    gen_registry.emit(world, sink)
    gen_agenda.emit(world, sink)
    gen_service.emit(world, sink)
    gen_pillars.emit(world, sink)
    return world


def generate(*, scale="city", seed: int = 1, out=None) -> dict:
    """Fill the empty database with the scale's data (a name of SCALES or a
    dict of counts); returns the rows written per model."""
    out = out or sys.stdout
    check_empty()
    restore_seeded()
    counts = counts_of(scale)
    started = time.monotonic()
    say(out, _("生成基准数据：规模 %(scale)s，种子 %(seed)s，数据库 %(db)s，数据截至 %(day)s")
              % {"scale": scale if isinstance(scale, str) else _("自定义"), "seed": seed, "db": connection.vendor,
                 "day": REFERENCE_DAY})
    sink = DbSink(out)
    with override_settings(DEBUG=False):  # DEBUG keeps every query's SQL: megabytes per batch
        world = build(counts, seed, sink)
        users = create_accounts(world)
        sink.finish()
        started_first = time.monotonic()
        pushes = timeliness.refresh_all()  # each push's first meeting, as the meeting services keep it
        say(out, _("议题推送的首次学习会议：%(n)s 条，用时 %(seconds).1f 秒")
            % {"n": f"{pushes:,}", "seconds": time.monotonic() - started_first})
        started_marks = time.monotonic()
        members.refresh()  # each appeal's and visit's "member on its day", as the services keep it
        say(out, _("诉求与走访的当日会员标记：用时 %(seconds).1f 秒") % {"seconds": time.monotonic() - started_marks})
    with connection.cursor() as cursor:
        # The planner's statistics for the bulk-loaded tables and, on PostgreSQL,
        # their visibility maps (index-only scans), as autovacuum would leave them.
        # VACUUM cannot run in a transaction (a test's); ANALYZE can.
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
    total = sum(sink.rows.values())
    say(out, _("完成：%(tables)s 张表共 %(rows)s 行，%(users)s 个账号（密码 %(password)s），用时 %(seconds).1f 秒")
              % {"tables": len([m for m, n in sink.rows.items() if n]), "rows": f"{total:,}", "users": users,
                 "password": PASSWORD, "seconds": time.monotonic() - started})
    return {m._meta.label: n for m, n in sink.rows.items()}


def digests(scale="city", seed: int = 1) -> dict[str, str]:
    """What `generate` would write, digested per model without writing (for tests)."""
    sink = DigestSink()
    restore_seeded()
    build(counts_of(scale), seed, sink)
    return sink.digests()


# --- accounts --------------------------------------------------------------------------------------------------------


ACCOUNTS = (  # username, role, label
    ("committee", Role.COMMITTEE, "商协会党委工作人员"),
    ("leader", Role.LEADER, "市长"),
    ("instructor", Role.INSTRUCTOR, "党建工作指导员"),
    ("secretary", Role.SECRETARY, "党组织书记"),
    ("member", Role.MEMBER, "会员党员"),
    ("handler", Role.HANDLER, "承办单位承办人"),
    ("sysadmin", Role.SYSTEM_ADMIN, "系统管理员"),
    ("secadmin", Role.SECURITY_ADMIN, "安全管理员"),
    ("auditadmin", Role.AUDIT_ADMIN, "审计管理员"),
)


@transaction.atomic
def create_accounts(world: gen_registry.World) -> int:
    """The demo's role accounts, linked as `manage.py demo` links them: the
    secretary to the org of an association with an instructor on
    REFERENCE_DAY, the instructor and a member to the same, the leader to the
    first city's mayor, the handler to its 交通运输局."""
    from fourfirsts.accounts.models import User, role_group

    links = world.account_links()
    password = make_password(PASSWORD)  # hashed once: PBKDF2 is slow on purpose
    for username, role, label in ACCOUNTS:
        user = User(username=username, first_name=label, password=password, is_active=True, is_demo=True,
                    must_change_password=False, **links.get(username, {}))
        user.save()
        user.groups.set([role_group(role)])
    return len(ACCOUNTS)

"""`manage.py bench run [--json]`: measure the current database (whatever
DATABASE_URL names) against issue 9's targets, print the results and write
them to docs/benchmarks.md (between markers, so notes around them stay).

1. the annual report (system scope, the last full year) built and rendered,
   in txt and separately in pdf, the cache cleared before each;
2. each figure against its floor (bench/floors.py), in this process: best of
   ROUNDS, each round the figure (cache cleared) then the floor;
3. p50/p95 latency of the list pages, the dashboard, an appeal detail page and
   the API lists through gunicorn on loopback, and their query counts in
   this process (measure_pages.py);
4. public 营商码 submissions per second under locust (measure_intake.py);
5. workbook import and export throughput and peak RSS, each in a process of
   its own, rolled back (measure_workbook.py).

Sizes come from the environment, so a test can run it small:
FOURFIRSTS_BENCH_SIZES (import/export rows, "10000,100000"),
FOURFIRSTS_BENCH_BUDGET (seconds a further size's import, or export, may
take, judged from the wall time of the size before: 20), FOURFIRSTS_BENCH_REQUESTS (per URL,
10), FOURFIRSTS_BENCH_WARMUPS (2),
FOURFIRSTS_BENCH_ROUNDS (figures, 3), FOURFIRSTS_BENCH_LOCUST_SECONDS (10),
FOURFIRSTS_BENCH_LOCUST_USERS (20), FOURFIRSTS_BENCH_SKIP (sections to leave
out: report, figures, pages, intake, workbook).
"""

import json
import os
import platform
import sys
import time
import traceback
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone

from fourfirsts.bench import floors, measure_intake, measure_pages, measure_workbook
from fourfirsts.core import figures

START, END = "<!-- bench run: start -->", "<!-- bench run: end -->"
SECTIONS = ("report", "figures", "pages", "intake", "workbook")

# Issue 9's targets (PostgreSQL, province scale, a 2-core machine).
FIGURE_RATIO = 1.5
REPORT_TXT_S = 2.0
PAGE_P95_MS = 150.0
DASHBOARD_COLD_MS = 2000.0
DASHBOARD_WARM_MS = 300.0
IMPORT_ROWS_S = 5000.0
IMPORT_RSS_MB = 500.0
INTAKE_PER_S = 200.0


@dataclass(frozen=True)
class Knobs:
    sizes: tuple[int, ...] = (10_000, 100_000)
    budget: float = 20.0
    child_timeout: float = 900.0  # one workbook size's process, at most
    requests: int = 10
    warmups: int = 2
    rounds: int = 3
    locust_seconds: int = 10
    locust_users: int = 20
    skip: tuple[str, ...] = ()

    @classmethod
    def from_env(cls) -> "Knobs":
        env = os.environ.get
        sizes = env("FOURFIRSTS_BENCH_SIZES")
        skip = env("FOURFIRSTS_BENCH_SKIP", "")
        return cls(
            sizes=tuple(int(s) for s in sizes.split(",") if s.strip()) if sizes else cls.sizes,
            budget=float(env("FOURFIRSTS_BENCH_BUDGET", cls.budget)),
            child_timeout=float(env("FOURFIRSTS_BENCH_CHILD_TIMEOUT", cls.child_timeout)),
            requests=int(env("FOURFIRSTS_BENCH_REQUESTS", cls.requests)),
            warmups=int(env("FOURFIRSTS_BENCH_WARMUPS", cls.warmups)),
            rounds=int(env("FOURFIRSTS_BENCH_ROUNDS", cls.rounds)),
            locust_seconds=int(env("FOURFIRSTS_BENCH_LOCUST_SECONDS", cls.locust_seconds)),
            locust_users=int(env("FOURFIRSTS_BENCH_LOCUST_USERS", cls.locust_users)),
            skip=tuple(s.strip() for s in skip.split(",") if s.strip() in SECTIONS),
        )


def run(as_json: bool = False, output=None, out=None) -> dict:
    out = out or sys.stdout
    knobs = Knobs.from_env()
    TIMINGS.clear()
    today = timezone.localdate()
    year = today.year - 1
    started = time.perf_counter()
    results = {"date": timezone.localtime().isoformat(timespec="seconds"), "year": year,
               "database": database(), "machine": machine(), "scale": scale(), "settings": asdict(knobs)}
    with override_settings(DEBUG=False):  # no query log in the timings (CaptureQueriesContext forces its own)
        if "report" not in knobs.skip:
            results["report"] = _guard("report", report_times, year, today)
        if "figures" not in knobs.skip:
            results["figures"] = _guard("figures", figure_rows, year, today, knobs.rounds)
        if not {"pages", "intake"} <= set(knobs.skip):
            found = _guard("gunicorn (pages + intake)", _server_parts, knobs, year)
            if "error" in found:  # the server did not start or stop: neither part was measured
                found = {part: found for part in ("pages", "intake") if part not in knobs.skip}
            results.update(found)
        if "workbook" not in knobs.skip:
            results["workbook"] = _guard("workbook", measure_workbook.measure, knobs.sizes, child_env(),
                                         budget=knobs.budget, timeout=knobs.child_timeout)
    results["seconds"] = round(time.perf_counter() - started, 1)
    results["timings"] = dict(TIMINGS)
    judge(results)
    markdown = to_markdown(results)
    write_page(Path(output) if output else settings.BASE_DIR / "docs" / "benchmarks.md", markdown)
    out.write(json.dumps(results, ensure_ascii=False, indent=2, default=str) if as_json else markdown)
    out.write("\n")
    return results


TIMINGS: dict[str, float] = {}  # seconds each part took, for the page


def _guard(name, fn, *args, **kwargs):
    """A failing part is reported, not fatal: the other parts still run."""
    print(f"bench run: {name} …", file=sys.stderr, flush=True)
    start = time.perf_counter()
    try:
        return fn(*args, **kwargs)
    except Exception as e:  # noqa: BLE001 - reported in the results
        traceback.print_exc(file=sys.stderr)
        return {"error": f"{type(e).__name__}: {e}"}
    finally:
        TIMINGS[name] = round(time.perf_counter() - start, 1)


def _server_parts(knobs: Knobs, year: int) -> dict:
    """Pages and intake share one gunicorn (rate limits off, DEBUG off)."""
    found, marker = {}, measure_intake.new_marker()
    try:
        with measure_pages.server(child_env()) as base:
            if "pages" not in knobs.skip:
                found["pages"] = _guard("pages", measure_pages.measure, base, year=year, n=knobs.requests,
                                        warmups=knobs.warmups)
            if "intake" not in knobs.skip:
                found["intake"] = _guard("intake", measure_intake.measure, base, child_env(),
                                         seconds=knobs.locust_seconds, users=knobs.locust_users, marker=marker)
    finally:
        late = measure_intake.clean_up(marker)  # a submission still in flight when locust stopped
    if late and "removed" in found.get("intake", {}):
        found["intake"]["removed"] += late
    return found


# --- where and what -------------------------------------------------------------------------


def database() -> dict:
    vendor = connection.vendor
    sql = {"sqlite": "SELECT sqlite_version()", "postgresql": "SHOW server_version"}.get(vendor, "SELECT version()")
    with connection.cursor() as cursor:
        cursor.execute(sql)
        version = cursor.fetchone()[0]
    name = str(connection.settings_dict["NAME"])
    return {"vendor": connection.display_name, "version": version,
            "name": Path(name).name if vendor == "sqlite" else name}


def machine() -> dict:
    import psutil

    model = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "cpu": model or "unknown",
            "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "system": platform.platform(terse=True), "python": platform.python_version()}


def scale() -> dict:
    """Rows of the main tables, as counted now."""
    from fourfirsts.agenda.models import Attendance, Meeting, Topic
    from fourfirsts.core.models import WorkflowEvent
    from fourfirsts.membership.models import Development
    from fourfirsts.registry.models import (
        Association,
        Enterprise,
        EnterpriseMembership,
        PartyOrg,
        Person,
    )
    from fourfirsts.service.models import Appeal, Visit
    from fourfirsts.volunteering.models import Activity, Participation, Project

    models = (Association, PartyOrg, Person, Enterprise, EnterpriseMembership, Appeal, WorkflowEvent, Visit,
              Topic, Meeting, Attendance, Activity, Participation, Project, Development)
    return {m._meta.db_table: m.objects.count() for m in models}


def child_env() -> dict:
    """The environment of the server and the children: this database, DEBUG
    off, the intake and API rate limits off."""
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "fourfirsts.settings", "DATABASE_URL": database_url(),
            "DJANGO_DEBUG": "0", "FOURFIRSTS_INTAKE_RATE_LIMITS": "0", "FOURFIRSTS_API_RATE": "0"}


def database_url() -> str:
    """This process's database as a URL for the children (under pytest, the test database)."""
    import dj_database_url

    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(name).resolve()}"
    url = os.environ.get("DATABASE_URL", "")
    if url and dj_database_url.parse(url)["NAME"] != name:
        url = url[: url.rindex("/") + 1] + name + (url[url.index("?"):] if "?" in url else "")
    return url


# --- 1. the annual report -------------------------------------------------------------------


def report_times(year: int, today) -> dict:
    from fourfirsts.reports import formats, prose

    found = {}
    for key in ("txt", "pdf"):
        cache.clear()
        start = time.perf_counter()
        data = formats.get(key).render(prose.build(None, year, today))
        found[key] = {"seconds": round(time.perf_counter() - start, 3), "bytes": len(data)}
    return found


# --- 2. figures against their floors ----------------------------------------------------------


def observed(figure, result):
    """The figure's result in its floor's shape (F07, F15, F16 carry more than a value)."""
    if figure.id == "F07":
        return {"value": result.value, "raisers": result.parts.get("raisers")}
    if figure.id == "F15":
        return {"value": result.value, "previous": result.previous}
    if figure.id == "F16":
        return {"value": result.value, "names": list(result.names)}
    return result.value


def plain(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def figure_rows(year: int, today, rounds: int) -> list[dict]:
    rows = []
    for figure in figures.all_figures():
        floor = floors.FLOORS.get(figure.id)
        best, best_floor, result, found = float("inf"), float("inf"), None, None
        for _round in range(rounds):
            cache.clear()
            start = time.perf_counter()
            result = figure.evaluate(None, year, today)
            best = min(best, time.perf_counter() - start)
            if floor is not None:
                start = time.perf_counter()
                found = floor(year, today)
                best_floor = min(best_floor, time.perf_counter() - start)
        row = {"id": figure.id, "label": str(figure.label), "value": plain(result.value), "seconds": round(best, 6)}
        if floor is None:
            row.update(floor_value=None, floor_seconds=None, ratio=None, match=False, note="no floor")
        else:
            mine = observed(figure, result)
            row.update(floor_value=plain(floors.value_of(found)), floor_seconds=round(best_floor, 6),
                       ratio=round(best / best_floor, 2) if best_floor > 0 else None, match=mine == found)
            if mine != found:
                row["note"] = f"figure {plain(mine)} ≠ floor {plain(found)}"
        rows.append(row)
    return rows


# --- 6. targets -----------------------------------------------------------------------------


def _target(row: dict, text: str, ok) -> None:
    row["target"] = text
    row["ok"] = ok


def judge(results: dict) -> None:
    """Put each target next to its measurement ("ok": True/False, None when not measured)."""
    report = results.get("report")
    if isinstance(report, dict) and "txt" in report:
        _target(report["txt"], f"≤ {REPORT_TXT_S:g} s", report["txt"]["seconds"] <= REPORT_TXT_S)
    for row in results.get("figures") or []:
        if isinstance(row, dict):
            ratio = row.get("ratio")
            _target(row, f"≤ {FIGURE_RATIO:g}× floor, value = floor",
                    bool(row.get("match")) and ratio is not None and ratio <= FIGURE_RATIO)
    pages = results.get("pages") or {}
    for row in pages.get("pages", []):
        _target(row, f"p95 ≤ {PAGE_P95_MS:g} ms", row["p95_ms"] <= PAGE_P95_MS if "p95_ms" in row else None)
    dash = pages.get("dashboard")
    if dash:
        cold, warm = dash.get("cold_ms"), dash.get("p95_ms")
        dash["target"] = f"cold ≤ {DASHBOARD_COLD_MS:g} ms, warm p95 ≤ {DASHBOARD_WARM_MS:g} ms"
        dash["ok"] = None if cold is None or warm is None else cold <= DASHBOARD_COLD_MS and warm <= DASHBOARD_WARM_MS
    workbook = results.get("workbook") or {}
    for row in workbook.get("import", []):
        if "rows_per_second" in row:
            _target(row, f"≥ {IMPORT_ROWS_S:g} rows/s, peak RSS ≤ {IMPORT_RSS_MB:g} MB",
                    row["rows_per_second"] >= IMPORT_ROWS_S and row["peak_rss_mb"] <= IMPORT_RSS_MB)
    intake = results.get("intake") or {}
    if "submissions_per_second" in intake:
        _target(intake, f"≥ {INTAKE_PER_S:g}/s, no errors",
                intake["submissions_per_second"] >= INTAKE_PER_S and intake["errors"] == 0)


# --- the page -------------------------------------------------------------------------------


def mark(ok) -> str:
    return {True: "✓", False: "✗"}.get(ok, "–")


def _ms(seconds) -> str:
    return "" if seconds is None else f"{seconds * 1000:.2f}"


def _table(header: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join("" if c is None else str(c) for c in row) + " |" for row in rows]
    return lines + [""]


def _error(part) -> list[str]:
    return [f"Not measured: {part['error']}", ""] if isinstance(part, dict) and "error" in part else []


def to_markdown(r: dict) -> str:
    db, m, k = r["database"], r["machine"], r["settings"]
    lines = [
        START,
        f"## Latest run: {r['date']}",
        "",
        f"- Database: {db['vendor']} {db['version']} ({db['name']})",
        f"- Machine: {m['cpus']} × {m['cpu']}, {m['ram_gb']} GB RAM, {m['system']}, Python {m['python']}",
        f"- Year measured: {r['year']} (the last full year), system scope; the whole run took {r['seconds']} s"
        " (" + ", ".join(f"{part} {s} s" for part, s in r["timings"].items()) + ")",
        "- Scale: " + ", ".join(f"{table} {n:,}" for table, n in r["scale"].items()),
        "",
        "Targets are issue 9's, set for PostgreSQL at province scale on a 2-core machine; on SQLite or",
        "at city scale they are indicative. ✓ met, ✗ missed, – not measured.",
        "",
    ]
    lines += _report_md(r.get("report"))
    lines += _figures_md(r.get("figures"), k)
    lines += _pages_md(r.get("pages"), k)
    lines += _workbook_md(r.get("workbook"), k)
    lines += _intake_md(r.get("intake"))
    lines.append(END)
    return "\n".join(lines)


def _report_md(report) -> list[str]:
    if report is None:
        return []
    lines = ["### Annual report", ""] + _error(report)
    if "txt" in report:
        lines += ["Built (prose.build, system scope) and rendered, the cache cleared before each.", ""]
        lines += _table(["format", "seconds", "bytes", "target", ""], [
            [key, report[key]["seconds"], f"{report[key]['bytes']:,}", report[key].get("target", "–"),
             mark(report[key].get("ok"))] for key in ("txt", "pdf")])
    return lines


def _figures_md(rows, k) -> list[str]:
    if rows is None:
        return []
    lines = ["### Figures against their floors", ""] + _error(rows)
    if isinstance(rows, list):
        lines += [f"Best of {k['rounds']} in this process, each round the figure (cache cleared) then its floor "
                  "(bench/floors.py). Target: ratio ≤ 1.5 and value = floor value. At a few milliseconds the ratio "
                  "mostly measures the ORM's fixed cost per query rather than the SQL.", ""]
        lines += _table(["figure", "label", "value", "floor value", "ms", "floor ms", "ratio", "", "note"], [
            [x["id"], x["label"], x["value"], x["floor_value"], _ms(x["seconds"]), _ms(x["floor_seconds"]),
             x["ratio"], mark(x.get("ok")), x.get("note", "")] for x in rows])
    return lines


def _pages_md(pages, k) -> list[str]:
    if pages is None:
        return []
    lines = ["### Pages and API lists", ""] + _error(pages)
    if "pages" not in pages:
        return lines + ([pages["skipped"], ""] if "skipped" in pages else [])
    lines += [f"gunicorn (2 workers, DEBUG off) on 127.0.0.1, signed in as `{pages['user']}` "
              f"({pages['signed_in_by']}); {pages['requests']} requests per URL after {pages['warmups']} "
              f"warm-ups (a slow URL: {measure_pages.PER_URL_S:g} s of requests, at least "
              f"{measure_pages.MIN_REQUESTS}); p95 interpolated. Queries: one warm request in this process "
              "(test client).", ""]
    rows = [[x["kind"], x["label"], f"`{x['path']}`", x.get("p50_ms", x.get("error", "")), x.get("p95_ms", ""),
             x.get("requests", ""), x.get("queries"), x.get("target", ""), mark(x.get("ok"))]
            for x in pages["pages"]]
    lines += _table(["kind", "what", "path", "p50 ms", "p95 ms", "n", "queries", "target", ""], rows)
    d = pages.get("dashboard") or {}
    if d:
        lines += ["Dashboard (`" + d["path"] + "`): cold (cache cleared) through the server "
                  f"{d.get('cold_ms')} ms; warm p50 {d.get('p50_ms')} ms, p95 {d.get('p95_ms')} ms; queries cold "
                  f"{d['cold']['queries']}, warm {d['warm']['queries']}. Target: {d.get('target')} {mark(d.get('ok'))}",
                  ""]
    lines += [f"- {note}" for note in pages.get("notes", [])]
    return lines + ([""] if pages.get("notes") else [])


def _workbook_md(workbook, k) -> list[str]:
    if workbook is None:
        return []
    lines = ["### Workbook import and export", ""] + _error(workbook)
    if "import" not in workbook:
        return lines
    lines += [f"Sheet {workbook['sheet']}: N new rows imported through exchange.services.import_file (system "
              "actor) in a process of its own, in a transaction rolled back; export: an association with N "
              "member enterprises added in bulk, then the workbook its secretary sees exported (its "
              "enterprises, their memberships and itself, and the federation-wide lists every role sees: "
              "villages, policies, topics, classes), rolled back. Peak RSS is the "
              f"child's (export: from just before it starts). A further size runs only when the size before "
              f"(its process's wall time) says it takes ≤ {k['budget']:g} s, import and export judged apart.",
              ""]
    lines += _table(["import rows", "seconds", "rows/s", "peak RSS MB", "target", ""], [
        [f"{x['rows']:,}", x.get("seconds", x.get("skipped", x.get("error", ""))), x.get("rows_per_second"),
         x.get("peak_rss_mb"), x.get("target", ""), mark(x.get("ok"))] for x in workbook["import"]])
    lines += _table(["export: rows added", "rows exported", "seconds", "rows/s", "peak RSS MB"], [
        [f"{x['rows_added']:,}", x.get("rows", ""),
         x.get("seconds", x.get("skipped", x.get("error", ""))), x.get("rows_per_second"), x.get("peak_rss_mb")]
        for x in workbook["export"]])
    return lines


def _intake_md(intake) -> list[str]:
    if intake is None:
        return []
    lines = ["### Public 营商码 intake", ""] + _error(intake)
    if "skipped" in intake:
        return lines + [intake["skipped"], ""]
    if "submissions_per_second" in intake:
        lines += [f"locust, headless, {intake['users']} users for {intake['seconds']} s against the same server "
                  f"(intake rate limits off), {intake['codes']} enterprises' codes: "
                  f"**{intake['submissions_per_second']} submissions/s**, {intake['submissions']} submitted, "
                  f"{intake['errors']} errors, p50 {intake['p50_ms']} ms, p95 {intake['p95_ms']} ms. "
                  f"Target: {intake['target']} {mark(intake['ok'])}",
                  "",
                  f"{intake['saved']} appeals were saved; afterwards {intake['removed']} appeals carrying the run's "
                  "marker, their history rows and their notifications were deleted directly in the database "
                  "(bench clean-up).", ""]
    return lines


def write_page(path: Path, markdown: str) -> None:
    """Replace the run between the markers; keep what is written around them."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if START in text and END in text:
        before, rest = text.split(START, 1)
        text = before + markdown + rest.split(END, 1)[1]
    else:
        head = text or ("# Benchmarks\n\n`python manage.py bench run` writes the latest measurements below "
                        "(fourfirsts/bench/run.py says how each is taken).\n")
        text = head.rstrip("\n") + "\n\n" + markdown + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


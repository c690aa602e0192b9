"""Workbook import and export at N rows, each in a process of its own so its
peak memory is its own.

The parent (`measure(sizes)`) writes a workbook of N rows of the 会员企业 sheet
and runs `python -m fourfirsts.bench.measure_workbook import FILE` and
`… export N`. The child imports through `exchange.services.import_file` with
the system actor, or adds an association with N member enterprises in bulk
and exports the workbook its secretary's scope sees (`exchange.engine.
write_workbook`, the disclosure of `exchange.services.disclosure_for`), inside
a transaction it rolls back: the benchmark leaves no rows behind. It prints
one JSON line.
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Deterministic, plausible enterprises: a place, a trade word, a legal form.
PLACES = ("娄底", "娄星", "冷水江", "涟源", "双峰", "新化", "湘中", "资江", "紫鹊", "梅山")
TRADES = ("商贸", "建材", "机械", "农业", "物流", "电子", "食品", "纺织", "置业", "科技", "矿业", "药业")
FORMS = ("有限公司", "有限责任公司", "股份有限公司")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚"
SIZES = ("大型", "中型", "小型", "微型")
SHEET = "会员企业"
HEADERS = ("编号", "名称", "统一社会信用代码", "行业门类", "规模", "联系人", "联系电话")


def uscc(i: int) -> str:
    """A valid 统一社会信用代码 of benchmark enterprise i (org code "Y" + i: no real one starts so)."""
    from stdnum.cn import uscc as std

    base = f"91431300Y{i:08d}"
    return base + std.calc_check_digit(base)


def enterprise(i: int, industries: list[str]) -> dict:
    return {
        "name": f"{PLACES[i % 10]}{TRADES[i // 10 % 12]}{i:06d}{FORMS[i % 3]}",
        "uscc": uscc(i),
        "industry": industries[i % len(industries)],
        "size": SIZES[i % 4],
        "contact_name": SURNAMES[i % 20] + GIVEN[i * 7 % 20],
        "contact_phone": f"139{i % 100_000_000:08d}",
    }


def write_workbook(path, n: int) -> None:
    """The 会员企业 sheet with n new rows (编号 left blank: the system gives one)."""
    import xlsxwriter

    from fourfirsts.registry.models import INDUSTRY_SECTIONS

    industries = [str(label) for label in INDUSTRY_SECTIONS.values()]
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = book.add_worksheet(SHEET)
    ws.write_row(0, 0, HEADERS)
    for i in range(1, n + 1):
        e = enterprise(i, industries)
        ws.write_row(i, 0, ("", e["name"], e["uscc"], e["industry"], e["size"], e["contact_name"],
                            e["contact_phone"]))
    book.close()


def _run_child(args, env, timeout) -> dict:
    """The child's JSON line, plus its wall time (start-up and set-up included)."""
    start = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, "-m", "fourfirsts.bench.measure_workbook", *args], env=env,
                              capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:  # one size over time is a result, not the end of the part
        return {"error": f"timed out after {timeout:.0f} s"}
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode or not lines:
        return {"error": (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]}
    return {**json.loads(lines[-1]), "wall_seconds": round(time.perf_counter() - start, 1)}


def _over(n: int, rate, budget: float) -> str | None:
    """Why size n is skipped, when the size before (rows per second of its
    child's wall time) says it would take over the budget."""
    if rate and n / rate > budget:
        return f"skipped: about {n / rate:.0f} s at {rate:.0f} rows/s (wall), over the {budget:g} s budget"
    return None


def _wall_rate(result: dict, rows: int):
    return rows / result["wall_seconds"] if "wall_seconds" in result else None


def measure(sizes, env, *, budget: float, timeout: float = 900) -> dict:
    """Import and export at each size. The first size always runs; a further
    one runs when the rate of the one before says it takes ≤ `budget` seconds
    (import and export judged apart), else it is listed as skipped."""
    imports, exports = [], []
    import_rate = export_rate = None
    failed = "skipped: the size before failed"
    with tempfile.TemporaryDirectory(prefix="fourfirsts-bench-") as tmp:
        for n in sizes:
            skip = failed if imports and "error" in imports[-1] else _over(n, import_rate, budget)
            if skip:
                imports.append({"rows": n, "skipped": skip})
            else:
                path = Path(tmp) / f"import-{n}.xlsx"
                write_workbook(path, n)
                result = {"rows": n, **_run_child(["import", str(path)], env, timeout)}
                path.unlink()
                imports.append(result)
                import_rate = _wall_rate(result, n) or import_rate
            skip = failed if exports and "error" in exports[-1] else _over(2 * n, export_rate, budget)
            if skip:
                exports.append({"rows_added": n, "skipped": skip})
            else:
                result = {"rows_added": n, **_run_child(["export", str(n), tmp], env, timeout)}
                exports.append(result)
                export_rate = _wall_rate(result, result.get("rows", 0)) or export_rate
    return {"sheet": SHEET, "budget_s": budget, "import": imports, "export": exports}


# --- the child ------------------------------------------------------------------------------


def _peak_mb() -> float:
    """This process's peak RSS: VmHWM (resettable), else ru_maxrss (KiB on Linux)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _reset_peak() -> None:
    """Start the peak RSS again from the current RSS (Linux: clear_refs 5)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def _import(path) -> dict:
    from django.db import transaction

    from fourfirsts.core.actors import Actor
    from fourfirsts.exchange import services

    before = _peak_mb()
    with transaction.atomic():
        start = time.perf_counter()
        report = services.import_file(path, actor=Actor.system("基准测试"), filename="bench.xlsx")
        seconds = time.perf_counter() - start
        transaction.set_rollback(True)  # never keep the benchmark's rows
    if not report.ok:
        return {"error": f"{len(report.problems)} problems, first: {report.problems[0]}"}
    done = sum(report.created.values()) + sum(report.updated.values())
    return {"seconds": round(seconds, 3), "rows_per_second": round(done / seconds, 1),
            "created": sum(report.created.values()), "peak_rss_mb": _peak_mb(), "start_rss_mb": before}


def _export(n: int, tmp) -> dict:
    """An association with n member enterprises exports its workbook, as its
    secretary would from the export page: the rows are its own n enterprises,
    their memberships and itself, whatever the database holds besides (the
    whole province's workbook, 13 million rows, is no one's download)."""
    import gc
    from datetime import date

    from django.db import transaction

    from fourfirsts.core.access import Role, Scope
    from fourfirsts.exchange import engine, services
    from fourfirsts.registry.models import (
        INDUSTRY_SECTIONS,
        Association,
        Enterprise,
        EnterpriseMembership,
    )

    codes = list(INDUSTRY_SECTIONS)
    target = Path(tmp) / f"export-{n}.xlsx"
    with transaction.atomic():
        association = Association.objects.create(name="基准测试商会", kind=Association.Kind.OTHER,
                                                 sort_key="bench", search_key="基准测试商会")
        for first in range(1, n + 1, 2000):
            batch = []
            for i in range(first, min(first + 2000, n + 1)):
                e = enterprise(i, codes)
                # Plain keys: pinyin would cost more than the export measured (they only order and search).
                batch.append(Enterprise(name=e["name"], uscc=e["uscc"], industry=e["industry"],
                                        sort_key=f"bench{i:08d}", search_key=e["name"]))
            Enterprise.objects.bulk_create(batch)
            EnterpriseMembership.objects.bulk_create(
                EnterpriseMembership(enterprise=x, association=association, since=date(2020, 1, 1)) for x in batch)
        scope = Scope(roles=frozenset({Role.SECRETARY}), association_ids=frozenset({association.pk}))
        gc.collect()
        _reset_peak()
        before = _peak_mb()
        start = time.perf_counter()
        counts = engine.write_workbook(str(target), scope, services.disclosure_for(scope))
        seconds = time.perf_counter() - start
        transaction.set_rollback(True)
    size = target.stat().st_size
    target.unlink()
    rows = sum(counts.values())
    return {"rows": rows, "seconds": round(seconds, 3), "rows_per_second": round(rows / seconds, 1),
            "peak_rss_mb": _peak_mb(), "start_rss_mb": before, "bytes": size,
            "sheets": {name: count for name, count in counts.items() if count}}


def main(argv) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fourfirsts.settings")
    django.setup()
    action, *args = argv
    result = _import(args[0]) if action == "import" else _export(int(args[0]), args[1])
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])

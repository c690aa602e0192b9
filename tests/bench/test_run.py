"""`bench run` on a small database: every figure equal to its floor, each
page and API list measured through a real gunicorn, the workbook imported
and exported, the public intake under locust, the targets marked, the page
written where asked, and nothing the benchmark wrote left behind.

The server, the locust and the workbook children are other processes: they
see only committed rows, so the full run uses `transactional_db`. Sizes,
request counts and the locust time are made tiny through the environment."""

import io
import json
from datetime import datetime

import pytest

from fourfirsts.bench import run as bench
from fourfirsts.core import figures
from fourfirsts.core.actors import Actor
from fourfirsts.core.models import WorkflowEvent
from fourfirsts.core.workdays import SHANGHAI
from fourfirsts.registry.models import Association, Enterprise
from fourfirsts.service.models import Appeal
from fourfirsts.service.services import appeals

TINY = {
    "FOURFIRSTS_BENCH_SIZES": "100,10000000",  # the second is skipped: over the budget
    "FOURFIRSTS_BENCH_BUDGET": "5",
    "FOURFIRSTS_BENCH_REQUESTS": "3",
    "FOURFIRSTS_BENCH_WARMUPS": "1",
    "FOURFIRSTS_BENCH_ROUNDS": "1",
    "FOURFIRSTS_BENCH_LOCUST_SECONDS": "2",
    "FOURFIRSTS_BENCH_LOCUST_USERS": "2",
}


@pytest.fixture
def tiny(monkeypatch):
    for name, value in TINY.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("FOURFIRSTS_BENCH_SKIP", raising=False)


@pytest.fixture
def last_year_appeal(world, cast):
    """An appeal of the year the run measures (the last full one), for F06 and the detail page."""
    from django.utils import timezone

    year = timezone.localdate().year - 1
    return appeals.appeal_create(actor=Actor.system("测试"), values={
        "enterprise": world.ent_a, "channel": Appeal.Channel.VISIT, "category": Appeal.Category.LOGISTICS,
        "kind": Appeal.Kind.COORDINATION, "title": "货车通行证办理难",
        "collected_at": datetime(year, 6, 1, 10, tzinfo=SHANGHAI)})


def test_a_small_run_measures_every_part_and_leaves_nothing_behind(transactional_db, tiny, world, cast,
                                                                   last_year_appeal, tmp_path):
    enterprises, appeals_before = Enterprise.objects.count(), Appeal.objects.count()
    associations = Association.objects.count()
    events_before = WorkflowEvent.objects.count()
    page = tmp_path / "bench.md"
    out = io.StringIO()

    bench.run(as_json=True, output=str(page), out=out)
    result = json.loads(out.getvalue())

    # every figure, equal to its floor
    assert [f["id"] for f in result["figures"]] == [f.id for f in figures.all_figures()]
    for row in result["figures"]:
        assert row["match"] is True, row
        assert row["value"] == row["floor_value"], row
        assert row["seconds"] > 0 and row["floor_seconds"] > 0 and row["ratio"] > 0
        assert row["ok"] in (True, False)
    f06 = next(row for row in result["figures"] if row["id"] == "F06")
    assert f06["value"] == 1

    assert result["report"]["txt"]["seconds"] > 0 and result["report"]["pdf"]["bytes"] > 0
    assert result["report"]["txt"]["target"] == "≤ 2 s"

    # pages, the appeal's detail page and the API lists through the server
    pages = result["pages"]
    measured = {row["path"]: row for row in pages["pages"]}
    assert f"/service/appeals/{last_year_appeal.pk}/" in measured
    assert "/api/v1/service/appeals" in measured and "/registry/associations/" in measured
    for row in pages["pages"]:
        assert row["status"] == 200, row
        assert 0 < row["p50_ms"] <= row["p95_ms"], row
        assert row["queries"] > 0 and row["requests"] == 3
        assert row["ok"] in (True, False)
    dashboard = pages["dashboard"]
    assert dashboard["path"] == f"/reports/?year={result['year']}"
    assert dashboard["cold"]["queries"] > 0 and dashboard["warm"]["queries"] > 0
    assert dashboard["cold_ms"] > 0 and dashboard["p95_ms"] > 0

    # the workbook: the first size imported and exported, rolled back; the second over the budget
    (imported, too_big), (exported, not_exported) = result["workbook"]["import"], result["workbook"]["export"]
    assert imported["rows"] == imported["created"] == 100
    assert imported["rows_per_second"] > 0 and imported["peak_rss_mb"] > 0 and "ok" in imported
    # an association's own workbook: its 100 enterprises, their memberships and itself (besides the
    # code lists everyone sees), whatever else is stored
    sheets = exported["sheets"]
    assert exported["rows_added"] == 100 and exported["rows_per_second"] > 0
    assert (sheets["会员企业"], sheets["企业入会"], sheets["商协会"]) == (100, 100, 1)
    assert exported["rows"] == sum(sheets.values())
    assert too_big["skipped"].startswith("skipped: about") and not_exported["skipped"].startswith("skipped")
    assert Enterprise.objects.count() == enterprises and Association.objects.count() == associations

    # the intake: submitted, saved, then removed with their events, notifications and history
    intake = result["intake"]
    assert intake["submissions"] > 0 and intake["errors"] == 0
    assert intake["removed"] == intake["saved"] >= intake["submissions"]
    assert Appeal.objects.count() == appeals_before
    assert WorkflowEvent.objects.count() == events_before  # no event outlives its appeal
    assert not Appeal.history.filter(title__contains="BENCH-").exists()
    assert intake["target"] == "≥ 200/s, no errors"

    text = page.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks")
    for heading in ("### Annual report", "### Figures against their floors", "### Pages and API lists",
                    "### Workbook import and export", "### Public 营商码 intake"):
        assert heading in text
    assert "| F34 |" in text and f"`/service/appeals/{last_year_appeal.pk}/`" in text


def test_a_missed_target_is_marked_and_a_figure_off_its_floor_fails_its_target():
    results = {
        "report": {"txt": {"seconds": 2.5, "bytes": 1}, "pdf": {"seconds": 1.0, "bytes": 1}},
        "figures": [
            {"id": "F01", "ratio": 1.2, "match": True},
            {"id": "F02", "ratio": 1.6, "match": True},
            {"id": "F03", "ratio": 1.0, "match": False},
        ],
        "pages": {"pages": [{"p95_ms": 149.0}, {"p95_ms": 151.0}, {"error": "HTTP 500"}],
                  "dashboard": {"cold_ms": 1900.0, "p95_ms": 310.0}},
        "workbook": {"import": [{"rows": 10, "rows_per_second": 6000.0, "peak_rss_mb": 600.0},
                                {"rows": 20, "skipped": "over budget"}]},
        "intake": {"submissions_per_second": 250.0, "errors": 1},
    }
    bench.judge(results)

    assert results["report"]["txt"]["ok"] is False and "ok" not in results["report"]["pdf"]
    assert [f["ok"] for f in results["figures"]] == [True, False, False]
    assert [p["ok"] for p in results["pages"]["pages"]] == [True, False, None]
    assert results["pages"]["dashboard"]["ok"] is False
    assert results["workbook"]["import"][0]["ok"] is False and "ok" not in results["workbook"]["import"][1]
    assert results["intake"]["ok"] is False
    assert [bench.mark(ok) for ok in (True, False, None)] == ["✓", "✗", "–"]


def test_the_run_replaces_only_its_own_part_of_the_page(tmp_path):
    page = tmp_path / "benchmarks.md"
    page.write_text(f"# Benchmarks\n\nWhat the indexes changed.\n\n{bench.START}\nold run\n{bench.END}\n\n"
                    "## Notes\nkept\n", encoding="utf-8")

    bench.write_page(page, f"{bench.START}\nnew run\n{bench.END}")

    text = page.read_text(encoding="utf-8")
    assert "What the indexes changed." in text and "## Notes\nkept" in text
    assert "new run" in text and "old run" not in text


def test_a_new_page_is_written_with_a_title(tmp_path):
    page = tmp_path / "docs" / "benchmarks.md"
    bench.write_page(page, f"{bench.START}\nrun\n{bench.END}")
    assert page.read_text(encoding="utf-8").startswith("# Benchmarks\n")


def test_the_intake_clean_up_deletes_its_appeals_with_their_events(db, world, cast):
    """An appeal carrying the run's marker goes with its workflow events (F29
    counts rating steps without joining appeals: no event may outlive its appeal)."""
    from fourfirsts.bench import measure_intake

    marker = measure_intake.new_marker()
    appeal = appeals.appeal_create(actor=Actor.system("测试"), values={
        "enterprise": world.ent_a, "channel": Appeal.Channel.VISIT, "category": Appeal.Category.LOGISTICS,
        "kind": Appeal.Kind.COORDINATION, "title": "货车通行证办理难", "description": f"压测 {marker}",
        "collected_at": datetime(2025, 6, 1, 10, tzinfo=SHANGHAI)})
    appeals.appeal_accept(appeal=appeal, actor=Actor.system("测试"), at=datetime(2025, 6, 2, 10, tzinfo=SHANGHAI))
    assert WorkflowEvent.objects.filter(object_id=appeal.pk, workflow="service.appeal").exists()

    assert measure_intake.clean_up(marker) == 1
    assert not Appeal.objects.filter(pk=appeal.pk).exists()
    assert not WorkflowEvent.objects.filter(object_id=appeal.pk, workflow="service.appeal").exists()

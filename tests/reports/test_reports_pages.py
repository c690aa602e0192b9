"""The dashboard, the drill-down, the annual report page, its downloads and
publishing, as the cast uses them."""

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from fourfirsts.core.actors import Actor
from fourfirsts.reports import prose, services
from fourfirsts.reports.models import PublishedReport
from tests.volunteering.conftest import make_activity, seed_activity_kinds

pytestmark = pytest.mark.django_db
SYSTEM = Actor.system("测试")


@pytest.fixture
def civility(world):
    """Two 文明劝导 of org A and one of org B in 2022, one of A in 2021."""
    seed_activity_kinds()
    for day in (date(2022, 3, 5), date(2022, 9, 9)):
        make_activity(org=world.org_a, held=day)
    make_activity(org=world.org_b, held=date(2022, 6, 1))
    make_activity(org=world.org_a, held=date(2021, 6, 1))
    return world


def text_of(who, year=2022):
    return prose.to_text(prose.build(who, year))


def test_the_report_prints_the_new_number_after_one_more_civility_activity(civility):
    assert "文明劝导3次" in text_of(None)
    make_activity(org=civility.org_a, held=date(2022, 12, 31))
    assert "文明劝导4次" in text_of(None)


def test_a_zero_figure_is_left_out_rather_than_printed(civility):
    text = text_of(None)
    assert "弯腰行动" not in text  # no 弯腰行动 this year: the clause goes, 文明劝导 stays
    assert "开展文明劝导3次。" in text.replace("，志愿服务时长累计", "。")
    quiet = text_of(None, year=2019)
    assert "文明劝导" not in quiet and "0次" not in quiet and "0件" not in quiet


def test_a_secretarys_report_covers_their_org(civility, cast):
    text = text_of(cast.secretary_a)
    assert text.splitlines()[1].startswith(civility.org_a.name)
    assert "文明劝导2次" in text
    assert "文明劝导1次" in text_of(cast.secretary_b)


def test_the_dashboard_shows_each_figure_with_its_change_and_drills_down(civility, cast, client):
    client.force_login(cast.committee)
    page = client.get(reverse("reports:dashboard"), {"year": 2022}).content.decode()
    assert 'id="tile-F08"' in page and "3次" in page and "较上年 +2次" in page
    assert 'id="todo-panel"' in page
    drill = client.get(reverse("reports:figure", args=["F08"]), {"year": 2022}).content.decode()
    assert drill.count("文明交通劝导") == 3


def test_a_secretary_sees_only_their_orgs_numbers_and_records(civility, cast, client):
    client.force_login(cast.secretary_b)
    page = client.get(reverse("reports:dashboard"), {"year": 2022}).content.decode()
    assert "较上年 +1次" in page
    drill = client.get(reverse("reports:figure", args=["F08"]), {"year": 2022}).content.decode()
    assert drill.count("文明交通劝导") == 1


def test_every_chart_segment_drills_down_to_its_records(civility, cast, client):
    from fourfirsts.core import figures

    client.force_login(cast.committee)
    charts = [(f, b) for f in figures.all_figures() for b in f.breakdowns]
    assert {(f.id, b.id) for f, b in charts} >= {("F01", "by_month"), ("F06", "by_category"), ("F06", "by_state"),
                                                 ("F12", "by_year"), ("F22", "by_coverage"), ("F32", "by_kind"),
                                                 ("F33", "by_stage")}
    for f, b in charts:
        url = reverse("reports:figure", args=[f.id])
        for segment in f.segments(cast.committee, 2022, b.id):
            response = client.get(url, {"year": 2022, "by": b.id, "segment": segment.key})
            assert response.status_code == 200, (f.id, b.id, segment.key)
            assert segment.label in response.content.decode()
        assert client.get(url, {"year": 2022, "by": b.id, "segment": "no-such-key"}).status_code == 404
    page = client.get(reverse("reports:dashboard"), {"year": 2022}).content.decode()
    assert 'id="chart-F32-by_kind"' in page
    assert client.get(reverse("reports:figure", args=["F08"]), {"year": 2022, "by": "no_such_chart"}).status_code == 404
    assert client.get(reverse("reports:figure", args=["F99"])).status_code == 404


def test_an_invalid_year_is_named_and_the_default_shown(civility, cast, client):
    client.force_login(cast.committee)
    page = client.get(reverse("reports:dashboard"), {"year": "20x2"}, follow=True).content.decode()
    assert "年度“20x2”无效" in page


def test_the_dashboard_query_count_does_not_grow_with_the_data(civility, cast, client, django_assert_max_num_queries):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(cast.committee)
    url = reverse("reports:dashboard")
    client.get(url, {"year": 2022})  # warm caches (content types, settings)
    cache.clear()  # the figures computed afresh
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"year": 2022})
    for n in range(18):
        make_activity(org=civility.org_a, held=date(2022, 1 + n % 12, 1 + n))
    with CaptureQueriesContext(connection) as many:  # the write dropped the cached figures
        client.get(url, {"year": 2022})
    assert len(many) == len(few)
    with django_assert_max_num_queries(len(few)):
        client.get(url, {"year": 2022})


def test_the_dashboard_reuses_its_figures_until_a_write_changes_them(civility, cast, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("reports:dashboard")
    client.force_login(cast.committee)
    assert "3次" in client.get(url, {"year": 2022}).content.decode()
    with CaptureQueriesContext(connection) as warm:
        client.get(url, {"year": 2022})
    assert len(warm) <= 35  # session, fingerprint, the to-do panel: no figure is computed again
    client.force_login(cast.leader)  # another federation-wide reader shares the committee's entries
    with CaptureQueriesContext(connection) as leader:
        client.get(url, {"year": 2022})
    assert len(leader) <= 35
    make_activity(org=civility.org_b, held=date(2022, 10, 1))
    page = client.get(url, {"year": 2022}).content.decode()
    assert 'id="tile-F08"' in page and "4次" in page and "较上年 +3次" in page
    client.force_login(cast.secretary_b)  # a secretary's scope has entries of its own
    assert "较上年 +2次" in client.get(url, {"year": 2022}).content.decode()


def test_the_drilldown_query_count_does_not_grow_with_the_rows(civility, cast, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(cast.committee)
    url = reverse("reports:figure", args=["F08"])
    client.get(url, {"year": 2022})
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"year": 2022})
    for n in range(17):
        make_activity(org=civility.org_b, held=date(2022, 1 + n % 12, 2))
    with CaptureQueriesContext(connection) as many:
        assert client.get(url, {"year": 2022}).content.decode().count("文明交通劝导") == 20
    assert len(many) == len(few)


def test_the_annual_page_previews_the_report_and_renders_a_download_in_the_background(civility, cast, client):
    client.force_login(cast.committee)
    page = client.get(reverse("reports:annual"), {"year": 2022}).content.decode()
    assert "文明劝导3次" in page
    response = client.post(reverse("reports:annual_render"), {"year": 2022, "format": "txt"}, follow=True)
    body = response.content.decode()
    assert 'id="progress-download"' in body
    link = response.context["state"]["result"]["download"]
    download = client.get(link)
    assert download.status_code == 200
    assert "文明劝导3次" in b"".join(download.streaming_content).decode()
    client.force_login(cast.leader)
    assert client.get(link).status_code == 404  # someone else's file does not exist for them


def test_a_bad_format_is_refused(civility, cast, client):
    client.force_login(cast.committee)
    response = client.post(reverse("reports:annual_render"), {"year": 2022, "format": "exe"}, follow=True)
    assert "不支持的格式“exe”" in response.content.decode()
    response = client.post(reverse("reports:annual_render"), {"year": "明年", "format": "txt"}, follow=True)
    assert "年度“明年”无效" in response.content.decode()


def test_publishing_keeps_the_files_and_shows_later_changes_as_differences(civility, cast, client):
    client.force_login(cast.committee)
    response = client.post(reverse("reports:annual_publish"), {"year": 2022, "note": "报市委"}, follow=True)
    assert 'id="progress-link"' in response.content.decode()
    published = PublishedReport.objects.get(year=2022)
    assert {f.format for f in published.files.all()} == {"txt", "html", "docx", "pdf", "xlsx"}
    detail = reverse("reports:published_detail", args=[published.pk])
    assert 'id="published-no-differences"' in client.get(detail).content.decode()

    make_activity(org=civility.org_a, held=date(2022, 11, 11))

    page = client.get(detail).content.decode()
    assert "F08" in page and "3次" in page and "4次" in page and "数值" in page
    txt = client.get(reverse("reports:published_file", args=[published.pk, "txt"]))
    assert "文明劝导3次" in b"".join(txt.streaming_content).decode()
    assert 'id="published-changes"' in client.get(reverse("reports:dashboard"), {"year": 2022}).content.decode()
    again = services.report_publish(actor=Actor.of(cast.committee), year=2022, formats_=("txt",))
    assert again.version == 2 and services.differences(again) == []


def test_only_the_committee_publishes(civility, cast, client):
    client.force_login(cast.secretary_a)
    assert client.post(reverse("reports:annual_publish"), {"year": 2022}).status_code == 403
    with pytest.raises(Exception, match="只有商协会党委"):
        services.report_publish(actor=Actor.of(cast.leader), year=2022, formats_=("txt",))
    assert not PublishedReport.objects.exists()


def test_the_command_writes_each_format(civility, cast, tmp_path):
    import openpyxl

    out = io.StringIO()
    call_command("report", "annual", "--year", "2022", stdout=out)
    assert "文明劝导3次" in out.getvalue()
    call_command("report", "annual", "--year", "2022", "--format", "xlsx", "-o", str(tmp_path / "r.xlsx"),
                 stderr=io.StringIO())
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert book.sheetnames == ["报告正文", "坚持第一议题", "服务第一要务", "擦亮第一身份", "履行第一责任"]
    rows = [r for r in book["擦亮第一身份"].iter_rows(values_only=True) if r[0] == "F08"]
    assert rows[0][4] == 3 and rows[0][6] == "3次"
    with pytest.raises(CommandError, match="-o"):
        call_command("report", "annual", "--year", "2022", "--format", "pdf")
    mine = io.StringIO()
    call_command("report", "annual", "--year", "2022", "--user", cast.secretary_b.username, stdout=mine)
    assert "文明劝导1次" in mine.getvalue()


def test_a_secretarys_report_claims_only_their_orgs_work(civility, cast):
    text = text_of(cast.secretary_a)
    for federation_only in ("培训班", "娄商大讲堂", "从市工商联机关选派", "全市共", "向各商协党组织"):
        assert federation_only not in text, federation_only
    assert civility.org_b.name not in text


def test_the_changes_on_the_tiles_read_in_each_figures_style():
    from decimal import Decimal

    from fourfirsts.core import figures
    from fourfirsts.reports.views import _change_text

    assert _change_text(Decimal(81_950_000), figures.get("F12")) == "较上年 +8195万元"
    assert _change_text(Decimal("-1.7"), figures.get("F21")) == "较上年 −1.7个百分点"
    assert _change_text(0, figures.get("F08")) == "与上年持平"
    assert _change_text(None, figures.get("F08")) == ""


def test_the_report_pages_query_counts_do_not_grow(civility, cast, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(cast.committee)
    for _n in range(2):
        services.report_publish(actor=SYSTEM, year=2022, formats_=("txt",))
    urls = [reverse("reports:annual") + "?year=2022", reverse("reports:published_list"),
            reverse("reports:published_detail", args=[PublishedReport.objects.first().pk])]
    counts = {}
    for url in urls:
        client.get(url)
        with CaptureQueriesContext(connection) as q:
            assert client.get(url).status_code == 200
        counts[url] = len(q)
    for n in range(18):
        services.report_publish(actor=SYSTEM, year=2022, formats_=("txt",))
        make_activity(org=civility.org_a, held=date(2022, 1 + n % 12, 3))
    for url in urls:
        with CaptureQueriesContext(connection) as q:
            assert client.get(url).status_code == 200
        assert len(q) == counts[url], url


def test_a_failed_publish_leaves_no_files(civility, settings, tmp_path, monkeypatch):
    from fourfirsts.reports.models import PublishedFile

    settings.MEDIA_ROOT = tmp_path
    real_save = PublishedFile.save
    calls = []

    def failing(self, *args, **kwargs):
        calls.append(self.format)
        if len(calls) == 2:
            raise RuntimeError("磁盘已满")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(PublishedFile, "save", failing)
    with pytest.raises(RuntimeError):
        services.report_publish(actor=SYSTEM, year=2022, formats_=("txt", "html"))
    assert not PublishedReport.objects.exists()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_the_xlsx_keeps_user_text_as_text(civility, tmp_path):
    import openpyxl

    from fourfirsts.reports import formats

    report = prose.build(None, 2022)
    line = next(x for x in report.lines if x.figure.id == "F08")
    evil = prose.AnnualReport(**{**report.__dict__, "author": "=HYPERLINK(\"http://x\")"})
    path = tmp_path / "r.xlsx"
    path.write_bytes(formats.get("xlsx").render(evil))
    cell = openpyxl.load_workbook(path)["报告正文"]["A2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
    assert line.display == "3次"


def test_the_command_names_bad_input(civility, tmp_path):
    with pytest.raises(CommandError, match="年度 2999 无效"):
        call_command("report", "annual", "--year", "2999")
    with pytest.raises(CommandError, match="文件夹不存在"):
        call_command("report", "annual", "--year", "2022", "--format", "pdf", "-o", str(tmp_path / "no" / "r.pdf"))
    with pytest.raises(CommandError, match="没有用户“nobody”"):
        call_command("report", "annual", "--year", "2022", "--user", "nobody")


def test_old_downloads_are_removed(settings, tmp_path):
    import os
    import time

    from fourfirsts.core import progress
    from fourfirsts.reports import jobs

    settings.VAR_DIR = tmp_path
    folder = tmp_path / "reports"
    folder.mkdir()
    old, new = folder / "a.pdf", folder / "b.pdf"
    old.write_bytes(b"1")
    new.write_bytes(b"2")
    stale = time.time() - progress.TTL - 60
    os.utime(old, (stale, stale))
    assert jobs.forget_downloads(None) == 1
    assert not old.exists() and new.exists()

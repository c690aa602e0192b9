"""The done-when of the annual report: with the demo loaded, the 2022 report
prints every number of the article, in text, PDF and DOCX."""

import os
import re
import subprocess
from pathlib import Path

import pytest

from fourfirsts.reports import formats, prose

ARTICLE = [
    "组织理论学习共计95次", "线上线下党员培训班4期", "娄商大讲堂1期", "170余名会员党员", "问题621件",
    "52位民营企业家提出的151件诉求", "文明劝导5次", "“弯腰行动”7次", "帮扶薄弱村42个", "产业帮扶项目59个",
    "帮扶资金1.27亿元", "捐资助学6万元", "助困济困9万余元", "递交入党申请书的民营经济人士变得越来越多",
    "娄底市安徽商会、娄底经开区电力局协会等4家", "选派9名", "3个省、市级", "4家全国", "13家全省",
]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def missing(text: str) -> list[str]:
    flat = squeeze(text)
    return [s for s in ARTICLE if s not in flat]


@pytest.mark.django_db
def test_the_2022_text_report_prints_every_number_of_the_article(demo, db):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("report", "annual", "--year", "2022", "--format", "txt", stdout=out)
    assert missing(out.getvalue()) == []
    assert out.getvalue().startswith("2022年度“四个第一”党建工作报告")


def _docx_to_pdf(docx: bytes, folder) -> Path:
    from tests.reports.test_render_documents import _tool

    source = folder / "report.docx"
    source.write_bytes(docx)
    env = {**os.environ, "HOME": str(folder)}
    subprocess.run([_tool("soffice"), "--headless", f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(folder), str(source)],
                   env=env, capture_output=True, check=True, timeout=180)
    return folder / "report.pdf"


@pytest.mark.django_db
def test_the_2022_pdf_and_docx_print_every_number_of_the_article(demo, db, tmp_path):
    from tests.reports.test_render_documents import pdf_text

    report = prose.build(None, 2022)
    pdf = tmp_path / "report-direct.pdf"
    pdf.write_bytes(formats.get("pdf").render(report))
    assert missing(pdf_text(pdf)) == []
    converted = _docx_to_pdf(formats.get("docx").render(report), tmp_path)
    assert missing(pdf_text(converted)) == []


@pytest.mark.django_db
def test_one_more_civility_activity_in_2022_moves_the_demos_report(demo, db):
    from datetime import date

    from fourfirsts.registry.models import PartyOrg
    from tests.volunteering.conftest import make_activity

    before = squeeze(prose.to_text(prose.build(None, 2022)))
    assert "文明劝导5次" in before
    org = PartyOrg.objects.filter(parent__isnull=False, established_on__lt=date(2022, 1, 1)).first()
    make_activity(org=org, held=date(2022, 8, 8))
    after = squeeze(prose.to_text(prose.build(None, 2022)))
    assert "文明劝导6次" in after and "文明劝导5次" not in after

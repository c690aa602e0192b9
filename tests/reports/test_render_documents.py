"""The annual report's HTML, PDF and Word files, read back the way a reader
would see them: the PDF's text through poppler, the Word file through
LibreOffice, and the PDF rendered where no Chinese system font exists."""

import io
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from fourfirsts.core import figures
from fourfirsts.core.figures import FigureResult
from fourfirsts.reports import render_docx, render_html, render_pdf
from fourfirsts.reports.document import AnnualReport, Line, Section

ROOT = Path(__file__).resolve().parents[2]
HEADINGS = ["一、坚持第一议题", "二、服务第一要务", "三、擦亮第一身份", "四、履行第一责任"]
# Long enough that the report runs onto a second page.
FILLER = (
    "坚持第一议题。旗帜鲜明讲政治，把学习贯彻习近平新时代中国特色社会主义思想、党的二十大精神、"
    "习近平总书记最新重要讲话指示批示精神作为“第一议题”，通过“三会一课”、主题党日等方式，"
    "第一时间传达学习。特别是对习近平总书记关于民营经济发展的系列论述，坚持第一时间学习研究，"
    "第一时间推动落实，引导商协会党员自觉运用新思想、新理论武装头脑，指导实践，"
    "解决商协会和会员企业发展中遇到的各项难题。"
)


def _line(figure_id: str, value) -> Line:
    return Line(figures.get(figure_id), FigureResult(value=value))


def make_report(**changes) -> AnnualReport:
    study, appeals = _line("F01", 95), _line("F06", 621)
    funds, instructors = _line("F12", Decimal("127000000")), _line("F17", 9)
    fields = {
        "year": 2022,
        "title": "2022年度“四个第一”党建工作报告",
        "author": "中共娄底市工商联商协会委员会",
        "opening": (
            "近年来，商协会党委坚持把党建工作作为服务民营经济健康发展的重要载体，"
            "通过抓实“四个第一”党建工作体系，实现了党建与会建共赢发展。",
        ),
        "sections": (
            Section(
                "agenda",
                "一",
                "坚持第一议题",
                (
                    FILLER,
                    f"去年商协会党委和各商协会党组织组织理论学习共计{study.display}。",
                ),
                (study,),
            ),
            Section(
                "service",
                "二",
                "服务第一要务",
                (
                    f"收集到会员企业在物流运输、资金周转等方面遇到的问题{appeals.display}。",
                    FILLER,
                ),
                (appeals,),
            ),
            Section(
                "identity",
                "三",
                "擦亮第一身份",
                (f"积极参与“万企兴万村”行动，投入帮扶资金{funds.display}。",),
                (funds,),
            ),
            Section(
                "responsibility",
                "四",
                "履行第一责任",
                (f"从市工商联机关选派{instructors.display}党员干部担任商协会党建工作指导员。",),
                (instructors,),
            ),
        ),
        "made_on": date(2023, 1, 10),
    }
    fields.update(changes)
    return AnnualReport(**fields)


SENTENCES = [
    "2022年度“四个第一”党建工作报告",
    "中共娄底市工商联商协会委员会",
    "2023年1月10日",
    "通过抓实“四个第一”党建工作体系，实现了党建与会建共赢发展。",
    "去年商协会党委和各商协会党组织组织理论学习共计95次。",
    "遇到的问题621件。",
    "投入帮扶资金1.27亿元。",
    "从市工商联机关选派9名党员干部担任商协会党建工作指导员。",
    *HEADINGS,
]


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(
            f"{name} is not installed (apt-get install poppler-utils / libreoffice-writer-nogui)"
        )
    return path


def pdf_text(path: Path) -> str:
    """The PDF's text without white space or the "— n —" page numbers, so
    sentences read through line and page breaks."""
    out = subprocess.run(
        [_tool("pdftotext"), str(path), "-"], capture_output=True, text=True, check=True
    )
    return re.sub(r"\s+", "", out.stdout)


def assert_reads(text: str, pages: int) -> None:
    for n in range(1, pages + 1):
        assert f"—{n}—" in text, f"page number {n} missing"
    body = re.sub(r"—\d+—", "", text)
    for sentence in SENTENCES:
        assert sentence in body


# --- HTML ------------------------------------------------------------------


def test_html_is_a_standalone_document_with_the_text_escaped():
    report = make_report(opening=("<script>alert(1)</script> & “引号”",))
    html = render_html.render_html(report)
    assert html.startswith("<!DOCTYPE html>")
    assert "<title>2022年度“四个第一”党建工作报告</title>" in html
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; “引号”" in html
    for heading in HEADINGS:
        assert f"<h2>{heading}</h2>" in html
    assert "file:" not in html  # a downloaded file names no server path


def test_html_for_pdf_declares_the_vendored_fonts():
    html = render_html.render_html(make_report(), for_pdf=True)
    urls = re.findall(r'src: url\("file://([^"]+)"\)', html)
    assert len(urls) == len(render_html.FACES)
    for url in urls:
        assert Path(url).is_file() and Path(url).suffix == ".woff"
    for folder in ("noto-serif-sc", "noto-sans-sc"):
        assert "SIL Open Font License" in (render_html.FONT_DIR / folder / "LICENSE").read_text()


# --- PDF -------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf_without_cjk_fonts(tmp_path_factory) -> Path:
    """The report printed by a process whose fontconfig knows no font at all:
    everything it shows must come from the vendored files."""
    tmp = tmp_path_factory.mktemp("pdf")
    (tmp / "no-fonts").mkdir()
    conf = tmp / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        f"<fontconfig><dir>{tmp / 'no-fonts'}</dir><cachedir>{tmp / 'cache'}</cachedir></fontconfig>\n"
    )
    env = {
        **os.environ,
        "FONTCONFIG_FILE": str(conf),
        "DJANGO_SETTINGS_MODULE": "fourfirsts.settings",
    }
    if shutil.which("fc-list"):
        listed = subprocess.run(["fc-list"], env=env, capture_output=True, text=True, check=True)
        assert listed.stdout.strip() == "", "the test's fontconfig still finds system fonts"
    out = tmp / "report.pdf"
    script = (
        "import sys, django; django.setup()\n"
        "from fourfirsts.reports import render_pdf\n"
        "from tests.reports.test_render_documents import make_report\n"
        "open(sys.argv[1], 'wb').write(render_pdf.render_pdf(make_report()))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return out


def test_pdf_reads_as_the_report_without_system_fonts(pdf_without_cjk_fonts):
    assert pdf_without_cjk_fonts.read_bytes().startswith(b"%PDF-")
    assert_reads(pdf_text(pdf_without_cjk_fonts), pages=2)


def test_pdf_embeds_the_vendored_noto_fonts(pdf_without_cjk_fonts):
    out = subprocess.run(
        [_tool("pdffonts"), str(pdf_without_cjk_fonts)], capture_output=True, text=True, check=True
    ).stdout
    # name, type (may hold spaces), encoding, emb, sub, uni, object, generation
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    embedded = {cols[0].split("+", 1)[-1]: cols[-5] for cols in rows}
    # Title in serif bold, body in serif, headings in sans bold: all embedded.
    assert embedded == {
        "Noto-Serif-SC-Bold": "yes",
        "Noto-Serif-SC": "yes",
        "Noto-Sans-SC-Bold": "yes",
    }


def test_pdf_fetches_nothing_but_the_vendored_fonts():
    fetcher = render_pdf.FontsOnly()
    font = render_html.font_faces()[0]["url"]
    assert fetcher.fetch(font).read(4) == b"wOFF"
    for url in (
        "https://fonts.example.com/noto.woff",
        "http://127.0.0.1/x.css",
        "file:///etc/passwd",
        "data:text/css,body{}",
        render_html.FONT_DIR.as_uri() + "/../README.md",
    ):
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)


def test_pdf_metadata_names_the_report(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(render_pdf.render_pdf(make_report()))
    info = subprocess.run(
        [_tool("pdfinfo"), str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert "2022年度“四个第一”党建工作报告" in info
    assert "中共娄底市工商联商协会委员会" in info


# --- DOCX ------------------------------------------------------------------


@pytest.fixture(scope="module")
def docx_bytes() -> bytes:
    return render_docx.render_docx(make_report())


def test_docx_has_the_government_document_fonts_and_layout(docx_bytes):
    doc = Document(io.BytesIO(docx_bytes))
    normal = doc.styles["Normal"]
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"
    assert normal.font.size.pt == 16
    assert normal.paragraph_format.line_spacing.pt == 28
    assert normal.paragraph_format.first_line_indent.pt == 32  # two characters of 16pt

    section = doc.sections[0]
    margins = [section.top_margin, section.left_margin, section.right_margin, section.bottom_margin]
    assert [round(m.mm) for m in margins] == [37, 28, 26, 35]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)

    title, byline = doc.paragraphs[0], doc.paragraphs[1]
    assert title.text == "2022年度“四个第一”党建工作报告"
    assert title.runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
    assert title.runs[0].font.bold and title.runs[0].font.size.pt == 22
    assert byline.text == "中共娄底市工商联商协会委员会\u30002023年1月10日"

    headings = [p for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert [p.text for p in headings] == HEADINGS
    assert {r._r.rPr.rFonts.get(qn("w:eastAsia")) for p in headings for r in p.runs} == {"黑体"}
    body = [p for p in doc.paragraphs[2:] if p.style.name == "Normal"]
    assert {r._r.rPr.rFonts.get(qn("w:eastAsia")) for p in body for r in p.runs} == {"仿宋"}

    assert doc.core_properties.title == "2022年度“四个第一”党建工作报告"
    assert doc.core_properties.author == "中共娄底市工商联商协会委员会"


def test_docx_footer_numbers_the_pages_with_a_page_field(docx_bytes):
    footer = Document(io.BytesIO(docx_bytes)).sections[0].footer._element
    kinds = [c.get(qn("w:fldCharType")) for c in footer.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"]
    assert [i.text.strip() for i in footer.iter(qn("w:instrText"))] == ["PAGE"]
    assert "".join(t.text for t in footer.iter(qn("w:t"))) == "— 1 —"


def test_docx_opened_by_libreoffice_reads_as_the_report(docx_bytes, tmp_path):
    soffice = _tool("soffice")
    source = tmp_path / "report.docx"
    source.write_bytes(docx_bytes)
    # Its own profile and HOME, so parallel runs do not share LibreOffice's lock.
    profile = (tmp_path / "profile").as_uri()
    env = {**os.environ, "HOME": str(tmp_path)}
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation={profile}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        env=env,
        capture_output=True,
        check=True,
        timeout=120,
    )
    assert_reads(pdf_text(tmp_path / "report.pdf"), pages=2)

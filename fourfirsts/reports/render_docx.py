"""The annual report as a Word document in the government-document layout
(GB/T 9704): A4 with 37/26/35/28 mm margins, the title in 22pt bold 宋体, the
headings in 16pt 黑体, the body in 16pt 仿宋 with a two-character indent and a
fixed 28pt line pitch, and "— page —" centred in the footer.

python-docx has no API for East-Asian fonts or fields, so those are written as
raw OOXML: w:rFonts/@w:eastAsia, and a PAGE field made of w:fldChar and
w:instrText runs."""

import io
from datetime import datetime

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from fourfirsts.reports.document import AnnualReport

# Font names as Word finds them on a Chinese Windows: data, not text to translate.
FONTS = {"title": "宋体", "heading": "黑体", "body": "仿宋", "page_number": "宋体"}
BODY_SIZE = Pt(16)  # 三号
LINE_PITCH = Pt(28)


def render_docx(report: AnnualReport) -> bytes:
    doc = Document()
    _page_setup(doc)
    _styles(doc)

    title = _paragraph(doc, report.title, FONTS["title"], size=Pt(22), bold=True)
    _centre(title, line=Pt(36))
    byline = _paragraph(doc, f"{report.author}\u3000{report.made_on_text}", FONTS["body"])
    _centre(byline)
    byline.paragraph_format.space_after = LINE_PITCH  # the blank line before the text
    for text in report.opening:
        _paragraph(doc, text, FONTS["body"])
    for section in report.sections:
        _paragraph(doc, f"{section.number}、{section.heading}", FONTS["heading"], style="Heading 1")
        for text in section.paragraphs:
            _paragraph(doc, text, FONTS["body"])
    _page_number_footer(doc)

    props = doc.core_properties
    props.title = report.title
    props.author = report.author
    props.last_modified_by = report.author
    props.comments = ""
    props.language = "zh-CN"
    props.created = props.modified = datetime.combine(report.made_on, datetime.min.time())
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _page_setup(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    # The page number's top sits about 7 mm under the text block (35 mm - 7 mm - its height).
    section.footer_distance = Mm(23)


def _styles(doc) -> None:
    normal = doc.styles["Normal"]
    _set_fonts(normal.element.get_or_add_rPr(), FONTS["body"])
    normal.font.size = BODY_SIZE
    fmt = normal.paragraph_format
    fmt.first_line_indent = BODY_SIZE * 2
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_PITCH
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    # Heading 1 keeps its outline level (Word's navigation pane) but looks like
    # the body's line in 黑体: no theme font, colour, bold or extra spacing.
    heading = doc.styles["Heading 1"]
    _set_fonts(heading.element.get_or_add_rPr(), FONTS["heading"])
    heading.font.size = BODY_SIZE
    heading.font.bold = heading.font.cs_bold = False
    heading.font.color.rgb = RGBColor(0, 0, 0)
    fmt = heading.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_PITCH
    fmt.keep_with_next = True


def _set_fonts(rpr, name: str) -> None:
    """Every script in `name`, theme fonts removed (they would win), and
    Chinese as the language so Word applies Chinese punctuation rules."""
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _paragraph(doc, text: str, font: str, *, size=None, bold=None, style=None):
    paragraph = doc.add_paragraph(style=style)
    _run(paragraph, text, font, size=size, bold=bold)
    return paragraph


def _run(paragraph, text: str, font: str, *, size=None, bold=None):
    run = paragraph.add_run(text)
    _set_fonts(run._r.get_or_add_rPr(), font)
    if size is not None:
        run.font.size = size
    if bold is not None:
        run.font.bold = bold
    return run


def _centre(paragraph, line=None) -> None:
    fmt = paragraph.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt.first_line_indent = Pt(0)
    if line is not None:
        fmt.line_spacing = line


def _page_number_footer(doc) -> None:
    """The footer's "— 1 —", centred: the number is a PAGE field that Word and
    LibreOffice fill in."""
    footer = doc.sections[0].footer
    paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    _centre(paragraph)
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    font, size = FONTS["page_number"], Pt(14)  # 四号
    _run(paragraph, "— ", font, size=size)
    _field_char(_run(paragraph, "", font, size=size), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    _run(paragraph, "", font, size=size)._r.append(instr)
    _field_char(_run(paragraph, "", font, size=size), "separate")
    _run(paragraph, "1", font, size=size)  # shown until the field is updated
    _field_char(_run(paragraph, "", font, size=size), "end")
    _run(paragraph, " —", font, size=size)


def _field_char(run, kind: str) -> None:
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run._r.append(char)

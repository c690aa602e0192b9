"""The annual report's file formats. Each renderer takes the one
`AnnualReport` built by `prose.build`, so the formats never disagree."""

import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fourfirsts.core.figures import PERIOD_LABELS
from fourfirsts.reports import prose
from fourfirsts.reports.document import AnnualReport


@dataclass(frozen=True)
class Format:
    key: str
    label: str
    mime: str
    render: Callable[[AnnualReport], bytes]


def _txt(report: AnnualReport) -> bytes:
    return prose.to_text(report).encode("utf-8")


def _html(report: AnnualReport) -> bytes:
    from fourfirsts.reports import render_html

    return render_html.render_html(report).encode("utf-8")


def _docx(report: AnnualReport) -> bytes:
    from fourfirsts.reports import render_docx

    return render_docx.render_docx(report)


def _pdf(report: AnnualReport) -> bytes:
    from fourfirsts.reports import render_pdf

    return render_pdf.render_pdf(report)


# --- xlsx: the prose, then a sheet per pillar with every figure and its parts -----------------

PART_LABELS = {
    "by_category": gettext_lazy("按类别"),
    "by_nature": gettext_lazy("按性质"),
    "raisers": gettext_lazy("提出诉求的企业家（位）"),
    "numerator": gettext_lazy("分子"),
    "denominator": gettext_lazy("分母"),
    "lead": gettext_lazy("报告中列出的名称"),
    "pending": gettext_lazy("尚未学习"),
    "overdue": gettext_lazy("超期未学习"),
    "met": gettext_lazy("已完成"),
    "required": gettext_lazy("应完成"),
    "closed": gettext_lazy("办结件数"),
    "contact_rate": gettext_lazy("每周联系达标率（%）"),
    "contacts_met": gettext_lazy("每周联系达标次数"),
    "contacts_required": gettext_lazy("应联系周数"),
    "visit_rate": gettext_lazy("每月走访达标率（%）"),
    "visits_met": gettext_lazy("每月走访达标次数"),
    "visits_required": gettext_lazy("应走访月数"),
}


def _cell(value):
    """Exact values in the cells: Decimal as a number when it is whole or
    has cents, so money sums right in Excel."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def part_rows(parts: dict, prefix: str = ""):
    for key, value in parts.items():
        label = f"{prefix}{PART_LABELS.get(key, key)}"
        if isinstance(value, dict):
            yield from part_rows(value, f"{label} / ")
        else:
            yield label, value


def _xlsx(report: AnnualReport) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    # Names come from user input: never let a leading "=" become a formula.
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    book.set_properties({"title": report.title, "author": report.author})
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    text_sheet = book.add_worksheet(_("报告正文"))
    text_sheet.set_column(0, 0, 120, wrap)
    row = 0
    for line in [report.title, f"{report.author}  {report.made_on_text}", *report.opening]:
        text_sheet.write(row, 0, line, bold if row == 0 else wrap)
        row += 1
    for section in report.sections:
        text_sheet.write(row, 0, f"{section.number}、{section.heading}", bold)
        row += 1
        for paragraph in section.paragraphs:
            text_sheet.write(row, 0, paragraph, wrap)
            row += 1
    headers = [_("编号"), _("指标"), _("口径"), _("项目"), _("数值"), _("单位"), _("报告表述")]
    for section in report.sections:
        sheet = book.add_worksheet(section.heading)
        sheet.write_row(0, 0, headers, bold)
        sheet.freeze_panes(1, 0)
        sheet.set_column(0, 0, 6)
        sheet.set_column(1, 1, 28)
        sheet.set_column(2, 2, 12)
        sheet.set_column(3, 3, 30)
        sheet.set_column(4, 5, 12)
        sheet.set_column(6, 6, 60)
        r = 1
        for line in section.lines:
            f, res = line.figure, line.result
            period = str(PERIOD_LABELS.get(f.period, f.period))
            sheet.write_row(r, 0, [f.id, str(f.label), period, _("合计"), _cell(res.value), str(f.unit), line.display])
            r += 1
            extra = list(part_rows(res.parts))
            if res.previous is not None:
                extra.append((_("上年"), res.previous))
            if res.trend:
                extra.append((_("趋势"), res.trend))
            extra.extend((_("名称"), name) for name in res.names)
            for label, value in extra:
                sheet.write_row(r, 0, [f.id, str(f.label), period, label, _cell(value)])
                r += 1
    book.close()
    return out.getvalue()


FORMATS = {
    f.key: f
    for f in (
        Format("txt", gettext_lazy("纯文本"), "text/plain; charset=utf-8", _txt),
        Format("html", gettext_lazy("网页"), "text/html; charset=utf-8", _html),
        Format("docx", gettext_lazy("Word 文档"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
               _docx),
        Format("pdf", gettext_lazy("PDF"), "application/pdf", _pdf),
        Format("xlsx", gettext_lazy("Excel 表格"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               _xlsx),
    )
}


def get(key: str) -> Format:
    try:
        return FORMATS[key]
    except KeyError:
        raise ValueError(_("不支持的格式“%(key)s”，可选：%(all)s") % {"key": key, "all": "、".join(FORMATS)}) from None


def filename(report: AnnualReport, key: str, *, federation: bool = True) -> str:
    """The download's name; an org's report carries the org's name."""
    name = _("%(year)s年度四个第一党建工作报告") % {"year": report.year}
    if not federation:
        name = f"{report.author}-{name}"
    return name.replace("/", "-") + f".{key}"

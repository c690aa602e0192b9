"""The API's figures: every registered figure evaluated in the caller's scope
for a year (the JSON a published report stores, `Figure.as_json`), and the
records behind a figure or one segment of its breakdowns, as the dashboard's
drill-down shows them. For the roles that read the dashboard."""

from datetime import date

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError as RequestInvalid
from pydantic import field_validator
from pydantic_core import PydanticCustomError

from fourfirsts.api.paging import MAX_LIMIT
from fourfirsts.core import figure_cache, figures
from fourfirsts.core.views import require_role
from fourfirsts.reports.views import FIRST_YEAR, READERS

router = Router(tags=[_("指标")])

Number = int | float | str | None  # as_json: an int, a Decimal as a string, None for a rate over nothing


class YearIn(Schema):
    # The schema's bounds are this year's when the process started; the check is today's.
    year: int | None = Field(None, description=_("年度，2000 至今年，默认今年"),
                             json_schema_extra={"minimum": FIRST_YEAR, "maximum": timezone.localdate().year})

    @field_validator("year")
    @classmethod
    def in_range(cls, year):
        """Outside 2000..this year a 400 naming the field."""
        this_year = timezone.localdate().year
        if year is not None and not FIRST_YEAR <= year <= this_year:
            raise PydanticCustomError("year_range", _("年度应为 %(first)s–%(last)s 之间的年份")
                                      % {"first": FIRST_YEAR, "last": this_year})
        return year


class RecordsIn(YearIn):
    by: str | None = Field(None, description=_("分组（breakdown）编号，与 segment 一起使用"))
    segment: str | None = Field(None, description=_("分组中的一段（segment）的 key"))
    cursor: str | None = Field(None, description=_("上一页返回的 next_cursor（按指标自身的顺序计数的偏移量）"))
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description=_("每页条数，1–200"))


class FigureOut(Schema):
    """Exactly `Figure.as_json`: what a published report's snapshot stores."""

    id: str
    label: str
    value: Number
    unit: str
    display: str = Field(description=_("报告正文中的写法"))
    parts: dict[str, Number | dict[str, Number]] = Field(description=_("构成数值的各部分（如分子、分母）"))
    names: list[str]
    previous: Number = Field(description=_("上年的值（按“当年与上年”口径的指标）"))
    trend: str | None


class RecordsOut(Schema):
    figure: str
    year: int
    by: str | None
    segment: str | None
    segment_label: str | None
    columns: list[str] = Field(description=_("列标题，与每行的键相同，按显示顺序"))
    items: list[dict[str, str]] = Field(description=_("每行为 {列标题: 单元格文本}"))
    next_cursor: str | None


def _year(year: int | None) -> int:
    return timezone.localdate().year if year is None else year


def _figure(figure_id: str):
    try:
        return figures.get(figure_id)
    except KeyError:
        raise Http404(_("没有编号为 %(id)s 的指标") % {"id": figure_id}) from None


def _offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    if not (cursor.isascii() and cursor.isdigit() and len(cursor) <= 9):
        raise RequestInvalid([{"loc": ("query", "cursor"), "type": "cursor",
                               "msg": _("cursor 无效，请使用上一页返回的 next_cursor")}])
    return int(cursor)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@router.get("", response=list[FigureOut], summary=_("全部指标"),
            description=_("所有已登记指标在您范围内的当年值，与工作台、年度报告一致。"))
def figure_list(request, params: Query[YearIn]):
    require_role(request, *READERS)
    year, today = _year(params.year), timezone.localdate()
    results = figure_cache.results(request.user, year, today)  # the dashboard's, cached until the data changes
    return [f.as_json(results[f.id]) for f in figures.all_figures()]


@router.get("/{figure_id}", response=FigureOut, summary=_("单个指标"))
def figure_detail(request, figure_id: str, params: Query[YearIn]):
    require_role(request, *READERS)
    figure = _figure(figure_id)
    return figure.as_json(figure.evaluate(request.user, _year(params.year), timezone.localdate()))


@router.get("/{figure_id}/records", response=RecordsOut, summary=_("指标明细"),
            description=_("指标（或其某个分组中的一段）背后的记录，按指标自身的顺序排列。"
                          "以偏移量翻页：next_cursor 是下一页的起点，记录在两次请求之间变化时可能重复或遗漏。"))
def figure_records(request, figure_id: str, params: Query[RecordsIn]):
    require_role(request, *READERS)
    figure = _figure(figure_id)
    year, today = _year(params.year), timezone.localdate()
    offset = _offset(params.cursor)
    columns, segment_label = figure.columns, None
    if params.by:
        try:
            breakdown = figure.breakdown(params.by)
        except KeyError:
            raise Http404(_("指标 %(id)s 没有“%(by)s”分组") % {"id": figure.id, "by": params.by}) from None
        segment = params.segment or ""
        labels = {s.key: s.label for s in figure.segments(request.user, year, params.by, today)}
        if segment not in labels:
            raise Http404(_("指标 %(id)s 的“%(by)s”分组中没有“%(segment)s”")
                          % {"id": figure.id, "by": params.by, "segment": segment})
        rows = figure.segment_records(request.user, year, params.by, segment, today)
        columns, segment_label = breakdown.columns or figure.columns, str(labels[segment])
    elif params.segment:
        raise RequestInvalid([{"loc": ("query", "by"), "type": "by_missing", "msg": _("指定 segment 时须同时指定 by")}])
    else:
        rows = figure.records(request.user, year, today)
    window = list(rows[offset: offset + params.limit + 1])
    headers = [str(c.header) for c in columns]
    return {
        "figure": figure.id, "year": year, "by": params.by, "segment": params.segment, "segment_label": segment_label,
        "columns": headers,
        "items": [{h: _cell(c.value(r)) for h, c in zip(headers, columns, strict=True)}
                  for r in window[: params.limit]],
        "next_cursor": str(offset + params.limit) if len(window) > params.limit else None,
    }

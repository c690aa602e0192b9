"""The figure registry: every number the report, the dashboard, the API and the
exports show is declared once here by the app that owns its records.

A figure is an aggregate query over records visible in a scope (the
federation's, through SYSTEM_SCOPE, or one user's), for a period, with a
display style from `cnnum`, plus a drill-down listing the records behind it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fourfirsts.core import cnnum, snapshot
from fourfirsts.core.access import SYSTEM_SCOPE, Scope, scope_of
from fourfirsts.core.periods import Period

PERIOD_LABELS = {
    "in_year": gettext_lazy("当年"),
    "cumulative": gettext_lazy("累计至年末"),
    "as_of_end": gettext_lazy("年末时点"),
    "as_of_report_date": gettext_lazy("报告日时点"),
    "in_year_and_previous": gettext_lazy("当年与上年"),
}


@dataclass(frozen=True)
class FigureResult:
    value: int | Decimal
    parts: dict = field(default_factory=dict)
    names: list[str] = field(default_factory=list)
    previous: int | Decimal | None = None
    trend: str | None = None


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[object], object]


@dataclass(frozen=True)
class Segment:
    """One bar or slice of a breakdown: `key` is stable and URL-safe (a
    code, a month number, a year), `label` is what the chart prints."""

    key: str
    label: str
    value: int | Decimal


@dataclass(frozen=True)
class Breakdown:
    """A figure split into segments for a chart, each segment drilling down
    to the records behind it. `segments(scope, period)` lists every segment
    (zeros included, in display order) with a fixed number of queries;
    `records(scope, period, key)` is the queryset behind one segment and
    raises KeyError for a key it does not know. `columns` and `unit` default
    to the figure's own (a rate's breakdown counts units, not percent)."""

    id: str
    label: str
    chart: str  # "bar", "pie" or "line"
    segments: Callable[[Scope, Period], list[Segment]]
    records: Callable[[Scope, Period, str], object]
    columns: tuple[Column, ...] = ()
    unit: str = ""


@dataclass(frozen=True)
class Figure:
    id: str
    label: str
    period: str
    style: str
    unit: str
    compute: Callable[[Scope, Period], FigureResult]
    drilldown: Callable[[Scope, Period], object]
    columns: tuple[Column, ...]
    app: str = ""
    help: str = ""
    breakdowns: tuple[Breakdown, ...] = ()

    def evaluate(self, who, year: int, today=None) -> FigureResult:
        return self.compute(_scope(who), Period.of(year, today))

    def records(self, who, year: int, today=None):
        return self.drilldown(_scope(who), Period.of(year, today))

    def breakdown(self, breakdown_id: str) -> Breakdown:
        for b in self.breakdowns:
            if b.id == breakdown_id:
                return b
        raise KeyError(_("指标 %(id)s 没有“%(by)s”分组") % {"id": self.id, "by": breakdown_id})

    def segments(self, who, year: int, breakdown_id: str, today=None) -> list[Segment]:
        return self.breakdown(breakdown_id).segments(_scope(who), Period.of(year, today))

    def segment_records(self, who, year: int, breakdown_id: str, key: str, today=None):
        return self.breakdown(breakdown_id).records(_scope(who), Period.of(year, today), key)

    def display(self, result: FigureResult) -> str:
        """The figure as the report's prose prints it."""
        return cnnum.STYLES[self.style](result.value, self.unit)

    def number(self, result: FigureResult) -> str:
        """The number alone in the figure's style, for tiles and tables (a
        figure whose prose is a sentence still has a number)."""
        return cnnum.STYLES[self.style](result.value, self.unit)

    def as_json(self, result: FigureResult) -> dict:
        return {
            "id": self.id,
            "label": str(self.label),
            "value": _plain(result.value),
            "unit": str(self.unit),
            "display": self.display(result),
            "parts": {k: _plain(v) for k, v in result.parts.items()},
            "names": list(result.names),
            "previous": _plain(result.previous),
            "trend": result.trend,
        }


def _scope(who) -> Scope:
    return SYSTEM_SCOPE if who is None else scope_of(who)


def _plain(v):
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else str(v)
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    return v


_figures: dict[str, Figure] = {}


def register(figure: Figure) -> Figure:
    if figure.id in _figures and _figures[figure.id] is not figure:
        raise ValueError(f"figure {figure.id} registered twice")
    if figure.style not in cnnum.STYLES:
        raise ValueError(f"figure {figure.id}: unknown style {figure.style}")
    _figures[figure.id] = figure
    return figure


def all_figures() -> list[Figure]:
    return sorted(_figures.values(), key=lambda f: (len(f.id), f.id))


def get(figure_id: str) -> Figure:
    try:
        return _figures[figure_id]
    except KeyError:
        raise KeyError(_("没有编号为 %(id)s 的指标") % {"id": figure_id}) from None


def trend_of(current, previous) -> str:
    if current > previous:
        return _("增加")
    if current < previous:
        return _("减少")
    return _("持平")


def evaluate_all(who, year: int, today=None, done=None) -> dict[str, FigureResult]:
    """Every figure's result for the year, by id in display order, computed on
    several connections reading one snapshot where the database allows it
    (core.snapshot). `done(n)` is told how many are finished."""
    shown = all_figures()
    # The appeal and meeting figures, registered last, take the longest: they go first.
    order = shown[::-1]
    results = dict(zip([f.id for f in order], snapshot.run_all(lambda f: f.evaluate(who, year, today), order, done),
                       strict=True))
    return {f.id: results[f.id] for f in shown}

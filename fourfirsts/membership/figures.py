"""The membership figures (domain/figures.md): F15, applications by private
entrepreneurs this year and last, shown as the sentence its trend calls for;
F33, people at each development stage on the report date."""

from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fourfirsts.core.figures import (
    Breakdown,
    Column,
    Figure,
    FigureResult,
    Segment,
    register,
    trend_of,
)
from fourfirsts.membership import workflow
from fourfirsts.membership.models import Development


def _applications(scope, period):
    """Applications (step 1.1 dated in the year) by people flagged as private entrepreneurs."""
    return Development.objects.visible_to(scope).filter(
        is_entrepreneur=True, applied_on__gte=period.first_day, applied_on__lte=period.last_day)


def _f15(scope, period) -> FigureResult:
    current = _applications(scope, period).count()
    previous = _applications(scope, period.previous).count()
    return FigureResult(value=current, previous=previous, trend=trend_of(current, previous))


def sentence(trend: str | None) -> str:
    """F15's prose by trend (the first is the article's own words)."""
    if trend == _("增加"):
        return _("向各商协党组织递交入党申请书的民营经济人士变得越来越多")
    if trend == _("减少"):
        return _("向各商协党组织递交入党申请书的民营经济人士人数较上年有所减少")
    return _("向各商协党组织递交入党申请书的民营经济人士人数与上年持平")


@dataclass(frozen=True)
class TrendFigure(Figure):
    """A figure whose prose is a sentence chosen by its trend, not a number
    (core.cnnum has no such style; the numbers stay in value and previous)."""

    def display(self, result: FigureResult) -> str:
        return sentence(result.trend)


DEVELOPMENT_COLUMNS = (
    Column(gettext_lazy("申请人"), lambda d: d.person.name),
    Column(gettext_lazy("党组织"), lambda d: d.party_org.name),
    Column(gettext_lazy("申请日期"), lambda d: d.applied_on),
)

register(TrendFigure(
    id="F15", label=gettext_lazy("递交入党申请书的民营经济人士"), period="in_year_and_previous", style="exact",
    unit=gettext_lazy("名"), app="membership", compute=_f15,
    drilldown=lambda scope, period: _applications(scope, period).select_related("person", "party_org")
    .order_by("applied_on", "id"),
    columns=DEVELOPMENT_COLUMNS,
    help=gettext_lazy("当年递交入党申请书（步骤 1.1）且申请时标记为民营经济人士的人数，与上年比较"),
))


# --- F33 pipeline by stage -----------------------------------------------------------------------

IN_PROGRESS = (workflow.APPLICANT, workflow.ACTIVIST, workflow.CANDIDATE, workflow.PROBATIONARY)


def _in_pipeline(scope, period):
    return (Development.objects.visible_to(scope).at_stage_on(period.report_date)
            .filter(stage_on__in=IN_PROGRESS))


def by_stage(qs) -> dict[str, int]:
    """Counts per stage code, every in-progress stage present (one query)."""
    counts = dict(qs.values_list("stage_on").annotate(n=Count("id")).order_by())
    return {code: counts.get(code, 0) for code in IN_PROGRESS}


def _in_pipeline_rows(qs):
    return qs.select_related("person", "party_org").order_by("applied_on", "id")


def _stage_segments(scope, period) -> list[Segment]:
    counts = by_stage(_in_pipeline(scope, period))
    return [Segment(code, str(workflow.STAGE_LABELS[code]), n) for code, n in counts.items()]


def _at_stage(scope, period, key):
    if key not in IN_PROGRESS:
        raise KeyError(key)
    return _in_pipeline_rows(_in_pipeline(scope, period).filter(stage_on=key))


def _f33(scope, period) -> FigureResult:
    counts = by_stage(_in_pipeline(scope, period))
    return FigureResult(value=sum(counts.values()),
                        parts={str(workflow.STAGE_LABELS[c]): n for c, n in counts.items()})


register(Figure(
    id="F33", label=gettext_lazy("发展党员"), period="as_of_report_date", style="exact", unit=gettext_lazy("名"),
    app="membership", compute=_f33,
    drilldown=lambda scope, period: _in_pipeline_rows(_in_pipeline(scope, period)),
    breakdowns=(Breakdown("by_stage", gettext_lazy("按发展阶段"), "bar", _stage_segments, _at_stage),),
    columns=(*DEVELOPMENT_COLUMNS, Column(gettext_lazy("发展阶段"), lambda d: workflow.STAGE_LABELS[d.stage_on])),
    help=gettext_lazy("报告日处于入党申请人、积极分子、发展对象、预备党员各阶段的人数"),
))

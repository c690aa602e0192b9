"""Figures the registry's own records answer."""

from django.utils.translation import gettext_lazy as _

from fourfirsts.core.figures import Column, Figure, FigureResult, register
from fourfirsts.registry.models import InstructorAssignment, overlapping


def _assignments(scope, period):
    return (
        InstructorAssignment.objects.visible_to(scope)
        .filter(overlapping(period.first_day, period.last_day))
        .select_related("person", "association")
    )


def _instructors(scope, period) -> FigureResult:
    return FigureResult(value=_assignments(scope, period).values("person_id").distinct().count())


register(Figure(
    id="F17",
    label=_("选派党建工作指导员"),
    period="in_year",
    style="exact",
    unit=_("名"),
    compute=_instructors,
    drilldown=lambda scope, period: _assignments(scope, period).order_by("person__sort_key", "since"),
    columns=(
        Column(_("指导员"), lambda a: a.person.name),
        Column(_("商协会"), lambda a: a.association.name),
        Column(_("派出单位"), lambda a: a.source_unit),
        Column(_("起始日期"), lambda a: a.since),
        Column(_("截止日期"), lambda a: a.until or ""),
    ),
    app="registry",
    help=_("与当年有重叠的指导员选派记录中的不同指导员人数"),
))

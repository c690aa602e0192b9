"""第一责任's figures (domain/figures.md): F16, F18–F20, F21–F23. Each computes
over `visible_to(scope)` for a Period; a secretary's figures count their own."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fourfirsts.core import cnnum
from fourfirsts.core.figures import Breakdown, Column, Figure, FigureResult, Segment, register
from fourfirsts.governance import charters, coverage
from fourfirsts.governance.models import Honour
from fourfirsts.registry.models import Association

percent = cnnum.percent_value
NAMES_PRINTED = 2


def lead_names(names: list[str]) -> str:
    """F16's prose: the first two names joined with 、, 等 only when more exist."""
    text = "、".join(names[:NAMES_PRINTED])
    return text + gettext("等") if len(names) > NAMES_PRINTED else text


# --- F16 associations that came under a party org in the year ------------------------------------


def _newly_covered(scope, period) -> list[tuple]:
    associations = Association.objects.visible_to(scope)
    first = coverage.first_covered(associations)
    ids = [pk for pk, day in first.items() if period.first_day <= day <= period.last_day]
    rows = [(first[a.pk], a.sort_key, a.pk, a) for a in associations.filter(pk__in=ids)]
    return sorted(rows, key=lambda r: r[:3])


def _f16(scope, period) -> FigureResult:
    rows = _newly_covered(scope, period)
    names = [r[3].name for r in rows]
    return FigureResult(value=len(rows), names=names, parts={"lead": lead_names(names)})


register(Figure(
    id="F16", label=_("新成立党组织的商协会"), period="in_year", style="exact", unit=_("家"),
    compute=_f16, drilldown=_newly_covered,
    columns=(
        Column(_("商协会"), lambda r: r[3].name),
        Column(_("纳入党组织日期"), lambda r: r[0]),
    ),
    app="governance",
    help=_("当年首次被党组织（单独组建或联合组建，新建或已有）覆盖的商协会；按纳入日期、再按拼音排序"),
))


# --- F18–F20 honours valid on 31 Dec ----------------------------------------------------------------


def _honours(scope, period, kind, levels):
    return (Honour.objects.visible_to(scope).valid_on(period.last_day)
            .filter(kind=kind, level__in=levels).select_related("association", "party_org"))


def _distinct(qs, holder: str) -> FigureResult:
    return FigureResult(value=qs.values(f"{holder}_id").distinct().count())


HONOUR_COLUMNS = (
    Column(_("获得者"), lambda h: h.holder.name if h.holder else ""),
    Column(_("级别"), lambda h: h.get_level_display()),
    Column(_("周期"), lambda h: h.cycle),
    Column(_("认定日期"), lambda h: h.recognised_on),
    Column(_("有效期至"), lambda h: h.valid_until or ""),
)
BENCHMARK_LEVELS = (Honour.Level.PROVINCIAL, Honour.Level.CITY)


def _honour_figure(fid, label, kind, levels, holder, help_text):
    def records(scope, period):
        return _honours(scope, period, kind, levels).order_by(f"{holder}__sort_key", "recognised_on", "id")

    register(Figure(
        id=fid, label=label, period="as_of_end", style="exact",
        unit=_("个") if holder == "party_org" else _("家"),
        compute=lambda scope, period: _distinct(_honours(scope, period, kind, levels), holder),
        drilldown=records, columns=HONOUR_COLUMNS, app="governance", help=help_text,
    ))


_honour_figure("F18", _("省、市级“标杆示范党组织”"), Honour.Kind.BENCHMARK, BENCHMARK_LEVELS, "party_org",
               _("12月31日持有有效的省级或市级“标杆示范党组织”荣誉的不同党组织数"))
_honour_figure("F19", _("全国“四好”商会"), Honour.Kind.FOUR_GOOD, (Honour.Level.NATIONAL,), "association",
               _("12月31日持有有效的全国“四好”商会荣誉的不同商协会数"))
_honour_figure("F20", _("全省“四好”商会"), Honour.Kind.FOUR_GOOD, (Honour.Level.PROVINCIAL,), "association",
               _("12月31日持有有效的省级“四好”商会荣誉的不同商协会数（同时获全国级的也计入）"))


# --- F21–F23 rates on the report date ------------------------------------------------------------------


def _coverage_rows(scope, period):
    return coverage.coverage_on(Association.objects.visible_to(scope), period.report_date)


def _rate(rows, key) -> FigureResult:
    counts = coverage.rates(rows)
    return FigureResult(value=percent(counts[key], counts["units"]),
                        parts={"numerator": counts[key], "denominator": counts["units"]})


COVERAGE_COLUMNS = (
    Column(_("商协会"), lambda r: r.association.name),
    Column(_("覆盖方式"), lambda r: str(r.label)),
    Column(_("党组织"), lambda r: "、".join(o.name for o in r.orgs)),
)

register(Figure(
    id="F21", label=_("组织覆盖率"), period="as_of_report_date", style="percent", unit="%",
    compute=lambda scope, period: _rate(_coverage_rows(scope, period), "org_covered"),
    drilldown=_coverage_rows, columns=COVERAGE_COLUMNS, app="governance",
    help=_("报告日在运行的商协会中被党组织（单独或联合）覆盖的比例"),
))


def _coverage_segments(scope, period) -> list[Segment]:
    """Associations in operation on the report date by how they are covered:
    the counts behind F21 and F22 (they sum to the rates' denominator)."""
    rows = _coverage_rows(scope, period)
    return [Segment(kind, str(label), sum(r.kind == kind for r in rows))
            for kind, label in coverage.KIND_LABELS.items()]


def _covered_as(scope, period, key):
    if key not in coverage.KIND_LABELS:
        raise KeyError(key)
    return [r for r in _coverage_rows(scope, period) if r.kind == key]


register(Figure(
    id="F22", label=_("工作覆盖率"), period="as_of_report_date", style="percent", unit="%",
    compute=lambda scope, period: _rate(_coverage_rows(scope, period), "work_covered"),
    drilldown=_coverage_rows, columns=COVERAGE_COLUMNS, app="governance",
    breakdowns=(Breakdown("by_coverage", _("按覆盖方式"), "pie", _coverage_segments, _covered_as, unit=_("家")),),
    help=_("报告日在运行的商协会中被党组织覆盖或有在任指导员的比例"),
))


def _charter_rows(scope, period):
    return charters.compliance_on(Association.objects.visible_to(scope), period.report_date)


def _f23(scope, period) -> FigureResult:
    rows = _charter_rows(scope, period)
    done = sum(r.complete for r in rows)
    return FigureResult(value=percent(done, len(rows)), parts={"numerator": done, "denominator": len(rows)})


register(Figure(
    id="F23", label=_("党建进章程率"), period="as_of_report_date", style="percent", unit="%",
    compute=_f23, drilldown=_charter_rows,
    columns=(
        Column(_("商协会"), lambda r: r.association.name),
        Column(_("章程版本"), lambda r: r.charter.version if r.charter else ""),
        Column(_("缺少条款"), lambda r: "、".join(str(c.label) for c in r.missing)),
    ),
    app="governance", help=_("报告日在运行的商协会中，现行章程具备全部必备党建条款的比例"),
))


# --- F34 instructor compliance (INS-1) ---------------------------------------------------------------


def _ins_rows(scope, period):
    from fourfirsts.governance import instructors
    from fourfirsts.registry.models import InstructorAssignment

    return instructors.compliance(InstructorAssignment.objects.visible_to(scope), period.first_day,
                                  period.report_date)


def _f34(scope, period) -> FigureResult:
    from fourfirsts.governance import instructors
    from fourfirsts.registry.models import InstructorAssignment

    t = instructors.rates(InstructorAssignment.objects.visible_to(scope), period.first_day, period.report_date)
    return FigureResult(value=percent(t.met, t.required), parts={
        "contact_rate": percent(t.contacts_met, t.contacts_required),
        "contacts_met": t.contacts_met, "contacts_required": t.contacts_required,
        "visit_rate": percent(t.visits_met, t.visits_required),
        "visits_met": t.visits_met, "visits_required": t.visits_required})


register(Figure(
    id="F34", label=_("党建工作指导员履职率"), period="in_year", style="percent", unit="%",
    compute=_f34, drilldown=_ins_rows,
    columns=(
        Column(_("指导员"), lambda r: r.assignment.person.name),
        Column(_("商协会"), lambda r: r.assignment.association.name),
        Column(_("每周联系"), lambda r: f"{r.contacts_met}/{r.contacts_required}"),
        Column(_("每月走访"), lambda r: f"{r.visits_met}/{r.visits_required}"),
    ),
    app="governance",
    help=_("年初至报告日，指导员每周联系、每月实地走访所联系商协会（INS-1）的落实比例；分项给出联系率和走访率"),
))

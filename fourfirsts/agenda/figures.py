"""The agenda's figures (domain/figures.md): F01–F03, F24–F26. Each computes
over `visible_to(scope)` for a Period; a secretary's figures count their orgs."""

from decimal import Decimal
from statistics import median

from django.db.models import Count, Q
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fourfirsts.agenda import compliance, timeliness
from fourfirsts.agenda.models import Lecture, Meeting, TopicPush, TrainingClass
from fourfirsts.core import cnnum, rules
from fourfirsts.core.figures import Breakdown, Column, Figure, FigureResult, Segment, register
from fourfirsts.registry.models import PartyOrg

percent = cnnum.percent_value


# --- F01 study meetings ----------------------------------------------------------------------


def _study(scope, period):
    return Meeting.objects.visible_to(scope).study().in_period(period.start, period.end)


def _f01(scope, period) -> FigureResult:
    rows = _study(scope, period).values("kind").annotate(n=Count("id")).order_by("kind")
    parts = {Meeting.Kind(r["kind"]).label: r["n"] for r in rows}
    return FigureResult(value=sum(parts.values()), parts={str(k): v for k, v in parts.items()})


MEETING_COLUMNS = (
    Column(_("党组织"), lambda m: m.party_org.name),
    Column(_("类型"), lambda m: m.get_kind_display()),
    Column(_("主题"), lambda m: m.title),
    Column(_("日期"), lambda m: m.held_on),
)

def _f01_rows(scope, period):
    return _study(scope, period).select_related("party_org").order_by("held_at", "id")


MONTHS = tuple(str(m) for m in range(1, 13))


def _f01_by_month(scope, period) -> list[Segment]:
    """Study meetings per month of the local meeting date (held_on), all twelve months."""
    rows = _study(scope, period).values("held_on__month").annotate(n=Count("id")).order_by("held_on__month")
    counts = {r["held_on__month"]: r["n"] for r in rows}
    return [Segment(key=str(m), label=gettext("%(month)s月") % {"month": m}, value=counts.get(m, 0))
            for m in range(1, 13)]


def _f01_month_rows(scope, period, key: str):
    if key not in MONTHS:
        raise KeyError(key)
    return _f01_rows(scope, period).filter(held_on__month=int(key))


register(Figure(
    id="F01", label=_("组织理论学习"), period="in_year", style="exact", unit=_("次"),
    compute=_f01,
    drilldown=_f01_rows,
    breakdowns=(Breakdown(id="by_month", label=_("按月份"), chart="bar", segments=_f01_by_month,
                          records=_f01_month_rows),),
    columns=MEETING_COLUMNS, app="agenda",
    help=_("商协会党委及各商协会党组织当年召开的理论学习中心组学习、专题学习、集中学习次数"),
))


# --- F02 training classes -------------------------------------------------------------------


def _classes(scope, period):
    return TrainingClass.objects.visible_to(scope).filter(starts_on__year=period.year)


def _f02(scope, period) -> FigureResult:
    counts = _classes(scope, period).aggregate(
        total=Count("id"), **{m: Count("id", filter=Q(mode=m)) for m in TrainingClass.Mode.values})
    labels = dict(TrainingClass.Mode.choices)
    return FigureResult(value=counts.pop("total"), parts={str(labels[m]): n for m, n in counts.items()})


register(Figure(
    id="F02", label=_("党员培训班"), period="in_year", style="exact", unit=_("期"),
    compute=_f02,
    drilldown=lambda scope, period: _classes(scope, period).order_by("starts_on", "id"),
    columns=(
        Column(_("名称"), lambda c: c.name),
        Column(_("形式"), lambda c: c.get_mode_display()),
        Column(_("开始日期"), lambda c: c.starts_on),
        Column(_("结束日期"), lambda c: c.ends_on),
    ),
    app="agenda", help=_("当年开班的培训班期数，按线上、线下、线上线下分列"),
))


# --- F03 lectures ---------------------------------------------------------------------------------


def _lectures(scope, period):
    return Lecture.objects.visible_to(scope).filter(held_on__year=period.year)


register(Figure(
    id="F03", label=lazy(lambda: str(rules.value("agenda.lecture_series")), str)(), period="in_year", style="exact", unit=_("期"),
    compute=lambda scope, period: FigureResult(value=_lectures(scope, period).count()),
    drilldown=lambda scope, period: _lectures(scope, period).order_by("held_on", "id"),
    columns=(
        Column(_("主题"), lambda x: x.title),
        Column(_("主讲人"), lambda x: x.speaker),
        Column(_("日期"), lambda x: x.held_on),
        Column(_("听众人数"), lambda x: x.audience or ""),
    ),
    app="agenda", help=_("讲座系列当年举办的期数"),
))


# --- F24 第一议题落实率 ----------------------------------------------------------------------------


def _ft1(scope, period):
    return Meeting.objects.visible_to(scope).ft1().in_period(period.start, period.end)


def _f24(scope, period) -> FigureResult:
    counts = _ft1(scope, period).aggregate(total=Count("id"), done=Count("id", filter=Q(first_topic__isnull=False)))
    return FigureResult(value=percent(counts["done"], counts["total"]),
                        parts={"numerator": counts["done"], "denominator": counts["total"]})


register(Figure(
    id="F24", label=_("第一议题落实率"), period="in_year", style="percent", unit="%",
    compute=_f24,
    drilldown=lambda scope, period: _ft1(scope, period).select_related("party_org", "first_topic").order_by("held_at", "id"),
    columns=(*MEETING_COLUMNS, Column(_("第一议题"), lambda m: m.first_topic.name if m.first_topic_id else ""),
             Column(_("原因"), lambda m: m.no_topic_reason)),
    app="agenda", help=_("党委会、支委会、支部党员大会、理论学习中心组学习中以第一议题开头的比例"),
))


# --- F25 第一议题时效 --------------------------------------------------------------------------------


def _pushes(scope, period):
    return TopicPush.objects.visible_to(scope).filter(topic__released_on__year=period.year)


def _f25(scope, period) -> FigureResult:
    """From each push's stored first study, grouped by (release day, first
    study day): 30,000 pushes a year at province scale share a few thousand."""
    limit = timeliness.limits()
    report_date = period.report_date
    days, pending, overdue = [], 0, 0
    for released, studied_on, n in (_pushes(scope, period).order_by()
                                    .values_list("topic__released_on", "first_studied_on")
                                    .annotate(n=Count("id"))):
        status = timeliness.status(studied_on, released, report_date, limit(released))
        if status.days is not None:
            days += [status.days] * n
        pending += status.pending * n
        overdue += status.overdue * n
    value = Decimal(str(median(days))) if days else Decimal(0)
    return FigureResult(value=value, parts={"pending": pending, "overdue": overdue})


def _f25_rows(scope, period):
    rows = timeliness.annotate_statuses(_pushes(scope, period).order_by("topic__released_on", "id"),
                                        period.report_date)
    return rows


register(Figure(
    id="F25", label=_("第一议题时效"), period="in_year", style="exact", unit=_("天"),
    compute=_f25, drilldown=_f25_rows,
    columns=(
        Column(_("议题"), lambda p: p.topic.name),
        Column(_("党组织"), lambda p: p.party_org.name),
        Column(_("发布日期"), lambda p: p.topic.released_on),
        Column(_("首次学习"), lambda p: p.status.studied_on or ""),
        Column(_("天数"), lambda p: "" if p.status.days is None else p.status.days),
        Column(_("状态"), lambda p: _("超期未学") if p.status.overdue else (_("待学习") if p.status.pending else _("已学习"))),
    ),
    app="agenda", help=_("当年发布的议题，自发布到各推送党组织首次学习的日历天数中位数；另列待学习与超期未学"),
))


# --- F26 三会一课完成率 --------------------------------------------------------------------------------


def _orgs(scope):
    return PartyOrg.objects.visible_to(scope)


def _f26(scope, period) -> FigureResult:
    orgs = _orgs(scope).only(*compliance.ORG_FIELDS)  # 3,000 orgs at province: their names are not needed
    met, required = compliance.rate_for(orgs, period.year, period.report_date)
    return FigureResult(value=percent(met, required), parts={"met": met, "required": required})


def _f26_rows(scope, period):
    orgs = {o.pk: o for o in _orgs(scope)}
    slots = [s for s in compliance.slots_for(orgs.values(), period.year, period.report_date) if s.due]
    for s in slots:
        s.org = orgs[s.org_id]
    return sorted(slots, key=lambda s: (s.org.sort_key, s.first, s.kind))


register(Figure(
    id="F26", label=_("三会一课完成率"), period="in_year", style="percent", unit="%",
    compute=_f26, drilldown=_f26_rows,
    columns=(
        Column(_("党组织"), lambda s: s.org.name),
        Column(_("会议"), lambda s: str(compliance.SLOT_LABELS[s.kind])),
        Column(_("期间"), lambda s: s.label),
        Column(_("完成"), lambda s: _("是") if s.met else _("否")),
    ),
    app="agenda", help=_("应开（党组织、会议类型、期间）中已开的比例；党组织自成立后的第一个完整期间起计"),
))

"""The volunteering figures (domain/figures.md): F08–F14 and F32. Each
computes over `visible_to(scope)` for a Period; a secretary's figures count
their orgs' and associations' records."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Min, Q, Sum
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fourfirsts.core.figures import Breakdown, Column, Figure, FigureResult, Segment, register
from fourfirsts.volunteering.models import (
    Activity,
    ActivityKind,
    Donation,
    Pairing,
    Participation,
    Payment,
    Project,
    Village,
    WeakYears,
)

ZERO = Decimal(0)


# --- F08, F09 activities of a kind ------------------------------------------------------------------


def _activities(code):
    def rows(scope, period):
        return Activity.objects.visible_to(scope).of_kind(code).filter(held_on__year=period.year)

    return rows


ACTIVITY_COLUMNS = (
    Column(_("日期"), lambda a: a.held_on),
    Column(_("主题"), lambda a: a.title),
    Column(_("组织者"), lambda a: a.organiser),
    Column(_("地点"), lambda a: a.place),
)

for fid, code, label, help_text in (
    ("F08", ActivityKind.CIVILITY, _("文明劝导"), _("当年开展的“文明劝导”志愿活动次数")),
    ("F09", ActivityKind.BEND_DOWN, _("弯腰行动"), _("当年开展的“弯腰行动”志愿活动次数")),
):
    rows = _activities(code)
    register(Figure(
        id=fid, label=label, period="in_year", style="exact", unit=_("次"),
        compute=lambda scope, period, rows=rows: FigureResult(value=rows(scope, period).count()),
        drilldown=lambda scope, period, rows=rows: rows(scope, period).select_related(
            "party_org", "association").order_by("held_on", "id"),
        columns=ACTIVITY_COLUMNS, app="volunteering", help=help_text,
    ))


# --- F10 weak villages paired ----------------------------------------------------------------------------


@dataclass
class PairedVillage:
    village: Village
    first_paired: date


def _weak_first_pairings(scope, period) -> dict[int, date]:
    """{village id: first pairing} of the villages with a pairing dated on or
    before 31 Dec, weak in the year of their first pairing over all pairings
    (the scope only chooses the villages). Plain values: thousands of villages
    at province scale."""
    seen = Pairing.objects.visible_to(scope).filter(paired_on__lte=period.last_day).values("village_id")
    firsts = dict(Pairing.objects.filter(village_id__in=seen).order_by()
                  .values("village_id").annotate(first=Min("paired_on")).values_list("village_id", "first"))
    weak: dict[int, list[tuple]] = {}
    for village_id, since, until in (WeakYears.objects.filter(village_id__in=seen)
                                     .values_list("village_id", "since_year", "until_year")):
        weak.setdefault(village_id, []).append((since, until))
    return {pk: first for pk, first in firsts.items()
            if any(WeakYears.span_covers(since, until, first.year) for since, until in weak.get(pk, ()))}


def _weak_villages(scope, period) -> list[PairedVillage]:
    firsts = _weak_first_pairings(scope, period)
    villages = Village.objects.filter(pk__in=list(firsts)).order_by("county", "sort_key", "id")
    return [PairedVillage(v, firsts[v.pk]) for v in villages]


def _f10(scope, period) -> FigureResult:
    firsts = _weak_first_pairings(scope, period)
    seen = Pairing.objects.visible_to(scope).filter(paired_on__lte=period.last_day).values("village_id")
    county = dict(Village.objects.filter(pk__in=seen).values_list("id", "county"))
    parts: dict[str, int] = {}
    for pk in firsts:
        parts[county[pk]] = parts.get(county[pk], 0) + 1
    return FigureResult(value=len(firsts), parts=dict(sorted(parts.items())))


register(Figure(
    id="F10", label=_("帮扶薄弱村"), period="cumulative", style="exact", unit=_("个"),
    compute=_f10, drilldown=_weak_villages,
    columns=(
        Column(_("县（市、区）"), lambda r: r.village.county),
        Column(_("乡镇（街道）"), lambda r: r.village.township),
        Column(_("村庄"), lambda r: r.village.name),
        Column(_("首次结对日期"), lambda r: r.first_paired),
    ),
    app="volunteering",
    help=_("截至年末已结对、且首次结对当年为薄弱村的村庄数（按县市区分列）"),
))


# --- F11 industry projects ---------------------------------------------------------------------------


def _industry(scope, period):
    return Project.objects.visible_to(scope).filter(tag=Project.Tag.INDUSTRY, starts_on__lte=period.last_day)


PROJECT_COLUMNS = (
    Column(_("项目"), lambda p: p.name),
    Column(_("村庄"), lambda p: p.pairing.village.name),
    Column(_("商协会"), lambda p: p.pairing.association.name),
    Column(_("开始日期"), lambda p: p.starts_on),
)

register(Figure(
    id="F11", label=_("产业帮扶项目"), period="cumulative", style="exact", unit=_("个"),
    compute=lambda scope, period: FigureResult(value=_industry(scope, period).count()),
    drilldown=lambda scope, period: _industry(scope, period).select_related(
        "pairing__village", "pairing__association").order_by("starts_on", "id"),
    columns=PROJECT_COLUMNS, app="volunteering", help=_("截至年末已开始实施的产业类帮扶项目数"),
))


# --- F12 funds paid in ---------------------------------------------------------------------------------


YEARS_SHOWN = 5


def _payments(scope, period):
    return Payment.objects.visible_to(scope).filter(paid_on__lte=period.last_day)


def _payment_rows(qs):
    return qs.select_related("project__pairing__village").order_by("paid_on", "id")


def _chart_years(period) -> list[int]:
    return list(range(period.year - YEARS_SHOWN + 1, period.year + 1))


def _paid_by_year(scope, period) -> list[Segment]:
    """Money paid in each of the five years ending with the period's (F12 itself is cumulative)."""
    years = _chart_years(period)
    sums = dict(_payments(scope, period).filter(paid_on__year__gte=years[0]).order_by()
                .values("paid_on__year").annotate(s=Sum("amount")).values_list("paid_on__year", "s"))
    return [Segment(str(y), gettext("%(year)s年") % {"year": y}, sums.get(y) or ZERO) for y in years]


def _paid_in_year(scope, period, key):
    if key not in {str(y) for y in _chart_years(period)}:
        raise KeyError(key)
    return _payment_rows(_payments(scope, period).filter(paid_on__year=int(key)))


def _f12(scope, period) -> FigureResult:
    labels = dict(Project.Klass.choices)
    sums = _payments(scope, period).aggregate(
        total=Sum("amount"), **{k: Sum("amount", filter=Q(project__klass=k)) for k in labels})
    total = sums.pop("total") or ZERO
    return FigureResult(value=total, parts={str(labels[k]): v or ZERO for k, v in sums.items()})


register(Figure(
    id="F12", label=_("投入帮扶资金"), period="cumulative", style="money", unit=_("元"),
    compute=_f12,
    drilldown=lambda scope, period: _payment_rows(_payments(scope, period)),
    columns=(
        Column(_("到位日期"), lambda p: p.paid_on),
        Column(_("项目"), lambda p: p.project.name),
        Column(_("村庄"), lambda p: p.project.pairing.village.name),
        Column(_("金额（元）"), lambda p: p.amount),
    ),
    app="volunteering", help=_("截至年末按到位日期累计的帮扶项目资金（经营类和公益类，不含捐赠物资）"),
    breakdowns=(Breakdown("by_year", _("近五年每年到位资金"), "bar", _paid_by_year, _paid_in_year),),
))


# --- F13, F14 donations ----------------------------------------------------------------------------------


def _donations(kind):
    def rows(scope, period):
        return Donation.objects.visible_to(scope).filter(kind=kind, donated_on__lte=period.last_day)

    return rows


def _donated(rows):
    def compute(scope, period) -> FigureResult:
        sums = rows(scope, period).aggregate(money=Sum("amount"), goods=Sum("goods_value"), n=Count("id"))
        return FigureResult(value=sums["money"] or ZERO, parts={
            str(_("物资折价（元）")): sums["goods"] or ZERO, str(_("捐赠笔数")): sums["n"]})

    return compute


DONATION_COLUMNS = (
    Column(_("捐赠日期"), lambda d: d.donated_on),
    Column(_("捐赠方"), lambda d: d.donor),
    Column(_("受助对象"), lambda d: d.recipient),
    Column(_("捐款金额（元）"), lambda d: d.amount),
    Column(_("物资折价（元）"), lambda d: d.goods_value),
)

for fid, kind, style, label, help_text in (
    ("F13", Donation.Kind.EDUCATION, "money", _("捐资助学"), _("截至年末累计的捐资助学捐款（物资折价另列）")),
    ("F14", Donation.Kind.HARDSHIP, "approx_money", _("助困济困"), _("截至年末累计的助困济困捐款（物资折价另列）")),
):
    rows = _donations(kind)
    register(Figure(
        id=fid, label=label, period="cumulative", style=style, unit=_("元"), compute=_donated(rows),
        drilldown=lambda scope, period, rows=rows: rows(scope, period).select_related(
            "donor_enterprise", "donor_person", "donor_association").order_by("donated_on", "id"),
        columns=DONATION_COLUMNS, app="volunteering", help=help_text,
    ))


# --- F32 confirmed volunteer hours -------------------------------------------------------------------------


def _hours(scope, period):
    return Participation.objects.visible_to(scope).confirmed().filter(activity__held_on__year=period.year)


def _f32(scope, period) -> FigureResult:
    rows = _hours(scope, period).values("activity__kind__name").annotate(h=Sum("hours")).order_by(
        "activity__kind__name")
    parts = {r["activity__kind__name"]: r["h"] for r in rows}
    return FigureResult(value=sum(parts.values(), ZERO), parts=parts)


def _hours_by_kind(scope, period) -> list[Segment]:
    """Confirmed hours per activity kind (two queries: the year's hours grouped
    once, not summed again for each kind): every active kind, and a retired one
    only when it has hours in the year."""
    hours = dict(_hours(scope, period).order_by().values("activity__kind").annotate(h=Sum("hours"))
                 .values_list("activity__kind", "h"))
    kinds = ActivityKind.objects.visible_to(scope).order_by("order", "id")
    return [Segment(k.ref, k.name, hours.get(k.pk) or ZERO) for k in kinds if k.active or hours.get(k.pk, 0) > 0]


def _hours_of_kind(scope, period, key):
    if not ActivityKind.objects.visible_to(scope).filter(ref=key).exists():
        raise KeyError(key)
    return _hour_rows(_hours(scope, period).filter(activity__kind__ref=key))


def _hour_rows(qs):
    return qs.select_related("activity", "person").order_by("activity__held_on", "id")


register(Figure(
    id="F32", label=_("志愿服务时长"), period="in_year", style="exact", unit=_("小时"),
    compute=_f32,
    drilldown=lambda scope, period: _hour_rows(_hours(scope, period)),
    columns=(
        Column(_("日期"), lambda p: p.activity.held_on),
        Column(_("活动"), lambda p: p.activity.title),
        Column(_("人员"), lambda p: p.person.name),
        Column(_("时长（小时）"), lambda p: p.hours),
    ),
    app="volunteering", help=_("当年志愿活动中经确认的服务时长（按活动类型分列）"),
    breakdowns=(Breakdown("by_kind", _("按活动类型"), "bar", _hours_by_kind, _hours_of_kind),),
))

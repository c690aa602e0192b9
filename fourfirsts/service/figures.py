"""The service app's figures (domain/figures.md): F04–F07 from the article and
the appeal KPIs F27–F31 (rules.md §4). Each computes over `visible_to(scope)`
for a Period cut at local (Asia/Shanghai) midnight; a secretary's figures count
the visits and appeals of their associations' enterprises.

Dated facts are read on the day of the event, never today: a visitor counts in
F04 only if they were 中共党员 or 中共预备党员 on the visit date and the visited
enterprise was a member of an association that day; an appeal counts in F06
only if its enterprise was a member on the (local) collection date; an on-site
assignment counts in F07 only if the assigning person held a city-leader office
that day. "As of the report date" figures read the appeal's recorded timeline
(its workflow events and closing time), so a past year gives the past answer.
"""

from collections import Counter
from datetime import datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from fourfirsts.core import cnnum, workdays
from fourfirsts.core.figures import Breakdown, Column, Figure, FigureResult, Segment, register
from fourfirsts.core.models import WorkflowEvent
from fourfirsts.core.periods import local_midnight
from fourfirsts.registry.models import (
    PoliticalStatus,
    PublicOffice,
    active_on,
)
from fourfirsts.service import rules as service_rules
from fourfirsts.service.models import Appeal, Visit
from fourfirsts.service.workflow import APPEAL_WORKFLOW

percent = cnnum.percent_value
S = Appeal.State
R = Appeal.Rating


def _appeals(scope):
    """The appeals the scope counts: an association's are those of enterprises
    that were its members on the (local) collection date, so a later change of
    membership never changes a past year's numbers."""
    return (Appeal.objects.annotate(collected_on=TruncDate("collected_at", tzinfo=workdays.SHANGHAI))
            .visible_to(scope, on="collected_on"))


def _member_on() -> Q:
    """The row's enterprise was a member of some association on the row's day
    (stored on the row and kept by service.services.members)."""
    return Q(member_on_day=True)


def _report_end(period) -> datetime:
    """Exclusive end of the report date: local midnight after it."""
    return local_midnight(period.report_date + timedelta(days=1))


def _events():
    # The content type as well as the workflow: (content_type, object_id, at) is the events' index.
    return WorkflowEvent.objects.filter(content_type=ContentType.objects.get_for_model(Appeal),
                                        workflow=APPEAL_WORKFLOW.name)


# --- F04 member party members who visited ---------------------------------------------------


def _visits(scope, period):
    return Visit.objects.visible_to(scope, on="visited_on").filter(visited_on__gte=period.first_day, visited_on__lte=period.last_day)


def _member_visits(scope, period):
    """Visits of the year whose visitor was 正式 or 预备 党员 on the visit date
    and whose enterprise was a member of an association on that date."""
    party = PoliticalStatus.objects.filter(
        active_on(OuterRef("visited_on")), person=OuterRef("visitor"), status__in=PoliticalStatus.PARTY)
    return _visits(scope, period).filter(Exists(party), _member_on())


def _f04(scope, period) -> FigureResult:
    return FigureResult(value=_member_visits(scope, period).values("visitor_id").distinct().count())


VISIT_COLUMNS = (
    Column(_("走访人"), lambda v: v.visitor.name),
    Column(_("企业"), lambda v: v.enterprise.name),
    Column(_("方式"), lambda v: v.get_channel_display()),
    Column(_("日期"), lambda v: v.visited_on),
)

register(Figure(
    id="F04", label=_("会员党员走访调研"), period="in_year", style="approx_count", unit=_("名"),
    compute=_f04,
    drilldown=lambda scope, period: _member_visits(scope, period).select_related("visitor", "enterprise")
    .order_by("visitor__sort_key", "visitor_id", "visited_on", "id"),
    columns=VISIT_COLUMNS, app="service",
    help=_("当年至少有一次走访或联系记录的走访人（不论由谁录入）人数，按人去重；走访当日须为中共党员或预备党员，"
           "所走访企业当日须为商协会会员"),
))


# --- F05 visits and contacts ------------------------------------------------------------------


def _f05(scope, period) -> FigureResult:
    channels = Visit.Channel
    counts = _visits(scope, period).aggregate(
        total=Count("id"), **{c: Count("id", filter=Q(channel=c)) for c in channels.values})
    labels = dict(channels.choices)
    return FigureResult(value=counts.pop("total"), parts={str(labels[c]): n for c, n in counts.items()})


register(Figure(
    id="F05", label=_("走访与经常性联系"), period="in_year", style="exact", unit=_("次"),
    compute=_f05,
    drilldown=lambda scope, period: _visits(scope, period).select_related("visitor", "enterprise")
    .order_by("visited_on", "id"),
    columns=VISIT_COLUMNS, app="service",
    help=_("当年的走访和电话、微信等联系次数，按方式分列"),
))


# --- F06 appeals collected / F07 assigned on site by a city leader ---------------------------------


def _collected(scope, period):
    """Appeals collected in the year (any channel, any state) from enterprises
    that were members of an association on the local collection date."""
    return (
        _appeals(scope)
        .filter(collected_at__gte=period.start, collected_at__lt=period.end)
        .filter(_member_on())
    )


NATURES = (("is_blockage", _("堵点")), ("is_pain_point", _("痛点")), ("is_difficulty", _("难点")))


def _f06(scope, period) -> FigureResult:
    categories = Appeal.Category
    counts = _collected(scope, period).aggregate(
        total=Count("id"),
        **{f"c_{c}": Count("id", filter=Q(category=c)) for c in categories.values},
        **{f"n_{name}": Count("id", filter=Q(**{name: True})) for name, _label in NATURES},
    )
    labels = dict(categories.choices)
    return FigureResult(value=counts["total"], parts={
        "by_category": {str(labels[c]): counts[f"c_{c}"] for c in categories.values},
        "by_nature": {str(label): counts[f"n_{name}"] for name, label in NATURES},
    })


def _on_site(scope, period):
    leader = PublicOffice.objects.filter(
        active_on(OuterRef("assigned_on_site_on")), person=OuterRef("assigned_by"), is_city_leader=True)
    return _collected(scope, period).filter(Exists(leader), assigned_on_site_on__isnull=False,
                                            assigned_by__isnull=False)


def _f07(scope, period) -> FigureResult:
    rows = _on_site(scope, period)
    counts = rows.aggregate(n=Count("id"), raisers=Count("raised_by", distinct=True))
    return FigureResult(value=counts["n"], parts={"raisers": counts["raisers"]})


APPEAL_COLUMNS = (
    Column(_("编号"), lambda a: a.ref),
    Column(_("企业"), lambda a: a.enterprise.name),
    Column(_("标题"), lambda a: a.title),
    Column(_("类别"), lambda a: a.get_category_display()),
    Column(_("收集时间"), lambda a: workdays.local_date(a.collected_at)),
    Column(_("状态"), lambda a: a.get_state_display()),
)

def _f06_rows(scope, period):
    return _collected(scope, period).select_related("enterprise").order_by("collected_at", "id")


def _split(field: str, choices):
    """A breakdown of F06's appeals by one coded field: every code, zeros
    included, from one query; a segment's records are F06's with that code."""

    def segments(scope, period) -> list[Segment]:
        counts = _collected(scope, period).aggregate(
            **{f"n_{c}": Count("id", filter=Q(**{field: c})) for c in choices.values})
        return [Segment(key=c, label=str(label), value=counts[f"n_{c}"]) for c, label in choices.choices]

    def records(scope, period, key: str):
        if key not in choices.values:
            raise KeyError(key)
        return _f06_rows(scope, period).filter(**{field: key})

    return segments, records


_by_category, _category_rows = _split("category", Appeal.Category)
_by_state, _state_rows = _split("state", Appeal.State)

register(Figure(
    id="F06", label=_("收集企业问题诉求"), period="in_year", style="exact", unit=_("件"),
    compute=_f06,
    drilldown=_f06_rows,
    breakdowns=(
        Breakdown(id="by_category", label=_("按类别"), chart="pie", segments=_by_category, records=_category_rows),
        Breakdown(id="by_state", label=_("按状态"), chart="bar", segments=_by_state, records=_state_rows),
    ),
    columns=(*APPEAL_COLUMNS, Column(_("堵点/痛点/难点"), lambda a: "、".join(a.nature_tags))),
    app="service",
    help=_("当年收集的问题诉求件数（任何渠道、任何状态），收集当日企业须为商协会会员；按类别和堵点、痛点、难点分列"),
))

register(Figure(
    id="F07", label=_("市领导现场交办诉求"), period="in_year", style="exact", unit=_("件"),
    compute=_f07,
    drilldown=lambda scope, period: _on_site(scope, period).select_related("enterprise", "raised_by", "assigned_by")
    .order_by("assigned_on_site_on", "id"),
    columns=(
        *APPEAL_COLUMNS[:3],
        Column(_("提出人"), lambda a: a.raised_by.name if a.raised_by_id else ""),
        Column(_("交办人"), lambda a: a.assigned_by.name),
        Column(_("现场交办日期"), lambda a: a.assigned_on_site_on),
        Column(_("交办地点"), lambda a: a.assigned_place),
    ),
    app="service",
    help=_("当年收集的诉求中，由交办当日担任市领导职务（市委书记、市长等）的人员现场交办的件数；"
           "另列提出这些诉求的不同企业家人数"),
))


# --- F27 答复率 -----------------------------------------------------------------------------------


def _assigned(scope, period):
    """Appeals first assigned in the year, each marked `replied`: a reply by the
    end of the report date (the stored reply time, or any reply in its history,
    since a redo after 不满意 overwrites the stored time)."""
    end = _report_end(period)
    reply = _events().filter(action="reply", object_id=OuterRef("pk"), at__lt=end)
    return (
        _appeals(scope)
        .filter(first_assigned_at__gte=period.start, first_assigned_at__lt=period.end)
        .annotate(replied=Q(replied_at__isnull=False, replied_at__lt=end) | Exists(reply))
    )


def _f27(scope, period) -> FigureResult:
    counts = _assigned(scope, period).aggregate(total=Count("id"), done=Count("id", filter=Q(replied=True)))
    return FigureResult(value=percent(counts["done"], counts["total"]),
                        parts={"numerator": counts["done"], "denominator": counts["total"]})


def _yes_no(flag):
    return _("是") if flag else _("否")


register(Figure(
    id="F27", label=_("答复率"), period="in_year", style="percent", unit="%",
    compute=_f27,
    drilldown=lambda scope, period: _assigned(scope, period).select_related("enterprise", "department")
    .order_by("first_assigned_at", "id"),
    columns=(
        *APPEAL_COLUMNS[:3],
        Column(_("承办单位"), lambda a: a.department.name if a.department_id else ""),
        Column(_("首次交办"), lambda a: workdays.local_date(a.first_assigned_at)),
        Column(_("报告日前已答复"), lambda a: _yes_no(a.replied)),
    ),
    app="service", help=_("当年首次交办的诉求中，至报告日已答复的比例"),
))


# --- F28 办结率 -----------------------------------------------------------------------------------


def _to_close(scope, period):
    """Appeals collected in the year, not declined, each marked `closed` by the
    end of the report date."""
    return (
        _appeals(scope)
        .filter(collected_at__gte=period.start, collected_at__lt=period.end)
        .exclude(state=S.DECLINED)
        .annotate(closed=Q(closed_at__isnull=False, closed_at__lt=_report_end(period)))
    )


def _f28(scope, period) -> FigureResult:
    counts = _to_close(scope, period).aggregate(total=Count("id"), done=Count("id", filter=Q(closed=True)))
    return FigureResult(value=percent(counts["done"], counts["total"]),
                        parts={"numerator": counts["done"], "denominator": counts["total"]})


register(Figure(
    id="F28", label=_("办结率"), period="in_year", style="percent", unit="%",
    compute=_f28,
    drilldown=lambda scope, period: _to_close(scope, period).select_related("enterprise").order_by("collected_at", "id"),
    columns=(*APPEAL_COLUMNS, Column(_("报告日前已办结"), lambda a: _yes_no(a.closed))),
    app="service", help=_("当年收集且未被不予受理的诉求中，至报告日已办结的比例"),
))


# --- F29 满意率 -----------------------------------------------------------------------------------

RATED = (R.SATISFIED, R.FAIRLY_SATISFIED, R.UNSATISFIED)
RATING_ACTIONS = ("rate", "redo", "rate_unsatisfied")
SATISFIED = (R.SATISFIED, R.FAIRLY_SATISFIED)


def _rating_steps(scope, period):
    """The rating steps of the year on appeals the scope sees (the index
    `event_appeal_rating_at`, service migration 0005, serves them). A scope
    that sees every appeal needs no join: an appeal is never deleted while
    its events remain."""
    steps = _events().filter(action__in=RATING_ACTIONS, at__gte=period.start, at__lt=period.end)
    return steps if scope.sees_all else steps.filter(object_id__in=_appeals(scope).values("pk"))


def _stored_ratings(scope, period):
    """Appeals rated in the year with no rating step recorded at all
    (imported): their stored rating is the rating given. The rating service
    marks each appeal it records a step for (`rating_in_history`), so this
    asks no history (the per-appeal check took 340 ms of F29's 400 at province)."""
    return _appeals(scope).filter(rating__in=RATED, rated_at__gte=period.start, rated_at__lt=period.end,
                                  rating_in_history=False)


def _ratings(scope, period) -> list[SimpleNamespace]:
    """Every rating given in the year: one per rating step in an appeal's
    history (a 不满意 that sent it back to 重办 is a rating given, and so is the
    later one); for an appeal without recorded rating steps (imported), its
    stored rating. 未评价 is not a rating given."""
    steps = list(_rating_steps(scope, period).values_list("object_id", "data", "at"))
    rows = [SimpleNamespace(appeal=a, rating=a.rating, at=a.rated_at)
            for a in _stored_ratings(scope, period).select_related("enterprise")]
    appeals = _appeals(scope).select_related("enterprise").in_bulk({pk for pk, _d, _at in steps})
    rows += [SimpleNamespace(appeal=appeals[pk], rating=(data or {}).get("rating", ""), at=when)
             for pk, data, when in steps if pk in appeals]
    return sorted(rows, key=lambda r: (r.at, r.appeal.pk))


def _f29(scope, period) -> FigureResult:
    """The ratings `_ratings` lists, counted in the database (two aggregates)."""
    steps = (_rating_steps(scope, period)
             .aggregate(total=Count("id"), good=Count("id", filter=Q(data__rating__in=SATISFIED))))
    stored = (_stored_ratings(scope, period)
              .aggregate(total=Count("id"), good=Count("id", filter=Q(rating__in=SATISFIED))))
    good, total = steps["good"] + stored["good"], steps["total"] + stored["total"]
    return FigureResult(value=percent(good, total), parts={"numerator": good, "denominator": total})


def _rating_label(value):
    return str(R(value).label) if value in R.values else value


register(Figure(
    id="F29", label=_("满意率"), period="in_year", style="percent", unit="%",
    compute=_f29, drilldown=_ratings,
    columns=(
        Column(_("编号"), lambda r: r.appeal.ref),
        Column(_("企业"), lambda r: r.appeal.enterprise.name),
        Column(_("标题"), lambda r: r.appeal.title),
        Column(_("评价"), lambda r: _rating_label(r.rating)),
        Column(_("评价日期"), lambda r: workdays.local_date(r.at)),
    ),
    app="service", help=_("当年作出的回访评价中“满意”和“基本满意”的比例；未评价办结的不计入"),
))


# --- F30 办结时长中位数 ------------------------------------------------------------------------------


def _closed(scope, period):
    return (_appeals(scope).filter(closed_at__gte=period.start, closed_at__lt=period.end)
            .filter(Q(close_days__isnull=False) | Q(first_assigned_at__isnull=False)))


def _close_days(appeal) -> int:
    """Stored on closing; recounted the same way for a record imported without it."""
    if appeal.close_days is not None:
        return appeal.close_days
    return workdays.workdays_elapsed(workdays.local_date(appeal.first_assigned_at), workdays.local_date(appeal.closed_at))


def _f30(scope, period) -> FigureResult:
    """The days stored on closing come grouped from the database (a few dozen
    distinct values for a year's hundreds of thousands of appeals); only
    records imported without them are counted here."""
    closed = _closed(scope, period)
    days = Counter(dict(closed.filter(close_days__isnull=False).order_by().values("close_days")
                        .annotate(n=Count("id")).values_list("close_days", "n")))
    days.update(_close_days(a) for a in closed.filter(close_days__isnull=True).order_by()
                .only("close_days", "first_assigned_at", "closed_at"))
    total = days.total()
    return FigureResult(value=_median_of_counts(days, total), parts={"closed": total})


def _median_of_counts(counts: Counter, total: int) -> Decimal:
    """The median of the values `counts` holds with their multiplicities (as
    statistics.median: the mean of the two middle values when there are an
    even number); 0 when there are none."""
    if not total:
        return Decimal(0)
    wanted = {(total - 1) // 2, total // 2}  # the 0-based positions of the middle value(s)
    found, seen = [], 0
    for value in sorted(counts):
        n = counts[value]
        found += [value] * len({w for w in wanted if seen <= w < seen + n})
        seen += n
    return Decimal(sum(found)) / len(found)


register(Figure(
    id="F30", label=_("办结时长中位数"), period="in_year", style="exact", unit=_("个工作日"),
    compute=_f30,
    drilldown=lambda scope, period: _closed(scope, period).select_related("enterprise").order_by("closed_at", "id"),
    columns=(
        *APPEAL_COLUMNS[:4],
        Column(_("首次交办"), lambda a: workdays.local_date(a.first_assigned_at) if a.first_assigned_at else ""),
        Column(_("办结日期"), lambda a: workdays.local_date(a.closed_at)),
        Column(_("办结用时（工作日）"), _close_days),
    ),
    app="service",
    help=_("当年办结的诉求，自首次交办之日的次一工作日起至办结日（含）的工作日数的中位数（按国家法定工作日历）"),
))


# --- F31 超期件数 -----------------------------------------------------------------------------------

CLOCK_ACTIONS = ("assign", "assign_on_site", "reassign", "approve_extension")


def _overdue(scope, period) -> list[Appeal]:
    """Appeals overdue on the report date D, as the records stood at the end of D.

    "Open" here means the department still held the appeal with its clock
    running (已交办, 已签收, 办理中, 延期申请中), as for escalation (APL-2): a due
    date is a date to reply by, so an appeal already replied (awaiting or after
    its rating) or returned to the committee is not 超期. "Past due" means its
    due date in force on D ended before D (an appeal due on D itself is not yet
    late on D).

    The state and due date on D come from the appeal's workflow events up to the
    end of D: the last event's state, and the due date set by the last
    assignment or approved extension (the stored due date when no such event
    came later). So an appeal closed, replied or extended after D counts as it
    stood on D, and a past report date gives the past answer. An appeal with no
    recorded events (imported) is judged from its stored fields: running on D
    unless replied by then, with its stored due date."""
    start, end = local_midnight(period.report_date), _report_end(period)
    return _replayed_overdue(_overdue_candidates(scope, end).select_related("enterprise", "department"),
                             start, end)


def _assigned_before(scope, end):
    return _appeals(scope).filter(first_assigned_at__lt=end).exclude(state=S.DECLINED)


def _overdue_candidates(scope, end):
    return _assigned_before(scope, end).exclude(closed_at__lt=end)


def _overdue_candidate_ids(scope, end) -> list[int]:
    """The ids `_overdue_candidates` gives (not closed before D: still open, or
    closed after D), as two index ranges each read from the `appeal_closed`
    index alone, where the two in one query read the table (F31 as a whole:
    511 → 230 ms at province, with the id lists as one parameter)."""
    assigned = _assigned_before(scope, end).order_by().values_list("pk", flat=True)
    return list(assigned.filter(closed_at__isnull=True).union(assigned.filter(closed_at__gte=end), all=True))


ID_CHUNK = 5000  # well under SQLite's and PostgreSQL's limits on a query's parameters


def _chunks(ids: list) -> list[list]:
    return [ids[i:i + ID_CHUNK] for i in range(0, len(ids), ID_CHUNK)]


def _overdue_count(scope, period) -> int:
    """len(_overdue(...)) without replaying every timeline. An appeal with no
    clock event after D still had its stored due date on D (see `_as_of`), so
    it is judged in SQL from the state of its last event before D; only those
    whose due date changed after D are replayed. The candidates go by their
    ids, a chunk at a time, each chunk one parameter (core.lookups): as
    subqueries (EXISTS or IN), PostgreSQL scans every event after D, several
    times slower."""
    start, end = local_midnight(period.report_date), _report_end(period)
    state_on = _events().filter(object_id=OuterRef("pk"), at__lt=end).order_by("-at", "-id").values("new_state")[:1]
    running_on_d = Q(state_on__in=Appeal.RUNNING_STATES) | Q(
        Q(replied_at__isnull=True) | Q(replied_at__gte=end), state_on__isnull=True)
    ids = _overdue_candidate_ids(scope, end)
    judged, moved = 0, set()
    for chunk in _chunks(ids):
        later = set(_events().filter(object_id__among=chunk, at__gte=end, action__in=CLOCK_ACTIONS)
                    .order_by().values_list("object_id", flat=True))
        moved |= later
        judged += (Appeal.objects.filter(pk__among=[pk for pk in chunk if pk not in later], due_at__lt=start)
                   .annotate(state_on=Subquery(state_on)).filter(running_on_d).count())
    return judged + sum(len(_replayed_overdue(Appeal.objects.filter(pk__among=chunk), start, end))
                        for chunk in _chunks(sorted(moved)))


def _replayed_overdue(candidates, start, end) -> list[Appeal]:
    candidates = list(candidates)
    if not candidates:
        return []
    history: dict[int, list] = {a.pk: [] for a in candidates}
    for row in _events().filter(object_id__among=list(history)).order_by("at", "id").values(
            "object_id", "action", "new_state", "at", "data"):
        history[row["object_id"]].append(row)
    late = []
    for appeal in candidates:
        state, due = _as_of(appeal, history[appeal.pk], end)
        if state in Appeal.RUNNING_STATES and due is not None and due < start:
            appeal.state_on_report_date, appeal.due_on_report_date = state, due
            late.append(appeal)
    return sorted(late, key=lambda a: (a.due_on_report_date, a.pk))


def _as_of(appeal: Appeal, events: list[dict], end: datetime):
    """(state, due date) of the appeal at `end`."""
    before = [e for e in events if e["at"] < end]
    if not before:
        replied = appeal.replied_at is not None and appeal.replied_at < end
        return (S.REPLIED if replied else S.ASSIGNED), appeal.due_at
    state = before[-1]["new_state"]
    clocks = [e for e in before if e["action"] in CLOCK_ACTIONS]
    if not clocks:
        return state, appeal.due_at
    clock = clocks[-1]
    if not any(e["at"] >= end and e["action"] in CLOCK_ACTIONS for e in events):
        return state, appeal.due_at
    if clock["data"].get("due_at"):
        return state, datetime.fromisoformat(clock["data"]["due_at"])
    # An on-site assignment superseded later: its due date from the category's limit that day.
    limit = service_rules.limit_for(appeal.category, workdays.local_date(clock["at"]))
    return state, workdays.due_at(clock["at"], limit)


register(Figure(
    id="F31", label=_("超期件数"), period="as_of_report_date", style="exact", unit=_("件"),
    compute=lambda scope, period: FigureResult(value=_overdue_count(scope, period)),
    drilldown=_overdue,
    columns=(
        *APPEAL_COLUMNS[:3],
        Column(_("承办单位"), lambda a: a.department.name if a.department_id else ""),
        Column(_("报告日状态"), lambda a: str(S(a.state_on_report_date).label)),
        Column(_("办理期限"), lambda a: workdays.local_date(a.due_on_report_date)),
    ),
    app="service",
    help=_("报告日承办单位仍在办理（已交办、已签收、办理中、延期申请中）且已过办理期限的诉求件数"),
))

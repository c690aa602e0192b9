"""The dashboard (figures as tiles and charts, each drilling down to its
records), the annual report page (preview, downloads rendered in the worker,
publishing) and the published reports."""

from decimal import Decimal
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fourfirsts.core import cnnum, figure_cache, figures, progress
from fourfirsts.core.access import Role, scope_of
from fourfirsts.core.figures import PERIOD_LABELS
from fourfirsts.core.views import require_role
from fourfirsts.reports import formats, prose, services, tasks
from fourfirsts.reports.models import PublishedReport

READERS = (Role.COMMITTEE, Role.LEADER, Role.INSTRUCTOR, Role.SECRETARY)
FIRST_YEAR = prose.FIRST_YEAR
PAGE_SIZE = 50
PILLAR_LABELS = {
    "agenda": gettext_lazy("第一议题"),
    "service": gettext_lazy("第一要务"),
    "identity": gettext_lazy("第一身份"),
    "responsibility": gettext_lazy("第一责任"),
}


def _year(request, default: int | None = None) -> int:
    """The year asked for, or the default (this year); a year out of range is
    said so and replaced by the default."""
    this_year = timezone.localdate().year
    default = default or this_year
    raw = request.GET.get("year", "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not FIRST_YEAR <= int(raw) <= this_year:
        messages.warning(request, _("年度“%(year)s”无效，应为 %(first)s–%(last)s 之间的年份，已显示 %(default)s 年")
                         % {"year": raw, "first": FIRST_YEAR, "last": this_year, "default": default})
        return default
    return int(raw)


YEARS_SHOWN = 11


def _years():
    """This year and the ten before it in the selector (any year back to FIRST_YEAR by URL)."""
    this_year = timezone.localdate().year
    return list(range(this_year, max(FIRST_YEAR, this_year - YEARS_SHOWN) , -1))


# --- dashboard -----------------------------------------------------------------------------


def _change(current, previous):
    """The change against the year before, as a signed number (None when either is missing)."""
    if current is None or previous is None:
        return None
    return current - previous


def _tiles(user, year, today, data):
    now = figure_cache.results(user, year, today, data)
    before = figure_cache.results(user, year - 1, today, data)
    tiles = []
    for f in figures.all_figures():
        result, previous = now[f.id], before[f.id]
        change = _change(result.value, previous.value)
        tiles.append({
            "figure": f, "result": result, "display": f.number(result),
            "previous": f.number(previous), "change": change,
            "change_text": _change_text(change, f), "pillar": prose.pillar_of(f),
            "url": _drill_url(f.id, year),
        })
    return tiles, now


def _change_text(change, figure) -> str:
    """The change in the figure's own style: money in 万/亿, rates in
    percentage points."""
    if change is None:
        return ""
    if change == 0:
        return _("与上年持平")
    sign = "+" if change > 0 else "−"
    size = abs(change)
    if figure.style == "percent":
        text = _("%(n)s个百分点") % {"n": f"{size.normalize():f}" if isinstance(size, Decimal) else size}
    elif figure.style in ("money", "approx_money"):
        text = cnnum.STYLES["money"](size, figure.unit)
    else:
        text = cnnum.STYLES["exact"](size, figure.unit)
    return _("较上年 %(sign)s%(text)s") % {"sign": sign, "text": text}


def _drill_url(figure_id, year, by=None, segment=None) -> str:
    query = {"year": year}
    if by:
        query.update(by=by, segment=segment)
    return reverse("reports:figure", args=[figure_id]) + "?" + urlencode(query)


def _charts(user, year, today, data):
    charts = []
    every = figure_cache.segments(user, year, today, data)
    for f in figures.all_figures():
        for b in f.breakdowns:
            segments = every[(f.id, b.id)]
            charts.append({
                "id": f"chart-{f.id}-{b.id}", "data_id": f"chart-{f.id}-{b.id}-data", "kind": b.chart,
                "title": f"{f.label}（{b.label}）", "unit": str(b.unit or f.unit), "figure": f.id,
                "data": [{"name": str(s.label), "value": _plain(s.value), "url": _drill_url(f.id, year, b.id, s.key)}
                         for s in segments],
            })
    return charts


def _plain(value):
    """A segment's value for the chart and its table: 12.5, not Decimal('12.50')."""
    if isinstance(value, Decimal):
        value = value.normalize()
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _published_differences(user, year, now):
    """For the committee and leaders: the figures that changed since this
    year's report was published (compared with the tiles' own results for a
    past year; a year still running is recomputed on the publishing day)."""
    if not scope_of(user).has(Role.COMMITTEE, Role.LEADER):
        return None, []
    published = PublishedReport.objects.filter(year=year).order_by("-version").first()
    if published is None:
        return None, []
    if published.report_date.year > year and scope_of(user).sees_all:
        return published, services.compare(published, now)
    return published, services.differences(published)


@login_required
def dashboard(request):
    require_role(request, *READERS)
    year = _year(request)
    today = timezone.localdate()
    data = figure_cache.fingerprint()  # results and charts are cached until the data changes
    tiles, now = _tiles(request.user, year, today, data)
    published, changed = _published_differences(request.user, year, now)
    pillars = [{"key": key, "label": label, "tiles": [t for t in tiles if t["pillar"] == key]}
               for key, label in PILLAR_LABELS.items()]
    return render(request, "reports/dashboard.html", {
        "page_title": _("工作台"), "year": year, "years": _years(), "pillars": pillars,
        "charts": _charts(request.user, year, today, data), "todos": figure_cache.todos(request.user, today, data),
        "published": published, "changed": changed, "scope_label": prose.author_of(request.user),
    })


# --- drill-down ----------------------------------------------------------------------------


def _figure_or_404(figure_id):
    try:
        return figures.get(figure_id)
    except KeyError:
        raise Http404(_("没有编号为 %(id)s 的指标") % {"id": figure_id}) from None


@login_required
def figure_detail(request, figure_id):
    """The records behind a figure, or behind one segment of one of its charts, in the reader's scope."""
    require_role(request, *READERS)
    figure = _figure_or_404(figure_id)
    year = _year(request)
    today = timezone.localdate()
    by, segment = request.GET.get("by"), request.GET.get("segment")
    columns = figure.columns
    segment_label = None
    if by:
        try:
            breakdown = figure.breakdown(by)
            rows = figure.segment_records(request.user, year, by, segment or "", today)
        except KeyError:
            raise Http404(_("指标 %(id)s 没有这个分组") % {"id": figure.id}) from None
        columns = breakdown.columns or figure.columns
        segment_label = next((s.label for s in figure.segments(request.user, year, by, today) if s.key == segment),
                             segment)
        segment_label = f"{breakdown.label}：{segment_label}"
    else:
        rows = figure.records(request.user, year, today)
    page = _page_number(request)
    window = list(rows[(page - 1) * PAGE_SIZE: page * PAGE_SIZE + 1])
    result = figure.evaluate(request.user, year, today)
    return render(request, "reports/figure.html", {
        "page_title": f"{figure.id} {figure.label}", "figure": figure, "year": year, "years": _years(),
        "result": result, "display": figure.number(result), "prose": figure.display(result), "period": PERIOD_LABELS.get(figure.period, ""),
        "segment_label": segment_label, "headers": [c.header for c in columns],
        "rows": [[c.value(r) for c in columns] for r in window[:PAGE_SIZE]],
        "page": page, "has_next": len(window) > PAGE_SIZE, "first_number": (page - 1) * PAGE_SIZE + 1,
        "parts": list(formats.part_rows(result.parts)), "names": result.names,
    })


def _page_number(request) -> int:
    raw = request.GET.get("page", "1")
    if not raw.isdigit() or int(raw) < 1:
        raise Http404(_("页码“%(page)s”无效") % {"page": raw})
    return int(raw)


# --- the annual report ---------------------------------------------------------------------


@login_required
def annual(request):
    require_role(request, *READERS)
    year = _year(request, default=timezone.localdate().year - 1)
    report = prose.build(request.user, year)
    can_publish = scope_of(request.user).has(Role.COMMITTEE)
    published = list(PublishedReport.objects.visible_to(request.user).filter(year=year)
                     .prefetch_related("files").order_by("-version"))
    return render(request, "reports/annual.html", {
        "page_title": _("年度报告"), "year": year, "years": _years(), "report": report,
        "formats": formats.FORMATS.values(), "can_publish": can_publish, "published": published,
    })


def _posted_year(request) -> int | None:
    raw = request.POST.get("year", "").strip()
    this_year = timezone.localdate().year
    if not raw.isdigit() or not FIRST_YEAR <= int(raw) <= this_year:
        messages.error(request, _("年度“%(year)s”无效，应为 %(first)s–%(last)s 之间的年份")
                       % {"year": raw, "first": FIRST_YEAR, "last": this_year})
        return None
    return int(raw)


def _back(year=None):
    url = reverse("reports:annual")
    return redirect(f"{url}?year={year}" if year else url)


@login_required
@require_POST
def annual_render(request):
    """Start rendering the report in the worker; the progress page offers the file when done."""
    require_role(request, *READERS)
    year = _posted_year(request)
    fmt = request.POST.get("format", "")
    if fmt not in formats.FORMATS:
        messages.error(request, _("不支持的格式“%(fmt)s”，可选：%(all)s") % {"fmt": fmt, "all": "、".join(formats.FORMATS)})
        return _back(year)
    if year is None:
        return _back()
    key = progress.new_key()
    progress.start(key, owner_id=request.user.pk, label=_("生成%(year)s年度报告（%(fmt)s）") % {
        "year": year, "fmt": formats.get(fmt).label})
    tasks.render_report.enqueue(key, request.user.pk, year, fmt)
    return redirect("core:progress", key=key)


@login_required
@require_POST
def annual_publish(request):
    require_role(request, Role.COMMITTEE)
    year = _posted_year(request)
    if year is None:
        return _back()
    key = progress.new_key()
    progress.start(key, owner_id=request.user.pk, label=_("发布%(year)s年度报告") % {"year": year})
    tasks.publish_report.enqueue(key, request.user.pk, year, request.POST.get("note", "").strip())
    return redirect("core:progress", key=key)


@login_required
def download(request, key):
    """A rendered report, to the user who asked for it only."""
    state = progress.read(key)
    if state is None or state.get("owner") != request.user.pk or state.get("state") != "done":
        raise Http404(_("报告不存在或已过期"))
    result = state.get("result") or {}
    path = tasks.download_path(key, result.get("format", ""))
    if not Path(path).exists():
        raise Http404(_("报告不存在或已过期"))
    fmt = formats.get(result["format"])
    return FileResponse(open(path, "rb"), as_attachment=True, filename=result.get("filename"),  # noqa: SIM115
                        content_type=fmt.mime)


# --- published reports ---------------------------------------------------------------------


def _published_or_404(user, pk):
    try:
        return PublishedReport.objects.visible_to(user).get(pk=pk)
    except PublishedReport.DoesNotExist:
        raise Http404(_("报告不存在")) from None


@login_required
def published_list(request):
    require_role(request, Role.COMMITTEE, Role.LEADER)
    rows = PublishedReport.objects.visible_to(request.user).select_related("published_by")[:200]
    return render(request, "reports/published_list.html", {"page_title": _("已发布报告"), "rows": rows})


@login_required
def published_detail(request, pk):
    require_role(request, Role.COMMITTEE, Role.LEADER)
    published = _published_or_404(request.user, pk)
    return render(request, "reports/published_detail.html", {
        "page_title": str(published), "published": published, "files": published.files.order_by("format"),
        "differences": services.differences(published),
    })


@login_required
def published_file(request, pk, fmt):
    require_role(request, Role.COMMITTEE, Role.LEADER)
    published = _published_or_404(request.user, pk)
    item = published.files.filter(format=fmt).first()
    if item is None:
        raise Http404(_("该报告没有 %(fmt)s 文件") % {"fmt": fmt})
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=Path(item.file.name).name,
                        content_type=formats.get(fmt).mime)

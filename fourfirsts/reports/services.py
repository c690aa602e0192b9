"""Writes of the reports app: publishing a year's report. A published report
keeps its figures (the snapshot) and its files; later edits to the records
show up as differences against the snapshot, never in the published files."""

import hashlib
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fourfirsts.core import figures
from fourfirsts.core.access import Role
from fourfirsts.core.actors import Actor
from fourfirsts.reports import formats, prose
from fourfirsts.reports.models import PublishedFile, PublishedReport

PUBLISHED_FORMATS = ("txt", "html", "docx", "pdf", "xlsx")


def _check_publisher(actor: Actor) -> None:
    if actor.kind == "user" and Role.COMMITTEE not in actor.roles:
        raise PermissionDenied(_("只有商协会党委工作人员可以发布年度报告"))


def report_publish(*, actor: Actor, year: int, note: str = "", today: date | None = None,
                   progress=None, formats_=PUBLISHED_FORMATS) -> PublishedReport:
    """Build the federation's report for `year`, render every format (all of
    them unless told otherwise) and store them with the figures' snapshot, as
    a new version of that year's report."""
    _check_publisher(actor)
    today = today or timezone.localdate()
    if year > today.year:
        raise ValueError(_("不能发布尚未开始的年度（%(year)s年）的报告") % {"year": year})
    report = prose.build(None, year, today)
    steps = len(formats_) + 1
    rendered = {}
    for n, key in enumerate(formats_, start=1):
        rendered[key] = formats.get(key).render(report)
        if progress:
            progress(n, steps)
    for attempt in range(3):
        try:
            published = _store(actor, year, note, today, report, rendered)
            break
        except IntegrityError:
            # Someone published the same year at the same moment: take the next version.
            if attempt == 2:
                raise
    if progress:
        progress(steps, steps)
    return published


def _store(actor, year, note, today, report, rendered) -> PublishedReport:
    saved = []
    try:
        with transaction.atomic():
            last = PublishedReport.objects.filter(year=year).aggregate(v=Max("version"))["v"] or 0
            published = PublishedReport.objects.create(
                year=year, version=last + 1, title=report.title, published_at=timezone.now(),
                published_by=actor.user if actor.kind == "user" else None, report_date=today, note=note[:500],
                snapshot=[line.figure.as_json(line.result) for line in report.lines],
            )
            for key, data in rendered.items():
                item = PublishedFile(report=published, format=key, size=len(data),
                                     sha256=hashlib.sha256(data).hexdigest())
                item.file.save(formats.filename(report, key), ContentFile(data), save=False)
                saved.append(item.file)
                item.save()
    except Exception:
        for f in saved:  # the rows are rolled back; their files must not linger
            f.storage.delete(f.name)
        raise
    return published


@dataclass(frozen=True)
class Difference:
    id: str
    label: str
    published: str  # the display printed in the report
    current: str  # what the records give now
    details: tuple[str, ...]  # which of value, parts, names, previous changed

    @property
    def what(self) -> str:
        return "、".join(str(COMPARED_LABELS[d]) for d in self.details)


COMPARED = ("value", "parts", "names", "previous")
COMPARED_LABELS = {"value": gettext_lazy("数值"), "parts": gettext_lazy("分项"), "names": gettext_lazy("名称"),
                   "previous": gettext_lazy("上年数")}


def differences(published: PublishedReport) -> list[Difference]:
    """Each figure whose number, parts or names differ now from the snapshot,
    counted as on the day it was published (so a report of a year still
    running does not drift with each new day)."""
    current = {}
    for old in published.snapshot:
        try:
            figure = figures.get(old["id"])
        except KeyError:
            continue
        current[figure.id] = figure.evaluate(None, published.year, published.report_date)
    return compare(published, current)


def compare(published: PublishedReport, current: dict) -> list[Difference]:
    """The snapshot against results already computed (figure id → FigureResult)."""
    out = []
    for old in published.snapshot:
        if old["id"] not in current:
            continue
        figure = figures.get(old["id"])
        now = figure.as_json(current[old["id"]])
        changed = tuple(k for k in COMPARED if old.get(k) != now.get(k))
        if changed:
            out.append(Difference(old["id"], now["label"], old.get("display", ""), now["display"], changed))
    return out

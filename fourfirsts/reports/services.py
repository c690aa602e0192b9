"""Writes of the reports app: publishing a year's report. A published report
keeps its figures (the snapshot) and its files; later edits to the records
show up as differences against the snapshot, never in the published files."""

import hashlib
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

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
    with transaction.atomic():
        last = PublishedReport.objects.filter(year=year).aggregate(v=Max("version"))["v"] or 0
        published = PublishedReport.objects.create(
            year=year, version=last + 1, title=report.title, published_at=timezone.now(),
            published_by=actor.user if actor.kind == "user" else None, report_date=today, note=note[:500],
            snapshot=[line.figure.as_json(line.result) for line in report.lines],
        )
        for key, data in rendered.items():
            item = PublishedFile(report=published, format=key, size=len(data), sha256=hashlib.sha256(data).hexdigest())
            item.file.save(formats.filename(report, key), ContentFile(data), save=False)
            item.save()
    if progress:
        progress(steps, steps)
    return published


@dataclass(frozen=True)
class Difference:
    id: str
    label: str
    published: str  # the display printed in the report
    current: str  # what the records give now
    details: tuple[str, ...]  # which of value, parts, names, previous changed


COMPARED = ("value", "parts", "names", "previous")


def differences(published: PublishedReport, today: date | None = None) -> list[Difference]:
    """Each figure whose number, parts or names differ now from the snapshot."""
    today = today or timezone.localdate()
    out = []
    for old in published.snapshot:
        try:
            figure = figures.get(old["id"])
        except KeyError:
            continue
        now = figure.as_json(figure.evaluate(None, published.year, today))
        changed = tuple(k for k in COMPARED if old.get(k) != now.get(k))
        if changed:
            out.append(Difference(old["id"], now["label"], old.get("display", ""), now["display"], changed))
    return out

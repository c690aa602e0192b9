"""Published annual reports: the figures as they were printed, and the files
as they were sent, kept unchanged whatever happens to the records later."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from fourfirsts.core.access import Role, scope_of
from fourfirsts.core.models import Record

READERS = (Role.COMMITTEE, Role.LEADER)


class PublishedReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The federation's published reports are the committee's and the leaders' to read."""
        return self if scope_of(user).has(*READERS) else self.none()


class PublishedReport(Record):
    year = models.PositiveSmallIntegerField(_("年度"))
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    title = models.CharField(_("标题"), max_length=200)
    published_at = models.DateTimeField(_("发布时间"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发布人"), null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    report_date = models.DateField(_("报告日期"))
    note = models.CharField(_("说明"), max_length=500, blank=True)
    # Each figure as `Figure.as_json` printed it: id, label, value, unit, display, parts, names, previous, trend.
    snapshot = models.JSONField(_("指标快照"))

    objects = PublishedReportQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("已发布报告")
        verbose_name_plural = _("已发布报告")
        ordering = ["-year", "-version"]
        constraints = [models.UniqueConstraint(fields=["year", "version"], name="published_report_year_version")]

    def __str__(self):
        return f"{self.title}（{self.version}）"


def _upload_to(instance, filename):
    return f"reports/{instance.report.year}/{instance.report.version}/{filename}"


class PublishedFile(models.Model):
    report = models.ForeignKey(PublishedReport, on_delete=models.CASCADE, related_name="files")
    format = models.CharField(_("格式"), max_length=8)
    file = models.FileField(_("文件"), upload_to=_upload_to)
    size = models.PositiveIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "format"], name="published_file_format")]

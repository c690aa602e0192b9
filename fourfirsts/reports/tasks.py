"""Report rendering runs in the worker (a PDF takes seconds); the page polls
its progress and then offers the file."""

from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from fourfirsts.core import progress
from fourfirsts.core.actors import Actor


def download_path(key: str, fmt: str) -> Path:
    return Path(settings.VAR_DIR) / "reports" / f"{key}.{fmt}"


@task()
def render_report(key: str, user_id: int, year: int, fmt: str) -> bool:
    from fourfirsts.accounts.models import User
    from fourfirsts.reports import formats, prose

    user = User.objects.get(pk=user_id)
    total = len(_figure_ids()) + 1

    def step(done):
        progress.update(key, done=done, total=total)

    try:
        report = prose.build(user, year, progress=step)
        data = formats.get(fmt).render(report)
        path = download_path(key, fmt)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except Exception:
        # Whatever went wrong, the page polling this task must stop waiting.
        progress.finish(key, ok=False, message=_("生成报告时发生内部错误，请联系系统管理员"))
        raise
    progress.finish(key, ok=True, message=_("报告已生成"), result={
        "download": reverse("reports:download", args=[key]), "filename": formats.filename(report, fmt, federation=report.federation),
        "format": fmt})
    return True


@task()
def publish_report(key: str, user_id: int, year: int, note: str) -> bool:
    from django.core.exceptions import PermissionDenied

    from fourfirsts.accounts.models import User
    from fourfirsts.reports import services

    user = User.objects.get(pk=user_id)

    def step(done, total):
        progress.update(key, done=done, total=total)

    try:
        published = services.report_publish(actor=Actor.of(user), year=year, note=note, progress=step)
    except (PermissionDenied, ValueError) as e:
        progress.finish(key, ok=False, message=str(e))
        return False
    except Exception:
        progress.finish(key, ok=False, message=_("发布报告时发生内部错误，未发布任何内容，请联系系统管理员"))
        raise
    progress.finish(key, ok=True, message=_("%(title)s已发布（第 %(v)s 版）") % {"title": published.title,
                                                                            "v": published.version},
                    result={"link": reverse("reports:published_detail", args=[published.pk])})
    return True


def _figure_ids():
    from fourfirsts.core import figures

    return [f.id for f in figures.all_figures()]

"""The reports' periodic jobs; each runs once per slot however many workers run (core.jobs)."""

import time
from datetime import timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from fourfirsts.core import jobs, progress


@jobs.register("reports.forget_downloads", timedelta(hours=6), _("清理过期的报告下载文件"))
def forget_downloads(slot):
    """A rendered report is offered for as long as its progress is kept;
    after that nobody can download it, so the file goes too."""
    folder = settings.VAR_DIR / "reports"
    if not folder.is_dir():
        return 0
    cutoff = time.time() - progress.TTL
    old = [p for p in folder.iterdir() if p.is_file() and p.stat().st_mtime < cutoff]
    for p in old:
        p.unlink(missing_ok=True)
    return len(old)

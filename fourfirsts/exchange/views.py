"""The workbook in the UI: export what the reader may see, download the blank
template, and upload a file to import in the background."""

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from fourfirsts.core import progress
from fourfirsts.core.access import Role, scope_of
from fourfirsts.core.views import require_role
from fourfirsts.exchange import services, tasks

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD = 50 * 1024 * 1024
READERS = (Role.COMMITTEE, Role.LEADER, Role.INSTRUCTOR, Role.SECRETARY)


@login_required
@require_http_methods(["GET", "POST"])
def workbook_page(request):
    require_role(request, *READERS)
    error = None
    if request.method == "POST":
        require_role(request, Role.COMMITTEE)
        upload = request.FILES.get("file")
        if upload is None:
            error = _("请选择要导入的 .xlsx 文件")
        elif not upload.name.lower().endswith(".xlsx"):
            error = _("“%(name)s”不是 .xlsx 工作簿") % {"name": upload.name}
        elif upload.size > MAX_UPLOAD:
            error = _("“%(name)s”超过 50MB") % {"name": upload.name}
        else:
            return redirect("core:progress", key=_start_import(request, upload))
    return render(request, "exchange/workbook.html", {"page_title": _("数据交换"), "error": error,
                                                      "can_import": scope_of(request.user).has(Role.COMMITTEE)})


def _start_import(request, upload) -> str:
    folder = Path(settings.VAR_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    key = progress.new_key()
    path = folder / f"{key}.xlsx"
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    progress.start(key, owner_id=request.user.pk, label=_("导入 %(filename)s") % {"filename": upload.name})
    tasks.import_workbook.enqueue(str(path), request.user.pk, key, request.POST.get("dry_run") == "1", upload.name)
    return key


@login_required
@require_POST
def workbook_export(request):
    require_role(request, *READERS)
    with _scratch_file() as path:
        services.export_for_user(path, user=request.user, request=request)
        name = f"fourfirsts-{timezone.localdate():%Y%m%d}.xlsx"
        return FileResponse(_open_and_forget(path), as_attachment=True, filename=name, content_type=XLSX)


@login_required
def workbook_template(request):
    require_role(request, *READERS)
    with _scratch_file() as path:
        services.blank_template(path)
        return FileResponse(_open_and_forget(path), as_attachment=True, filename="fourfirsts-template.xlsx",
                            content_type=XLSX)


@contextmanager
def _scratch_file():
    """A temporary path that is removed whatever happens: exports hold
    personal data and must not pile up on disk."""
    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    try:
        yield path
    finally:
        Path(path).unlink(missing_ok=True)


def _open_and_forget(path):
    """An open handle whose file is already unlinked: the bytes live until
    the response is sent, the name is gone at once."""
    handle = open(path, "rb")  # noqa: SIM115 - closed by FileResponse
    os.unlink(path)
    return handle

"""Workbook imports run in the worker; the page polls their progress."""

from pathlib import Path

from django.utils.translation import gettext as _
from django_tasks import task

from fourfirsts.core import progress
from fourfirsts.core.actors import Actor


@task()
def import_workbook(path: str, user_id: int, key: str, dry_run: bool, filename: str) -> bool:
    from fourfirsts.accounts.models import User
    from fourfirsts.exchange import services

    user = User.objects.get(pk=user_id)
    progress.update(key, label=_("导入 %(filename)s") % {"filename": filename})

    def step(done, total):
        progress.update(key, done=done, total=total)

    try:
        report = services.import_file(path, actor=Actor.of(user), dry_run=dry_run, progress=step, filename=filename)
    except (OSError, ValueError) as e:
        progress.finish(key, ok=False, message=_("无法读取工作簿：%(error)s") % {"error": e})
        return False
    except Exception:
        # Whatever went wrong, the page polling this import must stop waiting.
        progress.finish(key, ok=False, message=_("导入时发生内部错误，未写入任何数据，请联系系统管理员"))
        raise
    finally:
        Path(path).unlink(missing_ok=True)
    if report.ok:
        progress.finish(key, ok=True, message=report.summary())
    else:
        problems = [[p.sheet, p.row, p.column, p.reason] for p in report.problems]
        progress.finish(
            key,
            ok=False,
            message=_("发现 %(n)s 个问题，未写入任何数据") % {"n": len(problems)},
            result={"problems": problems},
        )
    return report.ok

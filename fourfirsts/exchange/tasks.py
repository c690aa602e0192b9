"""Workbook imports run in the worker; the page polls their progress."""

from pathlib import Path

from django_tasks import task

from fourfirsts.core import progress
from fourfirsts.core.actors import Actor


@task()
def import_workbook(path: str, user_id: int, key: str, dry_run: bool, filename: str) -> bool:
    from fourfirsts.accounts.models import User
    from fourfirsts.exchange import services

    user = User.objects.get(pk=user_id)
    progress.update(key, label=f"导入 {filename}")

    def step(done, total):
        progress.update(key, done=done, total=total)

    try:
        report = services.import_file(path, actor=Actor.of(user), dry_run=dry_run, progress=step, filename=filename)
    except (OSError, ValueError) as e:
        progress.finish(key, ok=False, message=f"无法读取工作簿：{e}")
        return False
    finally:
        Path(path).unlink(missing_ok=True)
    if report.ok:
        progress.finish(key, ok=True, message=report.summary())
    else:
        problems = [[p.sheet, p.row, p.column, p.reason] for p in report.problems]
        progress.finish(key, ok=False, message=f"发现 {len(problems)} 个问题，未写入任何数据", result={"problems": problems})
    return report.ok

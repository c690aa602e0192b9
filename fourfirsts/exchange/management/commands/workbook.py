"""`manage.py workbook export -o FILE.xlsx` / `manage.py workbook import FILE.xlsx [--dry-run]`
/ `manage.py workbook template -o FILE.xlsx`.

Runs in the system scope: exports carry full personal numbers (for backups
and moves) and every run is in the security log."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from fourfirsts.core.actors import Actor
from fourfirsts.exchange import docs as workbook_docs
from fourfirsts.exchange import services


class Command(BaseCommand):
    @property
    def help(self):  # gettext at call time: argparse cannot format a lazy string
        return _("导出或导入工作簿（系统范围）")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        exp = sub.add_parser("export", help=_("导出全部数据"))
        exp.add_argument("-o", "--output", required=True)
        tpl = sub.add_parser("template", help=_("导出空白模板"))
        tpl.add_argument("-o", "--output", required=True)
        docs = sub.add_parser("docs", help=_("重新生成 docs/workbook.md"))
        docs.add_argument("-o", "--output", default=str(settings.BASE_DIR / "docs" / "workbook.md"))
        imp = sub.add_parser("import", help=_("导入工作簿"))
        imp.add_argument("file")
        imp.add_argument("--dry-run", action="store_true", help=_("只检查，不写入"))

    def handle(self, *args, action, **options):
        if action == "export":
            counts = services.export_for_system(options["output"])
            self.stdout.write(
                _("已导出 %(n)s 行到 %(path)s") % {"n": sum(counts.values()), "path": options["output"]}
            )
        elif action == "docs":
            Path(options["output"]).write_text(workbook_docs.render(), encoding="utf-8")
            self.stdout.write(_("已写入 %(path)s") % {"path": options["output"]})
        elif action == "template":
            services.blank_template(options["output"])
            self.stdout.write(_("空白模板已写入 %(path)s") % {"path": options["output"]})
        else:
            self._import(options["file"], options["dry_run"])

    def _import(self, path, dry_run):
        try:
            report = services.import_file(path, actor=Actor.system(_("导入")), dry_run=dry_run, filename=path)
        except (OSError, ValueError) as e:
            raise CommandError(_("无法读取工作簿 %(path)s：%(error)s") % {"path": path, "error": e}) from None
        for problem in report.problems:
            self.stderr.write(str(problem))
        if not report.ok:
            raise CommandError(_("发现 %(n)s 个问题，未写入任何数据") % {"n": len(report.problems)})
        self.stdout.write(report.summary())

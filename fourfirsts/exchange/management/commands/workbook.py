"""`manage.py workbook export -o FILE.xlsx` / `manage.py workbook import FILE.xlsx [--dry-run]`
/ `manage.py workbook template -o FILE.xlsx`.

Runs in the system scope: exports carry full personal numbers (for backups
and moves) and every run is in the security log."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from fourfirsts.core.actors import Actor
from fourfirsts.exchange import docs as workbook_docs
from fourfirsts.exchange import services


class Command(BaseCommand):
    help = "导出或导入工作簿（系统范围）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        exp = sub.add_parser("export", help="导出全部数据")
        exp.add_argument("-o", "--output", required=True)
        tpl = sub.add_parser("template", help="导出空白模板")
        tpl.add_argument("-o", "--output", required=True)
        docs = sub.add_parser("docs", help="重新生成 docs/workbook.md")
        docs.add_argument("-o", "--output", default=str(settings.BASE_DIR / "docs" / "workbook.md"))
        imp = sub.add_parser("import", help="导入工作簿")
        imp.add_argument("file")
        imp.add_argument("--dry-run", action="store_true", help="只检查，不写入")

    def handle(self, *args, action, **options):
        if action == "export":
            counts = services.export_for_system(options["output"])
            self.stdout.write(f"已导出 {sum(counts.values())} 行到 {options['output']}")
        elif action == "docs":
            Path(options["output"]).write_text(workbook_docs.render(), encoding="utf-8")
            self.stdout.write(f"已写入 {options['output']}")
        elif action == "template":
            services.blank_template(options["output"])
            self.stdout.write(f"空白模板已写入 {options['output']}")
        else:
            self._import(options["file"], options["dry_run"])

    def _import(self, path, dry_run):
        try:
            report = services.import_file(path, actor=Actor.system("导入"), dry_run=dry_run, filename=path)
        except (OSError, ValueError) as e:
            raise CommandError(f"无法读取工作簿 {path}：{e}") from None
        for problem in report.problems:
            self.stderr.write(str(problem))
        if not report.ok:
            raise CommandError(f"发现 {len(report.problems)} 个问题，未写入任何数据")
        self.stdout.write(report.summary())

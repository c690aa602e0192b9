"""`manage.py bench generate --scale city|province [--seed N]` fills an empty
database with deterministic data; `manage.py bench run [--json]` measures the
report, the figures against their floors, the pages, the API, imports and
exports and the public intake, and writes docs/benchmarks.md."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


class Command(BaseCommand):
    @property
    def help(self):  # gettext at call time: argparse cannot format a lazy string
        return _("性能基准：生成数据、运行测量")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        gen = sub.add_parser("generate", help=_("向空数据库写入确定的基准数据"))
        gen.add_argument("--scale", choices=["city", "province"], default="city")
        gen.add_argument("--seed", type=int, default=1)
        run = sub.add_parser("run", help=_("在当前数据库上测量并写入 docs/benchmarks.md"))
        run.add_argument("--json", action="store_true", help=_("以 JSON 输出"))
        run.add_argument("--output", default=None, help=_("结果写入的 Markdown 文件（默认 docs/benchmarks.md）"))

    def handle(self, *args, action, **options):
        from fourfirsts.bench import generate, run

        try:
            if action == "generate":
                generate.generate(scale=options["scale"], seed=options["seed"], out=self.stdout)
            else:
                run.run(as_json=options["json"], output=options["output"], out=self.stdout)
        except generate.NotEmpty as e:
            raise CommandError(str(e)) from None

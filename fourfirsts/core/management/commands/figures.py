"""`manage.py figures --year 2022 [--json]`: every registered figure in the
system scope (the federation's), as figures.md defines them."""

import json as jsonlib

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from fourfirsts.core import figures


class Command(BaseCommand):
    @property
    def help(self):  # gettext at call time: argparse cannot format a lazy string
        return _("计算全部指标（系统范围）")

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--json", action="store_true", help=_("输出 JSON"))

    def handle(self, *args, year, json: bool = False, **options):
        rows = [figures.get(f_id).as_json(r) for f_id, r in figures.evaluate_all(None, year).items()]
        if json:
            self.stdout.write(_dumps(rows))
            return
        for row in rows:
            self.stdout.write(f"{row['id']:<4} {row['label']}：{row['display']}")


def _dumps(rows):
    return jsonlib.dumps(rows, ensure_ascii=False, indent=2)

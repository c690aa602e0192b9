"""`manage.py report annual --year 2022 --format txt|html|docx|pdf|xlsx [-o FILE] [--user NAME]`:
the annual report in the system scope (the federation's), or as one user sees
it. Text goes to standard output when no file is named."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from fourfirsts.reports import formats, prose


class Command(BaseCommand):
    @property
    def help(self):  # gettext at call time: argparse cannot format a lazy string
        return _("生成年度报告")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["annual"], help=_("报告类型"))
        parser.add_argument("--year", type=int, required=True, help=_("报告年度"))
        parser.add_argument("--format", dest="fmt", default="txt", choices=sorted(formats.FORMATS), help=_("格式"))
        parser.add_argument("-o", "--output", help=_("输出文件；省略时纯文本写到标准输出"))
        parser.add_argument("--user", help=_("按该用户可见的范围生成（如党组织书记只含本组织）"))

    def handle(self, *args, kind, year, fmt, output=None, user=None, **options):
        this_year = timezone.localdate().year
        if not prose.FIRST_YEAR <= year <= this_year:
            raise CommandError(_("年度 %(year)s 无效，应为 %(first)s–%(last)s 之间的年份")
                               % {"year": year, "first": prose.FIRST_YEAR, "last": this_year})
        who = _user(user) if user else None
        fmt_ = formats.get(fmt)
        if output is None and fmt != "txt":
            raise CommandError(_("%(fmt)s 格式需要用 -o 指定输出文件") % {"fmt": fmt})
        if output is not None and not Path(output).resolve().parent.is_dir():
            raise CommandError(_("输出文件所在的文件夹不存在：%(path)s") % {"path": Path(output).resolve().parent})
        report = prose.build(who, year)
        data = fmt_.render(report)
        if output is None:
            self.stdout.write(data.decode("utf-8"), ending="")
            return
        Path(output).write_bytes(data)
        self.stderr.write(_("已写入 %(path)s（%(n)s 字节）") % {"path": output, "n": len(data)})


def _user(username):
    from django.contrib.auth import get_user_model

    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        raise CommandError(_("没有用户“%(name)s”") % {"name": username}) from None

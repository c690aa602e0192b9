"""`manage.py demo [--today YYYY-MM-DD] [--workbook PATH]`: build the demo
workbook (demo/build.py), import it like any other workbook, and set up the
demo accounts.

Idempotent: the importer skips rows identical to what is stored, so a second
run on the same day writes nothing, and the accounts are fetched by name."""

import argparse
import time
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from demo import build
from fourfirsts.accounts.models import User, role_group
from fourfirsts.core import audit
from fourfirsts.core.access import Role, forget_scope
from fourfirsts.core.actors import Actor
from fourfirsts.exchange import services
from fourfirsts.registry.models import (
    Association,
    Coverage,
    Department,
    Enterprise,
    InstructorAssignment,
    PartyMembership,
    PartyOrg,
    Person,
    PublicOffice,
    active_on,
    overlapping,
)

PASSWORD = "FourFirsts-2022"
# username, role
ACCOUNTS = (
    ("committee", Role.COMMITTEE),
    ("leader", Role.LEADER),
    ("instructor", Role.INSTRUCTOR),
    ("secretary", Role.SECRETARY),
    ("member", Role.MEMBER),
    ("handler", Role.HANDLER),
    ("sysadmin", Role.SYSTEM_ADMIN),
    ("secadmin", Role.SECURITY_ADMIN),
    ("auditadmin", Role.AUDIT_ADMIN),
)
# The office the demo workbook (demo/build.py) gives the mayor: data, matched as stored.
MAYOR_TITLE = "市长"


def _account_labels() -> dict[str, str]:
    """What each demo account is (its full name), by username."""
    association, department = build.ASSOCIATION_A, build.HANDLER_DEPARTMENT
    return {
        "committee": _("商协会党委工作人员"),
        "leader": _("市长"),
        "instructor": _("%(association)s的党建工作指导员") % {"association": association},
        "secretary": _("%(association)s党组织书记") % {"association": association},
        "member": _("%(association)s的会员党员") % {"association": association},
        "handler": _("%(department)s承办人") % {"department": department},
        "sysadmin": _("系统管理员"),
        "secadmin": _("安全管理员"),
        "auditadmin": _("审计管理员"),
    }


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(_("日期格式应为 YYYY-MM-DD：%(value)s") % {"value": value}) from None


class Command(BaseCommand):
    @property
    def help(self):  # gettext at call time: argparse cannot format a lazy string
        return _("生成并导入演示数据，创建演示账号（可重复运行）")

    def add_arguments(self, parser):
        parser.add_argument("--today", type=_day, help=_("以哪一天为“今天”生成近期数据（默认今天）"))
        parser.add_argument("--workbook", help=_("演示工作簿的路径（默认 var/demo.xlsx）"))

    def handle(self, *args, today=None, workbook=None, **options):
        today = today or timezone.localdate()
        path = Path(workbook) if workbook else Path(settings.VAR_DIR) / "demo.xlsx"

        started = time.monotonic()
        try:
            build.build_workbook(path, today)
        except ValueError as e:
            raise CommandError(str(e)) from None
        built = time.monotonic()
        self.stdout.write(_("正在导入演示工作簿 %(path)s …") % {"path": path})
        report = services.import_file(str(path), actor=Actor.system(_("演示数据")), filename=path.name)
        imported = time.monotonic()
        for problem in report.problems:
            self.stderr.write(str(problem))
        if not report.ok:
            raise CommandError(_("演示工作簿有 %(n)s 个问题，未写入任何数据") % {"n": len(report.problems)})
        self.stdout.write(
            _("以 %(today)s 为今天生成 %(built).1f 秒；导入 %(imported).1f 秒：%(summary)s")
            % {"today": today, "built": built - started, "imported": imported - built, "summary": report.summary()}
        )

        self.stdout.write(_summary(today))
        created = self._accounts(today)
        if created:
            heading = _("演示账号（密码均为 %(password)s，本次新建 %(n)s 个）：") % {
                "password": PASSWORD, "n": len(created)
            }
        else:
            heading = _("演示账号（密码均为 %(password)s，均已存在）：") % {"password": PASSWORD}
        self.stdout.write(heading)
        for user in User.objects.filter(
            is_demo=True, username__in=[a[0] for a in ACCOUNTS]
        ).order_by("id"):
            linked = "，".join(str(x) for x in (user.party_org, user.department, user.person) if x)
            roles = "、".join(user.role_labels)
            line = f"  {user.username:<11}{roles}"
            if linked:
                line += _("（%(linked)s）") % {"linked": linked}
            self.stdout.write(line)

    @transaction.atomic
    def _accounts(self, today: date) -> list[str]:
        links = _links(today)
        labels = _account_labels()
        created = []
        for username, role in ACCOUNTS:
            label = labels[username]
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(username=username)
                user.set_password(PASSWORD)
                created.append(username)
            elif not user.check_password(PASSWORD):
                user.set_password(PASSWORD)
            user.first_name = label
            user.is_active = True
            user.is_demo = True
            user.must_change_password = False
            user.person = links.get(username, {}).get("person")
            user.party_org = links.get(username, {}).get("party_org")
            user.department = links.get(username, {}).get("department")
            user.save()
            user.groups.set([role_group(role)])
            forget_scope(user)
            if username in created:
                audit.log(
                    audit.Kind.ACCOUNT_CHANGE,
                    username=_("演示数据"),
                    target=username,
                    action="demo_create",
                    role=role,
                )
        return created


def _summary(today: date) -> str:
    year_end = date(2022, 12, 31)
    counts = {
        "associations": Association.objects.count(),
        "operating": Association.objects.in_operation_on(today).count(),
        "orgs": PartyOrg.objects.count(),
        "covered": Coverage.objects.filter(active_on(today)).values("association").distinct().count(),
        "members": Person.objects.party_members_on(today).distinct().count(),
        "enterprises": Enterprise.objects.count(),
        "instructors": InstructorAssignment.objects.filter(overlapping(date(2022, 1, 1), year_end))
        .values("person")
        .distinct()
        .count(),
    }
    return (
        _(
            "商协会 %(associations)s 个（运行中 %(operating)s 个），"
            "党组织 %(orgs)s 个，覆盖商协会 %(covered)s 个，"
            "党员 %(members)s 名，"
            "会员企业 %(enterprises)s 家，"
            "2022年指导员 %(instructors)s 名"
        )
        % counts
    )


def _links(today: date) -> dict[str, dict]:
    """What each demo account is linked to, so its scope has something in it."""
    a = Association.objects.get(name=build.ASSOCIATION_A)
    coverage = (
        Coverage.objects.filter(active_on(today), association=a)
        .select_related("party_org")
        .order_by("since", "id")
        .first()
    )
    if coverage is None:
        raise CommandError(_("演示数据中%(name)s没有党组织覆盖") % {"name": a.name})
    org = coverage.party_org
    instructor = (
        InstructorAssignment.objects.filter(active_on(today), association=a)
        .order_by("since", "id")
        .first()
    )
    member = (
        PartyMembership.objects.filter(active_on(today), party_org=org)
        .exclude(person=org.secretary)
        .select_related("person")
        .order_by("person__ref")
        .first()
    )
    mayor = (
        PublicOffice.objects.filter(active_on(today), title=MAYOR_TITLE)
        .select_related("person")
        .order_by("-since")
        .first()
    )
    return {
        "secretary": {"party_org": org, "person": org.secretary},
        "instructor": {"person": instructor.person if instructor else None},
        "member": {"person": member.person if member else None},
        "handler": {"department": Department.objects.get(name=build.HANDLER_DEPARTMENT)},
        "leader": {"person": mayor.person if mayor else None},
    }

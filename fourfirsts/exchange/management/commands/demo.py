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
# username, role, what the account is
ACCOUNTS = (
    ("committee", Role.COMMITTEE, "商协会党委工作人员"),
    ("leader", Role.LEADER, "市长"),
    ("instructor", Role.INSTRUCTOR, f"{build.ASSOCIATION_A}的党建工作指导员"),
    ("secretary", Role.SECRETARY, f"{build.ASSOCIATION_A}党组织书记"),
    ("member", Role.MEMBER, f"{build.ASSOCIATION_A}的会员党员"),
    ("handler", Role.HANDLER, f"{build.HANDLER_DEPARTMENT}承办人"),
    ("sysadmin", Role.SYSTEM_ADMIN, "系统管理员"),
    ("secadmin", Role.SECURITY_ADMIN, "安全管理员"),
    ("auditadmin", Role.AUDIT_ADMIN, "审计管理员"),
)


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{value}") from None


class Command(BaseCommand):
    help = "生成并导入演示数据，创建演示账号（可重复运行）"

    def add_arguments(self, parser):
        parser.add_argument("--today", type=_day, help="以哪一天为“今天”生成近期数据（默认今天）")
        parser.add_argument("--workbook", help="演示工作簿的路径（默认 var/demo.xlsx）")

    def handle(self, *args, today=None, workbook=None, **options):
        today = today or timezone.localdate()
        path = Path(workbook) if workbook else Path(settings.VAR_DIR) / "demo.xlsx"

        started = time.monotonic()
        try:
            build.build_workbook(path, today)
        except ValueError as e:
            raise CommandError(str(e)) from None
        built = time.monotonic()
        self.stdout.write(f"正在导入演示工作簿 {path} …")
        report = services.import_file(str(path), actor=Actor.system("演示数据"), filename=path.name)
        imported = time.monotonic()
        for problem in report.problems:
            self.stderr.write(str(problem))
        if not report.ok:
            raise CommandError(f"演示工作簿有 {len(report.problems)} 个问题，未写入任何数据")
        self.stdout.write(
            f"以 {today} 为今天生成 {built - started:.1f} 秒；"
            f"导入 {imported - built:.1f} 秒：{report.summary()}"
        )

        self.stdout.write(_summary(today))
        created = self._accounts(today)
        self.stdout.write(
            f"演示账号（密码均为 {PASSWORD}，"
            + (f"本次新建 {len(created)} 个）：" if created else "均已存在）：")
        )
        for user in User.objects.filter(
            is_demo=True, username__in=[a[0] for a in ACCOUNTS]
        ).order_by("id"):
            linked = "，".join(str(x) for x in (user.party_org, user.department, user.person) if x)
            self.stdout.write(
                f"  {user.username:<11}{'、'.join(user.role_labels)}"
                + (f"（{linked}）" if linked else "")
            )

    @transaction.atomic
    def _accounts(self, today: date) -> list[str]:
        links = _links(today)
        created = []
        for username, role, label in ACCOUNTS:
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
                    username="演示数据",
                    target=username,
                    action="demo_create",
                    role=role,
                )
        return created


def _summary(today: date) -> str:
    year_end = date(2022, 12, 31)
    return (
        f"商协会 {Association.objects.count()} 个（运行中 {Association.objects.in_operation_on(today).count()} 个），"
        f"党组织 {PartyOrg.objects.count()} 个，覆盖商协会 "
        f"{Coverage.objects.filter(active_on(today)).values('association').distinct().count()} 个，"
        f"党员 {Person.objects.party_members_on(today).distinct().count()} 名，"
        f"会员企业 {Enterprise.objects.count()} 家，"
        f"2022年指导员 {InstructorAssignment.objects.filter(overlapping(date(2022, 1, 1), year_end)).values('person').distinct().count()} 名"
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
        raise CommandError(f"演示数据中{a.name}没有党组织覆盖")
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
        PublicOffice.objects.filter(active_on(today), title="市长")
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

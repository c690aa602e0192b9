"""The cast every test uses (DESIGN.md): committee, leader, the instructor of A,
the secretaries of A and B, a member of A, a handler, the three admins, and
anonymous — with a small registry built through the services."""

import os
import shutil
from dataclasses import dataclass
from datetime import date

import pytest
from django.core.cache import cache

from fourfirsts.accounts.models import User, role_group
from fourfirsts.core.access import Role
from fourfirsts.core.actors import Actor
from fourfirsts.registry import services as reg
from fourfirsts.registry.models import (
    Association,
    AssociationStatus,
    Department,
    Enterprise,
    EnterpriseMembership,
    PartyMembership,
    PartyOrg,
    Person,
)

SYSTEM = Actor.system("测试")
PASSWORD = "FourFirsts-2022"


def require_tool(path_or_name: str) -> str:
    """A system tool a test needs: skip without it, but fail under CI."""
    found = path_or_name if os.path.exists(path_or_name) else shutil.which(path_or_name)
    if not found:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI 需要系统工具 {path_or_name}，但未安装")
        pytest.skip(f"未安装 {path_or_name}")
    return found


@pytest.fixture(autouse=True)
def _clear_cache(settings):
    """A cache of each test's own: the file cache under var/ is shared by the
    parallel test processes."""
    from django.contrib.contenttypes.models import ContentType

    from fourfirsts.core import workdays

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    workdays.clear_cache()
    # A transactional test (the browser tests) flushes the tables and post_migrate
    # recreates the content types with new ids: forget the cached ones.
    ContentType.objects.clear_cache()
    yield
    workdays.clear_cache()


@dataclass
class World:
    assoc_a: Association
    assoc_b: Association
    assoc_c: Association
    org_a: PartyOrg
    org_b: PartyOrg
    committee_org: PartyOrg
    ent_a: Enterprise
    ent_b: Enterprise
    person_a: Person
    person_b: Person
    member_a: Person
    instructor: Person
    department: Department
    other_department: Department


def make_association(name, kind=Association.Kind.NON_LOCAL, reg_no="", founded=date(2015, 3, 1)):
    return reg.association_save(
        actor=SYSTEM,
        values={"name": name, "kind": kind, "registration_number": reg_no, "founded_on": founded},
        status=AssociationStatus.Status.ACTIVE,
        status_since=founded,
    )


def make_person(name, **values):
    return reg.person_save(actor=SYSTEM, values={"name": name, **values})


@pytest.fixture
def world(db) -> World:
    a = make_association("娄底市安徽商会", reg_no="51431300MJJ000001A")
    b = make_association("娄底市浙江商会", reg_no="51431300MJJ000002B")
    c = make_association("娄底市长沙商会", reg_no="51431300MJJ000003C")
    committee_org = reg.party_org_save(actor=SYSTEM, values={
        "name": "娄底市工商联商协会党委", "kind": PartyOrg.Kind.PARTY_COMMITTEE, "established_on": date(2012, 1, 1)})
    org_a = reg.party_org_save(actor=SYSTEM, values={
        "name": "娄底市安徽商会党支部", "kind": PartyOrg.Kind.BRANCH, "parent": committee_org,
        "established_on": date(2018, 6, 1)})
    org_b = reg.party_org_save(actor=SYSTEM, values={
        "name": "娄底市浙江商会党支部", "kind": PartyOrg.Kind.BRANCH, "parent": committee_org,
        "established_on": date(2019, 6, 1)})
    reg.coverage_save(actor=SYSTEM, values={"party_org": org_a, "association": a, "since": date(2018, 6, 1)})
    reg.coverage_save(actor=SYSTEM, values={"party_org": org_b, "association": b, "since": date(2019, 6, 1)})
    ent_a = reg.enterprise_save(actor=SYSTEM, values={"name": "湖南安徽建材有限公司", "uscc": _uscc(1), "industry": "C", "size": "small",
                                                      "contact_phone": "13812345678"})
    ent_b = reg.enterprise_save(actor=SYSTEM, values={"name": "娄底浙商物流有限公司", "uscc": _uscc(2), "industry": "G"})
    for ent, assoc in ((ent_a, a), (ent_b, b)):
        reg.dated_link_save(actor=SYSTEM, model=EnterpriseMembership,
                            values={"enterprise": ent, "association": assoc, "since": date(2016, 1, 1)})
    person_a = make_person("张安徽", gender="male", birth_date=date(1975, 5, 4),
                           id_number=_ric("430102", date(1975, 5, 4), 1), phone="13800001111")
    person_b = make_person("李浙江", gender="male", birth_date=date(1970, 1, 2))
    member_a = make_person("王会员", gender="female", birth_date=date(1985, 8, 8),
                           id_number=_ric("431302", date(1985, 8, 8), 2), phone="13900002222")
    instructor = make_person("赵指导", gender="male", birth_date=date(1980, 3, 3))
    for person, org in ((person_a, org_a), (person_b, org_b), (member_a, org_a)):
        reg.dated_link_save(actor=SYSTEM, model=PartyMembership,
                            values={"person": person, "party_org": org, "since": date(2018, 6, 1)})
    reg.instructor_assign(actor=SYSTEM, values={"person": instructor, "association": a, "party_org": org_a,
                                                "since": date(2020, 1, 1), "source_unit": "市工商联"})
    reg.instructor_assign(actor=SYSTEM, values={"person": instructor, "association": c,
                                                "since": date(2020, 1, 1), "source_unit": "市工商联"})
    dept = reg.department_save(actor=SYSTEM, values={"name": "娄底市交通运输局", "short_name": "市交通局"})
    other = reg.department_save(actor=SYSTEM, values={"name": "娄底市自然资源和规划局", "short_name": "市自然资源局"})
    return World(a, b, c, org_a, org_b, committee_org, ent_a, ent_b, person_a, person_b, member_a, instructor,
                 dept, other)


def _uscc(n: int) -> str:
    from stdnum.cn import uscc

    body = f"91431300MA4L{n:05d}"
    return body + uscc.calc_check_digit(body)


def _ric(area: str, born: date, seq: int) -> str:
    from stdnum.cn import ric

    body = f"{area}{born:%Y%m%d}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")


def make_user(username, *roles, **links) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, must_change_password=False, **links)
    for role in roles:
        user.groups.add(role_group(role))
    return user


@dataclass
class Cast:
    committee: User
    leader: User
    instructor: User
    secretary_a: User
    secretary_b: User
    member_a: User
    handler: User
    sysadmin: User
    secadmin: User
    auditadmin: User

    def all(self) -> dict[str, User | None]:
        return {**{k: getattr(self, k) for k in self.__dataclass_fields__}, "anonymous": None}


@pytest.fixture
def cast(world) -> Cast:
    return Cast(
        committee=make_user("committee", Role.COMMITTEE),
        leader=make_user("leader", Role.LEADER),
        instructor=make_user("instructor", Role.INSTRUCTOR, person=world.instructor),
        secretary_a=make_user("secretary_a", Role.SECRETARY, party_org=world.org_a, person=world.person_a),
        secretary_b=make_user("secretary_b", Role.SECRETARY, party_org=world.org_b, person=world.person_b),
        member_a=make_user("member_a", Role.MEMBER, person=world.member_a),
        handler=make_user("handler", Role.HANDLER, department=world.department),
        sysadmin=make_user("sysadmin", Role.SYSTEM_ADMIN),
        secadmin=make_user("secadmin", Role.SECURITY_ADMIN),
        auditadmin=make_user("auditadmin", Role.AUDIT_ADMIN),
    )


@pytest.fixture
def client_for(client):
    """client_for(user) → a test client logged in as that user (None: anonymous)."""

    def login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return login


@pytest.fixture(autouse=True)
def _tasks_run_immediately(settings):
    """Background tasks run inline in tests, so a test sees their effect."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """PBKDF2 costs ~0.5 s a user; tests that check hashing itself opt back in."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

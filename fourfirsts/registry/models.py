"""The registry: associations, party orgs, enterprises, people, departments and
instructor assignments — the records every pillar stands on.

Every fact that a figure counts "as of" a date carries its dates (since /
until, inclusive, until blank = still so), so editing today never changes last
year's numbers. Reads go through `visible_to(user)`; writes through services.
"""

import uuid
from datetime import date

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from fourfirsts.core.access import Role, scope_of
from fourfirsts.core.fields import SealedCharField
from fourfirsts.core.models import Record, touches_parent


def new_ref() -> str:
    """A stable 编号 for a record created in the UI (rows from a file keep theirs)."""
    return uuid.uuid4().hex[:12].upper()


def active_on(day: date, prefix: str = "") -> Q:
    """Dated facts in force on a day: since ≤ day and (until blank or ≥ day)."""
    return Q(**{f"{prefix}since__lte": day}) & (
        Q(**{f"{prefix}until__isnull": True}) | Q(**{f"{prefix}until__gte": day})
    )


def overlapping(first: date, last: date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}since__lte": last}) & (
        Q(**{f"{prefix}until__isnull": True}) | Q(**{f"{prefix}until__gte": first})
    )


class Dated(models.Model):
    since = models.DateField(_("起始日期"))
    until = models.DateField(_("截止日期"), null=True, blank=True)

    class Meta:
        abstract = True


class Named(Record):
    """A record with a 编号, a name and the derived search and sort keys."""

    ref = models.CharField(_("编号"), max_length=40, unique=True, default=new_ref)
    name = models.CharField(_("名称"), max_length=200)
    search_key = models.TextField(editable=False, default="")
    sort_key = models.CharField(max_length=200, editable=False, default="", db_index=True)

    class Meta:
        abstract = True
        ordering = ["sort_key", "id"]

    def __str__(self):
        return self.name


class ScopedQuerySet(models.QuerySet):
    """visible_to(user) for registry records: everything for the federation-wide
    roles and the system scope, nothing for None or anonymous, otherwise the
    rows `scoped(scope)` returns."""

    def visible_to(self, user):
        scope = scope_of(user)
        if scope.sees_all:
            return self
        if scope.is_empty:
            return self.none()
        return self.filter(self.scope_filter(scope)).distinct()

    def scope_filter(self, scope) -> Q:  # pragma: no cover - every subclass overrides
        return Q(pk__in=[])

    def search(self, q: str):
        from fourfirsts.core.searchkeys import normalise_query

        q = normalise_query(q or "")
        return self.filter(search_key__contains=q) if q else self


# --- associations -----------------------------------------------------------


class AssociationQuerySet(ScopedQuerySet):
    def scope_filter(self, scope):
        return Q(pk__in=scope.association_ids)

    def in_operation_on(self, day: date):
        return self.filter(
            statuses__in=AssociationStatus.objects.current_on(day).filter(status=AssociationStatus.Status.ACTIVE)
        )


class Association(Named):
    class Kind(models.TextChoices):
        NON_LOCAL = "non_local", _("异地商会")
        INDUSTRY = "industry", _("行业协会")
        TOWNSHIP = "township", _("乡镇商会")
        MARKET = "market", _("市场商会")
        OTHER = "other", _("其他")

    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    registration_number = models.CharField(_("登记证号"), max_length=40, blank=True)
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    supervising_body = models.CharField(_("业务主管单位"), max_length=100, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = SealedCharField(_("联系电话"), blank=True, default="")

    objects = AssociationQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["contact_phone"])  # phones stay out of history

    class Meta(Named.Meta):
        verbose_name = _("商协会")
        constraints = [
            models.UniqueConstraint(
                fields=["registration_number"],
                condition=~Q(registration_number=""),
                name="association_registration_unique",
                violation_error_message=_("登记证号已被另一商协会使用"),
            )
        ]


class AssociationStatusQuerySet(models.QuerySet):
    def current_on(self, day: date):
        """Each association's latest status dated on or before the day."""
        latest = (
            AssociationStatus.objects.filter(association=models.OuterRef("association"), since__lte=day)
            .order_by("-since", "-id")
            .values("id")[:1]
        )
        return self.filter(id=models.Subquery(latest))


class AssociationStatus(Record):
    """Dated status: the status from `since` until the next entry."""

    class Status(models.TextChoices):
        PREPARING = "preparing", _("筹备中")
        ACTIVE = "active", _("正常")
        DEREGISTERED = "deregistered", _("注销")

    ref = models.CharField(_("编号"), max_length=40, unique=True, default=new_ref)
    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="statuses")
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices)
    since = models.DateField(_("起始日期"))

    objects = AssociationStatusQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["association_id", "since"]
        constraints = [
            models.UniqueConstraint(fields=["association", "since"], name="association_status_once_per_day")
        ]


# --- party organisations -----------------------------------------------------


class PartyOrgQuerySet(ScopedQuerySet):
    def scope_filter(self, scope):
        return Q(pk__in=scope.party_org_ids)

    def existing_on(self, day: date):
        return self.filter(Q(established_on__lte=day), Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=day))


class PartyOrg(Named):
    class Kind(models.TextChoices):
        PARTY_COMMITTEE = "party_committee", _("党委")
        GENERAL_BRANCH = "general_branch", _("党总支")
        BRANCH = "branch", _("党支部")
        JOINT_BRANCH = "joint_branch", _("联合党支部")

    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级党组织"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    established_on = models.DateField(_("成立日期"))
    dissolved_on = models.DateField(_("撤销日期"), null=True, blank=True)
    secretary = models.ForeignKey(
        "Person", verbose_name=_("书记"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    term_end = models.DateField(_("届满日期"), null=True, blank=True)
    has_committee = models.BooleanField(_("设支部委员会"), default=False)

    objects = PartyOrgQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta(Named.Meta):
        verbose_name = _("党组织")


class Coverage(Record, Dated):
    """A party org covers an association from `since` (联合组建: one org, several)."""

    ref = models.CharField(_("编号"), max_length=40, unique=True, default=new_ref)
    party_org = models.ForeignKey(PartyOrg, on_delete=models.CASCADE, related_name="coverages")
    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="coverages")

    history = HistoricalRecords()

    class Meta:
        ordering = ["since", "id"]


class CommitteeSeat(Record, Dated):
    ref = models.CharField(_("编号"), max_length=40, unique=True, default=new_ref)
    party_org = models.ForeignKey(PartyOrg, on_delete=models.CASCADE, related_name="committee_seats")
    person = models.ForeignKey("Person", on_delete=models.CASCADE, related_name="committee_seats")
    post = models.CharField(_("职务"), max_length=30)

    history = HistoricalRecords()


class PartyGroup(Record):
    ref = models.CharField(_("编号"), max_length=40, unique=True, default=new_ref)
    party_org = models.ForeignKey(PartyOrg, on_delete=models.CASCADE, related_name="party_groups")
    name = models.CharField(_("名称"), max_length=100)
    established_on = models.DateField(_("成立日期"))
    dissolved_on = models.DateField(_("撤销日期"), null=True, blank=True)

    history = HistoricalRecords()

    def __str__(self):
        return self.name


class PartyGroupMembership(Record, Dated):
    ref = models.CharField(_("编号"), max_length=40, unique=True, default=new_ref)
    party_group = models.ForeignKey(PartyGroup, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey("Person", on_delete=models.CASCADE, related_name="group_memberships")

    history = HistoricalRecords()


# --- enterprises ----------------------------------------------------------------

INDUSTRY_SECTIONS = {
    "A": _("农、林、牧、渔业"),
    "B": _("采矿业"),
    "C": _("制造业"),
    "D": _("电力、热力、燃气及水生产和供应业"),
    "E": _("建筑业"),
    "F": _("批发和零售业"),
    "G": _("交通运输、仓储和邮政业"),
    "H": _("住宿和餐饮业"),
    "I": _("信息传输、软件和信息技术服务业"),
    "J": _("金融业"),
    "K": _("房地产业"),
    "L": _("租赁和商务服务业"),
    "M": _("科学研究和技术服务业"),
    "N": _("水利、环境和公共设施管理业"),
    "O": _("居民服务、修理和其他服务业"),
    "P": _("教育"),
    "Q": _("卫生和社会工作"),
    "R": _("文化、体育和娱乐业"),
    "S": _("公共管理、社会保障和社会组织"),
    "T": _("国际组织"),
}


class EnterpriseQuerySet(ScopedQuerySet):
    def scope_filter(self, scope):
        from fourfirsts.core.access import extra_visibility

        # Current members only: an enterprise that left stops being visible.
        current = EnterpriseMembership.objects.filter(active_on(today()), association_id__in=scope.association_ids)
        return Q(pk__in=current.values("enterprise_id")) | extra_visibility("registry.enterprise", scope)

    def members_on(self, day: date):
        return self.filter(memberships__in=EnterpriseMembership.objects.filter(active_on(day)))


class Enterprise(Named):
    class Size(models.TextChoices):
        LARGE = "large", _("大型")
        MEDIUM = "medium", _("中型")
        SMALL = "small", _("小型")
        MICRO = "micro", _("微型")

    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    industry = models.CharField(
        _("行业门类"), max_length=1, choices=sorted(INDUSTRY_SECTIONS.items()), blank=True
    )
    size = models.CharField(_("规模"), max_length=10, choices=Size.choices, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = SealedCharField(_("联系电话"), blank=True, default="")

    objects = EnterpriseQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["contact_phone"])  # phones stay out of history

    class Meta(Named.Meta):
        verbose_name = _("会员企业")


class EnterpriseMembership(Record, Dated):
    ref = models.CharField(_("编号"), max_length=40, unique=True, default=new_ref)
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="memberships")
    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="memberships")

    history = HistoricalRecords()

    class Meta:
        ordering = ["since", "id"]
        # "Was this enterprise a member on that day", asked per appeal and visit by
        # F04, F06 and F07: answered from the index (INCLUDE on PostgreSQL).
        indexes = [models.Index(fields=["enterprise", "since"], include=["until"], name="membership_on")]


# --- people ------------------------------------------------------------------------


class PersonQuerySet(ScopedQuerySet):
    def scope_filter(self, scope):
        q = Q(pk=scope.person_id) if scope.person_id else Q(pk__in=[])
        if scope.has(Role.SECRETARY, Role.INSTRUCTOR):
            # Only today's facts: a member who moved to another org, or a post
            # that ended, no longer opens the person to the old org.
            day = today()
            members = PartyMembership.objects.filter(active_on(day), party_org_id__in=scope.party_org_ids)
            enterprises = EnterpriseMembership.objects.filter(active_on(day), association_id__in=scope.association_ids)
            posts = Post.objects.filter(active_on(day)).filter(
                Q(association_id__in=scope.association_ids) | Q(enterprise_id__in=enterprises.values("enterprise_id"))
            )
            q |= Q(pk__in=members.values("person_id")) | Q(pk__in=posts.values("person_id"))
        return q

    def party_members_on(self, day: date):
        """People who were 中共党员 or 中共预备党员 on the day."""
        return self.filter(
            political_statuses__in=PoliticalStatus.objects.filter(
                active_on(day), status__in=PoliticalStatus.PARTY
            )
        )


class Person(Named):
    class Gender(models.TextChoices):
        MALE = "male", _("男")
        FEMALE = "female", _("女")

    gender = models.CharField(_("性别"), max_length=10, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    id_number = SealedCharField(_("身份证号码"), blank=True, default="")
    id_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    phone = SealedCharField(_("手机号码"), blank=True, default="")
    phone_hash = models.CharField(max_length=64, blank=True, default="", db_index=True, editable=False)
    is_entrepreneur = models.BooleanField(_("民营经济人士"), default=False)
    class DevelopmentStage(models.TextChoices):
        # The membership pipeline's stages (membership/workflow.py STAGES).
        APPLICANT = "applicant", _("入党申请人")
        ACTIVIST = "activist", _("入党积极分子")
        CANDIDATE = "candidate", _("发展对象")
        PROBATIONARY = "probationary", _("预备党员")
        FULL = "full", _("正式党员")

    development_stage = models.CharField(
        _("发展阶段"), max_length=20, blank=True, editable=False, choices=DevelopmentStage.choices,
        help_text=_("由发展党员流程写入，不能手工修改"),
    )

    objects = PersonQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["id_number", "phone"])

    class Meta(Named.Meta):
        verbose_name = _("人员")


class PartyMembership(Record, Dated):
    """A person's party org, dated (组织关系)."""

    ref = models.CharField(_("编号"), max_length=40, unique=True, default=new_ref)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="party_memberships")
    party_org = models.ForeignKey(PartyOrg, on_delete=models.CASCADE, related_name="party_memberships")

    history = HistoricalRecords()


class PoliticalStatus(Record, Dated):
    """政治面貌 (GB/T 4762), dated. 中共预备党员 and 中共党员 are written only by
    the membership pipeline, or once as history for people who joined before
    the system."""

    class Status(models.TextChoices):
        CPC_MEMBER = "01", _("中共党员")
        CPC_PROBATIONARY = "02", _("中共预备党员")
        YOUTH_LEAGUE = "03", _("共青团员")
        RGE = "04", _("民革会员")
        DEMOCRATIC_LEAGUE = "05", _("民盟盟员")
        CDNCA = "06", _("民建会员")
        CAPD = "07", _("民进会员")
        PEASANTS_WORKERS = "08", _("农工党党员")
        ZHI_GONG = "09", _("致公党党员")
        JIUSAN = "10", _("九三学社社员")
        TAIWAN_LEAGUE = "11", _("台盟盟员")
        INDEPENDENT = "12", _("无党派人士")
        MASSES = "13", _("群众")

    PARTY = (Status.CPC_MEMBER, Status.CPC_PROBATIONARY)

    class Source(models.TextChoices):
        FORM = "form", _("表单或导入")
        PRE_SYSTEM = "pre_system", _("系统前入党记录")
        PIPELINE = "pipeline", _("发展党员流程")

    ref = models.CharField(_("编号"), max_length=40, unique=True, default=new_ref)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="political_statuses")
    status = models.CharField(_("政治面貌"), max_length=2, choices=Status.choices)
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices, default=Source.FORM)

    history = HistoricalRecords()

    class Meta:
        ordering = ["person_id", "since", "id"]


class Post(Record, Dated):
    """A person's post in an enterprise or an association (会长, 法定代表人 …)."""

    ref = models.CharField(_("编号"), max_length=40, unique=True, default=new_ref)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="posts")
    enterprise = models.ForeignKey(Enterprise, null=True, blank=True, on_delete=models.CASCADE, related_name="posts")
    association = models.ForeignKey(
        Association, null=True, blank=True, on_delete=models.CASCADE, related_name="posts"
    )
    title = models.CharField(_("职务"), max_length=30)

    history = HistoricalRecords()


class PublicOffice(Record, Dated):
    """A dated public office (市委书记, 市长 …): F07 counts on-site assignments by
    someone holding a city-leader office that day."""

    CITY_LEADER_TITLES = ("市委书记", "市长")

    ref = models.CharField(_("编号"), max_length=40, unique=True, default=new_ref)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="public_offices")
    title = models.CharField(_("职务"), max_length=30)
    is_city_leader = models.BooleanField(_("市领导"), default=False)

    history = HistoricalRecords()


# --- departments and instructors -----------------------------------------------


class DepartmentQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        scope = scope_of(user)
        # Every domain role routes or follows appeals to departments.
        if scope.sees_all or scope.roles & set(Role.DOMAIN):
            return self
        return self.none()


class Department(Named):
    """承办单位: a government department that handles appeals."""

    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = SealedCharField(_("联系电话"), blank=True, default="")

    objects = DepartmentQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["contact_phone"])  # phones stay out of history

    class Meta(Named.Meta):
        verbose_name = _("承办单位")


class InstructorAssignmentQuerySet(ScopedQuerySet):
    def scope_filter(self, scope):
        return Q(association_id__in=scope.association_ids) | Q(person_id=scope.person_id or 0)

    def search(self, q: str):
        from fourfirsts.core.searchkeys import normalise_query

        q = normalise_query(q or "")
        if not q:
            return self
        return self.filter(Q(person__search_key__contains=q) | Q(association__search_key__contains=q))


class InstructorAssignment(Record, Dated):
    """党建工作指导员: a federation cadre assigned to an association."""

    ref = models.CharField(_("编号"), max_length=40, unique=True, default=new_ref)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="instructor_assignments")
    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="instructor_assignments")
    party_org = models.ForeignKey(
        PartyOrg, null=True, blank=True, on_delete=models.SET_NULL, related_name="instructor_assignments"
    )
    source_unit = models.CharField(_("派出单位"), max_length=100, blank=True)
    post = models.CharField(_("职务"), max_length=50, blank=True)

    objects = InstructorAssignmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["since", "id"]


def today() -> date:
    return timezone.localdate()


# A change to these rows is a change to the record they belong to (API sync).
touches_parent(AssociationStatus, "association")
touches_parent(EnterpriseMembership, "enterprise")
touches_parent(PartyMembership, "person")

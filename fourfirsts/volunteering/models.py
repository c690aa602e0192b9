"""第一身份: volunteer activities with their participants' hours, villages
(万企兴万村) with their weak-village years, pairings, assistance projects with
their payments by date, and donations.

Reads go through `visible_to(user)`: the committee and the leader see
everything; a secretary or an instructor the records of their party orgs and
associations; a member their own org's activities and their own hours.
Every write goes through `services`.
"""

from django.db import models
from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from fourfirsts.core.access import Role, scope_of
from fourfirsts.core.models import Record, touches_parent
from fourfirsts.registry.models import Association, Enterprise, Named, PartyOrg, Person, new_ref

MONEY = {"max_digits": 16, "decimal_places": 2}
READERS = (Role.SECRETARY, Role.INSTRUCTOR)


def _none():
    return Q(pk__in=[])


class ScopedQuerySet(models.QuerySet):
    """Rows of a party org and/or an association: everything for the
    committee, the leader and the system; a secretary's or an instructor's
    orgs and associations otherwise; `member_filter` for a member."""

    org_path: str | None = "party_org"
    assoc_path: str | None = "association"

    def visible_to(self, user):
        scope = scope_of(user)
        if scope.sees_all:
            return self
        parts = []
        if scope.has(*READERS):
            if self.org_path and scope.party_org_ids:
                parts.append(Q(**{f"{self.org_path}_id__in": scope.party_org_ids}))
            if self.assoc_path and scope.association_ids:
                parts.append(Q(**{f"{self.assoc_path}_id__in": scope.association_ids}))
        if Role.MEMBER in scope.roles:
            parts.append(self.member_filter(scope))
        if not parts:
            return self.none()
        q = parts[0]
        for part in parts[1:]:
            q |= part
        return self.filter(q).distinct()

    def member_filter(self, scope) -> Q:
        return _none()


# --- volunteer activities ------------------------------------------------------------------


class ActivityKindQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = scope_of(user)
        return self if scope.sees_all or scope.roles & set(Role.DOMAIN) else self.none()


class ActivityKind(Record):
    """A kind of volunteer activity: the committee extends the list; the
    seeded ones keep their codes (the figures count by code)."""

    CIVILITY = "civility_persuasion"  # 文明劝导, F08
    BEND_DOWN = "bend_down"  # 弯腰行动, F09

    ref = models.CharField(_("代码"), max_length=40, unique=True, default=new_ref)
    name = models.CharField(_("名称"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=100)
    active = models.BooleanField(_("启用"), default=True)

    objects = ActivityKindQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("志愿活动类型")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class ActivityQuerySet(ScopedQuerySet):
    def member_filter(self, scope):
        q = Q(party_org_id__in=scope.party_org_ids) if scope.party_org_ids else _none()
        if scope.person_id:
            q |= Q(participations__person_id=scope.person_id)
        return q

    def of_kind(self, code: str):
        return self.filter(kind__ref=code)

    def with_people(self):
        """Each activity with `people`, its confirmed participants. A subquery
        per row fetched, not Count(): that would group every activity before a
        page is cut, and a member's visibility (a join on participations) would
        cut the count to their own row."""
        confirmed = (Participation.objects.filter(activity=OuterRef("pk"), status=Participation.Status.CONFIRMED)
                     .order_by().values("activity").annotate(n=models.Count("id")).values("n"))
        return self.annotate(people=Coalesce(Subquery(confirmed, output_field=models.IntegerField()), Value(0)))


class Activity(Record):
    ref = models.CharField(_("编号"), max_length=40, unique=True, default=new_ref)
    kind = models.ForeignKey(ActivityKind, verbose_name=_("类型"), on_delete=models.PROTECT, related_name="activities")
    title = models.CharField(_("主题"), max_length=200)
    party_org = models.ForeignKey(PartyOrg, verbose_name=_("党组织"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="volunteer_activities")
    association = models.ForeignKey(Association, verbose_name=_("商协会"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="volunteer_activities")
    held_on = models.DateField(_("日期"), db_index=True)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    description = models.TextField(_("活动内容"), blank=True)
    hours = models.DecimalField(_("每人服务时长（小时）"), max_digits=4, decimal_places=1, null=True, blank=True,
                                help_text=_("登记参加人员时的默认时长"))

    objects = ActivityQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("志愿活动")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["held_on", "id"])]

    def __str__(self):
        return self.title

    @property
    def organiser(self) -> str:
        return " / ".join(o.name for o in (self.party_org, self.association) if o is not None)


class ParticipationQuerySet(ScopedQuerySet):
    org_path = "activity__party_org"
    assoc_path = "activity__association"

    def member_filter(self, scope):
        return Q(person_id=scope.person_id) if scope.person_id else _none()

    def confirmed(self):
        return self.filter(status=Participation.Status.CONFIRMED)


class Participation(Record):
    """A person's hours at an activity: reported by the member (or recorded by
    the secretary), counted only once confirmed."""

    class Status(models.TextChoices):
        REPORTED = "reported", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        REJECTED = "rejected", _("未通过")

    ref = models.CharField(_("编号"), max_length=40, unique=True, default=new_ref)
    activity = models.ForeignKey(Activity, verbose_name=_("志愿活动"), on_delete=models.CASCADE,
                                 related_name="participations")
    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.PROTECT,
                               related_name="volunteer_participations")
    hours = models.DecimalField(_("服务时长（小时）"), max_digits=4, decimal_places=1)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.REPORTED)
    reason = models.CharField(_("未通过原因"), max_length=200, blank=True)
    decided_by = models.CharField(_("确认人"), max_length=150, blank=True)
    decided_on = models.DateField(_("确认日期"), null=True, blank=True)

    objects = ParticipationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("志愿服务时长")
        ordering = ["activity_id", "id"]
        constraints = [models.UniqueConstraint(fields=["activity", "person"], name="participation_once")]


# --- villages, pairings, projects -----------------------------------------------------------


class VillageQuerySet(models.QuerySet):
    """Places are no secret: every org reader sees the village list."""

    def visible_to(self, user):
        scope = scope_of(user)
        return self if scope.sees_all or scope.has(*READERS) else self.none()

    def search(self, q: str):
        from fourfirsts.core.searchkeys import normalise_query

        q = normalise_query(q or "")
        return self.filter(search_key__contains=q) if q else self


class Village(Named):
    """An administrative village (name = the village's)."""

    province = models.CharField(_("省"), max_length=30)
    city = models.CharField(_("市"), max_length=30)
    county = models.CharField(_("县（市、区）"), max_length=30)
    township = models.CharField(_("乡镇（街道）"), max_length=30)

    objects = VillageQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta(Named.Meta):
        verbose_name = _("村庄")
        constraints = [models.UniqueConstraint(fields=["county", "township", "name"], name="village_once")]

    @property
    def place(self) -> str:
        return f"{self.province}{self.city}{self.county}{self.township}{self.name}"


class WeakYears(Record):
    """The years a village was listed as weak (薄弱村), inclusive; until blank = still."""

    ref = models.CharField(_("编号"), max_length=40, unique=True, default=new_ref)
    village = models.ForeignKey(Village, verbose_name=_("村庄"), on_delete=models.CASCADE,
                                related_name="weak_years")
    since_year = models.PositiveSmallIntegerField(_("起始年份"))
    until_year = models.PositiveSmallIntegerField(_("截止年份"), null=True, blank=True)

    objects = VillageQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("薄弱村认定")
        ordering = ["village_id", "since_year"]

    def covers(self, year: int) -> bool:
        return self.span_covers(self.since_year, self.until_year, year)

    @staticmethod
    def span_covers(since_year: int, until_year: int | None, year: int) -> bool:
        return since_year <= year and (until_year is None or year <= until_year)


class PairingQuerySet(ScopedQuerySet):
    org_path = None


class Pairing(Record):
    """万企兴万村: a village paired with one enterprise, a group of enterprises
    or an association (the association organising it in every case)."""

    class Way(models.TextChoices):
        ENTERPRISE = "enterprise", _("一企帮一村")
        GROUP = "group", _("多企帮一村")
        ASSOCIATION = "association", _("商协会帮扶")

    ref = models.CharField(_("编号"), max_length=40, unique=True, default=new_ref)
    village = models.ForeignKey(Village, verbose_name=_("村庄"), on_delete=models.PROTECT, related_name="pairings")
    way = models.CharField(_("结对方式"), max_length=20, choices=Way.choices)
    association = models.ForeignKey(Association, verbose_name=_("商协会"), on_delete=models.PROTECT,
                                    related_name="village_pairings")
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="village_pairings",
                                   help_text=_("一企帮一村的企业，多企帮一村的牵头企业"))
    paired_on = models.DateField(_("结对日期"), db_index=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)

    objects = PairingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("结对帮扶")
        ordering = ["-paired_on", "-id"]

    def __str__(self):
        return f"{self.village} · {self.partner}"

    @property
    def partner(self) -> str:
        if self.way == self.Way.ASSOCIATION or self.enterprise_id is None:
            return self.association.name
        return self.enterprise.name


class PairingEnterpriseQuerySet(ScopedQuerySet):
    org_path = None
    assoc_path = "pairing__association"


class PairingEnterprise(Record):
    """A further enterprise of a group pairing (多企帮一村)."""

    ref = models.CharField(_("编号"), max_length=40, unique=True, default=new_ref)
    pairing = models.ForeignKey(Pairing, verbose_name=_("结对帮扶"), on_delete=models.CASCADE,
                                related_name="group_members")
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT,
                                   related_name="village_pairing_groups")

    objects = PairingEnterpriseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("结对帮扶企业")
        ordering = ["pairing_id", "id"]
        constraints = [models.UniqueConstraint(fields=["pairing", "enterprise"], name="pairing_enterprise_once")]


class ProjectQuerySet(ScopedQuerySet):
    org_path = None
    assoc_path = "pairing__association"

    def with_paid(self):
        """Each project with `paid`, the money paid in so far (None before the
        first payment): a subquery per row fetched, as `with_people`."""
        paid = (Payment.objects.filter(project=OuterRef("pk")).order_by().values("project")
                .annotate(total=models.Sum("amount")).values("total"))
        return self.annotate(paid=Subquery(paid, output_field=models.DecimalField(**MONEY)))

    def search(self, q: str):
        from fourfirsts.core.searchkeys import normalise_query

        q = normalise_query(q or "")
        return self.filter(search_key__contains=q) if q else self


class Project(Named):
    """An assistance project in a paired village (万企兴万村 ledger row)."""

    class Klass(models.TextChoices):
        BUSINESS = "business", _("经营类")
        PUBLIC = "public", _("公益类")

    class Tag(models.TextChoices):
        INDUSTRY = "industry", _("产业")
        EMPLOYMENT = "employment", _("就业")
        CONSUMPTION = "consumption", _("消费")
        WELFARE = "welfare", _("公益")
        TALENT = "talent", _("人才")
        CULTURE = "culture", _("文化")

    class Link(models.TextChoices):
        LAND_RENT = "land_rent", _("土地租金")
        WAGES = "wages", _("务工工资")
        ORDERS = "orders", _("订单收购")
        SHARES = "shares", _("入股分红")
        OTHER = "other", _("其他")

    class Status(models.TextChoices):
        PLANNED = "planned", _("计划")
        ONGOING = "ongoing", _("实施中")
        COMPLETED = "completed", _("已完成")
        SUSPENDED = "suspended", _("已中止")

    pairing = models.ForeignKey(Pairing, verbose_name=_("结对帮扶"), on_delete=models.PROTECT,
                                related_name="projects")
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("实施企业"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="village_projects")
    klass = models.CharField(_("项目类别"), max_length=10, choices=Klass.choices)
    tag = models.CharField(_("帮扶类型"), max_length=12, choices=Tag.choices)
    content = models.TextField(_("项目内容"), blank=True)
    planned_funds = models.DecimalField(_("计划投资（元）"), default=0, **MONEY)
    goods_value = models.DecimalField(_("捐赠物资折价（元）"), default=0, **MONEY)
    jobs_fixed = models.PositiveIntegerField(_("带动固定就业（人）"), default=0)
    jobs_temporary = models.PositiveIntegerField(_("带动临时就业（人）"), default=0)
    households = models.PositiveIntegerField(_("受益农户（户）"), default=0)
    income_increase = models.DecimalField(_("村集体增收（元）"), default=0, **MONEY)
    benefit_link = models.CharField(_("利益联结方式"), max_length=12, choices=Link.choices, blank=True)
    starts_on = models.DateField(_("开始日期"), db_index=True)
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.ONGOING)
    progress = models.TextField(_("进展情况"), blank=True)
    posted_member = models.ForeignKey(Person, verbose_name=_("派驻村支部党员"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="village_posts")

    objects = ProjectQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta(Named.Meta):
        verbose_name = _("帮扶项目")


class PaymentQuerySet(ScopedQuerySet):
    org_path = None
    assoc_path = "project__pairing__association"


class Payment(Record):
    """Money paid in to a project on a day (项目资金到位): cumulative totals for
    any year come from these dates."""

    ref = models.CharField(_("编号"), max_length=40, unique=True, default=new_ref)
    project = models.ForeignKey(Project, verbose_name=_("帮扶项目"), on_delete=models.CASCADE,
                                related_name="payments")
    paid_on = models.DateField(_("到位日期"), db_index=True)
    amount = models.DecimalField(_("到位金额（元）"), **MONEY)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    objects = PaymentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("项目资金到位")
        ordering = ["project_id", "paid_on", "id"]


# --- donations ------------------------------------------------------------------------------


class Donation(Record):
    class Kind(models.TextChoices):
        EDUCATION = "education_aid", _("捐资助学")
        HARDSHIP = "hardship_relief", _("助困济困")
        OTHER = "other", _("其他")

    class DonorKind(models.TextChoices):
        ENTERPRISE = "enterprise", _("企业")
        PERSON = "person", _("个人")
        ASSOCIATION = "association", _("商协会")

    ref = models.CharField(_("编号"), max_length=40, unique=True, default=new_ref)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    donor_kind = models.CharField(_("捐赠方类型"), max_length=12, choices=DonorKind.choices)
    donor_enterprise = models.ForeignKey(Enterprise, verbose_name=_("捐赠企业"), null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="donations")
    donor_person = models.ForeignKey(Person, verbose_name=_("捐赠人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="donations")
    donor_association = models.ForeignKey(Association, verbose_name=_("捐赠商协会"), null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="donations")
    recipient = models.CharField(_("受助对象"), max_length=200,
                                 help_text=_("如“新化县某中学贫困学生12名”，不写姓名、身份证号等个人信息"))
    amount = models.DecimalField(_("捐款金额（元）"), default=0, **MONEY)
    goods_value = models.DecimalField(_("物资折价（元）"), default=0, **MONEY)
    donated_on = models.DateField(_("捐赠日期"), db_index=True)
    party_org = models.ForeignKey(PartyOrg, verbose_name=_("组织党组织"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="donations")
    association = models.ForeignKey(Association, verbose_name=_("组织商协会"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="organised_donations")
    note = models.CharField(_("说明"), max_length=500, blank=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("捐赠")
        ordering = ["-donated_on", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.donor}"

    @property
    def donor(self) -> str:
        who = {self.DonorKind.ENTERPRISE: self.donor_enterprise, self.DonorKind.PERSON: self.donor_person,
               self.DonorKind.ASSOCIATION: self.donor_association}.get(self.donor_kind)
        return who.name if who is not None else ""


# A change to these rows is a change to the record they belong to (API sync).
touches_parent(Participation, "activity")
touches_parent(Payment, "project")

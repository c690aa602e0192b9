"""服务第一要务: visits and contacts, pairings, appeals (问题/诉求) with their
escalations and department links, relief policies and who was told of them.

Reads go through `<Model>.objects.visible_to(user)`; every write through
`services/`, which moves an appeal's state along `workflow.APPEAL_WORKFLOW`.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from fourfirsts.core.access import Role, scope_of
from fourfirsts.core.fields import SealedCharField
from fourfirsts.core.models import Record, touches_parent
from fourfirsts.registry.models import (
    Department,
    Enterprise,
    EnterpriseMembership,
    Person,
    active_on,
    new_ref,
    today,
)


def new_token() -> str:
    """The secret of an appeal's public tracking link."""
    return secrets.token_urlsafe(24)


def member_enterprise_ids(association_ids=None, day=None):
    """The ids (a subquery) of the enterprises that are members of these
    associations (None: of any association) on the day (default today)."""
    rows = EnterpriseMembership.objects.filter(active_on(day or today()))
    if association_ids is not None:
        rows = rows.filter(association_id__in=association_ids)
    return rows.values("enterprise_id")


def _of_member_enterprises(association_ids, on: str | None = None) -> models.Q:
    """Rows whose enterprise is a member of these associations: today, or with
    `on` (the name of the row's own date field or annotation) on the row's day,
    so that a past year's figures do not change when an enterprise leaves."""
    if on is None:
        return models.Q(enterprise_id__in=member_enterprise_ids(association_ids))
    return models.Q(Exists(EnterpriseMembership.objects.filter(
        active_on(OuterRef(on)), association_id__in=association_ids, enterprise=OuterRef("enterprise"))))


class ContactQuerySet(models.QuerySet):
    """Visits and pairings: the committee and leaders all; secretaries and
    instructors those with current member enterprises of their associations;
    a member their own (as the visitor or the paired member)."""

    person_field = "visitor"

    def visible_to(self, user, *, on: str | None = None):
        """`on`: see _of_member_enterprises (figures pass the row's date)."""
        scope = scope_of(user)
        if scope.sees_all:
            return self
        q = models.Q(pk__in=[])
        if scope.has(Role.SECRETARY, Role.INSTRUCTOR) and scope.association_ids:
            q |= _of_member_enterprises(scope.association_ids, on)
        if scope.has(Role.MEMBER) and scope.person_id:
            q |= models.Q(**{f"{self.person_field}_id": scope.person_id})
        return self.filter(q)


class PairingQuerySet(ContactQuerySet):
    person_field = "person"


class Pairing(Record):
    """结对联系: a member paired with an enterprise for regular contact, dated."""

    ref = models.CharField(_("编号"), max_length=40, unique=True, default=new_ref)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="pairings",
                               verbose_name=_("联系人（会员）"))
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="pairings",
                                   verbose_name=_("企业"))
    since = models.DateField(_("结对日期"))
    until = models.DateField(_("结束日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    objects = PairingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("结对联系")
        ordering = ["since", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(until__isnull=True) | models.Q(until__gte=models.F("since")),
                                   name="service_pairing_dates"),
        ]

    def __str__(self):
        return f"{self.person} — {self.enterprise}"


class Visit(Record):
    """走访或联系: one visit or contact of a member with an enterprise."""

    class Channel(models.TextChoices):
        ON_SITE = "on_site", _("上门走访")
        PHONE = "phone", _("电话")
        WECHAT = "wechat", _("微信")
        OTHER = "other", _("其他")

    ref = models.CharField(_("编号"), max_length=40, unique=True, default=new_ref)
    visitor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="visits",
                                verbose_name=_("走访人"))
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="visits",
                                   verbose_name=_("企业"))
    channel = models.CharField(_("方式"), max_length=20, choices=Channel.choices, default=Channel.ON_SITE)
    visited_on = models.DateField(_("日期"), db_index=True)
    # The enterprise was a member of an association that day (service.services.members keeps it): F04.
    member_on_day = models.BooleanField(_("当日为会员企业"), default=False, editable=False)
    notes = models.TextField(_("情况记录"), blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("录入人"))

    objects = ContactQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("走访联系")
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["enterprise", "visited_on"]),
                   models.Index(fields=["visited_on", "id"], name="visit_list_order")]

    def __str__(self):
        return f"{self.visited_on} {self.enterprise}"


class AppealQuerySet(models.QuerySet):
    def visible_to(self, user, *, on: str | None = None):
        """Committee and leaders all; secretaries and instructors the appeals of
        current member enterprises of their associations (with `on`, members on
        the row's day: see _of_member_enterprises); a handler those assigned to
        their department; a member those they collected."""
        scope = scope_of(user)
        if scope.sees_all:
            return self
        q = models.Q(pk__in=[])
        if scope.has(Role.SECRETARY, Role.INSTRUCTOR) and scope.association_ids:
            q |= _of_member_enterprises(scope.association_ids, on)
        if scope.has(Role.HANDLER) and scope.department_ids:
            q |= models.Q(department_id__in=scope.department_ids)
        if scope.has(Role.MEMBER) and scope.person_id:
            q |= models.Q(collected_by_id=scope.person_id)
        return self.filter(q)

    def open(self):
        return self.filter(state__in=Appeal.OPEN_STATES)

    def overdue(self, now):
        """Held by a department (the clock runs) and past the due date."""
        return self.filter(state__in=Appeal.RUNNING_STATES, due_at__lt=now)

    def search(self, q: str):
        """By title, or by the enterprise's name or its pinyin initials."""
        from fourfirsts.core.searchkeys import normalise_query

        q = (q or "").strip()
        if not q:
            return self
        return self.filter(models.Q(title__icontains=q)
                           | models.Q(enterprise__search_key__contains=normalise_query(q)))


class Appeal(Record):
    """问题/诉求: one appeal of an enterprise, from collection to 办结."""

    class State(models.TextChoices):
        COLLECTED = "collected", _("已收集")
        ACCEPTED = "accepted", _("已受理")
        DECLINED = "declined", _("不予受理")
        ASSIGNED = "assigned", _("已交办")
        SIGNED = "signed", _("已签收")
        HANDLING = "handling", _("办理中")
        EXTENSION_REQUESTED = "extension_requested", _("延期申请中")
        RETURNED = "returned", _("已退回")
        REPLIED = "replied", _("已答复")
        RATED = "rated", _("回访不满意")
        CLOSED = "closed", _("已办结")

    class Channel(models.TextChoices):
        VISIT = "visit", _("走访调研")
        BUSINESS_CODE = "business_code", _("营商码")
        HOTLINE = "hotline", _("热线电话")
        SYMPOSIUM = "symposium", _("座谈会")
        OTHER = "other", _("其他")

    class Category(models.TextChoices):
        LOGISTICS = "logistics", _("物流运输")
        FUNDING = "funding", _("资金周转")
        FACTORS = "factors", _("要素保障")
        MATERIALS = "materials", _("原材料供应")
        APPROVAL = "approval", _("行政审批")
        ENFORCEMENT = "enforcement", _("行政执法")
        TAX = "tax", _("税收")
        SOCIAL_SECURITY = "social_security", _("社保")
        MARKET = "market", _("市场")
        TECHNOLOGY = "technology", _("技术")
        LEGAL = "legal", _("法律")

    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("投诉维权")
        COORDINATION = "coordination", _("协调帮助")
        REPORT = "report", _("情况反映")
        CONSULTATION = "consultation", _("个案咨询")

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        FAIRLY_SATISFIED = "fairly_satisfied", _("基本满意")
        UNSATISFIED = "unsatisfied", _("不满意")
        UNRATED = "unrated", _("未评价")

    # The department holds the appeal and its clock runs (escalation applies).
    RUNNING_STATES = (State.ASSIGNED, State.SIGNED, State.HANDLING, State.EXTENSION_REQUESTED)
    # Not finished: everything but 不予受理 and 已办结.
    OPEN_STATES = (
        State.COLLECTED, State.ACCEPTED, *RUNNING_STATES, State.RETURNED, State.REPLIED, State.RATED,
    )

    ref = models.CharField(_("编号"), max_length=40, unique=True, default=new_ref)
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="appeals",
                                   verbose_name=_("企业"))
    raised_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="appeals_raised", verbose_name=_("提出人"))
    collected_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="appeals_collected", verbose_name=_("收集人"))
    channel = models.CharField(_("渠道"), max_length=20, choices=Channel.choices, default=Channel.VISIT)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    kind = models.CharField(_("性质"), max_length=20, choices=Kind.choices)
    is_blockage = models.BooleanField(_("堵点"), default=False)
    is_pain_point = models.BooleanField(_("痛点"), default=False)
    is_difficulty = models.BooleanField(_("难点"), default=False)
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("诉求内容"), blank=True)
    collected_at = models.DateTimeField(_("收集时间"))
    visit = models.ForeignKey(Visit, on_delete=models.SET_NULL, null=True, blank=True, related_name="appeals",
                              verbose_name=_("来源走访"))
    # Given by the enterprise (营商码) with its consent; shown in full only to the handler department.
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = SealedCharField(_("联系电话"), blank=True, default="")
    contact_consent = models.BooleanField(_("同意将联系方式提供给承办单位"), default=False)
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.COLLECTED,
                             db_index=True)
    decline_reason = models.TextField(_("不予受理理由"), blank=True)

    department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="appeals", verbose_name=_("承办单位"))
    assigned_at = models.DateTimeField(_("交办时间"), null=True, blank=True)
    # The first assignment: F30 counts the time to close from it, a 重新交办 restarts only the clock.
    first_assigned_at = models.DateTimeField(_("首次交办时间"), null=True, blank=True)
    assigned_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="appeals_assigned", verbose_name=_("交办人"))
    assigned_place = models.CharField(_("交办地点"), max_length=200, blank=True)
    assigned_on_site_on = models.DateField(_("现场交办日期"), null=True, blank=True)
    limit_days = models.PositiveSmallIntegerField(_("办理时限（工作日）"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("已批准延期（工作日）"), default=0)
    requested_extension_days = models.PositiveSmallIntegerField(_("申请延期（工作日）"), default=0)
    due_at = models.DateTimeField(_("办理期限"), null=True, blank=True, db_index=True)
    due_on_fallback = models.BooleanField(_("期限按周一至周五暂计"), default=False)
    extension_count = models.PositiveSmallIntegerField(_("延期次数"), default=0)
    return_count = models.PositiveSmallIntegerField(_("退回次数"), default=0)
    return_reason = models.TextField(_("退回理由"), blank=True)
    return_basis = models.TextField(_("退回依据"), blank=True)
    redo_count = models.PositiveSmallIntegerField(_("重办次数"), default=0)
    signed_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    reply = models.TextField(_("答复内容"), blank=True)
    rating = models.CharField(_("评价"), max_length=20, choices=Rating.choices, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    # Set by the rating service with each rating step it records. An appeal
    # imported with a rating has no step, and F29 counts its stored rating
    # instead: this flag saves asking the history, per appeal, whether it has one.
    rating_in_history = models.BooleanField(_("评价记入办理记录"), default=False, editable=False)
    # The enterprise was a member of an association on the local collection day
    # (service.services.members keeps it): F06 and F07 count only these.
    member_on_day = models.BooleanField(_("收集当日为会员企业"), default=False, editable=False)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    close_days = models.PositiveIntegerField(_("办结用时（工作日）"), null=True, blank=True)
    tracking_token = models.CharField(_("查询码"), max_length=64, unique=True, default=new_token, editable=False)

    objects = AppealQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["tracking_token", "contact_phone"])

    class Meta:
        verbose_name = _("问题诉求")
        ordering = ["-collected_at", "-id"]
        # The list pages walk (collected_at, id) from the newest: an index, not a sort of every appeal.
        # The year's figures count from covering indexes: on PostgreSQL each carries
        # the columns its figures read (INCLUDE), so a count reads a few MB of index
        # and none of the table's rows (450 MB at province scale). SQLite indexes the
        # key columns only (models.W040 is silenced in settings).
        indexes = [
            # F06, F28 and F06's charts by category and state: 551 → 268 and 208 → 57 ms.
            models.Index(fields=["collected_at", "id"], name="appeal_list_order",
                         include=["enterprise", "category", "state", "closed_at",
                                  "is_blockage", "is_pain_point", "is_difficulty", "member_on_day"]),
            # F27: 482 → 57 ms.
            models.Index(fields=["first_assigned_at"], name="appeal_first_assigned", include=["id", "replied_at"]),
            # F30 (days to close, and the closed records to recount): 514 → 75 ms;
            # F31's appeals open on the report date.
            models.Index(fields=["closed_at"], name="appeal_closed",
                         include=["id", "close_days", "first_assigned_at", "collected_at", "state"]),
            # F29's stored ratings (appeals rated without a recorded rating step): few.
            models.Index(fields=["rated_at"], name="appeal_rated_unlogged", include=["id", "rating"],
                         condition=models.Q(rating__in=["satisfied", "fairly_satisfied", "unsatisfied"],
                                            rating_in_history=False)),
            # F07 and its drill-down: the year's appeals assigned on site. Without it
            # PostgreSQL walks every appeal with an assigner (800 ms against 170 ms
            # at province scale); covering, F07 went 520 → 280 ms on a slower machine.
            models.Index(fields=["collected_at"], condition=models.Q(assigned_on_site_on__isnull=False),
                         include=["id", "enterprise", "assigned_by", "assigned_on_site_on", "raised_by",
                                  "member_on_day"],
                         name="appeal_on_site"),
        ]

    def __str__(self):
        return self.title

    def is_overdue(self, now) -> bool:
        return self.state in self.RUNNING_STATES and self.due_at is not None and self.due_at < now

    @property
    def nature_tags(self) -> list[str]:
        fields = (("is_blockage", _("堵点")), ("is_pain_point", _("痛点")), ("is_difficulty", _("难点")))
        return [str(label) for name, label in fields if getattr(self, name)]


class Escalation(models.Model):
    """督办: one escalation step of an appeal, recorded once (APL-2)."""

    class Step(models.TextChoices):
        REMINDER = "reminder", _("催办")
        NOTICE = "notice", _("催办通知书")
        CIRCULAR = "circular", _("通报")

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="escalations",
                               verbose_name=_("问题诉求"))
    step = models.CharField(_("督办环节"), max_length=20, choices=Step.choices)
    at = models.DateTimeField(_("时间"))
    due_at = models.DateTimeField(_("当时的办理期限"))

    class Meta:
        verbose_name = _("督办")
        constraints = [models.UniqueConstraint(fields=["appeal", "step"], name="service_escalation_once")]


class DepartmentLink(Record):
    """A signed link through which a handler department acts on one appeal
    without an account: valid for that appeal only, until it expires or is
    revoked. Only the token's SHA-256 is stored."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="department_links",
                               verbose_name=_("问题诉求"))
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("承办单位"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("有效期至"))
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("生成人"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("承办单位办理链接")
        ordering = ["-created_at", "-id"]


class PolicyQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Relief policies are public documents: every domain role reads them."""
        scope = scope_of(user)
        if scope.sees_all or scope.roles & set(Role.DOMAIN):
            return self
        return self.none()


class Policy(Record):
    """惠企政策: one relief policy."""

    ref = models.CharField(_("编号"), max_length=40, unique=True, default=new_ref)
    title = models.CharField(_("标题"), max_length=200)
    issuer = models.CharField(_("发文机关"), max_length=100)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    issued_on = models.DateField(_("发布日期"))
    effective_from = models.DateField(_("施行日期"), null=True, blank=True)
    effective_until = models.DateField(_("有效期至"), null=True, blank=True)
    industries = models.CharField(_("适用行业"), max_length=200, blank=True,
                                  help_text=_("行业门类字母，如 C,F；留空为各行业"))
    summary = models.TextField(_("摘要"), blank=True)
    url = models.URLField(_("原文链接"), max_length=500, blank=True)

    objects = PolicyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("惠企政策")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(effective_until__isnull=True) | models.Q(effective_from__isnull=True)
                | models.Q(effective_until__gte=models.F("effective_from")),
                name="service_policy_dates",
            ),
        ]

    def __str__(self):
        return self.title


class PolicyNoticeQuerySet(ContactQuerySet):
    person_field = "told_by"


class PolicyNotice(Record):
    """Who told which enterprise about a policy, when and how."""

    class Channel(models.TextChoices):
        ON_SITE = "on_site", _("上门宣讲")
        PHONE = "phone", _("电话")
        WECHAT = "wechat", _("微信")
        SMS = "sms", _("短信")
        MEETING = "meeting", _("会议")
        OTHER = "other", _("其他")

    ref = models.CharField(_("编号"), max_length=40, unique=True, default=new_ref)
    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="notices", verbose_name=_("政策"))
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="policy_notices",
                                   verbose_name=_("企业"))
    told_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("告知人"))
    told_on = models.DateField(_("告知日期"))
    channel = models.CharField(_("方式"), max_length=20, choices=Channel.choices, default=Channel.ON_SITE)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    objects = PolicyNoticeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("政策告知")
        ordering = ["-told_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "enterprise", "told_on"], name="service_policy_notice_once"),
        ]


# A change to these rows is a change to the record they belong to (API sync).
touches_parent(Escalation, "appeal")

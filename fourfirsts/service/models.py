"""服务第一要务: appeals (问题/诉求) and their escalations.

Reads go through `Appeal.objects.visible_to(user)`; every write through
`services`, which moves the state along `workflow.APPEAL_WORKFLOW`.
"""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from fourfirsts.core.access import Role, scope_of
from fourfirsts.core.models import Record
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


class AppealQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Committee and leaders all; secretaries and instructors the appeals of
        current member enterprises of their associations; a handler those
        assigned to their department; a member those they collected."""
        scope = scope_of(user)
        if scope.sees_all:
            return self
        q = models.Q(pk__in=[])
        if scope.has(Role.SECRETARY, Role.INSTRUCTOR) and scope.association_ids:
            members = EnterpriseMembership.objects.filter(active_on(today()), association_id__in=scope.association_ids)
            q |= models.Q(enterprise_id__in=members.values("enterprise_id"))
        if scope.has(Role.HANDLER) and scope.department_ids:
            q |= models.Q(department_id__in=scope.department_ids)
        if scope.has(Role.MEMBER) and scope.person_id:
            q |= models.Q(collected_by_id=scope.person_id)
        return self.filter(q)

    def open(self):
        return self.filter(state__in=Appeal.OPEN_STATES)


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
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.COLLECTED,
                             db_index=True)
    decline_reason = models.TextField(_("不予受理理由"), blank=True)

    department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="appeals", verbose_name=_("承办单位"))
    assigned_at = models.DateTimeField(_("交办时间"), null=True, blank=True)
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
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    close_days = models.PositiveIntegerField(_("办结用时（工作日）"), null=True, blank=True)
    tracking_token = models.CharField(_("查询码"), max_length=64, unique=True, default=new_token, editable=False)

    objects = AppealQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["tracking_token"])

    class Meta:
        verbose_name = _("问题诉求")
        ordering = ["-collected_at", "-id"]

    def __str__(self):
        return self.title

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

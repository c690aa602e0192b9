"""The API's 第一身份 endpoints: volunteer activities and members' hours (a
member reports their own, the org's secretary confirms or rejects them), and
the progress of assistance projects (status, jobs, incomes, money paid in by
date). The same role checks as the pages, the same services for every write."""

from datetime import date
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict, WithJsonSchema

from fourfirsts.api import paging
from fourfirsts.api.common import Id, Quantity, RecordOut, visible_or_404
from fourfirsts.core.access import Role, scope_of
from fourfirsts.core.actors import Actor
from fourfirsts.core.views import require_role
from fourfirsts.volunteering import access, services
from fourfirsts.volunteering.models import Activity, ActivityKind, Participation, Payment, Project

router = Router(tags=[gettext_lazy("第一身份")])

CENTS = Decimal("0.01")
# A number sent as a JSON number or a decimal string ("12.5"): the schema says which strings parse.
Number = Annotated[Decimal, WithJsonSchema({"anyOf": [{"type": "number"},
                                                      {"type": "string", "pattern": r"^-?\d+(\.\d+)?$"}]})]
PERSONAL = ("person__id_number", "person__phone")  # never needed here: names only, as on the pages


# --- schemas ------------------------------------------------------------------------------------


class KindOut(RecordOut):
    ref: str = Field(description=gettext_lazy("类型代码（预置类型的代码不变，指标按代码统计）"))
    name: str
    order: int
    active: bool


class ActivityOut(RecordOut):
    ref: str
    kind_id: int
    kind_name: str
    title: str
    party_org_id: int | None
    party_org_name: str | None
    association_id: int | None
    association_name: str | None
    held_on: date
    place: str
    description: str
    hours: Decimal | None = Field(description=gettext_lazy("每人服务时长（小时），登记参加人员时的默认时长"))
    people: int = Field(description=gettext_lazy("已确认的参加人数"))

    @staticmethod
    def resolve_kind_name(obj):
        return obj.kind.name

    @staticmethod
    def resolve_party_org_name(obj):
        return obj.party_org.name if obj.party_org_id else None

    @staticmethod
    def resolve_association_name(obj):
        return obj.association.name if obj.association_id else None


class ParticipationOut(RecordOut):
    ref: str
    activity_id: int
    activity_title: str
    activity_held_on: date
    kind_name: str
    organiser: str = Field(description=gettext_lazy("组织活动的党组织 / 商协会"))
    person_id: int
    person_name: str
    hours: Decimal = Field(description=gettext_lazy("服务时长（小时）"))
    note: str
    status: Participation.Status = Field(description=gettext_lazy("reported 待确认，confirmed 已确认，rejected 未通过"))
    status_label: str
    reason: str = Field(description=gettext_lazy("未通过原因"))
    decided_by: str
    decided_on: date | None

    @staticmethod
    def resolve_activity_title(obj):
        return obj.activity.title

    @staticmethod
    def resolve_activity_held_on(obj):
        return obj.activity.held_on

    @staticmethod
    def resolve_kind_name(obj):
        return obj.activity.kind.name

    @staticmethod
    def resolve_organiser(obj):
        return obj.activity.organiser

    @staticmethod
    def resolve_person_name(obj):
        return obj.person.name

    @staticmethod
    def resolve_status_label(obj):
        return str(obj.get_status_display())


class ActivityDetailOut(ActivityOut):
    participants: list[ParticipationOut] = Field(description=gettext_lazy("您可见的参加人员及其服务时长"))


class PaymentOut(RecordOut):
    ref: str
    paid_on: date = Field(description=gettext_lazy("到位日期"))
    amount: Number = Field(description=gettext_lazy("到位金额（元）"))
    note: str


class ProjectOut(RecordOut):
    ref: str
    name: str
    pairing_id: int
    village_id: int
    village_name: str
    county: str
    association_id: int
    association_name: str
    enterprise_id: int | None
    enterprise_name: str | None = Field(description=gettext_lazy("实施企业"))
    klass: Project.Klass = Field(description=gettext_lazy("项目类别：business 经营类，public 公益类"))
    tag: Project.Tag = Field(description=gettext_lazy("帮扶类型"))
    content: str
    planned_funds: Decimal = Field(description=gettext_lazy("计划投资（元）"))
    goods_value: Decimal = Field(description=gettext_lazy("捐赠物资折价（元），不计入帮扶资金"))
    jobs_fixed: int
    jobs_temporary: int
    households: int
    income_increase: Decimal = Field(description=gettext_lazy("村集体增收（元）"))
    benefit_link: str = Field(description=gettext_lazy("利益联结方式（可为空）"))
    starts_on: date
    ends_on: date | None
    status: Project.Status
    status_label: str
    progress: str = Field(description=gettext_lazy("进展情况"))
    posted_member_name: str | None = Field(description=gettext_lazy("派驻村支部党员"))
    paid: Decimal = Field(description=gettext_lazy("已到位资金合计（元）"))

    @staticmethod
    def resolve_village_id(obj):
        return obj.pairing.village_id

    @staticmethod
    def resolve_village_name(obj):
        return obj.pairing.village.name

    @staticmethod
    def resolve_county(obj):
        return obj.pairing.village.county

    @staticmethod
    def resolve_association_id(obj):
        return obj.pairing.association_id

    @staticmethod
    def resolve_association_name(obj):
        return obj.pairing.association.name

    @staticmethod
    def resolve_enterprise_name(obj):
        return obj.enterprise.name if obj.enterprise_id else None

    @staticmethod
    def resolve_status_label(obj):
        return str(obj.get_status_display())

    @staticmethod
    def resolve_posted_member_name(obj):
        return obj.posted_member.name if obj.posted_member_id else None

    @staticmethod
    def resolve_paid(obj):
        return Decimal(obj.paid or 0).quantize(CENTS)  # SQLite's sum drops the scale


class ProjectDetailOut(ProjectOut):
    payments: list[PaymentOut] = Field(description=gettext_lazy("资金到位，按日期"))

    @staticmethod
    def resolve_payments(obj):
        return obj.payment_rows


class ActivityFilter(Schema):
    kind: Id | None = Field(None, description=gettext_lazy("志愿活动类型的 id"))
    year: int | None = Field(None, ge=2000, le=2100, description=gettext_lazy("活动年份"))


class HoursFilter(Schema):
    status: Participation.Status | None = Field(None, description=gettext_lazy("按状态筛选"))


class ProjectFilter(Schema):
    q: str | None = Field(None, max_length=100, description=gettext_lazy("项目名、村名或拼音首字母"))
    tag: Project.Tag | None = None
    klass: Project.Klass | None = None
    status: Project.Status | None = None
    year: int | None = Field(None, ge=2000, le=2100, description=gettext_lazy("开始年份"))


class ReportIn(Schema):
    activity: Id = Field(description=gettext_lazy("志愿活动的 id（本党组织的、已开展的活动）"))
    hours: Number = Field(description=gettext_lazy("服务时长（小时），大于 0、最多一位小数，同一天合计不超过 24 小时"))
    note: str = Field("", max_length=200, description=gettext_lazy("说明"))


class RejectIn(Schema):
    reason: str = Field(max_length=200, description=gettext_lazy("未通过的原因"))


class ProgressIn(Schema):
    """Only the fields sent are changed (as a workbook row with 编号 updates a project)."""

    model_config = ConfigDict(extra="forbid")  # a misspelt field is an error, not silently nothing

    status: Project.Status = Field(None, description=gettext_lazy("状态（不可为空）"))
    progress: str | None = Field(None, description=gettext_lazy("进展情况"))
    ends_on: date | None = Field(None, description=gettext_lazy("结束日期"))
    jobs_fixed: Quantity | None = Field(None, description=gettext_lazy("带动固定就业（人）"))
    jobs_temporary: Quantity | None = Field(None, description=gettext_lazy("带动临时就业（人）"))
    households: Quantity | None = Field(None, description=gettext_lazy("受益农户（户）"))
    income_increase: Number | None = Field(None, description=gettext_lazy("村集体增收（元）"))
    goods_value: Number | None = Field(None, description=gettext_lazy("捐赠物资折价（元）"))
    benefit_link: Project.Link | None = Field(None, description=gettext_lazy("利益联结方式"))


class PaymentIn(Schema):
    paid_on: date = Field(description=gettext_lazy("到位日期，不早于项目开始、不晚于今天"))
    amount: Number = Field(description=gettext_lazy("到位金额（元），大于 0"))
    note: str = Field("", max_length=200, description=gettext_lazy("说明"))


# --- reads --------------------------------------------------------------------------------------


def _activities(user):
    return Activity.objects.visible_to(user).select_related("kind", "party_org", "association").with_people()


def _participations():
    return (Participation.objects.select_related("activity__kind", "activity__party_org", "activity__association",
                                                 "person").defer(*PERSONAL))


def _projects(user):
    return (Project.objects.visible_to(user).with_paid()
            .select_related("pairing__village", "pairing__association", "enterprise", "posted_member")
            .defer("posted_member__id_number", "posted_member__phone"))


@router.get("/kinds", response=paging.page_of(KindOut), summary=_("志愿活动类型"))
def kind_list(request, page: Query[paging.PageIn]):
    require_role(request, *access.ACTIVITY_READERS)
    return paging.page(ActivityKind.objects.visible_to(request.user), page, deleted_model=ActivityKind)


@router.get("/activities", response=paging.page_of(ActivityOut), summary=_("志愿活动列表"),
            description=_("您的范围内的志愿活动：商协会党委和市领导看全部，书记和指导员看本党组织、本商协会的，会员党员看本党组织的"))
def activity_list(request, page: Query[paging.PageIn], filters: Query[ActivityFilter]):
    require_role(request, *access.ACTIVITY_READERS)
    qs = _activities(request.user)
    if filters.kind:
        qs = qs.filter(kind_id=filters.kind)
    if filters.year:
        qs = qs.filter(held_on__year=filters.year)
    return paging.page(qs, page, deleted_model=Activity)


@router.get("/activities/{activity_id}", response=ActivityDetailOut, summary=_("志愿活动详情"))
def activity_detail(request, activity_id: int):
    require_role(request, *access.ACTIVITY_READERS)
    activity = visible_or_404(request.user, _activities(request.user), activity_id, _("志愿活动"))
    activity.participants = list(_participations().filter(activity=activity).visible_to(request.user)
                                 .order_by("person__sort_key", "id"))
    return activity


@router.get("/hours", response=paging.page_of(ParticipationOut), summary=_("我的志愿服务时长"),
            description=_("本人登记的服务时长（待确认、已确认、未通过）"))
def my_hours(request, page: Query[paging.PageIn], filters: Query[HoursFilter]):
    require_role(request, *access.ACTIVITY_READERS)
    person_id = request.user.person_id
    # One's own rows, as on the 我的志愿服务 page, wherever the activity was held.
    qs = _participations().filter(person_id=person_id) if person_id else Participation.objects.none()
    if filters.status:
        qs = qs.filter(status=filters.status)
    return paging.page(qs, page, deleted_model=Participation)


@router.post("/hours", response={201: ParticipationOut}, summary=_("登记本人服务时长"),
             description=_("会员党员登记本人参加本党组织志愿活动的服务时长，待党组织书记确认"))
def report_hours(request, payload: ReportIn):
    require_role(request, *access.ACTIVITY_READERS)
    activity = Activity.objects.visible_to(request.user).filter(pk=payload.activity).first()
    if activity is None:
        raise ValidationError({"activity": _("志愿活动不存在或不在您的范围内")})
    row = services.participation_report(actor=Actor.of(request.user), activity=activity, hours=payload.hours,
                                        note=payload.note)
    return Status(201, _participations().get(pk=row.pk))


@router.get("/hours/pending", response=paging.page_of(ParticipationOut), summary=_("待确认的服务时长"),
            description=_("您可以确认的党组织、商协会的志愿活动中，会员登记、等待确认的服务时长"))
def pending_hours(request, page: Query[paging.PageIn]):
    require_role(request, *access.KEEPERS)
    qs = (_participations().visible_to(request.user).filter(status=Participation.Status.REPORTED)
          .filter(_kept(request.user)))
    return paging.page(qs, page, deleted_model=Participation)


def _kept(user) -> Q:
    """The rows `access.can_keep_activity` allows, as a filter (the queue page checks them one by one)."""
    scope = scope_of(user)
    if Role.COMMITTEE in scope.roles:
        return Q()
    return (Q(activity__party_org_id__in=scope.secretary_of_org_ids)
            | Q(activity__association_id__in=scope.association_ids))


def _kept_participation(request, participation_id) -> Participation:
    require_role(request, *access.KEEPERS)
    row = visible_or_404(request.user, _participations(), participation_id, _("服务时长记录"))
    if not access.can_keep_activity(request.user, row.activity):
        raise PermissionDenied(_("只有活动所属党组织的书记或商协会党委可以确认服务时长"))
    return row


@router.post("/hours/{participation_id}/confirm", response=ParticipationOut, summary=_("确认服务时长"))
def confirm_hours(request, participation_id: int):
    row = _kept_participation(request, participation_id)
    services.participation_confirm(actor=Actor.of(request.user), participation=row)
    return _participations().get(pk=row.pk)


@router.post("/hours/{participation_id}/reject", response=ParticipationOut, summary=_("退回服务时长"))
def reject_hours(request, participation_id: int, payload: RejectIn):
    row = _kept_participation(request, participation_id)
    services.participation_reject(actor=Actor.of(request.user), participation=row, reason=payload.reason)
    return _participations().get(pk=row.pk)


@router.get("/projects", response=paging.page_of(ProjectOut), summary=_("帮扶项目列表"),
            description=_("万企兴万村帮扶项目及已到位资金：商协会党委和市领导看全部，书记和指导员看本商协会结对的"))
def project_list(request, page: Query[paging.PageIn], filters: Query[ProjectFilter]):
    require_role(request, *access.READERS)
    qs = _projects(request.user).search(filters.q or "")
    for field in ("tag", "klass", "status"):
        if getattr(filters, field):
            qs = qs.filter(**{field: getattr(filters, field)})
    if filters.year:
        qs = qs.filter(starts_on__year=filters.year)
    return paging.page(qs, page, deleted_model=Project)


def _project_detail(user, project_id) -> Project:
    project = visible_or_404(user, _projects(user), project_id, _("帮扶项目"))
    project.payment_rows = list(Payment.objects.filter(project=project).order_by("paid_on", "id"))
    return project


@router.get("/projects/{project_id}", response=ProjectDetailOut, summary=_("帮扶项目详情"))
def project_detail(request, project_id: int):
    require_role(request, *access.READERS)
    return _project_detail(request.user, project_id)


def _kept_project(request, project_id) -> Project:
    require_role(request, *access.READERS)
    project = visible_or_404(request.user, Project.objects.select_related("pairing"), project_id, _("帮扶项目"))
    if not access.can_keep(request.user, association_id=project.pairing.association_id):
        raise PermissionDenied(_("您无权修改这个帮扶项目"))
    return project


@router.patch("/projects/{project_id}", response=ProjectDetailOut, summary=_("更新项目进展"),
              description=_("更新状态、进展情况、结束日期、就业、受益农户、增收等（只改所传字段），与导入帮扶项目表相同的规则"))
def project_progress(request, project_id: int, payload: ProgressIn):
    project = _kept_project(request, project_id)
    values = payload.model_dump(exclude_unset=True)
    if values.get("benefit_link", "") is None:
        values["benefit_link"] = ""  # null clears it, as a blank cell does
    if values.get("progress", "") is None:
        values["progress"] = ""
    services.project_save(actor=Actor.of(request.user), values=values, project=project)
    return _project_detail(request.user, project.pk)


@router.post("/projects/{project_id}/payments", response={201: PaymentOut}, summary=_("登记资金到位"),
             description=_("按到位日期登记到位资金，累计“投入帮扶资金”"))
def payment_create(request, project_id: int, payload: PaymentIn):
    project = _kept_project(request, project_id)
    row = services.payment_save(actor=Actor.of(request.user), values={**payload.model_dump(), "project": project})
    return Status(201, row)


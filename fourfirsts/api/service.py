"""The API's 第一要务 endpoints: visits (with the problems found), appeals
(list, detail with its timeline, staff intake and every workflow action), and
the public 营商码 intake and tracking, which need no account.

Input is checked by the pages' own forms and written by the pages' services,
so the API adds no rule and skips none. An action carries the `updated_at`
the client last saw (`seen_updated_at`): if the appeal moved meanwhile the
client gets a 409 and nothing is done, as on the detail page."""

import re
from datetime import date, datetime
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from pydantic import AfterValidator, BeforeValidator
from pydantic_core import PydanticCustomError

from fourfirsts.api import common, paging
from fourfirsts.api.common import MAX_ID, Id
from fourfirsts.api.errors import Conflict, TooMany
from fourfirsts.core.access import Role, scope_of
from fourfirsts.core.actors import Actor
from fourfirsts.core.audit import client_ip
from fourfirsts.core.crypto import mask_phone
from fourfirsts.core.periods import local_midnight
from fourfirsts.core.workflow import WorkflowError
from fourfirsts.registry.models import Department, Enterprise, Person
from fourfirsts.service import menu, todo
from fourfirsts.service.forms import appeals as appeal_forms
from fourfirsts.service.forms import public as public_forms
from fourfirsts.service.forms import visits as visit_forms
from fourfirsts.service.models import Appeal, Visit
from fourfirsts.service.services import appeals, intake
from fourfirsts.service.services import visits as visit_services
from fourfirsts.service.workflow import APPEAL_WORKFLOW

router = Router(tags=[_("第一要务")])

WRITERS = (Role.COMMITTEE, Role.SECRETARY, Role.MEMBER)  # as the visit page
# Every action of the detail page, and 现场交办 (a page of its own there).
ACTIONS = (*appeal_forms.ACTION_FORMS, "assign_on_site")


def _in_range(value):
    """Dates and times a person could mean: keeps local-time arithmetic safe."""
    if not 1900 <= value.year <= 2100:
        raise PydanticCustomError("out_of_range", _("应在 1900 年至 2100 年之间"))
    return value


ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _iso(kind):
    """Only ISO 8601 text, as the schema says: pydantic would also take a number of seconds."""
    def check(value):
        if isinstance(value, str) and not ISO_DAY.match(value):
            raise PydanticCustomError(f"{kind}_parsing", _("应为 ISO 8601 格式"))
        if not isinstance(value, str | date):
            raise PydanticCustomError(f"{kind}_parsing", _("应为 ISO 8601 格式"))
        return value

    return BeforeValidator(check)


Moment = Annotated[datetime, _iso("datetime"), AfterValidator(_in_range)]
Day = Annotated[date, _iso("date"), AfterValidator(_in_range)]
Category = Literal[tuple(Appeal.Category.values)]
Kind = Literal[tuple(Appeal.Kind.values)]
Rating = Literal[tuple(v for v, __ in appeal_forms.RATING_CHOICES)]
Text = Annotated[str, Field(pattern=r"^[^\x00]*$", max_length=100)]


def _require(request, roles, message):
    """The page's role check: the same roles, a 403 with its message."""
    if not scope_of(request.user).has(*roles):
        raise PermissionDenied(message)


def _form_errors(errors, names=None) -> ValidationError:
    """A form's (or a service's) errors as a 422, keyed by the API's field names."""
    names = names or {}
    return ValidationError({names.get(k, k): v for k, v in errors.items()})


def _aware(moment: datetime) -> datetime:
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _same_moment(seen: datetime, updated_at: datetime) -> bool:
    """Whether the client saw this `updated_at`: responses give it to the
    millisecond (the JSON encoder's precision), so compare at that."""
    def ms(t):
        return _aware(t).replace(microsecond=t.microsecond // 1000 * 1000)

    return ms(seen) == ms(updated_at)


# --- visits --------------------------------------------------------------------------------


class VisitFilter(Schema):
    q: Text | None = Field(None, description=_("企业名称或拼音首字母"))
    channel: Literal[tuple(Visit.Channel.values)] | None = Field(None, description=_("方式"))
    year: int | None = Field(None, ge=2000, le=2100, description=_("年份"))
    start: Day | None = Field(None, description=_("起始日期"))
    end: Day | None = Field(None, description=_("截止日期"))
    visitor_id: Id | None = Field(None, description=_("走访人（党员档案 id）"))


class AppealBrief(Schema):
    id: int
    ref: str
    title: str
    state: str
    state_label: str

    @staticmethod
    def resolve_state_label(obj):
        return str(obj.get_state_display())


class VisitOut(common.RecordOut):
    ref: str
    visited_on: date
    channel: str
    channel_label: str
    enterprise_id: int
    enterprise_name: str
    visitor_id: int
    visitor_name: str
    notes: str
    problem_count: int = Field(description=_("这次走访提出的问题诉求数"))

    @staticmethod
    def resolve_channel_label(obj):
        return str(obj.get_channel_display())

    @staticmethod
    def resolve_enterprise_name(obj):
        return obj.enterprise.name

    @staticmethod
    def resolve_visitor_name(obj):
        return obj.visitor.name


class VisitDetailOut(VisitOut):
    entered_by: str = Field(description=_("录入人"))
    appeals: list[AppealBrief] = Field(description=_("提出的问题诉求（您能查看的）"))

    @staticmethod
    def resolve_appeals(obj):
        return obj.raised

    @staticmethod
    def resolve_entered_by(obj):
        user = obj.entered_by
        return (user.get_full_name() or user.get_username()) if user else ""


class ProblemIn(Schema):
    title: str = Field(description=_("问题标题"))
    category: Category
    kind: Kind
    is_blockage: bool = False
    is_pain_point: bool = False
    is_difficulty: bool = False
    description: str = ""
    raised_by_id: Id | None = Field(None, description=_("提出人（党员档案 id）；仅商协会党委和书记可填"))


class VisitIn(Schema):
    visitor_id: Id | None = Field(None, description=_("走访人（党员档案 id）：商协会党委和书记必填；会员党员为本人，不填"))
    enterprise_id: Id
    channel: Literal[tuple(Visit.Channel.values)] = Visit.Channel.ON_SITE
    visited_on: Day = Field(description=_("日期，不能晚于今天"))
    notes: str = ""
    problems: list[ProblemIn] = Field([], description=_("发现的问题，每个成为一条问题诉求（同一事务）"))


def _visit_rows(qs):
    """What a visit's item shows, in one query however many rows (names only: no decrypting)."""
    return visit_services.with_problem_count(
        qs.select_related("visitor", "enterprise")
        .only("id", "ref", "created_at", "updated_at", "visited_on", "channel", "notes", "entered_by",
              "visitor__id", "visitor__name", "enterprise__id", "enterprise__name"))


def _visit_detail(user, pk):
    visit = common.visible_or_404(user, _visit_rows(Visit.objects.select_related("entered_by")), pk, _("走访记录"))
    visit.raised = list(Appeal.objects.visible_to(user).filter(visit=visit)
                         .only("id", "ref", "title", "state").order_by("id"))
    return visit


@router.get("/visits", response=paging.page_of(VisitOut), summary=_("走访联系列表"),
             description=_("您能查看的走访联系：商协会党委、市领导全部；书记、指导员本组织所联系商协会会员企业的；会员党员本人的。"))
def visit_list(request, filters: Query[VisitFilter], page: Query[paging.PageIn]):
    _require(request, menu.CONTACT_READERS, _("您的角色无权查看走访联系"))
    qs = _visit_rows(Visit.objects.visible_to(request.user))
    f = filters
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.year:
        qs = qs.filter(visited_on__year=f.year)
    if f.start:
        qs = qs.filter(visited_on__gte=f.start)
    if f.end:
        qs = qs.filter(visited_on__lte=f.end)
    if f.visitor_id:
        qs = qs.filter(visitor_id=f.visitor_id)
    if f.q:
        qs = qs.filter(enterprise__in=Enterprise.objects.search(f.q).values("pk"))
    return paging.page(qs, page, deleted_model=Visit)


@router.get("/visits/{visit_id}", response=VisitDetailOut, summary=_("走访联系详情"))
def visit_detail(request, visit_id: Annotated[int, Path(ge=1, le=MAX_ID)]):
    _require(request, menu.CONTACT_READERS, _("您的角色无权查看走访联系"))
    return _visit_detail(request.user, visit_id)


VISIT_NAMES = {"visitor": "visitor_id", "enterprise": "enterprise_id"}


def _problem_errors(formset) -> dict:
    errors = {}
    for i, form_errors in enumerate(formset.errors):
        for field, messages in form_errors.items():
            errors[f"problems.{i}.{'raised_by_id' if field == 'raised_by' else field}"] = messages
    if formset.non_form_errors():
        errors["problems"] = list(formset.non_form_errors())
    return errors


def _service_problem_errors(error: ValidationError) -> ValidationError:
    """The service names a problem's field "problem-<i>-<field>": say "problems.<i>.<field>"."""
    if not hasattr(error, "error_dict"):
        return error
    out = {}
    for key, messages in error.message_dict.items():
        prefix, __, field = key.rpartition("-")
        if prefix.startswith(visit_services.PROBLEM_PREFIX + "-"):
            index = prefix.rsplit("-", 1)[1]
            key = f"problems.{index}.{'raised_by_id' if field == 'raised_by' else field}"
        out[VISIT_NAMES.get(key, key)] = messages
    return ValidationError(out)


@router.post("/visits", response={201: VisitDetailOut}, summary=_("登记走访联系"),
             description=_("登记一次走访或联系及发现的问题；任何一条有误则都不保存。会员党员登记本人的走访。"))
def visit_create(request, payload: VisitIn):
    _require(request, WRITERS, _("您的角色无权登记走访联系"))
    if not visit_services.can_log(request.user):
        raise PermissionDenied(_("您的角色无权登记走访联系"))
    p = payload
    form = visit_forms.VisitForm({
        "visitor": p.visitor_id or "", "enterprise": p.enterprise_id, "channel": p.channel,
        "visited_on": p.visited_on.isoformat(), "notes": p.notes,
    }, user=request.user)
    rows = {f"{visit_services.PROBLEM_PREFIX}-TOTAL_FORMS": str(len(p.problems)),
            f"{visit_services.PROBLEM_PREFIX}-INITIAL_FORMS": "0"}
    for i, problem in enumerate(p.problems):
        values = problem.model_dump()
        values["raised_by"] = values.pop("raised_by_id") or ""
        rows.update({f"{visit_services.PROBLEM_PREFIX}-{i}-{k}": v for k, v in values.items()})
    problems = visit_forms.problem_formset(request.user, rows)
    form_ok, rows_ok = form.is_valid(), problems.is_valid()
    if not (form_ok and rows_ok):
        raise _form_errors({**form.errors, **_problem_errors(problems)}, VISIT_NAMES)
    values = form.values()
    if "visitor" not in form.fields:  # a member logs their own visits
        values["visitor"] = Person.objects.only("id", "name").get(pk=scope_of(request.user).person_id)
    try:
        visit = visit_services.visit_create(actor=Actor.of(request.user), values=values,
                                            problems=problems.problems())
    except ValidationError as e:
        raise _service_problem_errors(e) from None
    return Status(201, _visit_detail(request.user, visit.pk))


# --- appeals -------------------------------------------------------------------------------


class AppealFilter(Schema):
    q: Text | None = Field(None, description=_("标题或企业名称"))
    state: Literal[tuple(Appeal.State.values)] | None = Field(None, description=_("状态"))
    category: Category | None = Field(None, description=_("类别"))
    channel: Literal[tuple(Appeal.Channel.values)] | None = Field(None, description=_("渠道"))
    kind: Kind | None = Field(None, description=_("性质"))
    nature: Literal[tuple(appeal_forms.NATURE_FIELDS)] | None = Field(None, description=_("标签：堵点、痛点、难点"))
    department_id: Id | None = Field(None, description=_("承办单位"))
    year: int | None = Field(None, ge=2000, le=2100, description=_("收集年份"))
    overdue: bool = Field(False, description=_("只看逾期"))
    due_soon: bool = Field(False, description=_("只看一个工作日内到期"))
    waiting: bool = Field(False, description=_("只看待受理或交办"))


class AppealOut(common.RecordOut):
    ref: str
    title: str
    state: str
    state_label: str
    channel: str
    channel_label: str
    category: str
    category_label: str
    kind: str
    kind_label: str
    is_blockage: bool
    is_pain_point: bool
    is_difficulty: bool
    enterprise_id: int
    enterprise_name: str
    department_id: int | None
    department_name: str = Field(description=_("承办单位，未交办为空"))
    collected_at: datetime
    due_at: datetime | None = Field(description=_("办理期限"))
    overdue: bool = Field(description=_("承办单位办理中且已过办理期限"))

    @staticmethod
    def resolve_state_label(obj):
        return str(obj.get_state_display())

    @staticmethod
    def resolve_channel_label(obj):
        return str(obj.get_channel_display())

    @staticmethod
    def resolve_category_label(obj):
        return str(obj.get_category_display())

    @staticmethod
    def resolve_kind_label(obj):
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_enterprise_name(obj):
        return obj.enterprise.name

    @staticmethod
    def resolve_department_name(obj):
        return obj.department.name if obj.department_id else ""

    @staticmethod
    def resolve_overdue(obj):
        return obj.is_overdue(timezone.now())


class TimelineItem(Schema):
    at: datetime
    kind: Literal["event", "escalation"] = Field(description=_("event 办理环节，escalation 督办"))
    label: str
    state: str = Field(description=_("这一步之后的状态"))
    actor: str
    note: str
    extra: str


def _name(person) -> str:
    return person.name if person is not None else ""


class AppealDetailOut(AppealOut):
    description: str
    raised_by: str = Field(description=_("提出人"))
    collected_by_id: int | None
    collected_by: str = Field(description=_("收集人"))
    visit_id: int | None = Field(description=_("来源走访"))
    contact_name: str
    contact_phone: str = Field(description=_("联系电话（已脱敏）"))
    contact_consent: bool
    decline_reason: str
    assigned_at: datetime | None
    first_assigned_at: datetime | None
    assigned_by: str = Field(description=_("现场交办的市领导"))
    assigned_place: str
    assigned_on_site_on: date | None
    limit_days: int | None = Field(description=_("办理时限（工作日）"))
    extension_days: int
    requested_extension_days: int
    due_on_fallback: bool = Field(description=_("期限按周一至周五暂计"))
    extension_count: int
    return_count: int
    return_reason: str
    return_basis: str
    redo_count: int
    signed_at: datetime | None
    replied_at: datetime | None
    reply: str
    rating: str
    rating_label: str
    rated_at: datetime | None
    closed_at: datetime | None
    close_days: int | None = Field(description=_("办结用时（工作日）"))
    timeline: list[TimelineItem] = Field(description=_("办理环节和督办，按时间排列"))
    allowed_actions: list[str] = Field(description=_("您现在可以执行的操作（POST …/actions/{action}）"))

    @staticmethod
    def resolve_raised_by(obj):
        return _name(obj.raised_by)

    @staticmethod
    def resolve_collected_by(obj):
        return _name(obj.collected_by)

    @staticmethod
    def resolve_assigned_by(obj):
        return _name(obj.assigned_by)

    @staticmethod
    def resolve_contact_phone(obj):
        return mask_phone(obj.contact_phone)

    @staticmethod
    def resolve_rating_label(obj):
        return str(obj.get_rating_display()) if obj.rating else ""


def _appeals(user):
    return (Appeal.objects.visible_to(user).select_related("enterprise", "department")
            .only("id", "ref", "created_at", "updated_at", "title", "state", "channel", "category", "kind",
                  "is_blockage", "is_pain_point", "is_difficulty", "collected_at", "due_at", "enterprise__id",
                  "enterprise__name", "department__id", "department__name"))


def _appeal(user, pk) -> Appeal:
    """One appeal in the user's scope (else 404), loaded as the detail page does."""
    people = ("raised_by", "collected_by", "assigned_by")
    qs = Appeal.objects.select_related("enterprise", "department", *people).defer(
        *(f"{p}__{f}" for p in people for f in ("id_number", "phone")),
        "enterprise__contact_phone", "department__contact_phone")
    return common.visible_or_404(user, qs, pk, _("问题诉求"))


def _appeal_detail(user, pk) -> Appeal:
    appeal = _appeal(user, pk)
    appeal.timeline = [{**item, "label": str(item["label"]), "state": str(item["state"]),
                        "actor": str(item["actor"]), "note": str(item["note"])}
                       for item in appeals.timeline(appeal)]
    appeal.allowed_actions = appeals.allowed_actions(appeal, Actor.of(user))
    return appeal


@router.get("/appeals", response=paging.page_of(AppealOut), summary=_("问题诉求列表"),
             description=_("您能查看的问题诉求，筛选同问题诉求列表页。"))
def appeal_list(request, filters: Query[AppealFilter], page: Query[paging.PageIn]):
    _require(request, menu.APPEAL_READERS, _("您的角色无权查看问题诉求"))
    qs = _appeals(request.user)
    f = filters
    for name in ("state", "category", "channel", "kind", "department_id"):
        if getattr(f, name):
            qs = qs.filter(**{name: getattr(f, name)})
    if f.nature:
        qs = qs.filter(**{appeal_forms.NATURE_FIELDS[f.nature]: True})
    if f.year:
        qs = qs.filter(collected_at__gte=local_midnight(date(f.year, 1, 1)),
                       collected_at__lt=local_midnight(date(f.year + 1, 1, 1)))
    if f.overdue:
        qs = qs.overdue(timezone.now())
    if f.due_soon:
        qs = qs.filter(todo.due_soon_q(timezone.localdate()))
    if f.waiting:
        qs = qs.filter(todo.waiting_q())
    qs = qs.search(f.q or "")
    return paging.page(qs, page, deleted_model=Appeal)


@router.get("/appeals/{appeal_id}", response=AppealDetailOut, summary=_("问题诉求详情"),
             description=_("诉求的全部信息、办理和督办时间线，以及您现在可执行的操作。联系电话已脱敏。"))
def appeal_detail(request, appeal_id: Annotated[int, Path(ge=1, le=MAX_ID)]):
    _require(request, menu.APPEAL_READERS, _("您的角色无权查看问题诉求"))
    return _appeal_detail(request.user, appeal_id)


class AppealIn(Schema):
    channel: Literal[tuple(Appeal.Channel.values)] = Appeal.Channel.VISIT
    enterprise_id: Id
    raised_by_id: Id | None = Field(None, description=_("提出人（党员档案 id）"))
    collected_by_id: Id | None = Field(None, description=_("收集人（党员档案 id）"))
    collected_at: Moment | None = Field(None, description=_("收集时间，不填为现在"))
    category: Category
    kind: Kind
    is_blockage: bool = False
    is_pain_point: bool = False
    is_difficulty: bool = False
    title: str
    description: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_consent: bool = Field(False, description=_("企业同意将联系方式提供给承办单位"))


APPEAL_NAMES = {"enterprise": "enterprise_id", "raised_by": "raised_by_id", "collected_by": "collected_by_id"}


@router.post("/appeals", response={201: AppealDetailOut}, summary=_("登记问题诉求"),
             description=_("商协会党委登记任何企业的诉求；书记、指导员登记本组织所联系商协会会员企业的诉求。"))
def appeal_create(request, payload: AppealIn):
    _require(request, menu.APPEAL_READERS, _("您的角色无权登记诉求"))
    if not appeals.may_create(request.user):
        raise PermissionDenied(_("您的角色无权登记诉求"))
    data = payload.model_dump()
    for form_name, api_name in APPEAL_NAMES.items():
        data[form_name] = data.pop(api_name) or ""
    data["collected_at"] = _aware(payload.collected_at or timezone.now()).isoformat()
    form = appeal_forms.AppealForm(data, user=request.user)
    if not form.is_valid():
        raise _form_errors(form.errors, APPEAL_NAMES)
    try:
        appeal = appeals.appeal_create(actor=Actor.of(request.user), values=form.values())
    except ValidationError as e:
        raise _form_errors(e.message_dict, APPEAL_NAMES) if hasattr(e, "error_dict") else e from None
    return Status(201, _appeal_detail(request.user, appeal.pk))


class ActionIn(Schema):
    seen_updated_at: Moment = Field(description=_("您上次读取时该诉求的 updated_at；此后被他人处理则返回 409，不执行"))
    note: str = Field("", description=_("备注、交办意见、回访记录或办结说明（办结必填）"))
    ground: Literal[tuple(k for k, __ in appeal_forms.DECLINE_GROUNDS)] | None = Field(
        None, description=_("不予受理的情形（不予受理必填）"))
    reason: str = Field("", description=_("不予受理说明、延期理由或退回理由"))
    department_id: Id | None = Field(None, description=_("承办单位（交办、重新交办、现场交办必填）"))
    days: int | None = Field(None, le=3650, description=_("申请延期的工作日数（申请延期必填）"))
    basis: str = Field("", description=_("退回依据（退回必填）"))
    reply: str = Field("", description=_("答复内容（答复必填）"))
    rating: Rating | None = Field(None, description=_("回访评价（回访评价必填）"))
    leader_id: Id | None = Field(None, description=_("交办的市领导（现场交办必填）"))
    place: str = Field("", description=_("交办地点（现场交办必填）"))
    on: Day | None = Field(None, description=_("现场交办日期（现场交办必填）"))


# Form and service field names → the API's.
ACTION_NAMES = {"department": "department_id", "leader": "leader_id", "assigned_by": "leader_id",
                "assigned_on_site_on": "on", **appeal_forms.ERROR_ALIASES}


def _checked_form(action, p: ActionIn):
    """The action's page form, bound to the body and checked: 422 naming each wrong field."""
    data = {"note": p.note, "ground": p.ground or "", "reason": p.reason, "department": p.department_id or "",
            "days": "" if p.days is None else str(p.days), "basis": p.basis, "reply": p.reply,
            "rating": p.rating or "", "leader": p.leader_id or "", "place": p.place,
            "on": p.on.isoformat() if p.on else ""}
    if action == "assign_on_site":
        # The on-site page's form, and a department picked for the appeal (a row there).
        form = appeal_forms.OnSiteForm(data, leaders=appeals.city_leaders())
        errors = {} if form.is_valid() else dict(form.errors)
        form.department = Department.objects.filter(pk=p.department_id).first() if p.department_id else None
        if form.department is None:
            errors["department"] = [_("请为该诉求选择承办单位")]
    else:
        form = appeal_forms.action_form(action, data)
        errors = {} if form.is_valid() else form.errors
    if errors:
        raise _form_errors(errors, ACTION_NAMES)
    return form


def _run(action, appeal, actor, form):
    """Call the service of one action with the form's values, as the detail page does."""
    v = form.cleaned_data
    common_args = {"appeal": appeal, "actor": actor}
    if action == "assign_on_site":
        return appeals.appeal_assign_on_site(department=form.department, leader=v["leader"], place=v["place"],
                                             on=v["on"], note=v.get("note", ""), **common_args)
    calls = {
        "accept": lambda: appeals.appeal_accept(note=v.get("note", ""), **common_args),
        "decline": lambda: appeals.appeal_decline(reason=form.decline_reason(), **common_args),
        "assign": lambda: appeals.appeal_assign(department=v["department"], note=v.get("note", ""), **common_args),
        "reassign": lambda: appeals.appeal_reassign(department=v["department"], note=v.get("note", ""),
                                                    **common_args),
        "sign": lambda: appeals.appeal_sign(note=v.get("note", ""), **common_args),
        "handle": lambda: appeals.appeal_handle(note=v.get("note", ""), **common_args),
        "request_extension": lambda: appeals.appeal_request_extension(days=v["days"], reason=v["reason"],
                                                                      **common_args),
        "approve_extension": lambda: appeals.appeal_approve_extension(note=v.get("note", ""), **common_args),
        "refuse_extension": lambda: appeals.appeal_refuse_extension(note=v.get("note", ""), **common_args),
        "return": lambda: appeals.appeal_return(reason=v["reason"], basis=v["basis"], **common_args),
        "reply": lambda: appeals.appeal_reply(reply=v["reply"], **common_args),
        "rate": lambda: appeals.appeal_rate(rating=v["rating"], note=v.get("note", ""), **common_args),
        "close": lambda: appeals.appeal_close(note=v["note"], **common_args),
    }
    return calls[action]()


def _conflict(appeal) -> Conflict:
    return Conflict(_("该诉求已被他人处理为“%(state)s”，您的操作未执行。请重新读取该诉求，核对后决定是否重新提交。")
                    % {"state": appeal.get_state_display()})


@router.post("/appeals/{appeal_id}/actions/{action}", response=AppealDetailOut, summary=_("办理问题诉求"),
             description=_("执行一个办理环节（受理、交办、签收、答复、回访评价……），角色和规则同诉求详情页。"
                           "诉求在您读取后已被他人处理的返回 409，不执行；当前状态不能执行该操作的返回 409；"
                           "输入不符合规则的返回 422。"))
def appeal_act(request, appeal_id: Annotated[int, Path(ge=1, le=MAX_ID)], action: Literal[ACTIONS],
               payload: ActionIn):
    _require(request, menu.APPEAL_READERS, _("您的角色无权办理该诉求"))
    appeal = _appeal(request.user, appeal_id)
    actor = Actor.of(request.user)
    transition = APPEAL_WORKFLOW.get(action)
    if not actor.roles & transition.roles:
        raise PermissionDenied(_("%(actor)s无权执行“%(action)s”") % {"actor": actor, "action": transition.label})
    seen = payload.seen_updated_at
    if not _same_moment(seen, appeal.updated_at):
        raise _conflict(appeal)
    form = _checked_form(action, payload)
    try:
        _run(action, appeal, actor, form)
    except WorkflowError as e:
        fresh = _appeal(request.user, appeal_id)
        if e.code == "conflict" and not _same_moment(seen, fresh.updated_at):
            raise _conflict(fresh) from None
        if e.code == "forbidden":
            raise PermissionDenied("；".join(e.messages)) from None
        raise
    except ValidationError as e:
        raise _form_errors(e.message_dict, ACTION_NAMES) if hasattr(e, "error_dict") else e from None
    return _appeal_detail(request.user, appeal_id)


# --- the public 营商码: intake and tracking (no account) ------------------------------------------


class CodeOut(Schema):
    kind: Literal["association", "enterprise"] = Field(description=_("商会的码需填写企业名称和统一社会信用代码；企业的码不需要"))
    name: str
    associations: list[str] = Field(description=_("企业所在的商会"))


class IntakeIn(Schema):
    enterprise_name: str = Field("", description=_("企业名称（商会的码必填）"))
    uscc: str = Field("", description=_("统一社会信用代码（商会的码必填）"))
    contact_name: str
    contact_phone: str = Field(description=_("手机号码，或带区号的固定电话"))
    category: Category
    kind: Kind
    nature: list[Literal[tuple(k for k, __ in public_forms.NATURE_CHOICES)]] = Field(
        [], description=_("堵点、痛点、难点，可多选"))
    title: str
    description: str
    consent: bool = Field(description=_("同意将联系人和联系电话提供给承办单位，必须为 true"))
    key: str = Field("", description=_("本次填写的随机键（16–64 位字母、数字、-、_）：重复提交同一键只保存一次"))


class ReceivedOut(Schema):
    ref: str = Field(description=_("查询编号"))
    tracking_token: str = Field(description=_("查询码：凭它查询办理进度和评价，请妥善保存"))
    enterprise_name: str
    duplicate: bool = Field(description=_("此前已提交过（同一键），这是第一次提交的诉求"))


class StepOut(Schema):
    at: datetime
    label: str
    state: str
    note: str
    department: str
    due_at: datetime | None


class PublicAppealOut(Schema):
    ref: str
    title: str
    enterprise_name: str
    category_label: str
    state: str
    state_label: str
    collected_at: datetime
    department_name: str
    due_at: datetime | None
    overdue: bool
    reply: str
    replied_at: datetime | None
    rating: str
    rating_label: str
    can_rate: bool = Field(description=_("已答复，可以评价"))
    steps: list[StepOut]


class LookupIn(Schema):
    ref: str = Field(description=_("查询编号"))
    phone: str = Field(description=_("提交时填写的联系电话"))


class LookupOut(PublicAppealOut):
    tracking_token: str


class RatingIn(Schema):
    rating: Rating
    note: str = Field("", description=_("意见和建议；不满意时必填"))


def _code(code: str):
    target = intake.code_target(code)
    if target is None:
        raise Http404(_("这个营商码无效或已停用。请重新扫描商会或企业张贴的营商码，或联系所在商会秘书处。"))
    return target


def _public_view(appeal: Appeal) -> dict:
    """What the tracking page shows the enterprise: never the staff or the phone."""
    appeal = Appeal.objects.select_related("enterprise", "department").get(pk=appeal.pk)
    return {
        "ref": appeal.ref, "title": appeal.title, "enterprise_name": appeal.enterprise.name,
        "category_label": str(appeal.get_category_display()), "state": appeal.state,
        "state_label": str(appeal.get_state_display()), "collected_at": appeal.collected_at,
        "department_name": appeal.department.name if appeal.department_id else "", "due_at": appeal.due_at,
        "overdue": appeal.is_overdue(timezone.now()), "reply": appeal.reply, "replied_at": appeal.replied_at,
        "rating": appeal.rating, "rating_label": str(appeal.get_rating_display()) if appeal.rating else "",
        "can_rate": appeal.state == Appeal.State.REPLIED,
        "steps": [{**vars(s), "label": str(s.label), "state": str(s.state), "note": str(s.note)}
                  for s in intake.public_timeline(appeal)],
    }


def _tracked(token: str) -> Appeal:
    try:
        return appeals.appeal_by_token(token)
    except Http404:
        raise Http404(_("查询链接无效。请核对链接是否完整（可从提交后保存的链接或书签打开），"
                        "或用查询编号和联系电话查询。")) from None


def _limited(error: intake.RateLimited):
    return TooMany(str(error), error.retry_after)


@router.get("/public/codes/{code}", response=CodeOut, auth=None, summary=_("营商码：码的信息（免登录）"),
             description=_("营商码链接 /service/code/{code}/ 中的 code：是哪个商会或企业的码。"))
def public_code(request, code: str):
    kind, record = _code(code)
    associations = intake.member_associations(record) if kind == "e" else []
    return {"kind": "enterprise" if kind == "e" else "association", "name": record.name,
            "associations": [a.name for a in associations]}


@router.post("/public/codes/{code}/appeals", response={200: ReceivedOut, 201: ReceivedOut}, auth=None,
             summary=_("营商码：提交问题诉求（免登录）"),
             description=_("同营商码页面：同样的校验、同样的频率限制（每个网络地址每小时、每家企业每天），"
                           "同一键重复提交返回第一次的结果（200），新提交返回 201。"))
def public_intake(request, code: str, payload: IntakeIn):
    kind, record = _code(code)
    enterprise = record if kind == "e" else None
    ip = client_ip(request)
    data = payload.model_dump()
    first = intake.received_before(data["key"], enterprise=enterprise, uscc=data["uscc"])
    if first is not None:  # sent twice: the same answer
        return Status(200, {"ref": first.ref, "tracking_token": first.tracking_token,
                            "enterprise_name": first.enterprise.name, "duplicate": True})
    try:
        intake.check_rate(ip=ip, enterprise_id=enterprise.pk if enterprise else None)
    except intake.RateLimited as e:
        raise _limited(e) from None
    form = public_forms.IntakeForm(data, association=record if kind == "a" else None, enterprise=enterprise)
    if not form.is_valid():
        raise _form_errors(form.errors)
    try:
        if enterprise is None:
            intake.check_rate(enterprise_id=form.enterprise.pk)
        received = intake.intake_submit(actor=Actor.public(), enterprise=form.enterprise, values=form.values(),
                                        key=form.cleaned_data["key"])
    except intake.RateLimited as e:
        raise _limited(e) from None
    except ValidationError as e:
        names = {"contact_consent": "consent"}
        raise _form_errors(e.message_dict, names) if hasattr(e, "error_dict") else e from None
    if not received.duplicate:
        intake.count_submission(ip=ip, enterprise_id=form.enterprise.pk)
    appeal = received.appeal
    return Status(200 if received.duplicate else 201, {
        "ref": appeal.ref, "tracking_token": appeal.tracking_token, "enterprise_name": form.enterprise.name,
        "duplicate": received.duplicate})


@router.get("/public/track/{token}", response=PublicAppealOut, auth=None, summary=_("营商码：办理进度（免登录）"),
             description=_("凭查询码查看诉求的状态、承办单位、办理期限、答复和办理过程。"))
def public_track(request, token: str):
    return _public_view(_tracked(token))


@router.post("/public/lookup", response=LookupOut, auth=None, summary=_("营商码：凭编号和电话查询（免登录）"),
             description=_("凭查询编号和提交时填写的联系电话找回诉求及其查询码；每个网络地址每小时限查询若干次。"))
def public_lookup(request, payload: LookupIn):
    ip = client_ip(request)
    try:
        intake.check_lookup_rate(ip=ip)
    except intake.RateLimited as e:
        raise _limited(e) from None
    form = public_forms.LookupForm(payload.model_dump())
    if not form.is_valid():
        raise _form_errors(form.errors)
    intake.count_lookup(ip=ip)
    appeal = intake.find_by_ref_and_phone(form.cleaned_data["ref"], form.cleaned_data["phone"])
    if appeal is None:
        raise Http404(_("没有找到编号与联系电话都相符的诉求。请核对提交后页面上显示的编号，以及提交时填写的联系电话。"))
    return {**_public_view(appeal), "tracking_token": appeal.tracking_token}


@router.post("/public/track/{token}/rating", response=PublicAppealOut, auth=None,
             summary=_("营商码：评价办理结果（免登录）"),
             description=_("已答复的诉求可评价：满意、基本满意办结；不满意（须说明原因）转回承办单位重办，或由商协会党委研究处理。"))
def public_rate(request, token: str, payload: RatingIn):
    appeal = _tracked(token)
    if appeal.state != Appeal.State.REPLIED:
        raise Conflict(_("该诉求当前不能评价：%(state)s") % {"state": appeal.get_state_display()})
    form = public_forms.RatingForm(payload.model_dump())
    if not form.is_valid():
        raise _form_errors(form.errors)
    rated = appeals.appeal_rate_by_token(token=token, rating=form.cleaned_data["rating"],
                                         note=form.cleaned_data["note"].strip())
    return _public_view(rated)

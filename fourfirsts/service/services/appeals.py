"""Every write to appeals. Services are keyword-only, take the actor, accept
`at` for imported history, and move the state only through APPEAL_WORKFLOW,
so each step is a WorkflowEvent with actor, time and note."""

import logging
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from fourfirsts.core import rules, workdays
from fourfirsts.core.access import Role, get_visible_or_404, scope_of
from fourfirsts.core.actors import SYSTEM, Actor, Kind
from fourfirsts.core.notify import notify
from fourfirsts.core.workflow import WorkflowError
from fourfirsts.registry.models import Department, Person, PublicOffice, active_on
from fourfirsts.service import rules as service_rules
from fourfirsts.service.models import Appeal, Escalation, member_enterprise_ids
from fourfirsts.service.services import members
from fourfirsts.service.workflow import APPEAL_WORKFLOW, DEPARTMENT_ACTIONS, RATING_ACTIONS

logger = logging.getLogger("fourfirsts.service")

CLOCK_SKEW = timedelta(minutes=5)  # a phone's clock may run a little ahead
CREATE_FIELDS = (
    "ref", "enterprise", "raised_by", "collected_by", "channel", "category", "kind", "is_blockage",
    "is_pain_point", "is_difficulty", "title", "description", "collected_at", "visit", "contact_name",
    "contact_phone", "contact_consent",
)


# --- reading --------------------------------------------------------------------------


def get_appeal_for_user(user, pk, write=False) -> Appeal:
    """The appeal if the user may see it (else 404); with write=True also only
    if the user may act on it: the committee, a leader, or a handler of its
    department (a reader who may not gets a 403)."""
    appeal = get_visible_or_404(Appeal.objects.select_related("enterprise", "department"), user, pk=pk)
    if write:
        scope = scope_of(user)
        may = scope.is_system or scope.has(Role.COMMITTEE, Role.LEADER) or (
            Role.HANDLER in scope.roles and appeal.department_id in scope.department_ids
        )
        if not may:
            raise PermissionDenied(_("您的角色无权办理该诉求"))
    return appeal


def appeal_by_token(token: str) -> Appeal:
    """The appeal of a public tracking link, or 404."""
    appeal = Appeal.objects.filter(tracking_token=token).first() if token else None
    if appeal is None:
        raise Http404(_("记录不存在或无权查看"))
    return appeal


# --- helpers --------------------------------------------------------------------------


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


def _move(appeal: Appeal, action: str, *, actor: Actor, note="", at=None, data=None, fields=()):
    return APPEAL_WORKFLOW.transition(
        appeal, action, actor=actor, note=note, at=at, data=data, update_fields=tuple(fields)
    )


def _check_department(appeal: Appeal, action: str, actor: Actor, link=None) -> None:
    """The table's check, then the object-level one: a handler acts only on
    the appeals of their own department, a signed link only on its own appeal
    while that appeal is with the link's department and the link is valid."""
    t = APPEAL_WORKFLOW.check(appeal, action, actor)
    if actor.kind == Kind.SIGNED_LINK:
        usable = (
            link is not None and link.appeal_id == appeal.pk and link.department_id == appeal.department_id
            and link.revoked_at is None and link.expires_at > timezone.now()
        )
        if not usable:
            raise WorkflowError(
                _("此办理链接不能用于该诉求的“%(action)s”") % {"action": t.label}, code="forbidden"
            )
        return
    if actor.kind != Kind.USER:
        return
    scope = scope_of(actor.user)
    if scope.is_system or appeal.department_id in scope.department_ids:
        return
    raise WorkflowError(
        _("该诉求不是交办给您所在承办单位的，不能执行“%(action)s”") % {"action": t.label},
        code="forbidden",
    )


def allowed_actions(appeal: Appeal, actor: Actor, link=None) -> list[str]:
    """The actions this actor may take on the appeal now (the buttons): the
    table's, less the department's steps on another department's appeal.
    The three rating outcomes show as one "rate"; the system-only step never."""
    names = []
    for t in APPEAL_WORKFLOW.available(appeal, actor):
        action = "rate" if t.action in RATING_ACTIONS else t.action
        if action == "close_unrated" or action in names:
            continue
        if action in DEPARTMENT_ACTIONS:
            try:
                _check_department(appeal, action, actor, link)
            except WorkflowError:
                continue
        names.append(action)
    return names


def _set_clock(appeal: Appeal, *, department: Department, at: datetime) -> list[str]:
    """Start the clock at assignment (APL-1): the category's limit on that day."""
    appeal.department = department
    appeal.assigned_at = at
    appeal.first_assigned_at = appeal.first_assigned_at or at
    appeal.limit_days = service_rules.limit_for(appeal.category, workdays.local_date(at))
    appeal.extension_days = 0
    appeal.requested_extension_days = 0
    _set_due(appeal)
    return ["department", "assigned_at", "first_assigned_at", "limit_days", "extension_days", "requested_extension_days",
            "due_at", "due_on_fallback"]


def _set_due(appeal: Appeal) -> None:
    appeal.due_at = workdays.due_at(appeal.assigned_at, appeal.limit_days + appeal.extension_days)
    appeal.due_on_fallback = workdays.due_is_fallback(appeal.assigned_at, appeal.due_at)


def _close_fields(appeal: Appeal, at: datetime) -> list[str]:
    appeal.closed_at = at
    if appeal.first_assigned_at:
        appeal.close_days = workdays.workdays_elapsed(
            workdays.local_date(appeal.first_assigned_at), workdays.local_date(at)
        )
    return ["closed_at", "close_days"]


# --- collection and routing ------------------------------------------------------------


def may_create(user) -> bool:
    """Whether the staff intake page is open to this user: the committee, and
    secretaries and instructors for their associations' member enterprises."""
    scope = scope_of(user)
    return scope.is_system or Role.COMMITTEE in scope.roles or bool(
        scope.roles & {Role.SECRETARY, Role.INSTRUCTOR} and scope.association_ids
    )


def _check_creator(actor: Actor, values: dict) -> None:
    """Users record appeals within their scope: the committee any; a secretary
    or instructor those of their associations' current member enterprises; a
    member those they collected themselves (raised during their visits).
    The system, the public (营商码) and imports are not users."""
    if actor.kind != Kind.USER:
        return
    scope = scope_of(actor.user)
    if scope.is_system or Role.COMMITTEE in scope.roles:
        return
    enterprise = values.get("enterprise")
    if scope.roles & {Role.SECRETARY, Role.INSTRUCTOR} and scope.association_ids and enterprise is not None:
        if member_enterprise_ids(scope.association_ids).filter(enterprise_id=enterprise.pk).exists():
            return
    collector = values.get("collected_by")
    if Role.MEMBER in scope.roles and scope.person_id and collector is not None and collector.pk == scope.person_id:
        return
    if may_create(actor.user):
        raise ValidationError({"enterprise": _("%(name)s不是您所联系商协会的会员企业，不能为其登记诉求")
                               % {"name": enterprise or "—"}})
    raise PermissionDenied(_("您的角色无权登记诉求"))


@transaction.atomic
def appeal_create(*, actor: Actor, values: dict, at: datetime | None = None) -> Appeal:
    """Record a collected appeal (state 已收集). `at` dates its history row
    (imports: when it was collected); without it, now."""
    unknown = set(values) - set(CREATE_FIELDS)
    if unknown:
        raise ValueError(f"unknown appeal fields {sorted(unknown)}")
    _check_creator(actor, values)
    collected_at = values.get("collected_at")
    if collected_at and collected_at > timezone.now() + CLOCK_SKEW:
        raise ValidationError({"collected_at": _("收集时间 %(at)s 晚于现在，请核对") % {
            "at": f"{timezone.localtime(collected_at, workdays.SHANGHAI):%Y-%m-%d %H:%M}"}})
    appeal = Appeal(**values)
    appeal.full_clean(exclude=["tracking_token"])
    members.mark_appeal(appeal)
    if at is not None:
        appeal._history_date = at
    appeal.save()
    if at is not None:
        del appeal._history_date  # the later steps' history rows are dated on their own
    return appeal


@transaction.atomic
def appeal_accept(*, appeal: Appeal, actor: Actor, note: str = "", at=None) -> Appeal:
    _move(appeal, "accept", actor=actor, note=note, at=at)
    return appeal


@transaction.atomic
def appeal_decline(*, appeal: Appeal, reason: str, actor: Actor, at=None) -> Appeal:
    """不予受理 with a reason (APL-4)."""
    APPEAL_WORKFLOW.check(appeal, "decline", actor)
    if not reason.strip():
        raise ValidationError({"decline_reason": _("请填写不予受理的理由")})
    appeal.decline_reason = reason
    _move(appeal, "decline", actor=actor, note=reason, at=at, fields=["decline_reason"])
    return appeal


@transaction.atomic
def appeal_assign(*, appeal: Appeal, department: Department, actor: Actor, note: str = "", at=None) -> Appeal:
    """交办 an accepted appeal to a department; the due date follows from the category."""
    APPEAL_WORKFLOW.check(appeal, "assign", actor)
    at = _now(at)
    fields = _set_clock(appeal, department=department, at=at)
    _move(appeal, "assign", actor=actor, note=note, at=at, fields=fields,
          data={"department": department.pk, "due_at": appeal.due_at.isoformat()})
    return appeal


@transaction.atomic
def appeal_assign_on_site(
    *, appeal: Appeal, department: Department, leader: Person, place: str, on, actor: Actor, note: str = "",
    at=None,
) -> Appeal:
    """现场交办 by a city leader on the day of the event `on` (recorded even
    when staff enter it). The clock starts at the event: entered on a later
    day, the assignment is dated noon of the event's day."""
    APPEAL_WORKFLOW.check(appeal, "assign_on_site", actor)
    now = _now(at)
    if on > workdays.local_date(now):
        raise ValidationError({"assigned_on_site_on": _("现场交办日期 %(day)s 晚于今天，请核对") % {"day": on}})
    if on < workdays.local_date(appeal.collected_at):
        raise ValidationError({"assigned_on_site_on": _("现场交办日期 %(day)s 早于该诉求的收集日期 %(collected)s")
                               % {"day": on, "collected": workdays.local_date(appeal.collected_at)}})
    if not PublicOffice.objects.filter(active_on(on), person=leader, is_city_leader=True).exists():
        raise ValidationError({"assigned_by": _("%(name)s在%(day)s不是市领导") % {"name": leader, "day": on}})
    at = now if on == workdays.local_date(now) else datetime.combine(on, time(12), tzinfo=workdays.SHANGHAI)
    fields = _set_clock(appeal, department=department, at=at)
    appeal.assigned_by = leader
    appeal.assigned_place = place
    appeal.assigned_on_site_on = on
    fields += ["assigned_by", "assigned_place", "assigned_on_site_on"]
    _move(appeal, "assign_on_site", actor=actor, note=note, at=at, fields=fields,
          data={"department": department.pk, "leader": leader.pk, "place": place, "on": on.isoformat(),
                "due_at": appeal.due_at.isoformat()})
    return appeal


@transaction.atomic
def appeal_reassign(*, appeal: Appeal, department: Department, actor: Actor, note: str = "", at=None) -> Appeal:
    """After a return the committee decides: 重新交办 (the clock starts again)."""
    APPEAL_WORKFLOW.check(appeal, "reassign", actor)
    at = _now(at)
    fields = _set_clock(appeal, department=department, at=at)
    _move(appeal, "reassign", actor=actor, note=note, at=at, fields=fields,
          data={"department": department.pk, "due_at": appeal.due_at.isoformat()})
    return appeal


# --- the department's steps ---------------------------------------------------------------


@transaction.atomic
def appeal_sign(*, appeal: Appeal, actor: Actor, note: str = "", at=None, link=None) -> Appeal:
    _check_department(appeal, "sign", actor, link)
    appeal.signed_at = _now(at)
    _move(appeal, "sign", actor=actor, note=note, at=at, fields=["signed_at"])
    return appeal


@transaction.atomic
def appeal_handle(*, appeal: Appeal, actor: Actor, note: str = "", at=None, link=None) -> Appeal:
    _check_department(appeal, "handle", actor, link)
    _move(appeal, "handle", actor=actor, note=note, at=at)
    return appeal


@transaction.atomic
def appeal_request_extension(*, appeal: Appeal, days: int, reason: str, actor: Actor, at=None, link=None) -> Appeal:
    _check_department(appeal, "request_extension", actor, link)
    if days < 1:
        raise ValidationError({"requested_extension_days": _("延期天数至少为 1 个工作日")})
    if not reason.strip():
        raise ValidationError({"reason": _("请填写延期理由（将告知企业）")})
    appeal.requested_extension_days = days
    _move(appeal, "request_extension", actor=actor, note=reason, at=at, data={"days": days},
          fields=["requested_extension_days"])
    return appeal


@transaction.atomic
def appeal_approve_extension(*, appeal: Appeal, actor: Actor, note: str = "", at=None) -> Appeal:
    """The due date moves by the requested working days (APL-1)."""
    APPEAL_WORKFLOW.check(appeal, "approve_extension", actor)
    appeal.extension_days += appeal.requested_extension_days
    appeal.extension_count += 1
    days, appeal.requested_extension_days = appeal.requested_extension_days, 0
    _set_due(appeal)
    _move(appeal, "approve_extension", actor=actor, note=note, at=at,
          data={"days": days, "due_at": appeal.due_at.isoformat()},
          fields=["extension_days", "extension_count", "requested_extension_days", "due_at", "due_on_fallback"])
    return appeal


@transaction.atomic
def appeal_refuse_extension(*, appeal: Appeal, actor: Actor, note: str = "", at=None) -> Appeal:
    APPEAL_WORKFLOW.check(appeal, "refuse_extension", actor)
    appeal.requested_extension_days = 0
    _move(appeal, "refuse_extension", actor=actor, note=note, at=at, fields=["requested_extension_days"])
    return appeal


@transaction.atomic
def appeal_return(*, appeal: Appeal, reason: str, basis: str, actor: Actor, at=None, link=None) -> Appeal:
    """退回 with a reason and its legal basis; at most `service.max_returns` times."""
    _check_department(appeal, "return", actor, link)
    limit = rules.value("service.max_returns", on=workdays.local_date(_now(at)))
    if appeal.return_count >= limit:
        raise WorkflowError(
            _("该诉求已退回 %(count)s 次，不能再退回，请商协会党委决定") % {"count": appeal.return_count},
            code="conflict",
        )
    if not reason.strip() or not basis.strip():
        raise ValidationError(_("退回须填写理由和依据"))
    appeal.return_count += 1
    appeal.return_reason = reason
    appeal.return_basis = basis
    _move(appeal, "return", actor=actor, note=reason, at=at, data={"basis": basis},
          fields=["return_count", "return_reason", "return_basis"])
    return appeal


@transaction.atomic
def appeal_reply(*, appeal: Appeal, reply: str, actor: Actor, at=None, link=None) -> Appeal:
    _check_department(appeal, "reply", actor, link)
    if not reply.strip():
        raise ValidationError({"reply": _("请填写答复内容")})
    appeal.reply = reply
    appeal.replied_at = _now(at)
    _move(appeal, "reply", actor=actor, note=reply, at=at, fields=["reply", "replied_at"])
    return appeal


# --- follow-up and closing ---------------------------------------------------------------


@transaction.atomic
def appeal_rate(*, appeal: Appeal, rating: str, actor: Actor, note: str = "", at=None) -> Appeal:
    """回访评价: 满意/基本满意 close it; 不满意 sends it back (重办) up to
    `service.max_redo` times, after which the committee closes it with a note."""
    R = Appeal.Rating
    if rating not in (R.SATISFIED, R.FAIRLY_SATISFIED, R.UNSATISFIED):
        raise ValidationError({"rating": _("评价无效：%(rating)s") % {"rating": rating}})
    at = _now(at)
    if rating != R.UNSATISFIED:
        action = "rate"
    elif appeal.redo_count < rules.value("service.max_redo", on=workdays.local_date(at)):
        action = "redo"
    else:
        action = "rate_unsatisfied"
    APPEAL_WORKFLOW.check(appeal, action, actor)
    appeal.rating = rating
    appeal.rated_at = at
    appeal.rating_in_history = True  # the step below records it
    fields = ["rating", "rated_at", "rating_in_history"]
    if action == "rate":
        fields += _close_fields(appeal, at)
    elif action == "redo":
        appeal.redo_count += 1
        fields.append("redo_count")
    _move(appeal, action, actor=actor, note=note, at=at, data={"rating": rating}, fields=fields)
    return appeal


@transaction.atomic
def appeal_rate_by_token(*, token: str, rating: str, note: str = "", actor: Actor | None = None, at=None) -> Appeal:
    """The enterprise rates through its tracking link."""
    appeal = appeal_by_token(token)
    return appeal_rate(appeal=appeal, rating=rating, note=note, actor=actor or Actor.public(), at=at)


@transaction.atomic
def appeal_close(*, appeal: Appeal, note: str, actor: Actor, at=None) -> Appeal:
    """The committee closes an appeal still 不满意 after the last redo, with a note."""
    APPEAL_WORKFLOW.check(appeal, "close", actor)
    if not note.strip():
        raise ValidationError({"note": _("请填写办结说明")})
    fields = _close_fields(appeal, _now(at))
    _move(appeal, "close", actor=actor, note=note, at=at, fields=fields)
    return appeal


@transaction.atomic
def appeal_close_unrated(*, appeal: Appeal, actor: Actor = SYSTEM, at=None) -> Appeal:
    """未评价办结 of one replied appeal (the job below, and imports of recorded history)."""
    at = _now(at)
    APPEAL_WORKFLOW.check(appeal, "close_unrated", actor)
    appeal.rating = Appeal.Rating.UNRATED
    fields = ["rating", *_close_fields(appeal, at)]
    _move(appeal, "close_unrated", actor=actor, at=at, fields=fields)
    return appeal


def close_unrated(now: datetime, *, actor: Actor = SYSTEM) -> list[Appeal]:
    """Close as 未评价 the appeals still unrated when the rating window has
    passed: `service.rating_window` working days after the day of the reply,
    to the end of the last one, counted as due dates are (the periodic job)."""
    window = rules.value("service.rating_window", on=workdays.local_date(now))
    closed = []
    for appeal in Appeal.objects.filter(state=Appeal.State.REPLIED, replied_at__lte=now):
        if now <= workdays.due_at(appeal.replied_at, window):
            continue
        try:
            appeal_close_unrated(appeal=appeal, actor=actor, at=now)
        except WorkflowError:
            continue  # moved by someone else meanwhile
        closed.append(appeal)
    return closed


# --- escalation (APL-2) -----------------------------------------------------------------


def _steps_due(due_day, today, offsets) -> list[str]:
    """The steps that have come due by `today` for an appeal due on `due_day`."""
    before, notice_after, circular_after = offsets
    S = Escalation.Step
    steps = []
    if workdays.workdays_between(today, due_day) <= before:
        steps.append(S.REMINDER)
    late = workdays.workdays_between(due_day, today)
    if late >= notice_after:
        steps.append(S.NOTICE)
    if late >= circular_after:
        steps.append(S.CIRCULAR)
    return steps


def handler_users(department_id):
    return list(
        get_user_model().objects.filter(department_id=department_id, groups__name=Role.HANDLER, is_active=True)
    )


def _escalation_insert(*, appeal: Appeal, step: str, at: datetime, due_at: datetime) -> Escalation | None:
    """The new escalation row, or None when the appeal has had this step
    already (the unique constraint decides, so several workers are safe)."""
    try:
        with transaction.atomic():
            return Escalation.objects.create(appeal=appeal, step=step, at=at, due_at=due_at)
    except IntegrityError:
        return None


@transaction.atomic
def escalation_record(*, appeal: Appeal, step: str, at: datetime, actor: Actor,
                      due_at: datetime | None = None) -> Escalation:
    """Record an escalation step sent at `at` (imported history), once per
    appeal and step: a step recorded already is returned as it is. The
    committee or the system only. `due_at` is the due date it was sent
    against; blank, the appeal's. Nobody is notified: this is the record."""
    if actor.kind != Kind.SYSTEM and Role.COMMITTEE not in actor.roles:
        raise PermissionDenied(_("只有商协会党委可以登记督办记录"))
    if step not in Escalation.Step.values:
        raise ValidationError({"step": _("督办环节无效：%(step)s") % {"step": step}})
    due_at = due_at or appeal.due_at
    if due_at is None:
        raise ValidationError({"due_at": _("该诉求尚未交办，没有办理期限")})
    row = _escalation_insert(appeal=appeal, step=step, at=at, due_at=due_at)
    if row is None:
        row = Escalation.objects.get(appeal=appeal, step=step)
        row.appeal = appeal
    return row


def escalate(now: datetime) -> list[Escalation]:
    """Record each escalation step that has come due, once per appeal and step
    (safe with several workers: the unique constraint decides), and notify the
    department's handlers."""
    today = workdays.local_date(now)
    offsets = tuple(
        rules.value(key, on=today)
        for key in ("service.reminder_before", "service.notice_after", "service.circular_after")
    )
    running = Appeal.objects.filter(state__in=Appeal.RUNNING_STATES, due_at__isnull=False)
    done = set(Escalation.objects.filter(appeal__in=running).values_list("appeal_id", "step"))
    created = []
    handlers = {}  # department id → its handlers, read once per run
    for appeal in running.select_related("department"):
        for step in _steps_due(workdays.local_date(appeal.due_at), today, offsets):
            if (appeal.pk, step) in done:
                continue
            with transaction.atomic():
                row = _escalation_insert(appeal=appeal, step=step, at=now, due_at=appeal.due_at)
                if row is None:
                    continue  # another worker recorded it
                label = Escalation.Step(step).label
                if appeal.department_id not in handlers:
                    handlers[appeal.department_id] = handler_users(appeal.department_id)
                notify(
                    handlers[appeal.department_id],
                    title=_("%(step)s：%(title)s") % {"step": label, "title": appeal.title},
                    body=_("办理期限：%(due)s") % {"due": f"{timezone.localtime(appeal.due_at, workdays.SHANGHAI):%Y-%m-%d %H:%M}"},
                    at=now,
                )
            created.append(row)
    return created


# --- deadlines after a schedule is saved ----------------------------------------------------


@transaction.atomic
def appeals_recompute_due(*, year: int) -> int:
    """Recompute the due dates of open appeals computed on the Monday–Friday
    fallback whose assignment or due date falls in `year`; approved extensions
    are kept (limit + extension days). Returns how many changed."""
    changed = 0
    candidates = Appeal.objects.filter(
        state__in=Appeal.OPEN_STATES, due_on_fallback=True, due_at__isnull=False, assigned_at__isnull=False
    )
    for appeal in candidates:
        years = {workdays.local_date(appeal.assigned_at).year, workdays.local_date(appeal.due_at).year}
        if year not in years:
            continue
        before = appeal.due_at
        _set_due(appeal)
        appeal.save(update_fields=["due_at", "due_on_fallback", "updated_at"])
        changed += appeal.due_at != before
    return changed


def schedule_saved_receiver(sender, year=None, **kwargs):
    if year is not None:
        appeals_recompute_due(year=year)


# --- reads the pages and the API share ------------------------------------------------------------


def timeline(appeal, *, with_actors=True) -> list[dict]:
    """The appeal's workflow events and escalations, merged by time."""
    items = []
    for e in APPEAL_WORKFLOW.events(appeal).select_related("actor_user").order_by("at", "id"):
        actor = ""
        if with_actors:
            actor = (e.actor_user.get_full_name() or e.actor_user.get_username()) if e.actor_user else e.actor_label
        try:
            label = APPEAL_WORKFLOW.get(e.action).label
        except WorkflowError:
            label = e.action
        extra = []
        if e.data.get("days"):
            extra.append(_("%(days)s个工作日") % {"days": e.data["days"]})
        if e.data.get("basis"):
            extra.append(_("依据：%(basis)s") % {"basis": e.data["basis"]})
        if e.data.get("place"):
            extra.append(_("地点：%(place)s") % {"place": e.data["place"]})
        items.append({"at": e.at, "label": label, "actor": actor, "note": e.note, "extra": "；".join(extra),
                      "state": APPEAL_WORKFLOW.state_label(e.new_state), "kind": "event"})
    for x in Escalation.objects.filter(appeal=appeal).order_by("at", "id"):
        items.append({"at": x.at, "label": x.get_step_display(), "actor": _("系统"),
                      "note": _("办理期限：%(due)s") % {"due": f"{timezone.localtime(x.due_at):%Y-%m-%d %H:%M}"},
                      "extra": "", "state": "", "kind": "escalation"})
    items.sort(key=lambda i: i["at"])
    return items


def city_leaders():
    """People who hold (or held) a city-leader office; the service checks the day."""
    ids = PublicOffice.objects.filter(is_city_leader=True).values("person_id")
    return Person.objects.filter(pk__in=ids).only("id", "name", "sort_key").order_by("sort_key", "id")

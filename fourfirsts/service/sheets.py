"""The service app's workbook sheets (docs/workbook.md is generated from these).

结对联系, 走访联系, 问题诉求, 诉求办理记录, 诉求督办, 惠企政策, 政策告知.

An appeal's row holds what was collected; its history is in 诉求办理记录, one
row per workflow step, replayed on import through `services.appeals` at the
recorded time (so due dates, first assignment and 办结用时 are computed and
each step is a WorkflowEvent). A step's 编号 is the appeal's 编号 and its place
on the timeline ("Q0001-03"); a step already on the timeline is skipped, so
importing the same workbook twice changes nothing. Every row is written
through the services (services/visits.py, policies.py, appeals.py), with
the record's own day or time dating its history.

Neither a step nor an escalation is a model with a 编号 of its own: the
sheets use a small stand-in (`_SheetModel`) that gives the exchange engine
what it asks of a model (`objects.filter`, `_meta.get_field`).
"""

import re
from datetime import date, datetime, time
from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from fourfirsts.core import workdays
from fourfirsts.core.access import Role, scope_of
from fourfirsts.core.actors import Actor, Kind
from fourfirsts.core.models import WorkflowEvent
from fourfirsts.core.sheets import Col, Sheet, register
from fourfirsts.core.workdays import SHANGHAI
from fourfirsts.registry.models import Department, Person
from fourfirsts.service.models import Appeal, Escalation, Pairing, Policy, PolicyNotice, Visit
from fourfirsts.service.services import appeals, policies, visits
from fourfirsts.service.workflow import APPEAL_WORKFLOW

TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})(?::\d{2})?$")
DEFAULT_TIME = "09:00"


def labels(choices) -> dict[str, str]:
    return {code: str(label) for code, label in choices}


def _check_time(text: str) -> str | None:
    """HH:MM, or None for 09:00 (how a blank cell reads, and how 09:00 is written)."""
    match = TIME_RE.match(text.strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValidationError(_("时刻格式应为 HH:MM，如 09:30：%(text)s") % {"text": text})
    hhmm = f"{int(match[1]):02d}:{match[2]}"
    return None if hhmm == DEFAULT_TIME else hhmm


def _moment(day: date, hhmm: str | None) -> datetime:
    """A day and an HH:MM (Beijing time) as an aware datetime."""
    hours, minutes = (int(x) for x in (hhmm or DEFAULT_TIME).split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=SHANGHAI)


def _local(at: datetime) -> tuple[date, str | None]:
    """The day and HH:MM in Beijing time; 09:00 reads as a blank cell (a blank is 09:00)."""
    local = timezone.localtime(at, SHANGHAI)
    hhmm = f"{local:%H:%M}"
    return local.date(), None if hhmm == DEFAULT_TIME else hhmm


def _require_committee(actor: Actor) -> None:
    """Imported service records are the committee's (or the system's) to write."""
    if actor.kind == Kind.USER and not scope_of(actor.user).has(Role.COMMITTEE):
        raise PermissionDenied(_("只有商协会党委可以导入走访、诉求和政策记录"))


# --- a stand-in model for the engine -------------------------------------------------------


class _Meta:
    """The model's _meta, knowing also the sheet's computed columns (`extra`:
    field name → whether a blank cell is None rather than "")."""

    def __init__(self, meta, extra: dict[str, bool]):
        self._meta, self._extra = meta, extra

    def get_field(self, name):
        if name in self._extra:
            return SimpleNamespace(name=name, null=self._extra[name])
        return self._meta.get_field(name)

    def __getattr__(self, name):
        return getattr(self._meta, name)


class _Rows:
    """A queryset whose records come out with the sheet's computed columns
    (`extend(records)` sets them)."""

    def __init__(self, qs, extend, ref_order=("ref",)):
        self.qs, self.extend, self.ref_order = qs, extend, ref_order

    def _chain(self, qs):
        return _Rows(qs, self.extend, self.ref_order)

    def filter(self, *args, **kwargs):
        return self._chain(self.qs.filter(*args, **kwargs))

    def order_by(self, *fields):
        fields = [f for name in fields for f in (self.ref_order if name == "ref" else (name,))]
        return self._chain(self.qs.order_by(*fields))

    def select_related(self, *fields):
        return self._chain(self.qs.select_related(*fields))

    def values_list(self, *fields, **kwargs):
        return self.qs.values_list(*fields, **kwargs)

    def first(self):
        obj = self.qs.first()
        return None if obj is None else self.extend([obj])[0]

    def iterator(self, chunk_size=2000):
        batch = []
        for obj in self.qs.iterator(chunk_size=chunk_size):
            batch.append(obj)
            if len(batch) >= chunk_size:
                yield from self.extend(batch)
                batch = []
        yield from self.extend(batch)

    def __iter__(self):
        return iter(self.extend(list(self.qs)))


class _SheetModel:
    """What the exchange engine needs of a sheet's model: `objects.filter(…)`
    (by 编号), `objects.visible_to(scope)` and `_meta.get_field(name)`."""

    def __init__(self, model, rows, extra: dict[str, bool]):
        self.model = model
        self.__name__ = model.__name__
        self._meta = _Meta(model._meta, extra)
        self._rows = rows  # rows(queryset of `model`) → rows with the computed columns
        self.objects = self

    def filter(self, *args, **kwargs):
        return self._rows(self.model.objects.filter(*args, **kwargs))

    def visible_to(self, scope):
        return self._rows(self.model.objects.visible_to(scope))


# --- visits, pairings, policies and notices: through their services -----------------------
# A new record's history row is dated noon of its own day (when it happened), not the import.


def _noon(day: date | None) -> datetime | None:
    return datetime.combine(day, time(12), tzinfo=SHANGHAI) if day else None


def _changed(instance, values: dict) -> list[str]:
    """The fields this row would change on the stored record."""
    changed = []
    for name, value in values.items():
        field = instance._meta.get_field(name)
        if field.is_relation:
            if getattr(instance, field.attname) != (value.pk if value is not None else None):
                changed.append(name)
        elif getattr(instance, name) != value:
            changed.append(name)
    return changed


def _visit_save(*, actor, values, instance):
    _require_committee(actor)
    if instance is None:
        return visits.visit_create(actor=actor, values=values, at=_noon(values.get("visited_on")))
    return visits.visit_update(actor=actor, visit=instance, values=values)


def _pairing_save(*, actor, values, instance):
    """A new pairing, or the end of a stored one (结束日期, with its 备注);
    a stored pairing is not otherwise changed (nor on its pages)."""
    _require_committee(actor)
    if instance is None:
        return visits.pairing_create(actor=actor, values=values, at=_noon(values.get("since")))
    changed = _changed(instance, values)
    others = [name for name in changed if name not in ("until", "note")]
    if others:
        raise ValidationError({name: _("已登记的结对导入时只能填写结束日期（及备注），不能修改此项") for name in others})
    if instance.until is not None:
        raise ValidationError({"until": _("该结对已于%(day)s结束，不能再修改") % {"day": instance.until}})
    if "until" not in changed:
        raise ValidationError({"note": _("已登记的结对只能在填写结束日期时修改备注")})
    note = values["note"] if "note" in changed else None
    return visits.pairing_end(actor=actor, pairing=instance, until=values["until"], note=note)


def _policy_save(*, actor, values, instance):
    _require_committee(actor)
    at = None if instance else _noon(values.get("issued_on"))
    return policies.policy_save(actor=actor, values=values, policy=instance, at=at)


def _notice_save(*, actor, values, instance):
    _require_committee(actor)
    if instance is not None:
        raise ValidationError({name: _("已登记的政策告知不能通过导入修改") for name in _changed(instance, values)})
    return policies.policy_notice_create(actor=actor, values=values, at=_noon(values.get("told_on")))


# --- appeals -----------------------------------------------------------------------------------


def _with_times(records):
    for appeal in records:
        appeal.collected_on, appeal.collected_time = _local(appeal.collected_at)
    return records


APPEALS = _SheetModel(Appeal, lambda qs: _Rows(qs, _with_times), {"collected_on": True, "collected_time": False})


def _appeal_save(*, actor, values, instance):
    _require_committee(actor)
    if instance is not None:
        raise ValidationError(_("该诉求已登记，导入不能修改已登记的诉求，请在诉求页面办理"))
    values = dict(values)
    values["collected_at"] = _moment(values.pop("collected_on"), values.pop("collected_time", None) or None)
    return appeals.appeal_create(actor=actor, values=values, at=values["collected_at"])


# --- the steps of an appeal ---------------------------------------------------------------------

STEP_FIELDS = {  # the step sheet's columns that are not stored as such: blank is None (True) or "" (False)
    "appeal": True, "action": False, "on": True, "time": False, "actor_label": False, "department": True,
    "leader": True, "place": False, "on_site_on": True, "days": True, "rating": True, "basis": False,
    "note": False,
}


class AppealStep:
    """One WorkflowEvent of an appeal as a row of 诉求办理记录."""

    def __init__(self, event: WorkflowEvent, appeal: Appeal, number: int, departments: dict, people: dict):
        data = event.data or {}
        self.event, self.pk = event, event.pk
        self.ref = step_ref(appeal.ref, number)
        self.appeal, self.appeal_id = appeal, appeal.pk
        self.action = event.action
        self.on, self.time = _local(event.at)
        self.actor_label = event.actor_label
        self.department = departments.get(data.get("department"))
        self.department_id = self.department.pk if self.department else None
        self.leader = people.get(data.get("leader"))
        self.leader_id = self.leader.pk if self.leader else None
        self.place = data.get("place", "")
        self.on_site_on = date.fromisoformat(data["on"]) if data.get("on") else None
        self.days = data.get("days")
        self.rating = data.get("rating") or (Appeal.Rating.UNRATED if event.action == "close_unrated" else None)
        self.basis = data.get("basis", "")
        self.note = event.note


def step_ref(appeal_ref: str, number: int) -> str:
    return f"{appeal_ref}-{number:02d}"


def _events_of(appeal_ids):
    return WorkflowEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Appeal), object_id__in=appeal_ids,
        workflow=APPEAL_WORKFLOW.name,
    ).order_by("object_id", "id")


def _steps(appeals_qs) -> list[AppealStep]:
    """Every step of these appeals, numbered along each timeline."""
    by_id = {a.pk: a for a in appeals_qs}
    events = list(_events_of(list(by_id)))
    department_ids = {e.data.get("department") for e in events if e.data} - {None}
    person_ids = {e.data.get("leader") for e in events if e.data} - {None}
    departments = Department.objects.in_bulk(department_ids)
    people = Person.objects.in_bulk(person_ids)
    steps, number, last = [], 0, None
    for event in events:
        number = number + 1 if event.object_id == last else 1
        last = event.object_id
        steps.append(AppealStep(event, by_id[event.object_id], number, departments, people))
    return steps


class _StepRows:
    """The steps as the engine reads a queryset: filter by 编号, order, iterate."""

    def __init__(self, appeals_qs, refs=None):
        self.appeals_qs, self.refs = appeals_qs, refs

    def filter(self, ref=None, ref__in=None):
        refs = set(ref__in or ()) | ({ref} if ref else set())
        appeal_refs = {r.rsplit("-", 1)[0] for r in refs if "-" in r}
        return _StepRows(self.appeals_qs.filter(ref__in=appeal_refs), refs)

    def order_by(self, *fields):
        return self

    def select_related(self, *fields):
        return self

    def _all(self):
        steps = _steps(self.appeals_qs)
        if self.refs is not None:
            steps = [s for s in steps if s.ref in self.refs]
        return sorted(steps, key=lambda s: s.ref)

    def __iter__(self):
        return iter(self._all())

    def iterator(self, chunk_size=None):
        return iter(self._all())

    def first(self):
        return next(iter(self._all()), None)

    def values_list(self, field, flat=False):
        return [getattr(s, field) for s in self._all()]


class _StepModel(_SheetModel):
    def __init__(self):
        super().__init__(WorkflowEvent, None, STEP_FIELDS)

    def filter(self, ref=None, ref__in=None):
        return _StepRows(Appeal.objects.all()).filter(ref=ref, ref__in=ref__in)

    def visible_to(self, scope):
        return _StepRows(Appeal.objects.visible_to(scope))


STEPS = _StepModel()
STEP_ACTIONS = {t.action: str(t.label) for t in APPEAL_WORKFLOW.transitions}
# The services' field names, as the step sheet's columns.
_STEP_ERROR_FIELDS = {
    "assigned_by": "leader", "reply": "note", "decline_reason": "note", "reason": "note", "note": "note",
    "requested_extension_days": "days", "rating": "rating", "department": "department",
}


def _step_save(*, actor, values, instance):
    _require_committee(actor)
    if instance is not None:
        raise ValidationError(_("该办理记录与已登记的不同；已登记的办理记录不能通过导入修改"))
    appeal, action = values["appeal"], values["action"]
    at = _moment(values["on"], values.get("time") or None)
    events = _events_of([appeal.pk])
    if not events.filter(action=action, at=at).exists():  # a step already on the timeline is skipped
        try:
            _replay(appeal, action, values, at, Actor.system(values.get("actor_label") or _("导入")))
        except ValidationError as e:
            raise _as_step_error(e) from None
    # What the engine keeps of a written row: its 编号 (nothing references a step).
    return SimpleNamespace(pk=None, ref=values.get("ref") or step_ref(appeal.ref, events.count()))


def _as_step_error(error: ValidationError) -> ValidationError:
    if hasattr(error, "error_dict"):
        return ValidationError({_STEP_ERROR_FIELDS.get(k, "action"): v for k, v in error.message_dict.items()})
    return ValidationError({"action": error.messages})


def _need(values, *fields):
    missing = {f: _("“%(action)s”须填写此项") % {"action": STEP_ACTIONS[values["action"]]}
               for f in fields if values.get(f) in (None, "")}
    if missing:
        raise ValidationError(missing)


def _replay(appeal: Appeal, action: str, values: dict, at: datetime, actor: Actor) -> None:
    """One step through the service that takes it, at its recorded time."""
    note = values.get("note") or ""
    s = appeals
    if action in ("assign", "reassign", "assign_on_site"):
        _need(values, "department")
    if action == "accept":
        s.appeal_accept(appeal=appeal, actor=actor, note=note, at=at)
    elif action == "decline":
        s.appeal_decline(appeal=appeal, reason=note, actor=actor, at=at)
    elif action == "assign":
        s.appeal_assign(appeal=appeal, department=values["department"], actor=actor, note=note, at=at)
    elif action == "assign_on_site":
        _need(values, "leader")
        s.appeal_assign_on_site(appeal=appeal, department=values["department"], leader=values["leader"],
                                place=values.get("place") or "", on=values.get("on_site_on") or values["on"],
                                actor=actor, note=note, at=at)
    elif action == "reassign":
        s.appeal_reassign(appeal=appeal, department=values["department"], actor=actor, note=note, at=at)
    elif action == "sign":
        s.appeal_sign(appeal=appeal, actor=actor, note=note, at=at)
    elif action == "handle":
        s.appeal_handle(appeal=appeal, actor=actor, note=note, at=at)
    elif action == "request_extension":
        _need(values, "days")
        s.appeal_request_extension(appeal=appeal, days=values["days"], reason=note, actor=actor, at=at)
    elif action == "approve_extension":
        s.appeal_approve_extension(appeal=appeal, actor=actor, note=note, at=at)
    elif action == "refuse_extension":
        s.appeal_refuse_extension(appeal=appeal, actor=actor, note=note, at=at)
    elif action == "return":
        s.appeal_return(appeal=appeal, reason=note, basis=values.get("basis") or "", actor=actor, at=at)
    elif action == "reply":
        s.appeal_reply(appeal=appeal, reply=note, actor=actor, at=at)
    elif action in ("rate", "redo", "rate_unsatisfied"):
        _need(values, "rating")
        expected = "rate" if values["rating"] in (Appeal.Rating.SATISFIED, Appeal.Rating.FAIRLY_SATISFIED) else None
        if expected and action != "rate" or not expected and action == "rate":
            raise ValidationError({"rating": _("评价“%(rating)s”与操作“%(action)s”不符") % {
                "rating": Appeal.Rating(values["rating"]).label, "action": STEP_ACTIONS[action]}})
        s.appeal_rate(appeal=appeal, rating=values["rating"], actor=actor, note=note, at=at)
        taken = {Appeal.State.CLOSED: "rate", Appeal.State.HANDLING: "redo"}.get(appeal.state, "rate_unsatisfied")
        if taken != action:
            raise ValidationError({"action": _("按重办次数，此次评价应为“%(action)s”") % {
                "action": STEP_ACTIONS[taken]}})
    elif action == "close":
        s.appeal_close(appeal=appeal, note=note, actor=actor, at=at)
    elif action == "close_unrated":
        s.appeal_close_unrated(appeal=appeal, actor=actor, at=at)


# --- escalations ---------------------------------------------------------------------------------


def _escalation_rows(records):
    for e in records:
        e.ref = f"{e.appeal.ref}-{e.step}"
        e.on, e.time = _local(e.at)
        e.due_on = workdays.local_date(e.due_at)
    return records


class _EscalationModel(_SheetModel):
    def __init__(self):
        super().__init__(Escalation, None, {"on": True, "time": False, "due_on": True})

    def _qs(self, qs):
        return _Rows(qs.select_related("appeal"), _escalation_rows, ref_order=("appeal__ref", "step"))

    def filter(self, ref=None, ref__in=None):
        refs = set(ref__in or ()) | ({ref} if ref else set())
        by_step: dict[str, set[str]] = {}
        for r in refs:
            if "-" in r:
                appeal_ref, step = r.rsplit("-", 1)
                by_step.setdefault(step, set()).add(appeal_ref)
        q = Q(pk__in=[])
        for step, appeal_refs in by_step.items():
            q |= Q(step=step, appeal__ref__in=appeal_refs)
        return self._qs(Escalation.objects.filter(q))

    def visible_to(self, scope):
        return self._qs(Escalation.objects.filter(appeal__in=Appeal.objects.visible_to(scope)))


ESCALATIONS = _EscalationModel()


def _escalation_save(*, actor, values, instance):
    """An escalation already sent (services.appeals.escalation_record): once per
    appeal and step, so a step recorded already is kept as it is."""
    _require_committee(actor)
    if instance is not None:
        raise ValidationError(_("该督办记录与已登记的不同；已登记的督办记录不能通过导入修改"))
    due = values.get("due_on")
    try:
        row = appeals.escalation_record(
            appeal=values["appeal"], step=values["step"], actor=actor,
            at=_moment(values["on"], values.get("time") or None),
            due_at=datetime.combine(due, workdays.END_OF_DAY, tzinfo=SHANGHAI) if due else None,
        )
    except ValidationError as e:
        if hasattr(e, "error_dict"):
            raise ValidationError({"due_on" if k == "due_at" else k: v for k, v in e.message_dict.items()}) from None
        raise
    return _escalation_rows([row])[0]


# --- the sheets ------------------------------------------------------------------------------------

TIME_HELP = "HH:MM，北京时间；空白为 09:00（导出时 09:00 写为空白）"

register(Sheet(
    name="结对联系", model=Pairing, order=300, app="service",
    columns=(
        Col("联系人", "person", "ref", required=True, ref="人员", help="结对的会员（党员）"),
        Col("企业", "enterprise", "ref", required=True, ref="会员企业"),
        Col("结对日期", "since", "date", required=True),
        Col("结束日期", "until", "date"),
        Col("备注", "note"),
    ),
    save=_pairing_save,
    help="会员党员与会员企业结对，经常联系。",
))

register(Sheet(
    name="走访联系", model=Visit, order=310, app="service",
    columns=(
        Col("走访人", "visitor", "ref", required=True, ref="人员"),
        Col("企业", "enterprise", "ref", required=True, ref="会员企业"),
        Col("方式", "channel", "choice", required=True, choices=labels(Visit.Channel.choices)),
        Col("日期", "visited_on", "date", required=True),
        Col("情况记录", "notes"),
    ),
    save=_visit_save,
    help="会员走访企业或以电话、微信等方式联系企业，一次一行。",
))

register(Sheet(
    name="问题诉求", model=APPEALS, order=320, app="service", queryset=APPEALS.visible_to,
    columns=(
        Col("企业", "enterprise", "ref", required=True, ref="会员企业"),
        Col("提出人", "raised_by", "ref", ref="人员", help="提出诉求的民营经济人士"),
        Col("收集人", "collected_by", "ref", ref="人员"),
        Col("渠道", "channel", "choice", required=True, choices=labels(Appeal.Channel.choices)),
        Col("类别", "category", "choice", required=True, choices=labels(Appeal.Category.choices)),
        Col("性质", "kind", "choice", required=True, choices=labels(Appeal.Kind.choices)),
        Col("堵点", "is_blockage", "bool"),
        Col("痛点", "is_pain_point", "bool"),
        Col("难点", "is_difficulty", "bool"),
        Col("标题", "title", required=True),
        Col("诉求内容", "description"),
        Col("收集日期", "collected_on", "date", required=True),
        Col("收集时刻", "collected_time", check=_check_time, help=TIME_HELP),
        Col("来源走访", "visit", "ref", ref="走访联系"),
        Col("联系人", "contact_name"),
        Col("联系电话", "contact_phone", "phone"),
        Col("同意提供联系方式", "contact_consent", "bool", help="同意将联系方式提供给承办单位"),
    ),
    save=_appeal_save,
    help="收集到的企业问题诉求（导入后为“已收集”）；受理、交办、答复、评价等见“诉求办理记录”。"
         "已登记的诉求不能通过导入修改。",
))

register(Sheet(
    name="诉求办理记录", model=STEPS, order=330, app="service", queryset=STEPS.visible_to,
    columns=(
        Col("问题诉求", "appeal", "ref", required=True, ref="问题诉求"),
        Col("操作", "action", "choice", required=True, choices=STEP_ACTIONS),
        Col("日期", "on", "date", required=True),
        Col("时刻", "time", check=_check_time, help=TIME_HELP),
        Col("办理人", "actor_label", help="办理的人员或单位，记入办理过程"),
        Col("承办单位", "department", "ref", ref="承办单位", help="交办、现场交办、重新交办时必填"),
        Col("交办领导", "leader", "ref", ref="人员", help="现场交办时必填：当天任市领导职务的人员"),
        Col("交办地点", "place", help="现场交办的地点"),
        Col("现场交办日期", "on_site_on", "date", help="空白为该行日期"),
        Col("延期天数", "days", "int", help="申请延期的工作日数；批准延期时为所批准的天数"),
        Col("评价", "rating", "choice", choices=labels(Appeal.Rating.choices),
            help="回访评价、重办、不满意待定时必填"),
        Col("退回依据", "basis", help="退回时必填"),
        Col("说明", "note", help="不予受理理由、退回理由、延期理由、答复内容、办结说明等"),
    ),
    save=_step_save,
    help="诉求的办理过程，每一步一行，按编号顺序导入并按所记时间重放（交办时计算办理期限，办结时计算办结用时）。"
         "编号为诉求编号加序号，如 Q0001-03；已在该诉求办理过程中的步骤跳过。",
))

register(Sheet(
    name="诉求督办", model=ESCALATIONS, order=335, app="service", queryset=ESCALATIONS.visible_to,
    columns=(
        Col("问题诉求", "appeal", "ref", required=True, ref="问题诉求"),
        Col("督办环节", "step", "choice", required=True, choices=labels(Escalation.Step.choices)),
        Col("日期", "on", "date", required=True),
        Col("时刻", "time", check=_check_time, help=TIME_HELP),
        Col("当时的办理期限", "due_on", "date", help="空白为诉求当前的办理期限"),
    ),
    save=_escalation_save,
    help="已发出的督办（催办、催办通知书、通报），每件诉求每个环节一次；已登记的环节不再发出。"
         "编号为诉求编号加环节代码，如 Q0001-notice。",
))

register(Sheet(
    name="惠企政策", model=Policy, order=340, app="service",
    natural_key="document_number",
    find_natural=lambda value: Policy.objects.filter(document_number=value).first() if value else None,
    columns=(
        Col("标题", "title", required=True),
        Col("发文机关", "issuer", required=True),
        Col("文号", "document_number"),
        Col("发布日期", "issued_on", "date", required=True),
        Col("施行日期", "effective_from", "date"),
        Col("有效期至", "effective_until", "date"),
        Col("适用行业", "industries", check=policies.parse_industries,
            help="行业门类字母，如 C,F；留空为各行业（按字母顺序保存）"),
        Col("摘要", "summary"),
        Col("原文链接", "url"),
    ),
    save=_policy_save,
))

register(Sheet(
    name="政策告知", model=PolicyNotice, order=350, app="service",
    columns=(
        Col("政策", "policy", "ref", required=True, ref="惠企政策"),
        Col("企业", "enterprise", "ref", required=True, ref="会员企业"),
        Col("告知人", "told_by", "ref", ref="人员"),
        Col("告知日期", "told_on", "date", required=True),
        Col("方式", "channel", "choice", required=True, choices=labels(PolicyNotice.Channel.choices)),
        Col("备注", "note"),
    ),
    save=_notice_save,
    help="谁在哪天以什么方式向哪家企业宣讲了哪项政策。",
))

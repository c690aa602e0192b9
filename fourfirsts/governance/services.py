"""Every write of 第一责任. Views, the workbook importer and the demo call these,
so each rule is enforced once. `actor` is a core.actors.Actor."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fourfirsts.core import notify, workdays
from fourfirsts.core.access import Role
from fourfirsts.core.actors import Actor
from fourfirsts.core.models import Tombstone
from fourfirsts.governance import rules
from fourfirsts.governance.models import (
    Assessment,
    AssessmentScore,
    Charter,
    CharterClause,
    Checklist,
    ChecklistItem,
    Clause,
    Establishment,
    EstablishmentStep,
    Honour,
    InstructorLog,
    Support,
    TermReminder,
)
from fourfirsts.registry import services as registry
from fourfirsts.registry.models import AssociationStatus, InstructorAssignment, PartyOrg, active_on

SYSTEM_KIND = Actor.system().kind


def require_committee(actor: Actor) -> None:
    if actor.kind != SYSTEM_KIND and Role.COMMITTEE not in actor.roles:
        raise PermissionDenied(_("只有商协会党委可以修改此记录"))


def _save(instance, values: dict, actor: Actor, exclude=()):
    for field, value in values.items():
        setattr(instance, field, value)
    loaded = [f.name for f in instance._meta.concrete_fields
              if f.is_relation and getattr(instance, f.name, None) is not None
              and getattr(instance, f.name).pk is not None]
    instance.full_clean(exclude=[*exclude, *loaded])
    instance._history_user = getattr(actor, "user", None)
    instance.save()
    return instance


# --- honours -----------------------------------------------------------------------------------


@transaction.atomic
def honour_save(*, actor: Actor, values: dict, honour: Honour | None = None) -> Honour:
    """An honour: “四好”商会 for an association, 标杆示范党组织 (provincial or
    city) for a party org, another honour for either."""
    require_committee(actor)
    honour = honour or Honour()
    for field, value in values.items():
        setattr(honour, field, value)
    kind, level = honour.kind, honour.level
    if kind == Honour.Kind.FOUR_GOOD and not honour.association_id:
        raise ValidationError({"association": _("“四好”商会荣誉须选择商协会")})
    if kind == Honour.Kind.BENCHMARK:
        if not honour.party_org_id:
            raise ValidationError({"party_org": _("标杆示范党组织荣誉须选择党组织")})
        if level == Honour.Level.NATIONAL:
            raise ValidationError({"level": _("标杆示范党组织只有省级和市级")})
    if honour.association_id and honour.party_org_id:
        raise ValidationError({"party_org": _("荣誉只能授予一个商协会或一个党组织，不能同时选择")})
    if not (honour.association_id or honour.party_org_id):
        raise ValidationError({"association": _("请选择获得荣誉的商协会或党组织")})
    if kind == Honour.Kind.OTHER and not honour.title:
        raise ValidationError({"title": _("其他荣誉须填写荣誉名称")})
    if honour.stage == Honour.Stage.RECOGNISED and not honour.recognised_on:
        raise ValidationError({"recognised_on": _("已认定的荣誉须填写认定日期")})
    if honour.recognised_on and honour.valid_until and honour.valid_until < honour.recognised_on:
        raise ValidationError({"valid_until": _("有效期至不能早于认定日期")})
    if honour.recognised_on and honour.revoked_on and honour.revoked_on < honour.recognised_on:
        raise ValidationError({"revoked_on": _("撤销日期不能早于认定日期")})
    return _save(honour, {}, actor)


def honours_expiring(honours, day: date, days: int | None = None):
    """Recognised honours still valid on `day` whose end falls within `days`
    (by default `governance.honour_warn_days` in force on the day)."""
    if days is None:
        days = int(rules.value(rules.HONOUR_WARN_DAYS, on=day))
    return honours.valid_on(day).filter(valid_until__isnull=False, valid_until__lte=day + timedelta(days=days))


# --- synchronous establishment -------------------------------------------------------------------


STEP_ORDER = [s for s, _label in EstablishmentStep.Step.choices]
# The step each one follows (its deadline counts from it); the first two count from registration.
AFTER = {
    EstablishmentStep.Step.APPROVAL: EstablishmentStep.Step.SURVEY,
    EstablishmentStep.Step.TRANSFER: EstablishmentStep.Step.APPROVAL,
    EstablishmentStep.Step.FOUNDING: EstablishmentStep.Step.TRANSFER,
}


@dataclass
class StepState:
    step: str
    label: str
    due_on: date
    done: EstablishmentStep | None

    @property
    def late(self) -> bool:
        return self.done is not None and self.done.done_on > self.due_on

    def overdue(self, day: date) -> bool:
        return self.done is None and day > self.due_on


def step_states(establishment: Establishment, steps=None, read=None) -> list[StepState]:
    """EST-1's five steps with their working-day deadlines: the first two N
    working days after registration, each later one M after the step before
    (its date when recorded, else its deadline). N and M as in force on the
    registration day."""
    steps = {s.step: s for s in (establishment.steps.all() if steps is None else steps)}
    read = read or rules.value
    first = read(rules.FIRST_DAYS, on=establishment.registered_on)
    later = read(rules.STEP_DAYS, on=establishment.registered_on)
    out: dict[str, StepState] = {}
    labels = dict(EstablishmentStep.Step.choices)
    for step in STEP_ORDER:
        if step in AFTER:
            before = out[AFTER[step]]
            base = before.done.done_on if before.done else before.due_on
            due = workdays.add_workdays(base, int(later))
        else:
            due = workdays.add_workdays(establishment.registered_on, int(first))
        out[step] = StepState(step, labels[step], due, steps.get(step))
    return list(out.values())


def progress(establishment: Establishment, steps=None) -> tuple[int, int]:
    states = step_states(establishment, steps)
    return sum(s.done is not None for s in states), len(states)


@transaction.atomic
def establishment_create(*, actor: Actor, values: dict) -> Establishment:
    require_committee(actor)
    est = Establishment()
    for field, value in values.items():
        setattr(est, field, value)
    if est.association_id:
        status = (AssociationStatus.objects.filter(association_id=est.association_id, since__lte=est.registered_on)
                  .order_by("-since", "-id").first()) if est.registered_on else None
        if status and status.status == AssociationStatus.Status.DEREGISTERED:
            raise ValidationError({"association": _("该商协会已注销，不能同步建立党组织")})
        if status is None or status.status != AssociationStatus.Status.PREPARING:
            raise ValidationError({"association": _("只有登记日期当天处于筹备中的商协会才能登记同步建立")})
        if Establishment.objects.filter(association_id=est.association_id, party_org__isnull=True).exists():
            raise ValidationError({"association": _("该商协会已有进行中的同步建立记录")})
    if not est.parent_id:
        est.parent = root_org(est.registered_on)
        if est.parent is None:
            raise ValidationError({"parent": _("请选择上级党组织")})
    return _save(est, {}, actor)


def root_org(day: date | None) -> PartyOrg | None:
    """The committee's own org: the one 党委 without a parent (as in the registry's demo); None if not one."""
    qs = PartyOrg.objects.filter(parent__isnull=True, kind=PartyOrg.Kind.PARTY_COMMITTEE)
    if day:
        qs = qs.existing_on(day)
    roots = list(qs[:2])
    return roots[0] if len(roots) == 1 else None


@transaction.atomic
def establishment_step_record(*, actor: Actor, establishment: Establishment, step: str, done_on: date,
                              notes: str = "", ref: str = "") -> EstablishmentStep:
    """Record a step. Steps after the first two follow their order; the founding
    step creates the party org in the registry and its coverage of the
    association from that day."""
    require_committee(actor)
    if establishment is None:
        raise ValidationError({"establishment": _("请选择同步建立记录")})
    labels = dict(EstablishmentStep.Step.choices)
    if step not in labels:
        raise ValidationError({"step": _("未知的步骤：%(step)s") % {"step": step}})
    done = {s.step: s for s in establishment.steps.all()}
    if step in done:
        raise ValidationError({"step": _("“%(step)s”已记录") % {"step": labels[step]}})
    _check_step_date(establishment, step, done_on, done)
    row = EstablishmentStep(establishment=establishment, step=step, done_on=done_on, notes=notes)
    if ref:
        row.ref = ref
    row = _save(row, {}, actor)
    if step == EstablishmentStep.Step.FOUNDING and not establishment.party_org_id:
        status = (AssociationStatus.objects.filter(association_id=establishment.association_id, since__lte=done_on)
                  .order_by("-since", "-id").first())
        if status is None or status.status != AssociationStatus.Status.ACTIVE:
            raise ValidationError({"done_on": _("商协会须在成立大会当天已登记成立（状态为“正常”），"
                                                "请先在商协会名录中登记其状态")})
        _found(actor, establishment, done_on)
    return row


def _check_step_date(establishment: Establishment, step: str, done_on: date | None, done: dict) -> None:
    """EST-1's order: not before registration, not before the step it follows,
    not after a recorded step that follows it."""
    labels = dict(EstablishmentStep.Step.choices)
    if done_on is None:
        raise ValidationError({"done_on": _("请填写完成日期")})
    if done_on < establishment.registered_on:
        raise ValidationError({"done_on": _("完成日期不能早于登记日期 %(day)s")
                               % {"day": establishment.registered_on.isoformat()}})
    if step in AFTER:
        before = done.get(AFTER[step])
        if before is None:
            raise ValidationError({"step": _("请先完成“%(before)s”") % {"before": labels[AFTER[step]]}})
        if done_on < before.done_on:
            raise ValidationError({"done_on": _("完成日期不能早于“%(before)s”的日期 %(day)s")
                                   % {"before": labels[AFTER[step]], "day": before.done_on.isoformat()}})
    for later, earlier in AFTER.items():
        if earlier == step and later in done and done[later].done_on < done_on:
            raise ValidationError({"done_on": _("完成日期不能晚于“%(after)s”的日期 %(day)s")
                                   % {"after": labels[later], "day": done[later].done_on.isoformat()}})


@transaction.atomic
def establishment_save(*, actor: Actor, values: dict, instance: Establishment | None = None) -> Establishment:
    """The workbook's save: a new row starts an establishment; a known one is edited."""
    if instance is None:
        return establishment_create(actor=actor, values=values)
    require_committee(actor)
    return _save(instance, values, actor)


@transaction.atomic
def establishment_step_save(*, actor: Actor, values: dict, instance: EstablishmentStep | None = None):
    """The workbook's save: a new row records the step (in order); a known one edits its date and notes."""
    if instance is None:
        return establishment_step_record(actor=actor, establishment=values.get("establishment"),
                                         step=values.get("step"), done_on=values.get("done_on"),
                                         notes=values.get("notes") or "", ref=values.get("ref", ""))
    require_committee(actor)
    values = {k: v for k, v in values.items() if k in ("done_on", "notes")}
    if "done_on" in values and values["done_on"] != instance.done_on:
        est = instance.establishment
        if instance.step == EstablishmentStep.Step.FOUNDING and est.party_org_id:
            raise ValidationError({"done_on": _("党组织已成立，成立日期请在党组织名录中更正")})
        done = {s.step: s for s in est.steps.exclude(pk=instance.pk)}
        _check_step_date(est, instance.step, values["done_on"], done)
    return _save(instance, values, actor)


def _found(actor: Actor, establishment: Establishment, day: date) -> None:
    org = registry.party_org_save(actor=actor, values={
        "name": establishment.org_name, "kind": establishment.org_kind, "parent": establishment.parent,
        "established_on": day})
    registry.coverage_save(actor=actor, values={"party_org": org, "association": establishment.association,
                                                "since": day})
    establishment.party_org = org
    _save(establishment, {}, actor)


# --- charters ------------------------------------------------------------------------------------------


@transaction.atomic
def charter_save(*, actor: Actor, values: dict, clauses: dict[str, str] | None = None,
                 charter: Charter | None = None) -> Charter:
    """A charter version with its ticked CH-1 clauses (clause → evidence;
    a clause without evidence is not ticked); clauses None leaves them as they are."""
    require_committee(actor)
    labels = dict(Clause.choices)
    for clause in clauses or {}:
        if clause not in labels:
            raise ValidationError({"clauses": _("未知的章程条款：%(clause)s") % {"clause": clause}})
    charter = _save(charter or Charter(), values, actor)
    if clauses is None:
        return charter
    kept = {k: v.strip() for k, v in clauses.items() if v and v.strip()}
    charter.clauses.exclude(clause__in=kept).delete()
    existing = {c.clause: c for c in charter.clauses.all()}
    for clause, evidence in kept.items():
        row = existing.get(clause) or CharterClause(charter=charter, clause=clause)
        _save(row, {"evidence": evidence}, actor)
    return charter


@transaction.atomic
def charter_clause_save(*, actor: Actor, values: dict, instance: CharterClause | None = None) -> CharterClause:
    require_committee(actor)
    row = instance or CharterClause()
    for field, value in values.items():
        setattr(row, field, value)
    if not (row.evidence or "").strip():
        raise ValidationError({"evidence": _("请填写章程中的条文依据")})
    if (CharterClause.objects.filter(charter_id=row.charter_id, clause=row.clause).exclude(pk=row.pk).exists()):
        raise ValidationError({"clause": _("该章程已登记此条款")})
    return _save(row, {}, actor)


# --- instructors ---------------------------------------------------------------------------------------


def instructor_load(person_id: int, day: date, exclude_pk=None) -> int:
    qs = InstructorAssignment.objects.filter(active_on(day), person_id=person_id)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.values("association_id").distinct().count()


@transaction.atomic
def instructor_assign(*, actor: Actor, values: dict,
                      assignment: InstructorAssignment | None = None) -> tuple[InstructorAssignment, str]:
    """Assign an instructor through the registry; the second value is a warning
    when they would then guide more associations than INS-1 allows."""
    require_committee(actor)
    saved = registry.instructor_assign(actor=actor, values=values, assignment=assignment)
    return saved, instructor_load_warning(saved)


def instructor_load_warning(assignment: InstructorAssignment) -> str:
    """INS-1's warning for a saved assignment: its instructor guides more
    associations on its first day than the limit in force then allows ("" if not).
    The governance screen and the registry's assignment screen both show it."""
    limit = int(rules.value(rules.INSTRUCTOR_MAX, on=assignment.since))
    load = instructor_load(assignment.person_id, assignment.since)
    if load <= limit:
        return ""
    return _("%(name)s 已联系 %(n)s 家商协会，超过 %(limit)s 家的建议上限") % {
        "name": assignment.person.name, "n": load, "limit": limit}


def _own_assignment(actor: Actor, assignment: InstructorAssignment) -> bool:
    from fourfirsts.core.access import scope_of

    if actor.kind == SYSTEM_KIND or Role.COMMITTEE in actor.roles:
        return True
    return Role.INSTRUCTOR in actor.roles and scope_of(actor.user).person_id == assignment.person_id


@transaction.atomic
def instructor_log_save(*, actor: Actor, values: dict, log: InstructorLog | None = None) -> InstructorLog:
    """An instructor's contact or visit; an instructor logs only their own assignments."""
    log = log or InstructorLog()
    assignment = values.get("assignment") or (log.assignment if log.pk else None)
    if assignment is None:
        raise ValidationError({"assignment": _("请选择选派记录")})
    if not _own_assignment(actor, assignment) or (log.pk and not _own_assignment(actor, log.assignment)):
        raise PermissionDenied(_("只能记录自己的指导工作"))
    day = values.get("held_on", log.held_on)
    if day and (day < assignment.since or (assignment.until and day > assignment.until)):
        raise ValidationError({"held_on": _("日期 %(day)s 不在该指导员的任期内") % {"day": day.isoformat()}})
    if day and actor.kind != SYSTEM_KIND and day > timezone.localdate():
        raise ValidationError({"held_on": _("日期 %(day)s 晚于今天，只能记录已开展的工作") % {"day": day.isoformat()}})
    return _save(log, values, actor)


def term_end(assignment: InstructorAssignment, read=None) -> date:
    """The end of the assignment's term: its until, else since + the term's years (less a day)."""
    if assignment.until:
        return assignment.until
    years = int((read or rules.value)(rules.INSTRUCTOR_TERM_YEARS, on=assignment.since))
    start = assignment.since
    try:
        end = start.replace(year=start.year + years)
    except ValueError:  # 29 Feb
        end = start.replace(year=start.year + years, day=28)
    return end - timedelta(days=1)


def remind_terms(now: datetime, day: date) -> list[TermReminder]:
    """Remind the committee of instructors' terms ending within the reminder
    window, once per assignment and term end."""
    from django.contrib.auth import get_user_model

    window = int(rules.value(rules.TERM_REMIND_DAYS, on=day))
    due = []
    read = rules.reader(rules.INSTRUCTOR_TERM_YEARS)
    for a in InstructorAssignment.objects.filter(active_on(day)).select_related("person", "association"):
        end = term_end(a, read)
        if day <= end <= day + timedelta(days=window):
            due.append((a, end))
    if not due:
        return []
    known = set(TermReminder.objects.filter(assignment__in=[a for a, _e in due]).values_list(
        "assignment_id", "term_end"))
    fresh = [(a, e) for a, e in due if (a.pk, e) not in known]
    rows = TermReminder.objects.bulk_create([TermReminder(assignment=a, term_end=e) for a, e in fresh])
    users = list(get_user_model().objects.filter(groups__name=Role.COMMITTEE, is_active=True).distinct())
    for a, e in fresh:
        notify.notify(users, title=_("指导员任期即将届满"),
                      body=_("%(name)s 指导 %(assoc)s 的任期于 %(day)s 届满") % {
                          "name": a.person.name, "assoc": a.association.name, "day": e.isoformat()},
                      at=now)
    return rows


# --- standardisation and support ---------------------------------------------------------------------


@transaction.atomic
def checklist_save(*, actor: Actor, values: dict, items: list[tuple[str, Decimal]] | None = None,
                   checklist: Checklist | None = None) -> Checklist:
    """A checklist with its items (name, weight) in order; items are replaced
    by name (None leaves them as they are)."""
    require_committee(actor)
    if items is None:
        return _save(checklist or Checklist(), values, actor)
    if not items:
        raise ValidationError({"items": _("考核清单至少要有一个考核项目")})
    names = [n.strip() for n, _w in items]
    if len(set(names)) != len(names):
        raise ValidationError({"items": _("考核项目名称不能重复")})
    for name, weight in items:
        if not name.strip():
            raise ValidationError({"items": _("考核项目名称不能为空")})
        if weight is None or weight <= 0:
            raise ValidationError({"items": _("“%(name)s”的分值应大于0") % {"name": name}})
    checklist = _save(checklist or Checklist(), values, actor)
    existing = {i.name: i for i in checklist.items.order_by("order", "id")}
    # A name that is new at the position of a dropped item renames that item and keeps its scores.
    for item in [i for name, i in existing.items() if name not in names]:
        del existing[item.name]
        at = names[item.order] if item.order < len(names) else None
        if at is not None and at not in existing:
            item.name = at
            existing[at] = item
        elif AssessmentScore.objects.filter(item=item).exists():
            raise ValidationError({"items": _("考核项目“%(name)s”已有评分，不能删除") % {"name": item.name}})
        else:
            item.delete()
    for order, (name, weight) in enumerate(items):
        _save(existing.get(name.strip()) or ChecklistItem(checklist=checklist, name=name.strip()),
              {"weight": weight, "order": order}, actor)
    return checklist


@transaction.atomic
def assessment_save(*, actor: Actor, values: dict, scores: dict[int, tuple[Decimal, str]],
                    assessment: Assessment | None = None) -> Assessment:
    """An org's assessment against a checklist; scores: item id → (score, evidence)."""
    require_committee(actor)
    assessment = assessment or Assessment()
    checklist = values.get("checklist") or assessment.checklist
    items = {i.pk: i for i in checklist.items.all()}
    for item_id, (score, _evidence) in scores.items():
        item = items.get(item_id)
        if item is None:
            raise ValidationError({"scores": _("考核项目不属于该考核清单")})
        if score is None or score < 0 or score > item.weight:
            raise ValidationError({"scores": _("“%(name)s”的得分应在 0 到 %(weight)s 之间")
                                   % {"name": item.name, "weight": item.weight}})
    if (Assessment.objects.filter(checklist=checklist, party_org=values.get("party_org") or assessment.party_org)
            .exclude(pk=assessment.pk).exists()):
        raise ValidationError({"party_org": _("该党组织已按此清单考核过")})
    assessment = _save(assessment, values, actor, exclude=["checklist", "party_org"])
    existing = {s.item_id: s for s in assessment.scores.all()}
    for item_id, (score, evidence) in scores.items():
        _save(existing.get(item_id) or AssessmentScore(assessment=assessment, item=items[item_id]),
              {"score": score, "evidence": evidence or ""}, actor)
    return assessment


@transaction.atomic
def checklist_item_save(*, actor: Actor, values: dict, instance: ChecklistItem | None = None) -> ChecklistItem:
    require_committee(actor)
    row = instance or ChecklistItem()
    for field, value in values.items():
        setattr(row, field, value)
    if row.weight is None or row.weight <= 0:
        raise ValidationError({"weight": _("分值应大于0")})
    return _save(row, {}, actor)


@transaction.atomic
def assessment_score_save(*, actor: Actor, values: dict, instance: AssessmentScore | None = None) -> AssessmentScore:
    require_committee(actor)
    row = instance or AssessmentScore()
    for field, value in values.items():
        setattr(row, field, value)
    if row.item.checklist_id != row.assessment.checklist_id:
        raise ValidationError({"item": _("考核项目不属于该考核的清单")})
    if row.score is None or row.score < 0 or row.score > row.item.weight:
        raise ValidationError({"score": _("“%(name)s”的得分应在 0 到 %(weight)s 之间")
                               % {"name": row.item.name, "weight": row.item.weight}})
    return _save(row, {}, actor)


def ranking(checklist: Checklist, assessments) -> list[tuple[int, Assessment, Decimal]]:
    """(rank, assessment, total) by total score, ties sharing a rank."""
    from django.db.models import Sum

    rows = list(assessments.filter(checklist=checklist).select_related("party_org")
                .annotate(total=Sum("scores__score")))
    rows.sort(key=lambda a: (-(a.total or 0), a.party_org.sort_key))
    out, rank, last = [], 0, None
    for i, a in enumerate(rows, start=1):
        total = a.total or Decimal(0)
        if total != last:
            rank, last = i, total
        out.append((rank, a, total))
    return out


@transaction.atomic
def support_save(*, actor: Actor, values: dict, support: Support | None = None) -> Support:
    require_committee(actor)
    support = support or Support()
    for field, value in values.items():
        setattr(support, field, value)
    if support.kind == Support.Kind.FUNDS and (support.amount is None or support.amount <= 0):
        raise ValidationError({"amount": _("经费支持须填写大于0的金额")})
    if support.kind == Support.Kind.PEOPLE and not (support.people or support.person_id):
        raise ValidationError({"people": _("人员支持须填写人数或选派人员")})
    if support.amount is not None and support.amount < 0:
        raise ValidationError({"amount": _("金额不能为负数")})
    return _save(support, {}, actor)


@transaction.atomic
def record_delete(*, actor: Actor, obj) -> None:
    """Delete and leave a tombstone so API clients learn of it."""
    require_committee(actor)
    Tombstone.leave(obj, by=actor)
    obj._history_user = getattr(actor, "user", None)
    obj.delete()


def org_kind_for_size(full_members: int) -> str:
    """ORG-2: the kind of org a number of members calls for."""
    if full_members >= 100:
        return PartyOrg.Kind.PARTY_COMMITTEE
    if full_members > 50:
        return PartyOrg.Kind.GENERAL_BRANCH
    return PartyOrg.Kind.BRANCH

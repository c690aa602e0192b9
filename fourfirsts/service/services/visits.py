"""Visits and contacts, and pairings (结对联系).

Who writes: the committee (and the system) for anyone; a secretary for the
current member enterprises of their associations; a member only their own
visits, with the enterprises they are paired with or any current member
enterprise of an association. A visit may carry problems found (问题), each
becoming an appeal (channel 走访调研) in the same transaction: all or nothing.

Reads that are not a plain `visible_to` live here too: `allowed_enterprises`
(what a user may log a visit or a notice for) and `no_contact` (pairs with no
visit for longer than `service.no_contact_days`)."""

from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, DateField, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from fourfirsts.core import rules
from fourfirsts.core.access import Role, scope_of
from fourfirsts.core.actors import Actor, Kind
from fourfirsts.core.models import Tombstone
from fourfirsts.core.workdays import SHANGHAI
from fourfirsts.registry.models import Enterprise, EnterpriseMembership, Person, active_on, today
from fourfirsts.service.models import Appeal, Pairing, Visit, member_enterprise_ids
from fourfirsts.service.services import appeals, members

VISIT_FIELDS = ("visitor", "enterprise", "channel", "visited_on", "notes")
# An imported row also gives its 编号 ("ref") when it creates a visit or a pairing.
IMPORT_FIELDS = ("ref",)
PROBLEM_FIELDS = ("title", "category", "kind", "is_blockage", "is_pain_point", "is_difficulty", "description",
                  "raised_by")
PAIRING_FIELDS = ("person", "enterprise", "since", "until", "note")
# The prefix of the problem rows' keys in a ValidationError: "problem-<i>-<field>",
# the names a Django formset with prefix "problem" gives its fields.
PROBLEM_PREFIX = "problem"


# --- who may do what -----------------------------------------------------------------------------


def _is_system(actor: Actor) -> bool:
    return actor.kind == Kind.SYSTEM


def _scope(actor: Actor):
    return scope_of(actor.user) if actor.kind == Kind.USER else scope_of(None)


def paired_enterprise_ids(person_id, day: date | None = None):
    return Pairing.objects.filter(active_on(day or today()), person_id=person_id).values("enterprise_id")


def allowed_enterprises(user):
    """The enterprises this user may log a visit or a policy notice for: all
    for the committee; a secretary's associations' current member
    enterprises; for a member, those they are paired with and every current
    member enterprise of an association. Nothing for other roles."""
    scope = scope_of(user)
    if scope.is_system or Role.COMMITTEE in scope.roles:
        return Enterprise.objects.all()
    q = Q(pk__in=[])
    if Role.SECRETARY in scope.roles and scope.association_ids:
        q |= Q(pk__in=member_enterprise_ids(scope.association_ids))
    if Role.MEMBER in scope.roles and scope.person_id:
        q |= Q(pk__in=paired_enterprise_ids(scope.person_id)) | Q(pk__in=member_enterprise_ids())
    return Enterprise.objects.filter(q)


def can_log(user) -> bool:
    """Whether the user may log visits at all."""
    scope = scope_of(user)
    return scope.is_system or Role.COMMITTEE in scope.roles or (
        Role.SECRETARY in scope.roles and bool(scope.association_ids)) or (
        Role.MEMBER in scope.roles and bool(scope.person_id))


def picks_visitor(user) -> bool:
    """The committee and secretaries pick the visitor; a member is the visitor."""
    scope = scope_of(user)
    return scope.is_system or bool(scope.roles & {Role.COMMITTEE, Role.SECRETARY})


def _check_writer(actor: Actor, *, visitor: Person | None, enterprise: Enterprise | None,
                  person_field: str = "visitor") -> None:
    """A visit (or a notice) by `visitor` with `enterprise` may be written by this actor."""
    if _is_system(actor):
        return
    scope = _scope(actor)
    if Role.COMMITTEE in scope.roles:
        return
    if Role.SECRETARY in scope.roles and scope.association_ids and enterprise is not None:
        ok = EnterpriseMembership.objects.filter(active_on(today()), enterprise=enterprise,
                                                 association_id__in=scope.association_ids).exists()
        if ok:
            if visitor is not None and not Person.objects.visible_to(actor.user).filter(pk=visitor.pk).exists():
                raise ValidationError({person_field: _("只能选择本组织的党员")})
            return
    if Role.MEMBER in scope.roles and scope.person_id:
        if visitor is None or visitor.pk != scope.person_id:
            raise ValidationError({person_field: _("会员党员只能登记本人的走访联系或政策告知")})
        if enterprise is not None and allowed_enterprises(actor.user).filter(pk=enterprise.pk).exists():
            return
        raise ValidationError({"enterprise": _("只能选择与您结对的企业或商协会的会员企业")})
    if Role.SECRETARY in scope.roles and scope.association_ids:
        raise ValidationError({"enterprise": _("书记只能为本组织所联系商协会的会员企业登记")})
    raise PermissionDenied(_("您的角色无权登记走访联系"))


check_writer = _check_writer


def may_write_visit(user, visit: Visit) -> bool:
    """Edit or delete: the committee; a secretary for their associations'
    enterprises; the visitor (a member) their own."""
    try:
        _check_writer(Actor.of(user), visitor=visit.visitor, enterprise=visit.enterprise)
    except (PermissionDenied, ValidationError):
        return False
    return True


def may_keep_pairings(user, enterprise: Enterprise | None = None) -> bool:
    scope = scope_of(user)
    if scope.is_system or Role.COMMITTEE in scope.roles:
        return True
    if Role.SECRETARY not in scope.roles or not scope.association_ids:
        return False
    if enterprise is None:
        return True
    return EnterpriseMembership.objects.filter(active_on(today()), enterprise=enterprise,
                                               association_id__in=scope.association_ids).exists()


# --- helpers -----------------------------------------------------------------------------------------


def collected_at(day: date) -> datetime:
    """When a problem found on a visit counts as collected: noon of the visit
    day in Beijing time, or now if that is still to come."""
    noon = datetime.combine(day, time(12), tzinfo=SHANGHAI)
    return min(noon, timezone.now())


def _check_day(day: date | None, field: str, label: str) -> None:
    if day is not None and day > today():
        raise ValidationError({field: _("%(label)s不能晚于今天（%(today)s）") % {"label": label, "today": today()}})


def _save(instance, values: dict, actor: Actor, at: datetime | None = None):
    """Set, check and save; `at` dates the history row (imported records, by their own day)."""
    for field, value in values.items():
        setattr(instance, field, value)
    loaded = [f.name for f in instance._meta.concrete_fields
              if f.is_relation and getattr(instance, f.name, None) is not None
              and getattr(instance, f.name).pk is not None]
    instance.full_clean(exclude=loaded)
    instance._history_user = actor.user
    if at is not None:
        instance._history_date = at
    instance.save()
    if at is not None:
        del instance._history_date
    return instance


def _tombstone(obj, actor: Actor) -> None:
    Tombstone.leave(obj, by=actor)


def _problem_key(index: int, field: str) -> str:
    return f"{PROBLEM_PREFIX}-{index}-{field}"


def _create_problems(actor: Actor, visit: Visit, problems) -> list[Appeal]:
    """One appeal per problem; every row's errors, keyed by row and field."""
    created, errors = [], {}
    for index, problem in enumerate(problems):
        unknown = set(problem) - set(PROBLEM_FIELDS)
        if unknown:
            raise ValueError(f"unknown problem fields {sorted(unknown)}")
        values = {
            **problem, "enterprise": visit.enterprise, "visit": visit, "collected_by": visit.visitor,
            "channel": Appeal.Channel.VISIT, "collected_at": collected_at(visit.visited_on),
        }
        if not (values.get("title") or "").strip():
            errors.setdefault(_problem_key(index, "title"), []).append(
                _("问题%(n)s：请填写问题标题") % {"n": index + 1})
            continue
        try:
            created.append(appeals.appeal_create(actor=actor, values=values))
        except ValidationError as e:
            if hasattr(e, "error_dict"):
                for field, messages in e.message_dict.items():
                    key = _problem_key(index, field if field in PROBLEM_FIELDS else "__all__")
                    errors.setdefault(key, []).extend(
                        _("问题%(n)s：%(msg)s") % {"n": index + 1, "msg": m} for m in messages)
            else:
                errors.setdefault(_problem_key(index, "__all__"), []).extend(
                    _("问题%(n)s：%(msg)s") % {"n": index + 1, "msg": m} for m in e.messages)
    if errors:
        raise ValidationError(errors)
    return created


# --- visits ------------------------------------------------------------------------------------------


@transaction.atomic
def visit_create(*, actor: Actor, values: dict, problems=(), at: datetime | None = None) -> Visit:
    """Log a visit or contact and the problems found on it (each an appeal,
    state 已收集, collected by the visitor). Nothing is saved if any row fails.
    `at` dates the visit's history row (imports: the visit's day)."""
    unknown = set(values) - set(VISIT_FIELDS) - set(IMPORT_FIELDS)
    if unknown:
        raise ValueError(f"unknown visit fields {sorted(unknown)}")
    _check_writer(actor, visitor=values.get("visitor"), enterprise=values.get("enterprise"))
    _check_day(values.get("visited_on"), "visited_on", _("走访日期"))
    visit = Visit(entered_by=actor.user if actor.kind == Kind.USER else None)
    _save(visit, values, actor, at)
    members.mark_saved_visit(visit)
    _create_problems(actor, visit, problems)
    return visit


@transaction.atomic
def visit_update(*, actor: Actor, visit: Visit, values: dict, problems=()) -> Visit:
    """Correct a visit (the writer must be allowed both before and after) and
    add further problems found on it."""
    unknown = set(values) - set(VISIT_FIELDS)
    if unknown:
        raise ValueError(f"unknown visit fields {sorted(unknown)}")
    visit = Visit.objects.select_for_update().select_related("visitor", "enterprise").get(pk=visit.pk)
    _check_writer(actor, visitor=visit.visitor, enterprise=visit.enterprise)
    _check_writer(actor, visitor=values.get("visitor", visit.visitor),
                  enterprise=values.get("enterprise", visit.enterprise))
    _check_day(values.get("visited_on"), "visited_on", _("走访日期"))
    _save(visit, values, actor)
    members.mark_saved_visit(visit)
    if "visitor" in values or "enterprise" in values:
        # The problems raised on it follow the visit's enterprise and visitor while still only collected.
        for appeal in visit.appeals.filter(state=Appeal.State.COLLECTED):
            appeal.enterprise, appeal.collected_by = visit.enterprise, visit.visitor
            members.mark_appeal(appeal)
            appeal._history_user = actor.user
            appeal.save(update_fields=["enterprise", "collected_by", "member_on_day", "updated_at"])
    _create_problems(actor, visit, problems)
    return visit


def visit_delete_refusal(visit: Visit) -> str:
    n = visit.appeals.count()
    if not n:
        return ""
    return _("这次走访已提出%(n)s个问题诉求，不能删除；如有误，请编辑走访记录") % {"n": n}


@transaction.atomic
def visit_delete(*, actor: Actor, visit: Visit) -> None:
    """Delete a visit that raised no appeal, leaving a tombstone."""
    visit = Visit.objects.select_for_update().select_related("visitor", "enterprise").get(pk=visit.pk)
    try:
        _check_writer(actor, visitor=visit.visitor, enterprise=visit.enterprise)
    except ValidationError as e:
        raise PermissionDenied(_("您无权删除这条走访记录")) from e
    refusal = visit_delete_refusal(visit)
    if refusal:
        raise ValidationError(refusal)
    _tombstone(visit, actor)
    visit._history_user = actor.user
    visit.delete()


# --- pairings ----------------------------------------------------------------------------------------


def _check_pairing_writer(actor: Actor, enterprise: Enterprise | None) -> None:
    if _is_system(actor):
        return
    scope = _scope(actor)
    if Role.COMMITTEE in scope.roles:
        return
    if Role.SECRETARY in scope.roles and scope.association_ids:
        if enterprise is not None and may_keep_pairings(actor.user, enterprise):
            return
        raise ValidationError({"enterprise": _("书记只能为本组织所联系商协会的会员企业安排结对")})
    raise PermissionDenied(_("只有商协会党委或党组织书记可以安排结对联系"))


@transaction.atomic
def pairing_create(*, actor: Actor, values: dict, at: datetime | None = None) -> Pairing:
    """Pair a member with an enterprise from a day (at most one open pairing per pair).
    `at` dates the pairing's history row (imports: the day it began)."""
    unknown = set(values) - set(PAIRING_FIELDS) - set(IMPORT_FIELDS)
    if unknown:
        raise ValueError(f"unknown pairing fields {sorted(unknown)}")
    _check_pairing_writer(actor, values.get("enterprise"))
    person, enterprise, since = values.get("person"), values.get("enterprise"), values.get("since")
    until = values.get("until")
    if person is not None and enterprise is not None and since is not None:
        clash = Pairing.objects.filter(person=person, enterprise=enterprise).filter(
            Q(until__isnull=True) | Q(until__gte=since))
        if until is not None:
            clash = clash.filter(since__lte=until)
        if clash.exists():
            raise ValidationError({"enterprise": _("%(person)s与%(enterprise)s在该期间已有结对") % {
                "person": person.name, "enterprise": enterprise.name}})
    if until is not None and since is not None and until < since:
        raise ValidationError({"until": _("结束日期不能早于结对日期")})
    return _save(Pairing(), values, actor, at)


@transaction.atomic
def pairing_end(*, actor: Actor, pairing: Pairing, until: date, note: str | None = None) -> Pairing:
    """End a pairing on a day (the last day it counts)."""
    pairing = Pairing.objects.select_for_update().select_related("enterprise").get(pk=pairing.pk)
    _check_pairing_writer(actor, pairing.enterprise)
    if pairing.until is not None:
        raise ValidationError({"until": _("该结对已于%(day)s结束") % {"day": pairing.until}})
    if until is None:
        raise ValidationError({"until": _("请填写结束日期")})
    if until < pairing.since:
        raise ValidationError({"until": _("结束日期不能早于结对日期（%(day)s）") % {"day": pairing.since}})
    values = {"until": until}
    if note is not None:
        values["note"] = note
    return _save(pairing, values, actor)


# --- the no-contact list -----------------------------------------------------------------------------


def with_last_contact(pairings, day: date):
    """Each pairing with `last_contact`: the latest visit by that person to
    that enterprise on or before the day (one subquery, no query per row)."""
    last = (Visit.objects.filter(visitor_id=OuterRef("person_id"), enterprise_id=OuterRef("enterprise_id"),
                                 visited_on__lte=day)
            .order_by("-visited_on").values("visited_on")[:1])
    return pairings.annotate(last_contact=Subquery(last, output_field=DateField()))


def no_contact(user, day: date, days: int | None = None):
    """The pairings in force on the day whose person has not visited or
    contacted the enterprise for more than N days (N = `service.no_contact_days`
    on that day): the last contact, or the pairing's start when there was
    none, is before day − N. Annotated with `last_contact` and `since_contact`
    (the reference date); oldest first."""
    days = int(rules.value("service.no_contact_days", on=day)) if days is None else days
    cutoff = day - timedelta(days=days)
    qs = with_last_contact(Pairing.objects.visible_to(user).filter(active_on(day)), day)
    qs = qs.annotate(since_contact=Coalesce(Greatest(F("last_contact"), F("since")), F("since"),
                                            output_field=DateField()))
    return qs.filter(since_contact__lt=cutoff).order_by("since_contact", "id")


def with_problem_count(visits):
    """Each visit with `problem_count`, the appeals raised at it: counted per
    row fetched, not by grouping every visit before a page is cut."""
    raised = (Appeal.objects.filter(visit=OuterRef("pk")).order_by().values("visit")
              .annotate(n=Count("id")).values("n"))
    return visits.annotate(problem_count=Coalesce(Subquery(raised), 0))

"""Every write to the registry. Views, the workbook importer and the demo call
these, so each rule is enforced once. `actor` is a core.actors.Actor; `values`
are cleaned field values (the form's or the importer's)."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from fourfirsts.core import crypto, searchkeys
from fourfirsts.core.access import Role
from fourfirsts.core.actors import Actor
from fourfirsts.core.models import Tombstone
from fourfirsts.registry import validators
from fourfirsts.registry.models import (
    Association,
    AssociationStatus,
    CommitteeSeat,
    Coverage,
    Department,
    Enterprise,
    EnterpriseMembership,
    InstructorAssignment,
    PartyGroup,
    PartyGroupMembership,
    PartyMembership,
    PartyOrg,
    Person,
    PoliticalStatus,
    Post,
    PublicOffice,
)

WRITERS = {Role.COMMITTEE}


def require_writer(actor: Actor, obj=None) -> None:
    """The committee keeps the registry; a secretary may edit records in scope.
    The system (imports, the demo) may write anything."""
    if actor.kind != Actor.system().kind and not actor.roles & WRITERS:
        if obj is None or Role.SECRETARY not in actor.roles or not _in_scope(actor, obj):
            raise PermissionDenied(_("您的角色无权修改此记录"))


def _in_scope(actor: Actor, obj) -> bool:
    return type(obj)._default_manager.visible_to(actor.user).filter(pk=obj.pk).exists()


def _apply(instance, values: dict, actor: Actor, *, exclude=()):
    for field, value in values.items():
        setattr(instance, field, value)
    # Related records handed in were just read from the database: skip the
    # per-field existence query full_clean would make for each of them.
    loaded = [f.name for f in instance._meta.concrete_fields
              if f.is_relation and getattr(instance, f.name, None) is not None
              and getattr(instance, f.name).pk is not None]
    instance.full_clean(exclude=[*exclude, *loaded], validate_unique=True, validate_constraints=True)
    instance._history_user = actor.user  # simple_history reads this
    instance.save()
    return instance


def _keys(instance, *texts) -> None:
    instance.search_key = searchkeys.search_key(instance.name, *texts)
    instance.sort_key = searchkeys.sort_key(instance.name)


# --- associations ------------------------------------------------------------------


@transaction.atomic
def association_save(*, actor: Actor, values: dict, association: Association | None = None,
                     status: str | None = None, status_since: date | None = None) -> Association:
    """Create or edit an association; a new one gets its first dated status."""
    association = association or Association()
    require_writer(actor, association if association.pk else None)
    created = association.pk is None
    for field, value in values.items():
        setattr(association, field, value)
    _keys(association, association.registration_number)
    _apply(association, {}, actor)
    if created and status:
        association_status_set(actor=actor, association=association, status=status,
                               since=status_since or association.founded_on or timezone.localdate())
    return association


@transaction.atomic
def association_status_set(*, actor: Actor, association: Association, status: str, since: date,
                           ref: str | None = None) -> AssociationStatus:
    require_writer(actor)  # registering or deregistering is the committee's call
    row = AssociationStatus.objects.filter(association=association, since=since).first() or AssociationStatus(
        association=association, since=since)
    if ref:
        row.ref = ref
    return _apply(row, {"status": status}, actor)


# --- party organisations ---------------------------------------------------------------


TREE_FIELDS = ("parent", "kind", "dissolved_on")


def _refuse_tree_changes_by_secretary(actor: Actor, org: PartyOrg, values: dict) -> None:
    """Where an org sits in the tree, its kind and its dissolution are the
    committee's decisions; a secretary may edit the rest of their own org."""
    if actor.kind == Actor.system().kind or Role.COMMITTEE in actor.roles or not org.pk:
        return
    changed = [f for f in TREE_FIELDS if f in values and values[f] != getattr(org, f)]
    if changed:
        raise PermissionDenied(_("上级组织、类型和撤销由商协会党委决定"))


def _ancestors(org_id: int) -> set[int]:
    """The org and every org above it (one query: the tree is small)."""
    parents = dict(PartyOrg.objects.values_list("id", "parent_id"))
    found: set[int] = set()
    while org_id and org_id not in found:
        found.add(org_id)
        org_id = parents.get(org_id)
    return found


@transaction.atomic
def party_org_save(*, actor: Actor, values: dict, org: PartyOrg | None = None) -> PartyOrg:
    org = org or PartyOrg()
    require_writer(actor, org if org.pk else None)
    _refuse_tree_changes_by_secretary(actor, org, values)
    for field, value in values.items():
        setattr(org, field, value)
    if org.dissolved_on and org.dissolved_on < org.established_on:
        raise ValidationError({"dissolved_on": _("撤销日期不能早于成立日期")})
    if org.pk and org.parent_id and org.pk in _ancestors(org.parent_id):
        raise ValidationError({"parent": _("上级党组织不能是自己或自己的下级组织")})
    _keys(org)
    return _apply(org, {}, actor)


@transaction.atomic
def coverage_save(*, actor: Actor, values: dict, coverage: Coverage | None = None) -> Coverage:
    """A party org covers an association from a date (联合组建: several)."""
    coverage = coverage or Coverage()
    require_writer(actor)
    validators.check_period(values.get("since"), values.get("until"), _("覆盖关系"))
    return _apply(coverage, values, actor)


# Called with the enterprise ids whose memberships a save changed (the one a
# membership left, the one it names): pillar apps keep what they store from
# membership (service: whether an appeal's enterprise was a member on its day).
_membership_listeners: list = []


def on_enterprise_membership_saved(listener) -> None:
    _membership_listeners.append(listener)


@transaction.atomic
def dated_link_save(*, actor: Actor, model, values: dict, instance=None):
    """Committee seats, party groups' members, party memberships, posts,
    public offices, enterprise memberships: dated links between records."""
    require_writer(actor)
    validators.check_period(values.get("since"), values.get("until"), model._meta.verbose_name + "：")
    before = instance.enterprise_id if model is EnterpriseMembership and instance is not None else None
    saved = _apply(instance or model(), values, actor)
    if model is EnterpriseMembership:
        for listener in _membership_listeners:
            listener({before, saved.enterprise_id} - {None})
    return saved


@transaction.atomic
def party_group_save(*, actor: Actor, values: dict, group: PartyGroup | None = None) -> PartyGroup:
    require_writer(actor)
    return _apply(group or PartyGroup(), values, actor)


# --- enterprises ---------------------------------------------------------------------------


@transaction.atomic
def enterprise_save(*, actor: Actor, values: dict, enterprise: Enterprise | None = None) -> Enterprise:
    enterprise = enterprise or Enterprise()
    require_writer(actor, enterprise if enterprise.pk else None)
    values = dict(values)
    values["uscc"] = validators.check_uscc(values.get("uscc", enterprise.uscc))
    if values.get("contact_phone"):
        values["contact_phone"] = _checked_phone(values["contact_phone"])
    for field, value in values.items():
        setattr(enterprise, field, value)
    _keys(enterprise, enterprise.uscc)
    return _apply(enterprise, {}, actor)


def _checked_phone(value: str) -> str:
    try:
        return validators.check_mobile(value)
    except ValidationError as e:
        raise ValidationError({"contact_phone": e.messages}) from None


def enterprises_create(*, actor: Actor, rows: list[dict]) -> list:
    """Many new enterprises at once (a workbook's new rows): each row checked
    as `enterprise_save` checks it, the valid ones inserted in bulk with their
    history. Returns, row by row, the new Enterprise or the ValidationError
    that refused it; the caller decides whether a refusal stops the rest."""
    require_writer(actor)
    codes = []
    for values in rows:
        try:
            codes.append(validators.check_uscc(values.get("uscc") or ""))
        except ValidationError as e:
            codes.append(e)
    given = [c for c in codes if isinstance(c, str)]
    taken = set()
    for i in range(0, len(given), 2000):
        taken |= set(Enterprise.objects.filter(uscc__in=given[i:i + 2000]).values_list("uscc", flat=True))
    results, fresh = [], []
    for values, code in zip(rows, codes, strict=True):
        enterprise = Enterprise()
        try:
            if isinstance(code, ValidationError):
                raise code
            values = {**values, "uscc": code}
            if values.get("contact_phone"):
                values["contact_phone"] = _checked_phone(values["contact_phone"])
            for field, value in values.items():
                setattr(enterprise, field, value)
            _keys(enterprise, enterprise.uscc)
            enterprise.full_clean(validate_unique=False, validate_constraints=False)
            if enterprise.uscc in taken:  # in the database, or on an earlier row of this batch
                raise ValidationError({"uscc": enterprise.unique_error_message(Enterprise, ("uscc",))})
        except ValidationError as e:
            results.append(e)
            continue
        taken.add(enterprise.uscc)
        fresh.append(enterprise)
        results.append(enterprise)
    bulk_create_with_history(fresh, Enterprise, batch_size=500, default_user=actor.user)
    return results


# --- people ------------------------------------------------------------------------------------


def _refuse_duplicate_id_number(actor: Actor, person: Person):
    """Only the committee (and imports) learn that a number is registered to
    someone else; to a secretary, whose scope is one org, the refusal is
    neutral, so the form cannot be used to probe who is registered."""
    if actor.kind == Actor.system().kind or Role.COMMITTEE in actor.roles:
        raise ValidationError({"id_number": _("该身份证号码已登记在另一人员名下")})
    raise ValidationError({"id_number": _("该身份证号码无法在此登记，请联系商协会党委核实")})


@transaction.atomic
def person_save(*, actor: Actor, values: dict, person: Person | None = None) -> Person:
    """Personal numbers are checked, encrypted by the field, and hashed for look-up.
    A blank number in `values` leaves the stored one as it is (masked imports)."""
    person = person or Person()
    require_writer(actor, person if person.pk else None)
    values = dict(values)
    id_number = values.pop("id_number", None)
    phone = values.pop("phone", None)
    for field, value in values.items():
        setattr(person, field, value)
    if id_number:
        person.id_number = validators.check_id_number(id_number, person.birth_date)
        person.id_hash = crypto.get_cipher().lookup_hash(person.id_number)
        if Person.objects.filter(id_hash=person.id_hash).exclude(pk=person.pk).exists():
            _refuse_duplicate_id_number(actor, person)
    if phone:
        person.phone = validators.check_mobile(phone)
        person.phone_hash = crypto.get_cipher().lookup_hash(person.phone)
    _keys(person)
    return _apply(person, {}, actor, exclude=("id_hash",))


@transaction.atomic
def association_status_save(*, actor: Actor, values: dict, instance: AssociationStatus | None = None):
    require_writer(actor)
    return _apply(instance or AssociationStatus(), values, actor)


@transaction.atomic
def political_status_save(*, actor: Actor, values: dict, instance: PoliticalStatus | None = None):
    """A row of 政治面貌 history from a file: party statuses only as the record
    of someone who joined before the system (or from the pipeline's own export)."""
    require_writer(actor)
    if values.get("status") in PoliticalStatus.PARTY and values.get("source") == PoliticalStatus.Source.FORM:
        raise ValidationError(
            {"status": _("中共预备党员、中共党员由发展党员流程写入；系统启用前入党的，来源应为“系统前入党记录”")}
        )
    if values.get("status") not in PoliticalStatus.PARTY and values.get("source") != PoliticalStatus.Source.FORM:
        raise ValidationError({"source": _("只有中共预备党员、中共党员的来源可以是入党记录或发展党员流程")})
    _check_party_record(values, instance)
    validators.check_period(values.get("since"), values.get("until"), _("政治面貌："))
    return _apply(instance or PoliticalStatus(), values, actor)


def _check_party_record(values: dict, instance) -> None:
    """Pipeline rows are written by the membership pipeline alone: a file may
    carry them back unchanged, never add or alter one. A pre-system record is
    one entry per status, and none beside the pipeline's."""
    source, person = values.get("source"), values.get("person")
    if source == PoliticalStatus.Source.PIPELINE:
        unchanged = instance is not None and instance.source == source and all(
            getattr(instance, k) == v for k, v in values.items())
        if not unchanged:
            raise ValidationError({"source": _("“发展党员流程”的记录只能由发展党员流程写入")})
    if source == PoliticalStatus.Source.PRE_SYSTEM and person is not None:
        others = person.political_statuses.exclude(pk=getattr(instance, "pk", None))
        if others.filter(source=PoliticalStatus.Source.PIPELINE).exists():
            raise ValidationError({"source": _("此人的入党经历已由发展党员流程记录，不能再登记")})
        if others.filter(source=PoliticalStatus.Source.PRE_SYSTEM, status=values.get("status")).exists():
            raise ValidationError({"status": _("此人已登记过系统启用前的这一政治面貌")})


@transaction.atomic
def political_status_set(*, actor: Actor, person: Person, status: str, since: date,
                         until: date | None = None, ref: str | None = None) -> PoliticalStatus:
    """政治面貌 by form or import. 中共预备党员 and 中共党员 are the membership
    pipeline's to write; people who joined before the system use
    `party_joining_record`."""
    require_writer(actor, person)
    if status in PoliticalStatus.PARTY:
        raise ValidationError(
            {"status": _("中共预备党员、中共党员由发展党员流程写入；系统启用前入党的，请登记入党时间")}
        )
    validators.check_period(since, until, _("政治面貌"))
    row = PoliticalStatus.objects.filter(ref=ref).first() if ref else None
    row = row or PoliticalStatus(person=person)
    if ref:
        row.ref = ref
    return _apply(row, {"status": status, "since": since, "until": until,
                        "source": PoliticalStatus.Source.FORM}, actor)


@transaction.atomic
def party_joining_record(*, actor: Actor, person: Person, joined_on: date, full_on: date | None,
                         refs: tuple[str | None, str | None] = (None, None)) -> list[PoliticalStatus]:
    """One dated entry for someone who joined before the system: probationary
    from `joined_on`, full member from `full_on` (probation end)."""
    require_writer(actor, person)
    if full_on and full_on < joined_on:
        raise ValidationError({"full_on": _("转正日期不能早于入党日期")})
    existing = person.political_statuses.filter(source=PoliticalStatus.Source.PIPELINE)
    if existing.exists():
        raise ValidationError(_("此人的入党经历已由发展党员流程记录，不能再登记"))
    person.political_statuses.filter(source=PoliticalStatus.Source.PRE_SYSTEM).delete()
    rows = []
    ends = full_on - timedelta(days=1) if full_on else None
    for ref, status, since, until in (
        (refs[0], PoliticalStatus.Status.CPC_PROBATIONARY, joined_on, ends),
        (refs[1], PoliticalStatus.Status.CPC_MEMBER, full_on, None),
    ):
        if since is None:
            continue
        row = PoliticalStatus(person=person, status=status, since=since, until=until,
                              source=PoliticalStatus.Source.PRE_SYSTEM)
        if ref:
            row.ref = ref
        rows.append(_apply(row, {}, actor))
    return rows


@transaction.atomic
def political_status_from_pipeline(*, actor: Actor, person: Person, status: str, since: date) -> PoliticalStatus:
    """中共预备党员 or 中共党员 from the membership pipeline (its service has
    checked the org and the DEV rules): the person's open status ends the day
    before. Writing the same status from the same day again changes nothing."""
    require_writer(actor, person)
    if status not in PoliticalStatus.PARTY:
        raise ValidationError({"status": _("发展党员流程只写入中共预备党员、中共党员")})
    rows = person.political_statuses.all()
    same = rows.filter(status=status, since=since, source=PoliticalStatus.Source.PIPELINE).first()
    if same:
        return same
    if rows.filter(source=PoliticalStatus.Source.PRE_SYSTEM).exists():
        raise ValidationError(_("此人已登记系统启用前的入党记录，不能再由发展党员流程写入"))
    if rows.filter(since__gte=since).exists():
        raise ValidationError({"since": _("此人在 %(day)s 当天或之后已有政治面貌记录，不能再从该日写入")
                               % {"day": since.isoformat()}})
    for row in rows.filter(until__isnull=True):
        row.until = since - timedelta(days=1)
        _apply(row, {}, actor)
    return _apply(PoliticalStatus(person=person, status=status, since=since,
                                  source=PoliticalStatus.Source.PIPELINE), {}, actor)


@transaction.atomic
def development_stage_from_pipeline(*, actor: Actor, person: Person, stage: str) -> Person:
    """The person's 发展阶段 (申请人/积极分子/发展对象, or blank from 预备党员 on)
    from the membership pipeline: only an actor who may keep this person."""
    require_writer(actor, person)
    if stage and stage not in Person.DevelopmentStage.values:
        raise ValidationError({"development_stage": _("发展阶段“%(stage)s”无效") % {"stage": stage}})
    if person.development_stage != stage:
        person.development_stage = stage
        person._history_user = actor.user
        person.save(update_fields=["development_stage", "updated_at"])
    return person


# --- departments, instructors ----------------------------------------------------------------


@transaction.atomic
def department_save(*, actor: Actor, values: dict, department: Department | None = None) -> Department:
    department = department or Department()
    require_writer(actor)
    values = dict(values)
    if values.get("contact_phone"):
        values["contact_phone"] = validators.check_mobile(values["contact_phone"])
    for field, value in values.items():
        setattr(department, field, value)
    _keys(department, department.short_name)
    return _apply(department, {}, actor)


@transaction.atomic
def instructor_assign(*, actor: Actor, values: dict, assignment: InstructorAssignment | None = None):
    require_writer(actor)
    validators.check_period(values.get("since"), values.get("until"), _("指导员任期"))
    return _apply(assignment or InstructorAssignment(), values, actor)


# --- deletion ------------------------------------------------------------------------------------


@transaction.atomic
def record_delete(*, actor: Actor, obj) -> None:
    """Delete and leave a tombstone so API clients learn of it."""
    require_writer(actor, obj)
    Tombstone.leave(obj, by=actor)
    obj._history_user = actor.user
    obj.delete()


DATED_LINKS = (CommitteeSeat, PartyGroupMembership, PartyMembership, Post, PublicOffice, EnterpriseMembership)

"""Every write of the volunteering app. Views, the workbook importer and the
demo call these, so each rule is enforced once. `actor` is a
core.actors.Actor; `at` is when an imported past record happened."""

import re
from datetime import date, datetime, time
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from fourfirsts.core import searchkeys
from fourfirsts.core.actors import Actor
from fourfirsts.registry.models import Enterprise, Person
from fourfirsts.volunteering import access
from fourfirsts.volunteering.models import (
    Activity,
    ActivityKind,
    Donation,
    Pairing,
    PairingEnterprise,
    Participation,
    Payment,
    Project,
    Village,
    WeakYears,
)

DAY_HOURS = Decimal(24)
PERSONAL = re.compile(r"\d{17}[\dXx]|1[3-9]\d{9}")


def _save(instance, values: dict, actor: Actor, at: datetime | None = None, exclude=()):
    for field, value in values.items():
        setattr(instance, field, value)
    loaded = [f.name for f in instance._meta.concrete_fields
              if f.is_relation and getattr(instance, f.name, None) is not None
              and getattr(instance, f.name).pk is not None]
    instance.full_clean(exclude=[*exclude, *loaded])
    instance._history_user = getattr(actor, "user", None)
    if at is not None:
        instance._history_date = at
    instance.save()
    return instance


def _moment(day: date | None) -> datetime | None:
    return timezone.make_aware(datetime.combine(day, time(12))) if day else None


def _set(instance, values: dict) -> None:
    for field, value in values.items():
        setattr(instance, field, value)


def _keys(instance, *texts) -> None:
    instance.search_key = searchkeys.search_key(instance.name, *texts)
    instance.sort_key = searchkeys.sort_key(instance.name)


def _not_negative(instance, *fields) -> None:
    for field in fields:
        value = getattr(instance, field)
        if value is not None and value < 0:
            label = instance._meta.get_field(field).verbose_name
            raise ValidationError({field: _("%(field)s不能为负数") % {"field": label}})


def _zero_blanks(instance, *fields) -> None:
    """A blank cell or field of a number that defaults to 0 is 0."""
    for field in fields:
        if getattr(instance, field) is None:
            setattr(instance, field, instance._meta.get_field(field).default)


def _id(obj, name):
    return getattr(obj, f"{name}_id", None)


# --- activity kinds -------------------------------------------------------------------------


@transaction.atomic
def activity_kind_save(*, actor: Actor, values: dict, instance: ActivityKind | None = None,
                       at: datetime | None = None) -> ActivityKind:
    if not access.can_keep_kinds(actor):
        raise PermissionDenied(_("只有商协会党委可以维护志愿活动类型"))
    kind = instance or ActivityKind()
    _set(kind, values)
    kind.name = (kind.name or "").strip()
    _zero_blanks(kind, "order")
    if not kind.name:
        raise ValidationError({"name": _("请填写类型名称")})
    return _save(kind, {}, actor, at)


# --- activities and hours -------------------------------------------------------------------


def _check_hours(hours, field="hours") -> None:
    if hours is None:
        return
    if hours <= 0:
        raise ValidationError({field: _("服务时长应大于0小时")})
    if hours > DAY_HOURS:
        raise ValidationError({field: _("服务时长不能超过一天24小时")})


@transaction.atomic
def activity_save(*, actor: Actor, values: dict, activity: Activity | None = None, participants=None,
                  at: datetime | None = None) -> Activity:
    """Create or edit an activity; `participants` (people) are recorded with
    the activity's hours, confirmed at once since its keeper records them."""
    activity = activity or Activity()
    if activity.pk and not access.can_keep_activity(actor, activity):
        raise PermissionDenied(_("您无权修改这次志愿活动"))
    _set(activity, values)
    if not activity.party_org_id and not activity.association_id:
        raise ValidationError({"party_org": _("请选择组织活动的党组织或商协会")})
    if not access.can_keep_activity(actor, activity):
        raise ValidationError({"party_org": _("书记只能为本党组织或本党组织覆盖的商协会记录志愿活动")})
    if activity.held_on is None:
        raise ValidationError({"held_on": _("请填写活动日期")})
    if activity.party_org_id and activity.held_on < activity.party_org.established_on:
        raise ValidationError({"held_on": _("活动日期不能早于党组织成立日期")})
    _check_hours(activity.hours)
    _save(activity, {}, actor, at or (None if activity.pk else _moment(activity.held_on)))
    if participants and activity.held_on > timezone.localdate():
        raise ValidationError({"participants": _("活动日期（%(day)s）晚于今天，活动开展后再登记参加人员") % {
            "day": activity.held_on.isoformat()}})
    for person in participants or ():
        if not Participation.objects.filter(activity=activity, person=person).exists():
            if activity.hours is None:
                raise ValidationError({"hours": _("登记参加人员时请填写每人服务时长")})
            # A keeper's own hours wait for the committee, as when they report them.
            _record(actor, activity, person, activity.hours, "", confirmed=not _is_own(actor, person.pk), at=at)
    return activity


def _day_total(person: Person, day: date, exclude_pk=None) -> Decimal:
    rows = Participation.objects.filter(person=person, activity__held_on=day).exclude(
        status=Participation.Status.REJECTED)
    if exclude_pk:
        rows = rows.exclude(pk=exclude_pk)
    return rows.aggregate(total=Sum("hours"))["total"] or Decimal(0)


def _check_day(row: Participation) -> None:
    _check_hours(row.hours)
    if row.status == Participation.Status.REJECTED:
        return
    total = _day_total(row.person, row.activity.held_on, row.pk) + row.hours
    if total > DAY_HOURS:
        raise ValidationError({"hours": _("%(name)s在%(day)s的服务时长合计%(total)s小时，超过一天24小时") % {
            "name": row.person.name, "day": row.activity.held_on.isoformat(),
            "total": f"{Decimal(total).normalize():f}"}})  # 25, not 25.0 as PostgreSQL's sum gives


def _record(actor, activity, person, hours, note, *, confirmed, at=None) -> Participation:
    row = Participation(activity=activity, person=person, hours=hours, note=note or "")
    if confirmed:
        row.status = Participation.Status.CONFIRMED
        row.decided_by = str(actor)
        row.decided_on = timezone.localdate(at) if at else timezone.localdate()
    _check_day(row)
    return _save(row, {}, actor, at)


@transaction.atomic
def participation_report(*, actor: Actor, activity: Activity, hours, note: str = "", person: Person | None = None,
                         today: date | None = None) -> Participation:
    """A member reports their own hours at an activity of their org (from a
    phone); the org's secretary confirms. A keeper recording someone else's
    hours confirms them at once."""
    today = today or timezone.localdate()
    own = getattr(getattr(actor, "user", None), "person", None)
    person = person or own
    if person is None:
        raise ValidationError({"person": _("您的账号没有关联人员信息，无法登记服务时长")})
    keeper = access.can_keep_activity(actor, activity)
    if person != own and not keeper:
        raise PermissionDenied(_("只能登记本人的服务时长"))
    if not keeper and not Activity.objects.visible_to(actor.user).filter(pk=activity.pk).exists():
        raise PermissionDenied(_("只能登记本党组织志愿活动的服务时长"))
    if activity.held_on > today:
        raise ValidationError({"activity": _("活动还未开展（%(day)s），开展后再登记服务时长") % {
            "day": activity.held_on.isoformat()}})
    if Participation.objects.filter(activity=activity, person=person).exists():
        raise ValidationError({"activity": _("%(name)s已登记过这次活动的服务时长") % {"name": person.name}})
    return _record(actor, activity, person, hours, note, confirmed=keeper and person != own or access.is_system(actor))


@transaction.atomic
def participation_save(*, actor: Actor, values: dict, instance: Participation | None = None,
                       at: datetime | None = None) -> Participation:
    """One participation, as the workbook holds it (the activity's keeper)."""
    row = instance or Participation()
    if row.pk and not access.can_keep_activity(actor, row.activity):
        raise PermissionDenied(_("只有活动所属党组织的书记或商协会党委可以登记服务时长"))
    status_before = row.status if row.pk else Participation.Status.REPORTED
    _set(row, values)
    if not access.can_keep_activity(actor, row.activity):
        raise PermissionDenied(_("只有活动所属党组织的书记或商协会党委可以登记服务时长"))
    if row.status == Participation.Status.REJECTED and not (row.reason or "").strip():
        raise ValidationError({"reason": _("未通过时请填写原因")})
    row.status = row.status or Participation.Status.REPORTED
    if row.status != status_before:
        _refuse_own(actor, row)  # deciding one's own hours in a file is still deciding them
    if row.status != Participation.Status.REPORTED and not row.decided_on:
        row.decided_on = row.activity.held_on
        row.decided_by = row.decided_by or str(actor)
    _check_day(row)
    return _save(row, {}, actor, at or (None if row.pk else _moment(row.activity.held_on)))


def _is_own(actor: Actor, person_id) -> bool:
    """The actor's own hours, and the actor is not the committee (who may decide them)."""
    own = getattr(getattr(actor, "user", None), "person", None)
    return own is not None and person_id == own.pk and not access.can_keep_kinds(actor)


def _refuse_own(actor: Actor, row: Participation) -> None:
    """Nobody but the committee confirms their own reported hours."""
    if _is_own(actor, row.person_id):
        raise PermissionDenied(_("不能确认本人登记的服务时长，请由商协会党委确认"))


@transaction.atomic
def participation_confirm(*, actor: Actor, participation: Participation, on: date | None = None) -> Participation:
    row = Participation.objects.select_for_update().select_related("activity", "person").get(pk=participation.pk)
    if not access.can_keep_activity(actor, row.activity):
        raise PermissionDenied(_("只有活动所属党组织的书记或商协会党委可以确认服务时长"))
    _refuse_own(actor, row)
    if row.status == Participation.Status.CONFIRMED:
        raise ValidationError(_("这条服务时长已经确认过了"))
    row.status = Participation.Status.CONFIRMED
    row.reason = ""
    _check_day(row)
    return _save(row, {"decided_by": str(actor), "decided_on": on or timezone.localdate()}, actor)


@transaction.atomic
def participation_reject(*, actor: Actor, participation: Participation, reason: str,
                         on: date | None = None) -> Participation:
    row = Participation.objects.select_for_update().select_related("activity", "person").get(pk=participation.pk)
    if not access.can_keep_activity(actor, row.activity):
        raise PermissionDenied(_("只有活动所属党组织的书记或商协会党委可以确认服务时长"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写未通过的原因")})
    if row.status == Participation.Status.REJECTED:
        raise ValidationError(_("这条服务时长已经退回过了"))
    return _save(row, {"status": Participation.Status.REJECTED, "reason": reason[:200], "decided_by": str(actor),
                       "decided_on": on or timezone.localdate()}, actor)


# --- villages ---------------------------------------------------------------------------------


@transaction.atomic
def village_save(*, actor: Actor, values: dict, village: Village | None = None,
                 at: datetime | None = None) -> Village:
    village = village or Village()
    if not access.can_keep_places(actor, village):
        raise PermissionDenied(_("您无权维护村庄信息"))
    _set(village, values)
    for field in ("province", "city", "county", "township", "name"):
        if not (getattr(village, field) or "").strip():
            label = Village._meta.get_field(field).verbose_name
            raise ValidationError({field: _("请填写%(field)s") % {"field": label}})
    _keys(village, village.county, village.township)
    clash = Village.objects.filter(county=village.county, township=village.township, name=village.name)
    if clash.exclude(pk=village.pk).exists():
        raise ValidationError({"name": _("%(place)s已登记") % {"place": village.place}})
    return _save(village, {}, actor, at)


@transaction.atomic
def weak_years_save(*, actor: Actor, values: dict, instance: WeakYears | None = None,
                    at: datetime | None = None) -> WeakYears:
    row = instance or WeakYears()
    if row.pk and not access.can_keep_places(actor, row.village):
        raise PermissionDenied(_("您无权维护薄弱村认定"))
    _set(row, values)
    if not row.village_id or not access.can_keep_places(actor, row.village):
        raise PermissionDenied(_("您无权维护薄弱村认定"))
    if row.since_year is None or not 1990 <= row.since_year <= 2100:
        raise ValidationError({"since_year": _("请填写四位数的起始年份")})
    if row.until_year is not None and row.until_year < row.since_year:
        raise ValidationError({"until_year": _("截止年份不能早于起始年份")})
    others = WeakYears.objects.filter(village_id=row.village_id).exclude(pk=row.pk)
    for other in others:
        last = other.until_year or 9999
        if other.since_year <= (row.until_year or 9999) and row.since_year <= last:
            raise ValidationError({"since_year": _("与已登记的薄弱村年份（%(since)s—%(until)s）重叠") % {
                "since": other.since_year, "until": other.until_year or _("至今")}})
    return _save(row, {}, actor, at)


# --- pairings and projects ----------------------------------------------------------------------


def _require_pairing_keeper(actor: Actor, association_id) -> None:
    if not access.can_keep(actor, association_id=association_id):
        raise PermissionDenied(_("书记只能为本党组织覆盖的商协会登记结对帮扶"))


@transaction.atomic
def pairing_save(*, actor: Actor, values: dict, pairing: Pairing | None = None, group=None,
                 at: datetime | None = None) -> Pairing:
    """Create or edit a pairing; `group` (enterprises) replaces the further
    enterprises of a 多企帮一村 pairing."""
    pairing = pairing or Pairing()
    if pairing.pk:
        _require_pairing_keeper(actor, pairing.association_id)
    _set(pairing, values)
    if not pairing.association_id:
        raise ValidationError({"association": _("请选择组织结对的商协会")})
    _require_pairing_keeper(actor, pairing.association_id)
    if pairing.way in (Pairing.Way.ENTERPRISE, Pairing.Way.GROUP) and not pairing.enterprise_id:
        raise ValidationError({"enterprise": _("%(way)s请选择企业") % {"way": pairing.get_way_display()}})
    if pairing.way == Pairing.Way.ASSOCIATION:
        pairing.enterprise = None
    first_project = pairing.projects.order_by("starts_on").first() if pairing.pk else None
    if first_project and pairing.paired_on and pairing.paired_on > first_project.starts_on:
        raise ValidationError({"paired_on": _("结对日期不能晚于项目“%(name)s”的开始日期") % {"name": first_project.name}})
    _save(pairing, {}, actor, at or (None if pairing.pk else _moment(pairing.paired_on)))
    if group is not None:
        group = [e for e in group if e.pk != pairing.enterprise_id]
        unseen = pairing.group_members.all()
        if not access.is_system(actor):
            unseen = unseen.exclude(enterprise__in=Enterprise.objects.visible_to(actor.user))
        pairing.group_members.exclude(enterprise__in=group).exclude(pk__in=unseen.values("pk")).delete()
        have = set(pairing.group_members.values_list("enterprise_id", flat=True))
        for enterprise in group:
            if enterprise.pk not in have:
                _save(PairingEnterprise(pairing=pairing, enterprise=enterprise), {}, actor, at)
    return pairing


@transaction.atomic
def pairing_enterprise_save(*, actor: Actor, values: dict, instance: PairingEnterprise | None = None,
                            at: datetime | None = None) -> PairingEnterprise:
    row = instance or PairingEnterprise()
    if row.pk:
        _require_pairing_keeper(actor, row.pairing.association_id)
    _set(row, values)
    _require_pairing_keeper(actor, row.pairing.association_id)
    if row.pairing.way != Pairing.Way.GROUP:
        raise ValidationError({"pairing": _("只有多企帮一村的结对可以登记多家企业")})
    return _save(row, {}, actor, at)


PROJECT_MONEY = ("planned_funds", "goods_value", "income_increase")


@transaction.atomic
def project_save(*, actor: Actor, values: dict, project: Project | None = None,
                 at: datetime | None = None) -> Project:
    project = project or Project()
    if project.pk:
        _require_pairing_keeper(actor, project.pairing.association_id)
    _set(project, values)
    if not project.pairing_id:
        raise ValidationError({"pairing": _("请选择结对帮扶")})
    _require_pairing_keeper(actor, project.pairing.association_id)
    project.name = (project.name or "").strip()
    if not project.name:
        raise ValidationError({"name": _("请填写项目名称")})
    if project.starts_on is None:
        raise ValidationError({"starts_on": _("请填写开始日期")})
    if project.starts_on < project.pairing.paired_on:
        raise ValidationError({"starts_on": _("项目开始日期不能早于结对日期（%(day)s）") % {
            "day": project.pairing.paired_on.isoformat()}})
    if project.ends_on and project.ends_on < project.starts_on:
        raise ValidationError({"ends_on": _("结束日期不能早于开始日期")})
    _zero_blanks(project, *PROJECT_MONEY, "jobs_fixed", "jobs_temporary", "households")
    _not_negative(project, *PROJECT_MONEY)
    if project.pk:
        early = project.payments.filter(paid_on__lt=project.starts_on).order_by("paid_on").first()
        if early:
            raise ValidationError({"starts_on": _("已有%(day)s到位的资金，开始日期不能晚于它") % {
                "day": early.paid_on.isoformat()}})
    _keys(project, project.pairing.village.name, project.content[:50] if project.content else "")
    return _save(project, {}, actor, at or (None if project.pk else _moment(project.starts_on)))


@transaction.atomic
def payment_save(*, actor: Actor, values: dict, instance: Payment | None = None, at: datetime | None = None,
                 today: date | None = None) -> Payment:
    """Money paid in to a project on a day: positive, not before the project
    starts, not in the future."""
    row = instance or Payment()
    if row.pk:
        _require_pairing_keeper(actor, row.project.pairing.association_id)
    _set(row, values)
    project = row.project
    _require_pairing_keeper(actor, project.pairing.association_id)
    if row.amount is None or row.amount <= 0:
        raise ValidationError({"amount": _("到位金额应大于0元")})
    if row.paid_on is None:
        raise ValidationError({"paid_on": _("请填写到位日期")})
    if row.paid_on < project.starts_on:
        raise ValidationError({"paid_on": _("到位日期不能早于项目开始日期（%(day)s）") % {
            "day": project.starts_on.isoformat()}})
    if row.paid_on > (today or timezone.localdate()):
        raise ValidationError({"paid_on": _("到位日期不能晚于今天")})
    return _save(row, {}, actor, at or (None if row.pk else _moment(row.paid_on)))


# --- donations -------------------------------------------------------------------------------------

DONORS = {Donation.DonorKind.ENTERPRISE: "donor_enterprise", Donation.DonorKind.PERSON: "donor_person",
          Donation.DonorKind.ASSOCIATION: "donor_association"}


@transaction.atomic
def donation_save(*, actor: Actor, values: dict, donation: Donation | None = None,
                  at: datetime | None = None) -> Donation:
    donation = donation or Donation()
    if donation.pk and not access.can_keep(actor, donation.party_org_id, donation.association_id):
        raise PermissionDenied(_("您无权修改这条捐赠记录"))
    _set(donation, values)
    if not donation.party_org_id and not donation.association_id:
        raise ValidationError({"party_org": _("请选择组织捐赠的党组织或商协会")})
    if not access.can_keep(actor, donation.party_org_id, donation.association_id):
        raise ValidationError({"party_org": _("书记只能为本党组织或本党组织覆盖的商协会登记捐赠")})
    field = DONORS.get(donation.donor_kind)
    if field is None:
        raise ValidationError({"donor_kind": _("请选择捐赠方类型")})
    if not _id(donation, field):
        label = Donation._meta.get_field(field).verbose_name
        raise ValidationError({field: _("请选择%(field)s") % {"field": label}})
    for other in DONORS.values():
        if other != field:
            setattr(donation, other, None)
    _zero_blanks(donation, "amount", "goods_value")
    _not_negative(donation, "amount", "goods_value")
    if not (donation.amount or 0) and not (donation.goods_value or 0):
        raise ValidationError({"amount": _("请填写捐款金额或物资折价")})
    donation.recipient = (donation.recipient or "").strip()
    if PERSONAL.search(donation.recipient):
        raise ValidationError({"recipient": _("受助对象不能写身份证号或手机号，请概括描述（如“某中学贫困学生12名”）")})
    if donation.donated_on is None:
        raise ValidationError({"donated_on": _("请填写捐赠日期")})
    return _save(donation, {}, actor, at or (None if donation.pk else _moment(donation.donated_on)))

"""Relief policies (惠企政策) and who told which enterprise about them.

The committee keeps the policies. A notice (政策告知) is recorded by the
committee for anyone, by a secretary for the current member enterprises of
their associations, and by a member for their own telling (told_by is
themselves), as for visits (`visits.check_writer`)."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fourfirsts.core.access import Role
from fourfirsts.core.actors import Actor, Kind
from fourfirsts.registry.models import INDUSTRY_SECTIONS, Enterprise, Person, today
from fourfirsts.service.models import Policy, PolicyNotice
from fourfirsts.service.services import visits

POLICY_FIELDS = ("ref", "title", "issuer", "document_number", "issued_on", "effective_from", "effective_until",
                 "industries", "summary", "url")
NOTICE_FIELDS = ("policy", "enterprise", "told_by", "told_on", "channel", "note")


def may_keep_policies(actor: Actor) -> bool:
    return actor.kind == Kind.SYSTEM or Role.COMMITTEE in actor.roles


def may_record_notices(actor: Actor) -> bool:
    return actor.kind == Kind.SYSTEM or bool(actor.roles & {Role.COMMITTEE, Role.SECRETARY, Role.MEMBER})


def parse_industries(text: str) -> str:
    """"c，f g" → "C,F,G": GB/T 4754 section letters, comma-separated, in
    order, once each; an unknown letter is refused by name."""
    raw = (text or "").upper()
    for sep in "，、;； \t":
        raw = raw.replace(sep, ",")
    letters = [p.strip() for p in raw.split(",") if p.strip()]
    wrong = [p for p in letters if p not in INDUSTRY_SECTIONS]
    if wrong:
        raise ValidationError({"industries": _("适用行业“%(wrong)s”不是国民经济行业门类字母（A–T）") % {
            "wrong": "、".join(wrong)}})
    return ",".join(sorted(set(letters)))


def industry_names(code: str) -> list[str]:
    return [str(INDUSTRY_SECTIONS[c]) for c in (code or "").split(",") if c in INDUSTRY_SECTIONS]


@transaction.atomic
def policy_save(*, actor: Actor, values: dict, policy: Policy | None = None, at: datetime | None = None) -> Policy:
    """Create (policy None) or edit a relief policy: the committee only.
    `at` dates the history row (imports: the day it was issued)."""
    unknown = set(values) - set(POLICY_FIELDS)
    if unknown:
        raise ValueError(f"unknown policy fields {sorted(unknown)}")
    if not may_keep_policies(actor):
        raise PermissionDenied(_("只有商协会党委可以维护惠企政策"))
    values = dict(values)
    if "industries" in values:
        values["industries"] = parse_industries(values["industries"])
    policy = Policy.objects.select_for_update().get(pk=policy.pk) if policy else Policy()
    for field, value in values.items():
        setattr(policy, field, value)
    if policy.effective_from and policy.effective_until and policy.effective_until < policy.effective_from:
        raise ValidationError({"effective_until": _("有效期至不能早于施行日期")})
    if policy.issued_on and policy.issued_on > today():
        raise ValidationError({"issued_on": _("发布日期不能晚于今天（%(today)s）") % {"today": today()}})
    policy.full_clean()
    _save(policy, actor, at)
    return policy


def _save(obj, actor: Actor, at: datetime | None) -> None:
    obj._history_user = actor.user
    if at is not None:
        obj._history_date = at
    obj.save()
    if at is not None:
        del obj._history_date


def _notice(actor: Actor, values: dict, at: datetime | None = None) -> PolicyNotice:
    unknown = set(values) - set(NOTICE_FIELDS) - {"ref"}  # an imported row gives its 编号
    if unknown:
        raise ValueError(f"unknown notice fields {sorted(unknown)}")
    if not may_record_notices(actor):
        raise PermissionDenied(_("您的角色无权登记政策告知"))
    enterprise, told_by = values.get("enterprise"), values.get("told_by")
    visits.check_writer(actor, visitor=told_by, enterprise=enterprise, person_field="told_by")
    told_on = values.get("told_on")
    if told_on is not None and told_on > today():
        raise ValidationError({"told_on": _("告知日期不能晚于今天（%(today)s）") % {"today": today()}})
    policy = values.get("policy")
    if told_on is not None and policy is not None and told_on < policy.issued_on:
        raise ValidationError({"told_on": _("告知日期不能早于政策发布日期（%(day)s）") % {"day": policy.issued_on}})
    if policy is not None and enterprise is not None and told_on is not None and PolicyNotice.objects.filter(
            policy=policy, enterprise=enterprise, told_on=told_on).exists():
        raise ValidationError({"enterprise": _("%(day)s已登记过向%(enterprise)s告知该政策") % {
            "day": told_on, "enterprise": enterprise.name}})
    notice = PolicyNotice(**values)
    notice.full_clean(exclude=[f for f in ("policy", "enterprise", "told_by") if values.get(f) is not None],
                      validate_unique=False, validate_constraints=False)
    _save(notice, actor, at)
    return notice


@transaction.atomic
def policy_notice_create(*, actor: Actor, values: dict, at: datetime | None = None) -> PolicyNotice:
    """Record that an enterprise was told about a policy (who, when, how).
    `at` dates the history row (imports: the day it was told)."""
    return _notice(actor, values, at)


@transaction.atomic
def policy_notice_bulk_create(*, actor: Actor, policy: Policy, enterprises: list[Enterprise],
                              told_by: Person | None, told_on: date, channel: str, note: str = "",
                              ) -> list[PolicyNotice]:
    """One policy told to several enterprises at once (after a briefing): all
    or nothing; each refusal names its enterprise."""
    if not enterprises:
        raise ValidationError({"enterprises": _("请至少选择一家企业")})
    created, errors = [], []
    for enterprise in enterprises:
        try:
            with transaction.atomic():
                created.append(_notice(actor, {"policy": policy, "enterprise": enterprise, "told_by": told_by,
                                               "told_on": told_on, "channel": channel, "note": note}))
        except ValidationError as e:
            if hasattr(e, "error_dict") and set(e.message_dict) - {"enterprise"}:
                raise  # the shared fields are wrong: the same for every enterprise
            errors.extend(_("%(enterprise)s：%(msg)s") % {"enterprise": enterprise.name, "msg": m}
                          for m in e.messages)
    if errors:
        raise ValidationError({"enterprises": errors})
    return created

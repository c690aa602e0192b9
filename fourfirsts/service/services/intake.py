"""The 营商码 (business code): the signed QR-code links, the public intake of
an appeal, its rate limits, and what the enterprise may see of its appeal.

A code's link carries ("a", pk) or ("e", pk) signed with a salt, so it cannot
be guessed or enumerated. An intake is saved (channel 营商码, state 已收集)
before it is acknowledged; the form's hidden key decides the appeal's 编号,
so a double submit finds the first one instead of creating a second.
"""

import logging
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from fourfirsts.core import attachments, counters, rules, workdays
from fourfirsts.core.access import Role
from fourfirsts.core.actors import Actor
from fourfirsts.core.models import WorkflowEvent
from fourfirsts.core.notify import notify
from fourfirsts.registry.models import (
    Association,
    Department,
    Enterprise,
    EnterpriseMembership,
    active_on,
)
from fourfirsts.service.models import Appeal
from fourfirsts.service.services import appeals
from fourfirsts.service.workflow import APPEAL_WORKFLOW

logger = logging.getLogger("fourfirsts.service")

CODE_SALT = "service.business-code"
KINDS = {"a": Association, "e": Enterprise}
MAX_FILES = 3


# --- the codes ------------------------------------------------------------------------------


def code_token(kind: str, pk: int) -> str:
    """The signed, stable token of an association's ("a") or enterprise's ("e") code."""
    if kind not in KINDS:
        raise ValueError(f"unknown business code kind {kind!r}")
    return signing.Signer(salt=CODE_SALT).sign_object([kind, int(pk)])


def code_target(token: str):
    """(kind, record) of a code's token, or None when it is forged, damaged or
    its record no longer exists."""
    try:
        kind, pk = signing.Signer(salt=CODE_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if kind not in KINDS or not isinstance(pk, int):
        return None
    record = KINDS[kind].objects.filter(pk=pk).first()
    return (kind, record) if record is not None else None


def member_associations(enterprise, day=None) -> list[Association]:
    """The associations the enterprise is a current member of (one query)."""
    day = day or workdays.local_date(timezone.now())
    return list(
        Association.objects.filter(
            memberships__in=EnterpriseMembership.objects.filter(active_on(day), enterprise=enterprise)
        ).only("id", "name", "sort_key").order_by("sort_key", "id").distinct()
    )


def member_of(association, uscc: str, day=None):
    """The enterprise with this 统一社会信用代码 if it is a current member of
    the association, else None."""
    day = day or workdays.local_date(timezone.now())
    row = (
        EnterpriseMembership.objects.filter(active_on(day), association=association, enterprise__uscc=uscc)
        .select_related("enterprise").first()
    )
    return row.enterprise if row else None


# --- rate limits ------------------------------------------------------------------------------


class RateLimited(Exception):
    """Over one of the intake limits; the message says what to do, and
    `retry_after` in how many seconds the limit lifts."""

    def __init__(self, message: str, retry_after: int = 3600):
        super().__init__(message)
        self.retry_after = retry_after


def _to_next_hour(now: datetime) -> int:
    return 3600 - int(now.timestamp()) % 3600


def _to_tomorrow(now: datetime) -> int:
    local = timezone.localtime(now)
    return 86400 - (local.hour * 3600 + local.minute * 60 + local.second)


def _ip_key(ip: str, now: datetime) -> str:
    return f"service:intake:ip:{ip}:{int(now.timestamp()) // 3600}"


def _enterprise_key(enterprise_id: int, now: datetime) -> str:
    return f"service:intake:ent:{enterprise_id}:{workdays.local_date(now).isoformat()}"


def check_rate(*, ip: str | None = None, enterprise_id: int | None = None, now: datetime | None = None) -> None:
    """Raise RateLimited when this address (per hour) or this enterprise (per
    day) has reached its limit (rules service.intake_per_ip_hour and
    service.intake_per_enterprise_day). Off with FOURFIRSTS_INTAKE_RATE_LIMITS."""
    if not settings.FOURFIRSTS_INTAKE_RATE_LIMITS:
        return
    now = now or timezone.now()
    day = workdays.local_date(now)
    if ip and (cache.get(_ip_key(ip, now)) or 0) >= rules.value("service.intake_per_ip_hour", on=day):
        raise RateLimited(_("提交过于频繁：同一网络每小时提交的诉求已达上限，请一小时后再试。"
                            "情况紧急的，请直接联系所在商会或拨打12345政务服务便民热线。"), _to_next_hour(now))
    if enterprise_id and (cache.get(_enterprise_key(enterprise_id, now)) or 0) >= rules.value(
        "service.intake_per_enterprise_day", on=day
    ):
        raise RateLimited(_("贵企业今天提交的诉求已达上限，请明天再提交。"
                            "情况紧急的，请直接联系所在商会或拨打12345政务服务便民热线。"), _to_tomorrow(now))


def count_submission(*, ip: str | None = None, enterprise_id: int | None = None,
                     now: datetime | None = None) -> None:
    """Count one submission against the limits."""
    if not settings.FOURFIRSTS_INTAKE_RATE_LIMITS:
        return
    now = now or timezone.now()
    if ip:
        counters.count(_ip_key(ip, now), 3600 + 60)
    if enterprise_id:
        counters.count(_enterprise_key(enterprise_id, now), 86400 + 3600)


LOOKUPS_PER_IP_HOUR = 20


def _lookup_key(ip: str, now: datetime) -> str:
    return f"service:lookup:ip:{ip}:{int(now.timestamp()) // 3600}"


def check_lookup_rate(*, ip: str | None, now: datetime | None = None) -> None:
    """The look-up by 编号 and phone: at most LOOKUPS_PER_IP_HOUR tries an hour per address."""
    if not settings.FOURFIRSTS_INTAKE_RATE_LIMITS or not ip:
        return
    now = now or timezone.now()
    if (cache.get(_lookup_key(ip, now)) or 0) >= LOOKUPS_PER_IP_HOUR:
        raise RateLimited(_("查询过于频繁，请一小时后再试。您也可以从提交后保存的查询链接直接打开办理进度。"),
                          _to_next_hour(now))


def count_lookup(*, ip: str | None, now: datetime | None = None) -> None:
    if settings.FOURFIRSTS_INTAKE_RATE_LIMITS and ip:
        counters.count(_lookup_key(ip, now or timezone.now()), 3600 + 60)


def find_by_ref_and_phone(ref: str, phone: str) -> Appeal | None:
    """The appeal with this 编号 whose contact phone is this one, else None."""
    appeal = Appeal.objects.filter(ref=ref).only("id", "tracking_token", "contact_phone").first() if ref else None
    if appeal is None or not appeal.contact_phone:
        return None
    given = phone.replace("-", "")
    stored = (appeal.contact_phone or "").replace("-", "")
    return appeal if constant_time_compare(given, stored) else None


# --- the intake -------------------------------------------------------------------------------


def ref_for(key: str) -> str:
    """The 编号 that the form's key (issued with the page) gives the appeal:
    the same key always gives the same 编号, so a second submit finds the first."""
    return salted_hmac("service.intake", key).hexdigest()[:12].upper()


def _first(ref: str, enterprise) -> Appeal | None:
    appeal = Appeal.objects.filter(ref=ref).first()
    if appeal is None:
        return None
    if appeal.enterprise_id != enterprise.pk or appeal.channel != Appeal.Channel.BUSINESS_CODE:
        raise ValidationError(_("此页面已经提交过，请重新扫码打开后再填写提交"))
    return appeal


def received_before(key: str, *, enterprise=None, uscc: str = "") -> Appeal | None:
    """The appeal a page's key already saved, if it is this code's: the
    enterprise's code's enterprise, or the one with the 统一社会信用代码 typed
    on an association's code. A double submit is answered with it before any
    rate limit counts."""
    if not key:
        return None
    appeal = (Appeal.objects.filter(ref=ref_for(key), channel=Appeal.Channel.BUSINESS_CODE)
              .select_related("enterprise").first())
    if appeal is None:
        return None
    if enterprise is not None:
        return appeal if appeal.enterprise_id == enterprise.pk else None
    typed = (uscc or "").strip().upper()
    return appeal if typed and typed == appeal.enterprise.uscc else None


def committee_users():
    return list(get_user_model().objects.filter(groups__name=Role.COMMITTEE, is_active=True).distinct())


def _notify_committee(appeal_id: int) -> None:
    appeal = Appeal.objects.select_related("enterprise").get(pk=appeal_id)
    try:
        link = reverse("service:appeal_detail", args=[appeal.pk])
    except NoReverseMatch:
        link = ""
    notify(
        committee_users(),
        title=_("营商码新诉求：%(title)s") % {"title": appeal.title},
        body=_("%(enterprise)s 于 %(at)s 通过营商码提交（%(category)s），编号 %(ref)s，请及时受理。") % {
            "enterprise": appeal.enterprise.name,
            "at": f"{timezone.localtime(appeal.collected_at, workdays.SHANGHAI):%Y-%m-%d %H:%M}",
            "category": appeal.get_category_display(),
            "ref": appeal.ref,
        },
        link=link,
        at=appeal.collected_at,
    )


@dataclass
class Received:
    appeal: Appeal
    duplicate: bool  # the key had already been used: this is the first submission's appeal


@transaction.atomic
def intake_submit(*, actor: Actor, enterprise: Enterprise, values: dict, key: str, uploads=(),
                  at: datetime | None = None) -> Received:
    """Save an appeal submitted through a 营商码 (state 已收集) with its files,
    and tell the committee once the transaction commits. `values` holds the
    form's appeal fields (contact, category, kind, tags, title, description,
    consent); `key` is the form's idempotency key."""
    if not values.get("contact_consent"):
        raise ValidationError({"contact_consent": _("请勾选同意将联系方式提供给承办单位")})
    uploads = list(uploads)
    if len(uploads) > MAX_FILES:
        raise ValidationError({"attachment": _("最多上传%(max)s个附件") % {"max": MAX_FILES}})
    ref = ref_for(key)
    first = _first(ref, enterprise)
    if first is not None:
        return Received(first, True)
    fields = {**values, "ref": ref, "enterprise": enterprise, "channel": Appeal.Channel.BUSINESS_CODE,
              "collected_at": at or timezone.now()}
    try:
        with transaction.atomic():
            appeal = appeals.appeal_create(actor=actor, values=fields)
            for upload in uploads:
                attachments.attach(owner=appeal, upload=upload, actor=actor, purpose="appeal")
    except IntegrityError:
        # The same key submitted at the same moment: the other request saved it.
        first = _first(ref, enterprise)
        if first is None:
            raise
        return Received(first, True)
    except ValidationError as e:
        if hasattr(e, "error_dict") and "ref" in e.error_dict:
            first = _first(ref, enterprise)
            if first is not None:
                return Received(first, True)
        raise
    transaction.on_commit(partial(_notify_committee, appeal.pk), robust=True)
    logger.info("business-code appeal %s received (enterprise %s)", appeal.ref, enterprise.pk)
    return Received(appeal, False)


# --- what the enterprise sees ----------------------------------------------------------------

# Actions whose note is written for the enterprise: the decline reason, the
# extension reason (APL-1) and the reply; and the rating notes the enterprise
# wrote itself (not the staff's notes of a follow-up call).
PUBLIC_NOTES = {"decline", "request_extension", "reply"}
RATING_ACTIONS = {"rate", "redo", "rate_unsatisfied"}
ROUTING_ACTIONS = {"assign", "assign_on_site", "reassign"}


@dataclass
class Step:
    at: datetime
    label: str
    state: str
    note: str = ""
    department: str = ""
    due_at: datetime | None = None


def _public_label(action: str, data: dict) -> str:
    labels = {
        "accept": _("商协会党委已受理"),
        "decline": _("不予受理"),
        "assign": _("已交办承办单位"),
        "assign_on_site": _("市领导现场交办"),
        "reassign": _("重新交办承办单位"),
        "sign": _("承办单位已签收"),
        "handle": _("承办单位开始办理"),
        "request_extension": _("承办单位申请延期"),
        "approve_extension": _("延期已批准"),
        "refuse_extension": _("延期未获批准，按原期限办理"),
        "return": _("承办单位退回，商协会党委重新研究交办"),
        "reply": _("承办单位已答复"),
        "rate": _("您已评价"),
        "redo": _("您评价不满意，已转回承办单位重新办理（重办）"),
        "rate_unsatisfied": _("您评价不满意，由商协会党委研究处理"),
        "close": _("已办结"),
        "close_unrated": _("超过评价期限未评价，已办结"),
    }
    label = labels.get(action) or APPEAL_WORKFLOW.get(action).label
    rating = data.get("rating")
    if action == "rate" and rating in Appeal.Rating.values:
        label = f"{label}：{Appeal.Rating(rating).label}"
    return str(label)


def public_timeline(appeal: Appeal) -> list[Step]:
    """The appeal's steps as the enterprise may see them: labels, times, the
    department it went to, and only the notes meant for the enterprise — never
    who on the staff did it. Two queries however many steps."""
    events = list(APPEAL_WORKFLOW.events(appeal).only("action", "new_state", "at", "note", "data", "actor_kind"))
    dept_ids = {e.data.get("department") for e in events if e.action in ROUTING_ACTIONS}
    names = dict(Department.objects.filter(pk__in=[d for d in dept_ids if d]).values_list("pk", "name"))
    steps = [Step(at=appeal.collected_at, label=_("通过营商码提交") if appeal.channel == Appeal.Channel.BUSINESS_CODE
                  else _("已收集"), state=str(Appeal.State.COLLECTED.label))]
    for e in events:
        due = None
        if e.action in ROUTING_ACTIONS | {"approve_extension"} and e.data.get("due_at"):
            try:
                due = datetime.fromisoformat(e.data["due_at"])
            except (TypeError, ValueError):
                due = None
        steps.append(Step(
            at=e.at,
            label=_public_label(e.action, e.data or {}),
            state=str(APPEAL_WORKFLOW.state_label(e.new_state)),
            note=e.note if e.action in PUBLIC_NOTES or (
                e.action in RATING_ACTIONS and e.actor_kind == WorkflowEvent.ActorKind.PUBLIC) else "",
            department=names.get(e.data.get("department"), "") if e.action in ROUTING_ACTIONS else "",
            due_at=due,
        ))
    return steps

"""Signed department links (承办单位办理链接): the committee gives a department
a link to act on one assigned appeal without an account.

The raw token is returned once, at creation; only its SHA-256 is stored
(`DepartmentLink.token_hash`). A link expires `service.link_days` days after
it is made, can be revoked at any time, and is good for its own appeal and
department only: the department's steps go through the appeal services with
`Actor.signed_link(label)` and the link, which `appeals._check_department`
checks again."""

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from fourfirsts.core import rules, workdays
from fourfirsts.core.access import Role, scope_of
from fourfirsts.core.actors import Actor, Kind
from fourfirsts.service.models import Appeal, DepartmentLink
from fourfirsts.service.services import appeals


class LinkGone(Exception):
    """A link that existed but is expired or revoked (HTTP 410)."""

    def __init__(self, message, link):
        super().__init__(message)
        self.message = message
        self.link = link


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _require_committee(actor: Actor) -> None:
    if actor.kind == Kind.SYSTEM:
        return
    if actor.kind != Kind.USER or Role.COMMITTEE not in scope_of(actor.user).roles:
        raise PermissionDenied(_("只有商协会党委可以管理承办单位办理链接"))


def may_manage(user) -> bool:
    return Role.COMMITTEE in scope_of(user).roles


@transaction.atomic
def link_create(*, appeal: Appeal, actor: Actor, at=None) -> tuple[DepartmentLink, str]:
    """A new link for the appeal's department; returns (link, raw token). The
    raw token is never stored: show it to the committee now or never."""
    _require_committee(actor)
    if appeal.state not in Appeal.RUNNING_STATES or appeal.department_id is None:
        raise ValidationError(
            _("只有已交办、尚在承办单位办理中的诉求可以生成办理链接（当前状态：%(state)s）")
            % {"state": appeal.get_state_display()}
        )
    now = at or timezone.now()
    days = rules.value("service.link_days", on=workdays.local_date(now))
    token = secrets.token_urlsafe(32)
    link = DepartmentLink.objects.create(
        appeal=appeal,
        department_id=appeal.department_id,
        token_hash=token_hash(token),
        expires_at=now + timedelta(days=days),
        created_by=actor.user,
    )
    return link, token


@transaction.atomic
def link_revoke(*, link: DepartmentLink, actor: Actor, at=None) -> DepartmentLink:
    _require_committee(actor)
    if link.revoked_at is None:
        link.revoked_at = at or timezone.now()
        link.save(update_fields=["revoked_at", "updated_at"])
    return link


def link_for_token(token: str, *, now=None) -> DepartmentLink:
    """The link of a raw token: Http404 when unknown, LinkGone when expired,
    revoked, or the appeal has moved to another department."""
    now = now or timezone.now()
    link = (
        DepartmentLink.objects.select_related("appeal", "appeal__enterprise", "appeal__department", "department")
        .filter(token_hash=token_hash(token or ""))
        .first()
    )
    if link is None:
        raise Http404(_("办理链接无效，请向商协会党委核实链接地址"))
    if link.revoked_at is not None:
        raise LinkGone(_("该办理链接已被撤销，请联系商协会党委重新获取"), link)
    if link.expires_at <= now:
        raise LinkGone(
            _("该办理链接已于 %(day)s 过期，请联系商协会党委重新获取")
            % {"day": f"{timezone.localtime(link.expires_at, workdays.SHANGHAI):%Y-%m-%d %H:%M}"},
            link,
        )
    if link.appeal.department_id != link.department_id:
        # Returned and reassigned elsewhere: the old department no longer sees it.
        raise LinkGone(_("该诉求已不由贵单位办理，办理链接已失效"), link)
    return link


def link_touch(link: DepartmentLink, *, now=None) -> None:
    """Record a use of the link (opening or acting)."""
    link.last_used_at = now or timezone.now()
    DepartmentLink.objects.filter(pk=link.pk).update(last_used_at=link.last_used_at)


def actor_for(link: DepartmentLink) -> Actor:
    name = link.department.short_name or link.department.name
    return Actor.signed_link(_("%(department)s（办理链接）") % {"department": name})


def allowed_actions(link: DepartmentLink) -> list[str]:
    return appeals.allowed_actions(link.appeal, actor_for(link), link)


@transaction.atomic
def link_act(*, link: DepartmentLink, action: str, values: dict, at=None) -> Appeal:
    """One of the department's steps through the link: sign, handle,
    request_extension, return or reply. The appeal services check the table,
    the link's appeal and department, and the inputs."""
    appeal, actor = link.appeal, actor_for(link)
    common = {"appeal": appeal, "actor": actor, "at": at, "link": link}
    if action == "sign":
        appeals.appeal_sign(note=values.get("note", ""), **common)
    elif action == "handle":
        appeals.appeal_handle(note=values.get("note", ""), **common)
    elif action == "request_extension":
        appeals.appeal_request_extension(days=values.get("days") or 0, reason=values.get("reason", ""), **common)
    elif action == "return":
        appeals.appeal_return(reason=values.get("reason", ""), basis=values.get("basis", ""), **common)
    elif action == "reply":
        appeals.appeal_reply(reply=values.get("reply", ""), **common)
    else:
        raise PermissionDenied(_("办理链接不能执行此操作"))
    link_touch(link, now=at)
    return appeal

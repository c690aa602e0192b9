"""Every write to accounts. 三权分立: the system admin manages accounts, the
security admin roles and permissions; neither can do the other's work, and
the audit admin only reads the log."""

import hashlib
import secrets
import string
from datetime import timedelta

from django.contrib.auth.models import Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fourfirsts.accounts.models import ApiToken, PasswordHistory, User, role_group
from fourfirsts.core import audit, rules
from fourfirsts.core.access import Role, forget_scope
from fourfirsts.core.actors import Actor

FULL_DATA_PERMISSION = "view_full_personal_data"


def _require(actor: Actor, role: str, what: str) -> None:
    if actor.kind == Actor.system().kind:
        return
    if role not in actor.roles:
        raise PermissionDenied(_("只有%(role)s可以%(what)s") % {"role": Role.LABELS[role], "what": what})


def one_time_password() -> str:
    """At least 12 characters (more if the policy asks) with all four kinds,
    so it always meets the policy."""
    pools = [string.ascii_lowercase, string.ascii_uppercase, string.digits, "!@#$%^&*-_"]
    length = max(12, rules.value("accounts.password_min_length"))
    chars = [secrets.choice(p) for p in pools]
    chars += [secrets.choice("".join(pools)) for _i in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


@transaction.atomic
def account_create(
    *, actor: Actor, username: str, full_name: str = "", person=None, party_org=None, department=None, request=None
) -> tuple[User, str]:
    """Create an account with a one-time password to hand over in person."""
    _require(actor, Role.SYSTEM_ADMIN, _("创建账号"))
    username = username.strip()
    if not username:
        raise ValidationError({"username": _("请填写用户名")})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("用户名“%(username)s”已被使用") % {"username": username}})
    password = one_time_password()
    user = User(username=username, first_name=full_name, person=person, party_org=party_org, department=department)
    user.set_password(password)
    user.must_change_password = True
    user.save()
    audit.log(audit.Kind.ACCOUNT_CHANGE, user=actor.user, request=request, target=username, action="create")
    return user, password


@transaction.atomic
def account_link(*, actor: Actor, user: User, person=None, party_org=None, department=None, request=None) -> User:
    _require(actor, Role.SYSTEM_ADMIN, _("关联账号"))
    user.person, user.party_org, user.department = person, party_org, department
    user.save(update_fields=["person", "party_org", "department"])
    forget_scope(user)
    audit.log(
        audit.Kind.ACCOUNT_CHANGE, user=actor.user, request=request, target=user.username, action="link",
        person=getattr(person, "ref", None), party_org=getattr(party_org, "ref", None),
        department=getattr(department, "ref", None),
    )
    return user


@transaction.atomic
def account_set_active(*, actor: Actor, user: User, active: bool, request=None) -> User:
    _require(actor, Role.SYSTEM_ADMIN, _("停用或启用账号"))
    if actor.user is not None and actor.user.pk == user.pk and not active:
        raise ValidationError(_("不能停用自己的账号"))
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit.log(
        audit.Kind.ACCOUNT_CHANGE, user=actor.user, request=request, target=user.username,
        action="activate" if active else "deactivate",
    )
    return user


@transaction.atomic
def account_reset_password(*, actor: Actor, user: User, request=None) -> str:
    """A new one-time password; the user must change it at the next login."""
    _require(actor, Role.SYSTEM_ADMIN, _("重置密码"))
    password = one_time_password()
    _remember(user)
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    # A reset means the account may be in other hands: its API tokens stop too.
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    audit.log(audit.Kind.PASSWORD_RESET, user=actor.user, request=request, target=user.username)
    return password


def _remember(user: User) -> None:
    if user.password:
        PasswordHistory.objects.create(user=user, password=user.password)


@transaction.atomic
def password_change(*, user: User, new_password: str, request=None) -> User:
    """The user's own change: the policy applies, including the last-5 rule."""
    validate_password(new_password, user)
    _remember(user)
    user.set_password(new_password)
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    audit.log(audit.Kind.PASSWORD_CHANGE, user=user, request=request, target=user.username)
    return user


@transaction.atomic
def role_set(*, actor: Actor, user: User, role: str, granted: bool, request=None) -> User:
    """Grant or revoke one role (security admin only)."""
    _require(actor, Role.SECURITY_ADMIN, _("授予或撤销角色"))
    if role not in Role.ALL:
        raise ValidationError(_("没有“%(role)s”这个角色") % {"role": role})
    if actor.user is not None and actor.user.pk == user.pk:
        raise ValidationError(_("不能修改自己的角色"))
    if granted:
        held = set(user.groups.values_list("name", flat=True)) & set(Role.ALL) - {role}
        if held and (role in Role.ADMINS or held & set(Role.ADMINS)):
            others = "、".join(str(Role.LABELS[r]) for r in sorted(held))
            raise ValidationError(
                _("%(role)s不能与%(others)s兼任（三权分立）") % {"role": Role.LABELS[role], "others": others}
            )
    group = role_group(role)
    (user.groups.add if granted else user.groups.remove)(group)
    forget_scope(user)
    audit.log(
        audit.Kind.ROLE_CHANGE, user=actor.user, request=request, target=user.username,
        role=role, action="grant" if granted else "revoke",
    )
    return user


@transaction.atomic
def full_data_permission_set(*, actor: Actor, user: User, granted: bool, request=None) -> User:
    """Who may see full 身份证 numbers (security admin only)."""
    _require(actor, Role.SECURITY_ADMIN, _("授予查看完整个人信息的权限"))
    perm = Permission.objects.get(codename=FULL_DATA_PERMISSION, content_type__app_label="accounts")
    (user.user_permissions.add if granted else user.user_permissions.remove)(perm)
    forget_scope(user)
    for cache in ("_perm_cache", "_user_perm_cache"):
        user.__dict__.pop(cache, None)
    audit.log(
        audit.Kind.ROLE_CHANGE, user=actor.user, request=request, target=user.username,
        permission=FULL_DATA_PERMISSION, action="grant" if granted else "revoke",
    )
    return user


@transaction.atomic
def disable_idle_accounts(*, now=None, idle_days: int = 90) -> list[str]:
    """Disable accounts unused for `idle_days` (never-used ones count from creation)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=idle_days)
    idle = User.objects.filter(is_active=True, is_demo=False).filter(
        last_login__lt=cutoff
    ) | User.objects.filter(is_active=True, is_demo=False, last_login__isnull=True, date_joined__lt=cutoff)
    names = list(idle.values_list("username", flat=True))
    User.objects.filter(username__in=names).update(is_active=False)
    for name in names:
        audit.log(audit.Kind.ACCOUNT_CHANGE, target=name, action="disable_idle", idle_days=idle_days)
    return names


@transaction.atomic
def accounts_create_from_people(*, actor: Actor, rows: list[tuple[int, str, str]], request=None):
    """Bulk creation from the 人员 sheet: rows of (row number, 编号, 用户名).
    Every row is checked first; any problem refuses the whole batch."""
    from fourfirsts.registry.models import Person

    _require(actor, Role.SYSTEM_ADMIN, _("批量创建账号"))
    refs = {ref for _number, ref, _username in rows}
    people = {p.ref: p for p in Person.objects.filter(ref__in=refs)}
    taken = {u.lower() for u in User.objects.filter(username__in=[u for *_rest, u in rows]).values_list("username", flat=True)}
    linked = set(User.objects.filter(person__ref__in=refs).values_list("person__ref", flat=True))
    problems, seen = [], {}
    for number, ref, username in rows:
        where = _("人员 第%(row)s行") % {"row": number}
        if not username:
            problems.append(_("%(where)s 用户名：必填项为空") % {"where": where})
        elif username.lower() in taken:
            problems.append(
                _("%(where)s 用户名：“%(username)s”已被使用") % {"where": where, "username": username}
            )
        elif username.lower() in seen:
            problems.append(
                _("%(where)s 用户名：“%(username)s”重复（与第%(first)s行重复）")
                % {"where": where, "username": username, "first": seen[username.lower()]}
            )
        seen.setdefault(username.lower(), number)
        if ref not in people:
            problems.append(_("%(where)s 编号：找不到编号为“%(ref)s”的人员") % {"where": where, "ref": ref})
        elif ref in linked:
            problems.append(
                _("%(where)s 编号：人员“%(name)s”已有账号") % {"where": where, "name": people[ref].name}
            )
    if problems:
        raise ValidationError(problems)
    created = []
    for _number, ref, username in rows:
        person = people[ref]
        user, password = account_create(actor=actor, username=username, full_name=person.name, person=person,
                                        request=request)
        created.append((user, password))
    return created


# --- personal API tokens ---------------------------------------------------------

TOKEN_PREFIX = "ff_"


MAX_TOKENS = 10  # usable tokens per user


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def token_create(*, user: User, name: str, expires_at=None, request=None) -> tuple[ApiToken, str]:
    """A new token for the user's own use: returns the record and the token,
    which is shown once and never stored."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("请填写令牌名称，例如“小程序”")})
    if len(name) > 100:
        raise ValidationError({"name": _("令牌名称不能超过 100 个字符")})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("有效期必须晚于现在")})
    if ApiToken.objects.usable(timezone.now()).filter(user=user).count() >= MAX_TOKENS:
        raise ValidationError({"name": _("您已有 %(n)s 个有效令牌，请先撤销不用的再创建") % {"n": MAX_TOKENS}})
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(user=user, name=name, prefix=token[:10], digest=token_digest(token),
                                  expires_at=expires_at)
    audit.log(audit.Kind.TOKEN_CREATE, user=user, request=request, target=str(row), expires=str(expires_at or ""))
    return row, token


@transaction.atomic
def token_revoke(*, user: User, token: ApiToken, request=None) -> ApiToken:
    if token.user_id != user.pk:
        raise PermissionDenied(_("只能撤销自己的令牌"))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.log(audit.Kind.TOKEN_REVOKE, user=user, request=request, target=str(token))
    return token

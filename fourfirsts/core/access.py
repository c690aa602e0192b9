"""Scope: what a user may see, computed once per request.

`accounts` computes the scope from the org tree and the assignments kept in
`registry` and registers its resolver here, so `core` and `registry` never
import `accounts`. Querysets filter with `visible_to(user)`, which reads the
scope; None and anonymous users get the empty scope, management commands the
explicit SYSTEM_SCOPE.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class Role:
    COMMITTEE = "committee"
    LEADER = "leader"
    INSTRUCTOR = "instructor"
    SECRETARY = "secretary"
    MEMBER = "member"
    HANDLER = "handler"
    SYSTEM_ADMIN = "system_admin"
    SECURITY_ADMIN = "security_admin"
    AUDIT_ADMIN = "audit_admin"

    LABELS = {
        COMMITTEE: gettext_lazy("商协会党委"),
        LEADER: gettext_lazy("市领导"),
        INSTRUCTOR: gettext_lazy("党建工作指导员"),
        SECRETARY: gettext_lazy("党组织书记"),
        MEMBER: gettext_lazy("会员党员"),
        HANDLER: gettext_lazy("承办单位"),
        SYSTEM_ADMIN: gettext_lazy("系统管理员"),
        SECURITY_ADMIN: gettext_lazy("安全管理员"),
        AUDIT_ADMIN: gettext_lazy("审计管理员"),
    }
    DOMAIN = (COMMITTEE, LEADER, INSTRUCTOR, SECRETARY, MEMBER, HANDLER)
    ADMINS = (SYSTEM_ADMIN, SECURITY_ADMIN, AUDIT_ADMIN)
    ALL = DOMAIN + ADMINS
    # Roles that see the whole federation's domain data.
    FEDERATION_WIDE = frozenset({COMMITTEE, LEADER})


@dataclass(frozen=True)
class Scope:
    roles: frozenset[str] = frozenset()
    party_org_ids: frozenset[int] = frozenset()
    association_ids: frozenset[int] = frozenset()
    department_ids: frozenset[int] = frozenset()
    person_id: int | None = None
    user_id: int | None = None
    is_system: bool = False
    # Orgs whose members' phone numbers this user may see in full (secretaries).
    secretary_of_org_ids: frozenset[int] = field(default_factory=frozenset)
    can_view_full_personal_data: bool = False

    @property
    def sees_all(self) -> bool:
        return self.is_system or bool(self.roles & Role.FEDERATION_WIDE)

    @property
    def is_empty(self) -> bool:
        return not (self.sees_all or self.party_org_ids or self.association_ids
                    or self.department_ids or self.person_id)

    def has(self, *roles: str) -> bool:
        return self.is_system or bool(self.roles & set(roles))


EMPTY_SCOPE = Scope()
SYSTEM_SCOPE = Scope(is_system=True, can_view_full_personal_data=True)

_resolver: Callable[[object], Scope] | None = None
_CACHE_ATTR = "_fourfirsts_scope"


def register_scope_resolver(resolver: Callable[[object], Scope]) -> None:
    global _resolver
    _resolver = resolver


def scope_of(user) -> Scope:
    """The user's scope, cached on the user object for the request."""
    if isinstance(user, Scope):
        return user
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return EMPTY_SCOPE
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = _resolver(user) if _resolver else EMPTY_SCOPE
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_scope(user) -> None:
    """Drop a cached scope after the user's roles or links change."""
    if user is not None and hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def get_visible_or_404(queryset, user, **lookup):
    """The one way to fetch a single record for a user: outside scope is a 404,
    never a 403 that would confirm the record exists."""
    try:
        return queryset.visible_to(user).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404(_("记录不存在或无权查看")) from None


# Pillar apps widen what a role sees of registry records (a member sees the
# enterprises they visited; a handler those of their appeals) without the
# registry importing them: they register a Q builder per model label.
_extra: dict[str, list[Callable[[Scope], object]]] = {}


def register_visibility(label: str, builder: Callable[[Scope], object]) -> None:
    _extra.setdefault(label, []).append(builder)


def extra_visibility(label: str, scope: Scope):
    from django.db.models import Q

    q = Q(pk__in=[])
    for builder in _extra.get(label, ()):
        q |= builder(scope)
    return q

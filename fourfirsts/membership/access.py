"""One development for a user: outside scope a 404; a write the services
would refuse a 403."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from fourfirsts.core.access import Role, get_visible_or_404, scope_of
from fourfirsts.core.actors import Actor
from fourfirsts.membership import services
from fourfirsts.membership.models import Development

READERS = (Role.COMMITTEE, Role.LEADER, Role.SECRETARY, Role.MEMBER)
APPLY = (Role.COMMITTEE, Role.SECRETARY)


def can_apply(user) -> bool:
    scope = scope_of(user)
    return Role.COMMITTEE in scope.roles or (Role.SECRETARY in scope.roles and bool(scope.secretary_of_org_ids))


def get_development_for_user(user, pk, write=False, code="1.2") -> Development:
    dev = get_visible_or_404(Development.objects.select_related("person", "party_org"), user, pk=pk)
    if write and not services.can_record(Actor.of(user), dev.party_org, code):
        raise PermissionDenied(_("您无权记录这份入党申请的发展步骤"))
    return dev

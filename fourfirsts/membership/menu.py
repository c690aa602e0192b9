"""The membership menu entry under 第一身份. Imported by MembershipConfig.ready."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fourfirsts.core import menu
from fourfirsts.core.access import Role, scope_of

READERS = (Role.COMMITTEE, Role.LEADER, Role.SECRETARY, Role.MEMBER)
menu.register(32, _("发展党员"), "membership:board", READERS)


def _may_see(user, record) -> bool:
    return bool(scope_of(user).roles & {Role.COMMITTEE, Role.LEADER, Role.SECRETARY})


menu.register_record_action("registry.person", 30, _("发展党员"),
                            lambda record: reverse("membership:person_development", args=[record.pk]), _may_see)

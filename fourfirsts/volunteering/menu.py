"""The volunteering menu entry: 第一身份 (order 30). Imported by VolunteeringConfig.ready."""

from django.utils.translation import gettext_lazy as _

from fourfirsts.core import menu
from fourfirsts.core.access import Role

menu.register(30, _("第一身份"), "volunteering:activity_list",
              (Role.COMMITTEE, Role.LEADER, Role.INSTRUCTOR, Role.SECRETARY, Role.MEMBER))

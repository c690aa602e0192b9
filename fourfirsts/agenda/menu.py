"""The agenda's menu entry: 第一议题, for every domain role. Imported by AgendaConfig.ready."""

from django.utils.translation import gettext_lazy as _

from fourfirsts.core import menu
from fourfirsts.core.access import Role

menu.register(10, _("第一议题"), "agenda:topic_list", Role.DOMAIN)

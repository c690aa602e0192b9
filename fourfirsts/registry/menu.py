"""The registry's menu entry: 组织, the associations list, for the four org roles.
Imported by RegistryConfig.ready."""

from django.utils.translation import gettext_lazy as _

from fourfirsts.core import menu

menu.register(50, _("组织"), "registry:association_list", menu.ORG_ROLES)

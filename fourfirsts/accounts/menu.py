from django.utils.translation import gettext_lazy as _

from fourfirsts.core import menu
from fourfirsts.core.access import Role

menu.register(900, _("账号管理"), "accounts:account_list", {Role.SYSTEM_ADMIN})
menu.register(910, _("角色授权"), "accounts:role_list", {Role.SECURITY_ADMIN})
menu.register(920, _("安全日志"), "accounts:security_log", {Role.AUDIT_ADMIN})
menu.register(800, _("规则设置"), "core:settings", {Role.COMMITTEE})
menu.register(915, _("安全策略"), "core:settings", {Role.SECURITY_ADMIN})

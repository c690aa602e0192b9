from django.utils.translation import gettext_lazy as _

from fourfirsts.core import rules
from fourfirsts.core.access import Role

rules.register(
    "accounts.idle_days",
    _("账号闲置停用天数"),
    90,
    help=_("连续多少天未登录的账号自动停用"),
    minimum=7,
    maximum=365,
    editor=Role.SECURITY_ADMIN,
)

rules.register(
    "accounts.password_min_length",
    _("密码最短长度"),
    8,
    help=_("新密码至少多少个字符（不少于8）"),
    minimum=8,
    maximum=64,
    editor=Role.SECURITY_ADMIN,
)

from django.utils.translation import gettext_lazy as _

from fourfirsts.core import rules

rules.register(
    "accounts.idle_days",
    _("账号闲置停用天数"),
    90,
    help=_("连续多少天未登录的账号自动停用"),
    minimum=7,
    maximum=365,
)

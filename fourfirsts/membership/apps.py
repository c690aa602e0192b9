from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembershipConfig(AppConfig):
    name = "fourfirsts.membership"
    verbose_name = _("第一身份：发展党员")

    def ready(self):
        from fourfirsts.membership import menu, rules  # noqa: F401

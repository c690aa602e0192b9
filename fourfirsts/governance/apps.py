from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "fourfirsts.governance"
    verbose_name = _("第一责任")

    def ready(self):
        from fourfirsts.governance import figures, jobs, menu, rules, sheets  # noqa: F401

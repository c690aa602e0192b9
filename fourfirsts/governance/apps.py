from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "fourfirsts.governance"
    verbose_name = _("第一责任")

    def ready(self):
        from fourfirsts.governance import figures, jobs, menu, rules, services, sheets  # noqa: F401
        from fourfirsts.registry import views as registry_views

        # The registry's assignment screen warns of INS-1's limit as the governance screen does.
        registry_views.register_assignment_warning(services.instructor_load_warning)

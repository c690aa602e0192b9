from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceConfig(AppConfig):
    name = "fourfirsts.service"
    verbose_name = _("服务第一要务")

    def ready(self):
        from fourfirsts.core.access import register_visibility
        from fourfirsts.core.signals import workday_schedule_saved
        from fourfirsts.registry.services import on_enterprise_membership_saved
        from fourfirsts.service import access, menu, rules  # noqa: F401
        from fourfirsts.service.services import appeals, members

        register_visibility("registry.enterprise", access.enterprises_of_appeals)
        on_enterprise_membership_saved(members.refresh)
        workday_schedule_saved.connect(
            appeals.schedule_saved_receiver, dispatch_uid="fourfirsts.service.recompute_due"
        )

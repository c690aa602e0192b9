from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteeringConfig(AppConfig):
    name = "fourfirsts.volunteering"
    verbose_name = _("第一身份：志愿服务与万企兴万村")

    def ready(self):
        from fourfirsts.volunteering import figures, menu, sheets  # noqa: F401

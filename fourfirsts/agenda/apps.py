from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    name = "fourfirsts.agenda"
    verbose_name = _("第一议题")

    def ready(self):
        from fourfirsts.agenda import figures, menu, rules, sheets  # noqa: F401

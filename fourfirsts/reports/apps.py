from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "fourfirsts.reports"
    verbose_name = _("报表")

    def ready(self):
        from fourfirsts.reports import menu  # noqa: F401

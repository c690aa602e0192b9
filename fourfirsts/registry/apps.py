from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "fourfirsts.registry"
    verbose_name = _("组织")

    def ready(self):
        from fourfirsts.registry import menu  # noqa: F401

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "fourfirsts.core"
    verbose_name = _("公共机制")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from fourfirsts.core import lookups  # noqa: F401  registers field__among

        # Each app declares its settings, figures, sheets, periodic jobs and to-do sources in
        # modules of these names; importing them fills the registries.
        autodiscover_modules("rules", "figures", "sheets", "jobs", "todo")

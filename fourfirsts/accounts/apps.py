from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "fourfirsts.accounts"
    verbose_name = _("账号与权限")

    def ready(self):
        from fourfirsts.accounts import menu, scope, signals  # noqa: F401
        from fourfirsts.core import access

        access.register_scope_resolver(scope.compute_scope)

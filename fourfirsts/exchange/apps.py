from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "fourfirsts.exchange"
    verbose_name = _("数据交换")

    def ready(self):
        from fourfirsts.exchange import menu  # noqa: F401

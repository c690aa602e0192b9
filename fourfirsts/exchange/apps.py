from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "fourfirsts.exchange"
    verbose_name = "数据交换"

    def ready(self):
        from fourfirsts.exchange import menu  # noqa: F401

from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "fourfirsts.exchange"
    verbose_name = "数据交换"

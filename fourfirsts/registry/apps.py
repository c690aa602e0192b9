from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "fourfirsts.registry"
    verbose_name = "组织"

    def ready(self):
        from fourfirsts.registry import menu  # noqa: F401

from django.apps import AppConfig


class CoreTestAppConfig(AppConfig):
    name = "satupintu.core.tests.testapp"
    label = "core_testapp"

    def ready(self) -> None:
        from satupintu.core.registry import registry

        from .api import router

        registry.add_api_router("test", router, order=1000)

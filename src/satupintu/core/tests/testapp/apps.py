from django.apps import AppConfig


class CoreTestAppConfig(AppConfig):
    name = "satupintu.core.tests.testapp"
    label = "core_testapp"

    def ready(self) -> None:
        from satupintu.core.registry import registry

        from .api import router

        # isolate_apps() in some tests builds a second app registry and calls ready() again.
        if "test" not in registry.api_routers:
            registry.add_api_router("test", router, order=1000)

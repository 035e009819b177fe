from django.apps import AppConfig


class CoreTestAppConfig(AppConfig):
    name = "satupintu.core.tests.testapp"
    label = "core_testapp"

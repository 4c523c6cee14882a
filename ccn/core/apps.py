from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ccn.core"
    label = "core"

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ccn.core"
    label = "core"

    def ready(self):
        from . import deploy  # noqa: F401 - registers the deploy checks

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ccn.core"
    label = "core"

    def ready(self):
        from django.apps import apps
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from . import dataversion, deploy, labels  # noqa: F401  # lazy: registers the deploy checks once apps are ready

        labels.install(m for m in apps.get_models() if m.__module__.startswith("ccn."))
        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(dataversion.on_model_change, dispatch_uid=f"ccn-data-version-{signal!r}")

from django.apps import AppConfig


class AttachmentsConfig(AppConfig):
    name = "ccn.attachments"
    label = "attachments"

    def ready(self):
        from . import registry

        registry.load()

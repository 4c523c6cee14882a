from django.apps import AppConfig


class AttachmentsConfig(AppConfig):
    name = "ccn.attachments"
    label = "attachments"

    def ready(self):
        from . import registry  # lazy: it reads the models, which load only once every app is registered

        registry.load()

from django.apps import AppConfig


class ObstaclesConfig(AppConfig):
    name = "ccn.obstacles"
    label = "obstacles"

    def ready(self):
        from .indicators import register_indicators  # lazy: it reads the models, loaded only once apps are ready

        register_indicators()

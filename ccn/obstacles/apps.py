from django.apps import AppConfig


class ObstaclesConfig(AppConfig):
    name = "ccn.obstacles"
    label = "obstacles"

    def ready(self):
        from .indicators import register_indicators

        register_indicators()

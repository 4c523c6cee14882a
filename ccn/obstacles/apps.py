from django.apps import AppConfig


class ObstaclesConfig(AppConfig):
    name = "ccn.obstacles"
    label = "obstacles"

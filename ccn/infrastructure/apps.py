from django.apps import AppConfig


class InfrastructureConfig(AppConfig):
    name = "ccn.infrastructure"
    label = "infrastructure"

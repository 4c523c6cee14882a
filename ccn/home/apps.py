from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "ccn.home"
    label = "home"

from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "ccn.plans"
    label = "plans"

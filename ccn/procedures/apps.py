from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "ccn.procedures"
    label = "procedures"

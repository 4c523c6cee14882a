from django.apps import AppConfig


class PapersConfig(AppConfig):
    name = "ccn.papers"
    label = "papers"

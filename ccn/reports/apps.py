from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "ccn.reports"
    label = "reports"

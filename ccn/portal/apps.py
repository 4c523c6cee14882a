from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "ccn.portal"
    label = "portal"

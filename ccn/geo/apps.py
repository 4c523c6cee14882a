from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "ccn.geo"
    label = "geo"

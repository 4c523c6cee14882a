from django.apps import AppConfig


class MapsConfig(AppConfig):
    """The map, the open-data downloads and the OGC API: read-only views above the registry."""

    name = "ccn.maps"
    label = "maps"

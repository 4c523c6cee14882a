from django.apps import AppConfig


class ClustersConfig(AppConfig):
    name = "ccn.clusters"
    label = "clusters"

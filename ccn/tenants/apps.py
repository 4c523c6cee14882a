from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "ccn.tenants"
    label = "tenants"

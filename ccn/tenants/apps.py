from django.apps import AppConfig

from .choices import LEASING_STATUSES


class TenantsConfig(AppConfig):
    name = "ccn.tenants"
    label = "tenants"

    def ready(self):
        from ccn.clusters import leases  # lazy: it reads the models, which load only once every app is registered

        from .models import TenantProject  # lazy: the same

        # The registry's land figures and its "operating" guard read the leases through this (ccn/clusters/leases.py).
        leases.register(leases.Leases(leasing_on=TenantProject.objects.leasing_on, statuses=LEASING_STATUSES))

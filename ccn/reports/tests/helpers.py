"""Helpers of the report tests."""

from decimal import Decimal


def make_project(cluster, enterprise, *, name="Nhà máy A", status="operating", leased="2", workers=50, country=None):
    from ccn.tenants.models import TenantProject

    if country:
        enterprise.country = country
        enterprise.save()
    return TenantProject.objects.create(
        cluster=cluster,
        enterprise=enterprise,
        name=name,
        status=status,
        land_leased_ha=Decimal(leased),
        workers=workers,
    )


def api(client, user, method, path, data=None):
    client.force_login(user)
    fn = getattr(client, method)
    if data is None:
        return fn("/api/v1/reports" + path)
    return fn("/api/v1/reports" + path, data=data, content_type="application/json")

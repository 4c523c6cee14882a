"""Helpers of the report tests."""

import re
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


def current_version(report_id) -> int:
    from ccn.reports.models import Report

    return Report.objects.get(pk=report_id).version


def api(client, user, method, path, data=None):
    """Call the reports API as `user`. A write to a report (save or action) names the report's version as stored,
    in If-Match, as a client that has just read it would; a body carrying its own `version` keeps it."""
    client.force_login(user)
    fn = getattr(client, method)
    if data is None:
        return fn("/api/v1/reports" + path)
    headers = {}
    match = re.fullmatch(r"/reports/(\d+)(?:/(\w+))?", path)
    if match and method in ("patch", "post") and match.group(2) != "recompile" and "version" not in data:
        headers["If-Match"] = f'"{current_version(int(match.group(1)))}"'
    return fn("/api/v1/reports" + path, data=data, content_type="application/json", headers=headers)

"""The exchange's stable keys of records across instances (docs/exchange.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from ccn.clusters.models import Organisation
    from ccn.tenants.models import TenantProject


def instance_name() -> str:
    """This instance's name in the exchange (setting CCN_INSTANCE_NAME)."""
    return settings.CCN_INSTANCE_NAME


# Keys: clusters by province and code (the stable identifiers of the registry), organisations by tax code where
# they have one, everything else by the source instance and its record number there.
def cluster_key(province_code: str, code: str) -> str:
    return f"{province_code}/{code}"


def organisation_key(org: Organisation) -> str:
    return f"tax:{org.tax_code}" if org.tax_code else f"{instance_name()}:organisation:{org.pk}"


def project_key(project: TenantProject) -> str:
    return f"{instance_name()}:tenant_project:{project.pk}"


def report_key(province_code: str, form: str, kind: str, year: int, commune_code: str = "") -> str:
    """Form 04 is the province's; Form 03 is one commune's, so its key carries the commune."""
    unit = f"{province_code}/{commune_code}" if commune_code else province_code
    return f"{unit}/{form}/{kind}-{year}"

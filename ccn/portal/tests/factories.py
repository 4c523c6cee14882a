"""Builders for the portal's tests: clusters ready for the portal, made through the registry's services."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from ccn.clusters.tests.factories import make_cluster


def portal_cluster(
    *,
    code: str,
    province_code: str = "56",
    status: str = "operating",
    industrial: str | None = "30",
    ready: str | None = "10",
    lat: float | None = 12.25,
    lon: float | None = 109.18,
    sectors=("C",),
    investor=None,
    confirmed_on: datetime.date | None = None,
    **data,
):
    cluster = make_cluster(
        code=code,
        province_code=province_code,
        status=status,
        name=data.pop("name", f"Cụm công nghiệp {code}"),
        industrial_land_ha=Decimal(industrial) if industrial is not None else None,
        ready_land_ha=Decimal(ready) if ready is not None else None,
        land_confirmed_on=confirmed_on if confirmed_on is not None else timezone.localdate(),
        lat=lat,
        lon=lon,
        investor=investor,
        **data,
    )
    cluster.sectors.set(list(sectors))
    return cluster


def lease(cluster, ha: str, *, name="Dự án thuê đất", enterprise=None, capital=None):
    from ccn.clusters.tests.factories import make_org
    from ccn.tenants.models import TenantProject

    return TenantProject.objects.create(
        cluster=cluster,
        enterprise=enterprise or make_org(f"Doanh nghiệp {name}"),
        name=name,
        land_leased_ha=Decimal(ha),
        capital=capital,
        status="operating",
    )


def inquiry_data(**over) -> dict:
    data = {
        "company": "Công ty TNHH Chế biến Thực phẩm An Phú",
        "contact_name": "Nguyễn Thị Lan",
        "email": "lan@anphu.example",
        "phone": "0905 123 456",
        "sector_code": "1079",
        "land_needed_ha": "2.5",
        "timeline": "6m",
        "message": "Chúng tôi cần 2,5 ha để xây nhà máy.",
    }
    data.update(over)
    return data

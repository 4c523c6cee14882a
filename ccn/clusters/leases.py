"""The leases behind the registry's land figures.

Leased land, occupancy and vacant land (`selectors.with_land_figures`) and the guard that a cluster operates only
once a tenant project leases land in it (`workflow.guard_has_tenant`) read the tenant projects, which the tenants
app keeps one layer above. The tenants app registers them here from `TenantsConfig.ready()`, so the registry
imports nothing of the apps above it (docs/architecture.md, "Layers"). The leased land of a cluster, as a subquery
or for one cluster, is computed here from them."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import Cluster
from .occupancy import occupancy_pct


@dataclass(frozen=True)
class Leases:
    leasing_on: Callable[[datetime.date], QuerySet]  # the projects whose lease is in force at the end of a day
    statuses: tuple[str, ...]  # the statuses in which a project leases land


_registered: list[Leases] = []


def register(leases: Leases) -> None:
    _registered[:] = [leases]


def leases() -> Leases:
    if not _registered:
        raise LookupError("No app registered the leases of tenant projects (ccn.tenants must be installed).")
    return _registered[0]


def leased_land_subquery(day: datetime.date | None = None, ref: str = "pk"):
    """Industrial land leased in the cluster `ref` at the end of `day` (today by default): the sum of the leases
    in force then (the tenants' leases, ccn/clusters/leases.py). 0 when nothing is leased."""
    day = day or timezone.localdate()
    dec = DecimalField(max_digits=12, decimal_places=4)
    return Coalesce(
        Subquery(
            leases()
            .leasing_on(day)
            .filter(cluster=OuterRef(ref))
            .order_by()
            .values("cluster")
            .annotate(total=Sum("land_leased_ha"))
            .values("total"),
            output_field=dec,
        ),
        Value(Decimal("0")),
        output_field=dec,
    )


def cluster_occupancy(cluster: Cluster) -> Decimal | None:
    """Occupancy (tỷ lệ lấp đầy) of one cluster today: `figures.occupancy_pct` of its leases in force and its
    industrial land; None when industrial land is unknown."""
    leased = getattr(cluster, "leased_land_ha", None)
    if leased is None:
        leased = Cluster.objects.filter(pk=cluster.pk).annotate(x=leased_land_subquery()).values_list("x", flat=True)[0]
    return occupancy_pct(leased, cluster.industrial_land_ha)

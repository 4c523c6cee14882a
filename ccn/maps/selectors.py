"""Reads of clusters as geographic features: one SQL query of plain rows (`.values()`), scope and the list's
filters applied, bbox on the indexed extent columns; turned into GeoJSON without per-row ORM objects."""

from __future__ import annotations

import datetime
import functools

from django.db.models import Exists, FloatField, Max, Min, OuterRef
from django.db.models.functions import Cast
from django.utils.translation import get_language

from ccn.clusters.choices import ClusterKind, ClusterStatus
from ccn.clusters.models import Cluster, ClusterEvent
from ccn.clusters.occupancy import occupancy_pct
from ccn.clusters.policy import PUBLIC_DERIVED, PUBLIC_FIELDS
from ccn.clusters.selectors import cluster_list, cluster_scope_q
from ccn.geo.models import Commune, Province

# What everyone may see: the registry's public fields, names of the province and investor, and land figures
# derived from the leases (the same set the cluster API shows the public).
PUBLIC_PROPERTIES = (*PUBLIC_FIELDS, *PUBLIC_DERIVED)
# Added for signed-in users, within their scope. Internal notes and tenants never leave through open data.
SCOPED_PROPERTIES = (
    "funding_source",
    "infra_capital_approved_bn",
    "infra_capital_disbursed_bn",
    "is_published",
    "coordinate_source",
)
_SOURCE = {
    "province_code": "province__code",
    "province_name": "province__name",
    "investor_name": "investor__name",
}
_EXTENT = ("min_lon", "min_lat", "max_lon", "max_lat")
# Figures read as floats in SQL: converting thousands of Decimals in Python costs more than the query.
_DECIMALS = (
    "area_planned_ha",
    "area_established_ha",
    "industrial_land_ha",
    "ready_land_ha",
    "leased_land_ha",
    "infra_capital_approved_bn",
    "infra_capital_disbursed_bn",
)
_DATES = ("status_since", "land_confirmed_on")


def property_names(user) -> tuple[str, ...]:
    return PUBLIC_PROPERTIES + (SCOPED_PROPERTIES if user.is_authenticated else ())


def feature_rows(
    *,
    user,
    filters: dict | None = None,
    bbox: tuple[float, float, float, float] | None = None,
    registered_by: datetime.date | None = None,
    with_boundary: bool = False,
    boundary_only: bool = False,
    located_only: bool = True,
    order: str = "code",
):
    """Clusters visible to `user` as a values() queryset: scope and the list page's filters from
    `ccn.clusters.selectors.cluster_list`; `bbox` (min lon, min lat, max lon, max lat) keeps the clusters
    whose extent (boundary, else point) intersects it; `registered_by` keeps those registered on or before
    that day (their first lifecycle event)."""
    qs = cluster_list(user=user, filters=filters or {}, order=order)
    if located_only:
        qs = qs.filter(min_lon__isnull=False)
    if boundary_only:
        qs = qs.filter(boundary__isnull=False)
    if bbox is not None:
        west, south, east, north = bbox
        qs = qs.filter(max_lon__gte=west, min_lon__lte=east, max_lat__gte=south, min_lat__lte=north)
    if registered_by is not None:
        qs = qs.filter(Exists(ClusterEvent.objects.filter(cluster=OuterRef("pk"), effective_on__lte=registered_by)))
    # occupancy_pct is derived from two selected columns, so the leases are summed once per row in SQL.
    names = [p for p in property_names(user) if p != "occupancy_pct"]
    fields = ["id", *(_SOURCE.get(p, p) for p in names if p not in _DECIMALS), *_EXTENT]
    if with_boundary or boundary_only:
        fields.append("boundary")
    floats = {_alias(p): Cast(p, FloatField()) for p in names if p in _DECIMALS}
    return qs.values(*fields, **floats)


def _alias(name: str) -> str:
    return "f_" + name


@functools.cache
def _labels(language: str) -> tuple[dict, dict]:
    """Translated labels of states and types, computed once per language (not once per row)."""
    return {s.value: str(s.label) for s in ClusterStatus}, {k.value: str(k.label) for k in ClusterKind}


@functools.cache
def _keys(signed_in: bool) -> tuple[tuple[str, str], ...]:
    names = PUBLIC_PROPERTIES + (SCOPED_PROPERTIES if signed_in else ())
    return tuple((n, _alias(n) if n in _DECIMALS else _SOURCE.get(n, n)) for n in names if n != "occupancy_pct")


def occupancy(leased, industrial) -> float | None:
    """Occupancy (tỷ lệ lấp đầy) from the row's SQL-summed leases: the registry's one definition
    (`occupancy_pct`), as a JSON number."""
    value = occupancy_pct(leased, industrial)
    return None if value is None else float(value)


def feature_properties(row: dict, user) -> dict:
    props = {name: row[key] for name, key in _keys(user.is_authenticated)}
    props["occupancy_pct"] = occupancy(props["leased_land_ha"], props["industrial_land_ha"])
    for name in _DATES:
        if props[name] is not None:
            props[name] = props[name].isoformat()
    states, kinds = _labels(get_language() or "")
    props["status_label"] = states.get(row["status"], "")
    props["kind_label"] = kinds.get(row["kind"], "")
    return props


def point_feature(row: dict, user, *, extra: dict | None = None) -> dict:
    geometry = {"type": "Point", "coordinates": [row["lon"], row["lat"]]} if row["lat"] is not None else None
    props = feature_properties(row, user)
    if extra:
        props.update(extra)
    return {"type": "Feature", "id": row["code"], "geometry": geometry, "properties": props}


def boundary_feature(row: dict, user) -> dict:
    return {
        "type": "Feature",
        "id": row["code"],
        "geometry": row["boundary"],
        "properties": feature_properties(row, user),
    }


def extent(*, user, boundary_only: bool = False) -> list[float] | None:
    """The bounding box of every located cluster `user` may see, from the extent columns in one query."""
    qs = Cluster.objects.filter(cluster_scope_q(user), min_lon__isnull=False)
    if boundary_only:
        qs = qs.filter(boundary__isnull=False)
    agg = qs.aggregate(w=Min("min_lon"), s=Min("min_lat"), e=Max("max_lon"), n=Max("max_lat"))
    if agg["w"] is None:
        return None
    return [agg["w"], agg["s"], agg["e"], agg["n"]]


def admin_unit_points(*, province_code: str = "", with_boundaries: bool = True):
    """Centre points (and boundaries, when loaded) of the provinces, and of one province's communes."""
    fields = ["code", "name", "lat", "lon"] + (["boundary"] if with_boundaries else [])
    provinces = list(Province.objects.order_by("code").values(*fields))
    communes = []
    if province_code:
        communes = list(
            Commune.objects.filter(province__code=province_code, lat__isnull=False).order_by("code").values(*fields)
        )
    return provinces, communes

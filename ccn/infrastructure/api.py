"""API of infrastructure progress, the central wastewater plant and the wastewater alerts (under
/api/v1/infrastructure/). Signed-in users in scope only: capital and compliance are not published."""

import json

from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from ccn.clusters.selectors import cluster_get
from ccn.core.api import VERSIONED, ErrorOut, api_user, based_on, paginate
from ccn.core.errors import fields_error
from ccn.core.filters import page_fields, query_schema

from . import selectors, services
from .choices import ComponentKind
from .filters import AlertFilterSet
from .schemas import AlertPage, ComponentIn, InfrastructureOut, PlantIn, ResultIn

router = Router(tags=["infrastructure"])
# The plant's last result as the API shows it; sent with the plant it is refused, not dropped: a result is added
# with POST …/wastewater-plant/results.
LAST_RESULT = ("compliant", "last_result_on", "last_result_document", "standard")
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _alerts(row) -> dict:
    return {
        "no_operating_plant": row["alert_no_plant"],
        "capacity_below_discharge": row["alert_capacity"],
        "stale_compliance_result": row["alert_stale_result"],
        "standard_not_met": row["alert_standard"],
        "declared_discharge_m3_day": row["declared_discharge"],
        "plant_capacity_m3_day": row["plant_capacity"],
    }


def _plant(info) -> dict | None:
    """The plant's figures and results, and its last result read from them (the latest)."""
    plant, results = info["plant"], info["results"]
    if plant is None:
        return None
    last = results[0] if results else None
    return {
        **{f: getattr(plant, f) for f in ("version", "status", "design_capacity_m3_day", "auto_monitoring")},
        "environmental_permit": plant.environmental_permit,
        "permit_issued_on": plant.permit_issued_on,
        "standard": last.standard if last else "",
        "compliant": last.compliant if last else None,
        "last_result_on": last.sampled_on if last else None,
        "last_result_document": last.document if last else "",
        "results": results,
    }


def _out(cluster) -> dict:
    info = selectors.cluster_infrastructure(cluster)
    return {
        "cluster_code": cluster.code,
        "overall_progress_pct": info["overall_pct"],
        "capital_approved_bn": info["capital_approved_bn"],
        "capital_disbursed_bn": info["capital_disbursed_bn"],
        "disbursed_pct": info["disbursed_pct"],
        "components": [{**c, "label": str(c["label"])} for c in info["components"]],
        "plant": _plant(info),
        "alerts": _alerts(info["alerts"]),
    }


@router.get("/clusters/{code}", response={200: InfrastructureOut, **ERRORS}, operation_id="infrastructure_get")
def infrastructure_get(request, code: str):
    """Components, overall progress (mean of the ten components), capital, plant and alerts of one cluster."""
    user = api_user(request, required=True)
    return Status(200, _out(cluster_get(user=user, code=code)))


@router.put(
    "/clusters/{code}/components/{kind}",
    response={200: InfrastructureOut, **ERRORS, **VERSIONED},
    operation_id="infrastructure_component_set",
)
def infrastructure_component_set(request, code: str, kind: ComponentKind, payload: ComponentIn):
    user = api_user(request, required=True)
    cluster = cluster_get(user=user, code=code)
    services.component_set(
        actor=user,
        cluster=cluster,
        kind=kind,
        expected_version=based_on(request, payload.version),
        **payload.dict(exclude={"version"}),
    )
    return Status(200, _out(cluster))


@router.put(
    "/clusters/{code}/wastewater-plant",
    response={200: InfrastructureOut, **ERRORS, **VERSIONED},
    operation_id="infrastructure_plant_set",
)
def infrastructure_plant_set(request, code: str, payload: PlantIn):
    """Record the central wastewater plant: state, design capacity, monitoring, environmental permit. Its compliance
    results are added with POST …/wastewater-plant/results; sent here (`compliant`, `last_result_on`,
    `last_result_document`, `standard`) they are refused (422). The permit date decides the standard a result is
    judged against: QCVN 40:2025/BTNMT for plants permitted from 1 September 2025 (and every plant after
    31 December 2031), QCVN 40:2011/BTNMT for older plants during the transition (Circular 06/2025/TT-BTNMT)."""
    user = api_user(request, required=True)
    cluster = cluster_get(user=user, code=code)
    sent = json.loads(request.body or b"{}")
    stray = [f for f in LAST_RESULT if f in sent] if isinstance(sent, dict) else []
    if stray:
        message = _("A compliance result is added as a result of the plant (POST …/wastewater-plant/results).")
        raise fields_error({f: [message] for f in stray})
    services.plant_set(
        actor=user,
        cluster=cluster,
        data=payload.dict(exclude={"version"}),
        expected_version=based_on(request, payload.version),
    )
    return Status(200, _out(cluster))


@router.post(
    "/clusters/{code}/wastewater-plant/results",
    response={201: InfrastructureOut, **ERRORS},
    operation_id="infrastructure_result_add",
)
def infrastructure_result_add(request, code: str, payload: ResultIn):
    """Record one dated compliance result of the cluster's central plant. Every result is kept; the plant's last
    result is the latest of them, and Forms 03/04 read the result in force on the period's end. A second result on
    the same day is refused (422)."""
    user = api_user(request, required=True)
    cluster = cluster_get(user=user, code=code)
    services.result_add(actor=user, cluster=cluster, **payload.dict())
    return Status(201, _out(cluster))


# The alert list's filters (ccn/infrastructure/filters.py), then paging.
AlertQuery = query_schema(AlertFilterSet, "AlertQuery", **page_fields(limit=100, bounded=False))


@router.get("/alerts", response={200: AlertPage, **ERRORS}, operation_id="infrastructure_alerts")
def infrastructure_alerts(request, query: Query[AlertQuery]):
    """Clusters in the caller's scope with a wastewater alert (kind: no_plant, capacity_below_discharge,
    stale_result)."""
    user = api_user(request, required=True)
    qs = selectors.alert_list(user=user, filters=query.filter_data())
    items, meta = paginate(qs, limit=query.limit, offset=query.offset)
    rows = [
        {
            "cluster_code": c.code,
            "cluster_name": c.name,
            "province_code": c.province.code,
            "alerts": _alerts(
                {
                    "alert_no_plant": c.alert_no_plant,
                    "alert_capacity": c.alert_capacity,
                    "alert_stale_result": c.alert_stale_result,
                    "alert_standard": c.alert_standard,
                    "declared_discharge": c.declared_discharge,
                    "plant_capacity": c.plant_capacity,
                }
            ),
        }
        for c in items
    ]
    return Status(200, {"items": rows, **meta})

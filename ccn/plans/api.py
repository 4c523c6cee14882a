"""API of plans and targets under /api/v1/plans/: the indicator catalogue, plans and their amendments, the plan as
of a date, targets with their progress and forecast, and the dashboard's figures. Same services and selectors as
the pages; every call needs a signed-in user (no public access, see docs/plans.md)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from ccn.clusters.models import Cluster
from ccn.core.api import VERSIONED, ErrorOut, api_user, based_on, paginate
from ccn.core.errors import field_error
from ccn.core.filters import page_fields, query_schema
from ccn.geo.models import Commune, Province

from . import selectors, services
from .filters import PlanFilterSet
from .indicators import INDICATORS
from .schemas import (
    AmendmentIn,
    DashboardOut,
    IndicatorOut,
    PlanAsOfOut,
    PlanDetailOut,
    PlanIn,
    PlanPage,
    PlanPatch,
    ProgressOut,
    TargetIn,
    TargetOut,
    TargetPatch,
    VersionOut,
)

router = Router(tags=["plans"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _plan_out(plan) -> dict:
    return {
        "id": plan.pk,
        "province_code": plan.province.code,
        "province_name": plan.province.name,
        **{
            f: getattr(plan, f)
            for f in ("kind", "number", "title", "issued_on", "issuer", "year", "horizon_year", "source", "is_sample")
        },
        "version": plan.version,
    }


def _plan_detail(plan) -> dict:
    return {**_plan_out(plan), "versions": list(plan.versions.order_by("seq"))}


def _target_out(target, progress=None) -> dict:
    return {
        "id": target.pk,
        "plan_id": target.plan_id,
        "province_code": target.plan.province.code,
        "title": target.title,
        "indicator": target.indicator,
        "scope_kind": target.scope_kind,
        "commune_code": target.commune.code if target.commune_id else None,
        "cluster_codes": sorted(c.code for c in selectors.target_clusters(target)),
        "value_min": target.value_min,
        "value_max": target.value_max,
        "counts_from": target.counts_from,
        "deadline": target.deadline,
        "note": target.note,
        "is_sample": target.is_sample,
        "version": target.version,
        "progress": progress.as_dict() if progress is not None else None,
    }


def _commune(code):
    if not code:
        return None
    commune = Commune.objects.filter(code=code).first()
    if commune is None:
        msg = _("Unknown commune %(code)s.") % {"code": code}
        raise field_error("commune", msg)
    return commune


@router.get("/indicators", response={200: list[IndicatorOut], **ERRORS}, operation_id="plans_indicators")
def indicators(request):
    """The indicator catalogue targets are set on."""
    api_user(request, required=True)
    return Status(
        200,
        [
            {
                "key": i.key,
                "label": str(i.label),
                "unit": i.unit,
                "description": str(i.description),
                "is_flow": i.is_flow,
                "scopes": list(i.scopes),
            }
            for i in INDICATORS.values()
        ],
    )


# The plan list's filters (ccn/plans/filters.py), then paging.
PlanQuery = query_schema(PlanFilterSet, "PlanQuery", **page_fields(bounded=False))


@router.get("/", response={200: PlanPage, **ERRORS}, operation_id="plans_list")
def plans_list(request, query: Query[PlanQuery]):
    user = api_user(request, required=True)
    qs = selectors.plan_list(user=user, filters=query.filter_data())
    items, meta = paginate(qs, limit=query.limit, offset=query.offset)
    return Status(200, {"items": [_plan_out(p) for p in items], **meta})


@router.post("/", response={201: PlanDetailOut, **ERRORS}, operation_id="plans_create")
def plans_create(request, payload: PlanIn):
    user = api_user(request, required=True)
    province = Province.objects.filter(code=payload.province).first()
    if province is None:
        msg = _("Unknown province %(code)s.") % {"code": payload.province}
        raise field_error("province", msg)
    data = payload.dict(exclude={"province", "declared_clusters", "declared_area_ha", "clusters"})
    plan = services.plan_create(
        actor=user,
        province=province,
        data=data,
        declared_clusters=payload.declared_clusters,
        declared_area_ha=payload.declared_area_ha,
        clusters=_clusters(payload.clusters),
    )
    return Status(201, _plan_detail(plan))


def _clusters(codes):
    found = {c.code: c for c in Cluster.objects.filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        msg = _("Unknown cluster(s): %(codes)s.") % {"codes": ", ".join(missing)}
        raise field_error("clusters", msg)
    return [found[c] for c in codes]


@router.get("/dashboard", response={200: DashboardOut, **ERRORS}, operation_id="plans_dashboard")
def dashboard(request, province: str = "", commune: str = "", as_of: datetime.date | None = None, targets: bool = True):
    """Key figures, clusters by state, figures at year ends and the targets with their verdicts, within the
    caller's scope (the nation, a province or one commune)."""
    user = api_user(request, required=True)
    as_of = as_of or timezone.localdate()
    scope, prov, com = selectors.dashboard_scope(user=user, province=province, commune=commune)
    params = {k: v for k, v in {"province": prov.code if prov else "", "commune": commune}.items() if v}
    figure_q = urlencode({**params, "as_of": as_of.isoformat()})
    computed = selectors.dashboard_figures(scope, as_of, user=user)
    days = computed["days"]
    figures = [
        {**f, "label": str(f["label"]), "list_url": reverse("plans:figure", args=[f["key"]]) + "?" + figure_q}
        for f in computed["figures"]
    ]
    states = [
        {
            "status": s["status"],
            "label": str(s["label"]),
            "count": s["count"],
            "list_url": reverse("clusters:list") + "?" + urlencode({**params, "status": s["status"]}),
        }
        for s in computed["states"]
    ]
    over = computed["over_time"]
    series = [{"key": s["key"], "label": str(s["label"]), "values": s["values"]} for s in over["stages"]]
    for key in ("industrial_land", "leased_land", "tenant_projects", "workers"):
        series.append({"key": key, "label": key, "values": over[key]})
    progress = selectors.dashboard_targets(user=user, prov=prov, com=com, as_of=as_of) if targets else []
    return Status(
        200,
        {
            "as_of": as_of,
            "province_code": prov.code if prov else None,
            "commune_code": com.code if com else None,
            "figures": figures,
            "states": states,
            "days": days,
            "series": series,
            "verdicts": [{**v, "label": str(v["label"])} for v in selectors.verdict_counts(progress)],
            "targets": [_target_out(p.target, p) for p in progress],
        },
    )


@router.get("/targets/{target_id}", response={200: TargetOut, **ERRORS}, operation_id="plans_target_get")
def target_get(request, target_id: int, as_of: datetime.date | None = None):
    user = api_user(request, required=True)
    target = selectors.target_get(user=user, pk=target_id)
    return Status(200, _target_out(target, selectors.targets_progress([target], as_of=as_of)[0]))


@router.get(
    "/targets/{target_id}/progress", response={200: ProgressOut, **ERRORS}, operation_id="plans_target_progress"
)
def target_progress(request, target_id: int, as_of: datetime.date | None = None):
    """Actual value on `as_of` (default today), its trajectory, the projection to the deadline and the verdict."""
    user = api_user(request, required=True)
    target = selectors.target_get(user=user, pk=target_id)
    return Status(200, selectors.target_progress(target, as_of=as_of).as_dict())


@router.patch(
    "/targets/{target_id}", response={200: TargetOut, **ERRORS, **VERSIONED}, operation_id="plans_target_update"
)
def target_update(request, target_id: int, payload: TargetPatch):
    user = api_user(request, required=True)
    target = selectors.target_get(user=user, pk=target_id)
    data = payload.dict(exclude_unset=True, exclude={"clusters", "version", "commune"})
    if "commune" in payload.model_fields_set:
        data["commune"] = _commune(payload.commune)
    if "note" in data and data["note"] is None:
        data["note"] = ""
    for key in ("title", "indicator", "scope_kind", "value_min", "deadline"):
        if key in data and data[key] is None:
            msg = _("This field cannot be empty.")
            raise field_error(key, msg)
    services.target_update(
        actor=user,
        target=target,
        data=data,
        clusters=_clusters(payload.clusters) if payload.clusters is not None else None,
        expected_version=based_on(request, payload.version),
    )
    return Status(200, _target_out(selectors.target_get(user=user, pk=target_id)))


@router.delete("/targets/{target_id}", response={204: None, **ERRORS}, operation_id="plans_target_delete")
def target_delete(request, target_id: int):
    user = api_user(request, required=True)
    services.target_delete(actor=user, target=selectors.target_get(user=user, pk=target_id))
    return Status(204, None)


@router.get("/{plan_id}", response={200: PlanDetailOut, **ERRORS}, operation_id="plans_get")
def plans_get(request, plan_id: int):
    user = api_user(request, required=True)
    return Status(200, _plan_detail(selectors.plan_get(user=user, pk=plan_id)))


@router.patch("/{plan_id}", response={200: PlanDetailOut, **ERRORS, **VERSIONED}, operation_id="plans_update")
def plans_update(request, plan_id: int, payload: PlanPatch):
    user = api_user(request, required=True)
    plan = selectors.plan_get(user=user, pk=plan_id)
    data = payload.dict(exclude_unset=True, exclude={"version"})
    if "source" in data and data["source"] is None:
        data["source"] = ""
    for key in ("number", "title", "issued_on", "issuer"):
        if key in data and data[key] is None:
            msg = _("This field cannot be empty.")
            raise field_error(key, msg)
    plan = services.plan_update(actor=user, plan=plan, data=data, expected_version=based_on(request, payload.version))
    return Status(200, _plan_detail(plan))


@router.get("/{plan_id}/as-of", response={200: PlanAsOfOut, **ERRORS}, operation_id="plans_as_of")
def plans_as_of(request, plan_id: int, date: datetime.date | None = None):
    """The development plan as it stood on `date` (default today): version in force, planned clusters, totals."""
    user = api_user(request, required=True)
    plan = selectors.plan_get(user=user, pk=plan_id)
    day = date or timezone.localdate()
    state = selectors.plan_as_of(plan, day, user=user)
    return Status(
        200,
        {
            "date": day,
            "in_force": state["version"] is not None,
            "version": state["version"],
            "declared_clusters": state["declared_clusters"],
            "declared_area_ha": state["declared_area_ha"],
            "listed_count": state["listed_count"],
            "listed_area_ha": state["listed_area_ha"],
            "items": [
                {
                    "id": i.pk,
                    "name": i.name,
                    "cluster_code": i.cluster.code if i.cluster_id else None,
                    "commune_code": i.commune.code if i.commune_id else None,
                    "area_ha": i.area_ha,
                    "added_in": i.added_in.seq,
                }
                for i in state["items"]
            ],
        },
    )


@router.post("/{plan_id}/amendments", response={201: VersionOut, **ERRORS}, operation_id="plans_amend")
def plans_amend(request, plan_id: int, payload: AmendmentIn):
    """Record an amendment of the development plan (adds and removes planned clusters from its date)."""
    user = api_user(request, required=True)
    plan = selectors.plan_get(user=user, pk=plan_id)
    data = payload.dict(exclude={"add"})
    add = [item.dict() for item in payload.add]
    return Status(201, services.plan_amend(actor=user, plan=plan, add=add, **data))


@router.get("/{plan_id}/targets", response={200: list[TargetOut], **ERRORS}, operation_id="plans_targets")
def plans_targets(request, plan_id: int, as_of: datetime.date | None = None):
    user = api_user(request, required=True)
    plan = selectors.plan_get(user=user, pk=plan_id)
    targets = selectors.target_list(user=user, plan=plan)
    return Status(200, [_target_out(p.target, p) for p in selectors.targets_progress(targets, as_of=as_of)])


@router.post("/{plan_id}/targets", response={201: TargetOut, **ERRORS}, operation_id="plans_target_create")
def plans_target_create(request, plan_id: int, payload: TargetIn):
    user = api_user(request, required=True)
    plan = selectors.plan_get(user=user, pk=plan_id)
    data = payload.dict(exclude={"clusters", "commune"})
    data["commune"] = _commune(payload.commune)
    target = services.target_create(actor=user, plan=plan, data=data, clusters=_clusters(payload.clusters))
    return Status(201, _target_out(selectors.target_get(user=user, pk=target.pk)))

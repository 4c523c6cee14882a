"""API of tenant projects, land accounts and spreadsheet imports (under /api/v1/tenants/), with the pages' scope."""

from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from ccn.accounts import policy
from ccn.clusters.schemas import ChangeOut
from ccn.clusters.selectors import cluster_get
from ccn.core.api import VERSIONED, ErrorOut, api_user, based_on, paginate
from ccn.core.errors import PermissionDeniedError, field_error
from ccn.core.filters import page_fields, query_schema
from ccn.core.history import history_for
from ccn.core.importing import run_import

from . import io, selectors, services
from .choices import ImportKind
from .filters import TenantFilterSet
from .models import TenantProject
from .schemas import (
    ImportOut,
    LandOut,
    ProjectTransitionIn,
    TenantProjectIn,
    TenantProjectOut,
    TenantProjectPage,
    TenantProjectPatch,
)

router = Router(tags=["tenants"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


# The list page's filters (ccn/tenants/filters.py), then sorting and paging.
ProjectFilters = query_schema(TenantFilterSet, "ProjectFilters", sort=(str, "cluster"), **page_fields(bounded=False))


def project_out(p, user) -> dict:
    return {
        "id": p.pk,
        "cluster_code": p.cluster.code,
        "cluster_name": p.cluster.name,
        "enterprise": {
            "id": p.enterprise_id,
            "name": p.enterprise.name,
            "tax_code": p.enterprise.tax_code,
            "country": p.enterprise.country,
        },
        "foreign_invested": p.enterprise.country != "VN",
        "name": p.name,
        "sector": p.sector_code,
        "sector_edition": p.sector_edition,
        "sector_name": p.sector_ref.name if p.sector_ref else None,
        "capital": p.capital,
        "currency": p.currency,
        "exchange_rate": p.exchange_rate,
        "capital_vnd": p.capital_vnd,
        "capital_date": p.capital_date,
        "land_leased_ha": p.land_leased_ha,
        "plots": p.plots,
        "lease_start": p.lease_start,
        "lease_end": p.lease_end,
        "status": p.status,
        "status_since": p.status_since,
        "workers": p.workers,
        "operation_started_on": p.operation_started_on,
        "wastewater_m3_day": p.wastewater_m3_day,
        "is_sample": p.is_sample,
        "version": p.version,
        "can_edit": selectors.can_edit_tenants(user, p.cluster),
    }


@router.get("/projects", response={200: TenantProjectPage, **ERRORS}, operation_id="tenants_list")
def tenants_list(request, filters: Query[ProjectFilters]):
    """Tenant projects the caller may see (province, communes, own clusters or own projects); sign-in needed."""
    user = api_user(request, required=True)
    qs = selectors.tenant_project_list(user=user, filters=filters.filter_data(), order=filters.sort)
    items, meta = paginate(qs, limit=filters.limit, offset=filters.offset)
    return Status(200, {"items": [project_out(p, user) for p in items], **meta, "totals": selectors.tenant_totals(qs)})


@router.get("/projects/{project_id}", response={200: TenantProjectOut, **ERRORS}, operation_id="tenants_get")
def tenants_get(request, project_id: int):
    user = api_user(request, required=True)
    return Status(200, project_out(selectors.tenant_project_get(user=user, pk=project_id), user))


@router.post("/projects", response={201: TenantProjectOut, **ERRORS}, operation_id="tenants_create")
def tenants_create(request, payload: TenantProjectIn):
    """Register a project; the enterprise is found by its tax code or created. Refused when the leases in force
    would exceed the cluster's ready land."""
    user = api_user(request, required=True)
    cluster = cluster_get(user=user, code=payload.cluster)
    if not selectors.can_edit_tenants(user, cluster):
        raise PermissionDeniedError(policy.refusal(user, policy.ADD, TenantProject))
    enterprise = services.enterprise_for(
        actor=user, tax_code=payload.tax_code, name=payload.enterprise_name, country=payload.country
    )
    data = payload.dict(exclude={"cluster", "tax_code", "enterprise_name", "country", "status", "status_since"})
    project = services.tenant_project_create(
        actor=user,
        cluster=cluster,
        enterprise=enterprise,
        data=data,
        initial_status=payload.status,
        status_since=payload.status_since or payload.operation_started_on,
    )
    return Status(201, project_out(selectors.tenant_project_get(user=user, pk=project.pk), user))


@router.patch(
    "/projects/{project_id}", response={200: TenantProjectOut, **ERRORS, **VERSIONED}, operation_id="tenants_update"
)
def tenants_update(request, project_id: int, payload: TenantProjectPatch):
    user = api_user(request, required=True)
    project = selectors.tenant_project_get(user=user, pk=project_id)
    data = payload.dict(exclude_unset=True, exclude={"version"})
    if data.get("name") is None:
        data.pop("name", None)
    services.tenant_project_update(
        actor=user, project=project, data=data, expected_version=based_on(request, payload.version)
    )
    return Status(200, project_out(selectors.tenant_project_get(user=user, pk=project_id), user))


@router.post(
    "/projects/{project_id}/transitions",
    response={200: TenantProjectOut, **ERRORS, **VERSIONED},
    operation_id="tenants_transition",
)
def tenants_transition(request, project_id: int, payload: ProjectTransitionIn):
    """Change a project's status (see docs/land-and-tenants.md for the actions)."""
    user = api_user(request, required=True)
    project = selectors.tenant_project_get(user=user, pk=project_id)
    services.tenant_project_transition(
        actor=user,
        project=project,
        action=payload.action,
        effective_on=payload.effective_on,
        comment=payload.comment,
        expected_version=based_on(request, payload.version),
    )
    return Status(200, project_out(selectors.tenant_project_get(user=user, pk=project_id), user))


@router.get("/projects/{project_id}/history", response={200: list[ChangeOut], **ERRORS}, operation_id="tenants_history")
def tenants_history(request, project_id: int):
    user = api_user(request, required=True)
    project = selectors.tenant_project_get(user=user, pk=project_id)
    return Status(200, list(history_for(project)[:200]))


@router.get("/clusters/{code}/land", response={200: LandOut, **ERRORS}, operation_id="tenants_cluster_land")
def tenants_cluster_land(request, code: str):
    """A cluster's land account: public for a published cluster (land figures are not confidential)."""
    user = api_user(request)
    cluster = cluster_get(user=user, code=code)
    land = selectors.cluster_land(cluster)
    land.pop("bar")
    return Status(200, {"cluster_code": cluster.code, **land})


@router.post("/imports", response={200: ImportOut, **ERRORS}, operation_id="tenants_import")
def tenants_import(
    request,
    kind: Form[ImportKind],
    file: File[UploadedFile],
    commit: Form[bool] = False,
):
    """Import clusters or tenant projects from an XLSX or CSV file. With `commit=false` (the default) every row is
    checked and nothing is written; with `commit=true` all rows are written, or none when any row is bad."""
    user = api_user(request, required=True)
    if not selectors.may_import(user):
        raise PermissionDeniedError(_("Your role may not import."))
    if file is None:
        raise field_error("file", _("Send a file."))
    importer = io.importer_for(kind, actor=user, filename=file.name)
    result = run_import(importer, file, filename=file.name, commit=commit)
    return Status(
        200,
        {
            "kind": kind,
            "filename": result.filename,
            "total": result.total,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "dry_run": result.dry_run,
            "committed": result.committed,
            "request_id": result.request_id,
            "problems": [{"row": p.row, "column": p.column, "message": p.message} for p in result.problems],
            "warnings": [{"row": p.row, "column": p.column, "message": p.message} for p in result.warnings],
            "notes": [{"row": p.row, "column": p.column, "message": p.message} for p in result.notes],
        },
    )

"""API of the registry: clusters (list, detail, create, update, transitions, documents, history), organisations."""

from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from ccn.accounts import policy
from ccn.core import pagecache
from ccn.core.api import VERSIONED, ErrorOut, api_user, based_on, paginate
from ccn.core.errors import PermissionDeniedError, ValidationFailed, field_error
from ccn.core.filters import page_fields, query_schema
from ccn.core.history import history_for
from ccn.geo.crs import CoordinateError, resolve_meridian, source_label, vn2000_to_wgs84
from ccn.geo.models import Province

from . import selectors, services
from .addresses import resolve_former_address
from .filters import ClusterFilterSet, OrganisationFilterSet
from .models import Cluster, LegalDocument, Organisation
from .policy import PUBLIC_FIELDS, SCOPED_FIELDS
from .schemas import (
    ChangeOut,
    ClusterDetailOut,
    ClusterIn,
    ClusterPage,
    ClusterPatch,
    DocumentIn,
    DocumentOut,
    EventOut,
    OrganisationIn,
    OrganisationOut,
    OrganisationPage,
    OrganisationPatch,
    TransitionIn,
)

router = Router(tags=["clusters"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


# The list page's filters (ccn/clusters/filters.py), then sorting and paging.
ClusterFilters = query_schema(ClusterFilterSet, "ClusterFilters", sort=(str, "name"), **page_fields())
OrganisationQuery = query_schema(OrganisationFilterSet, "OrganisationQuery", **page_fields())


CONFIDENTIAL = SCOPED_FIELDS
PUBLIC = PUBLIC_FIELDS


def cluster_out(cluster, user) -> dict:
    """One cluster as the API shows it to `user`: confidential fields only for signed-in users in scope."""
    data = {f: getattr(cluster, f) for f in PUBLIC}
    data["province_code"] = cluster.province.code
    data["province_name"] = cluster.province.name
    data["investor_name"] = cluster.investor.name if cluster.investor_id else None
    data["leased_land_ha"] = getattr(cluster, "leased_land_ha", None)
    data["confidential"] = {f: getattr(cluster, f) for f in CONFIDENTIAL} if user.is_authenticated else None
    return data


def _detail(cluster, user):
    payload = cluster_out(cluster, user)
    payload["communes"] = [{"code": c.code, "name": c.name} for c in cluster.communes.all()]
    payload["sectors"] = [s.code for s in cluster.sectors.all()]
    payload["boundary"] = cluster.boundary
    payload["former_address"] = _former_out(cluster) if user.is_authenticated else None
    return payload


def _former_out(cluster) -> dict | None:
    if not (cluster.former_commune_name or cluster.former_district_name):
        return None
    return {
        "province": cluster.former_province_name,
        "district": cluster.former_district_name,
        "commune": cluster.former_commune_name,
        "legacy_district_code": cluster.legacy_district.code if cluster.legacy_district_id else None,
        "legacy_ward_code": cluster.legacy_ward.code if cluster.legacy_ward_id else None,
        "match": cluster.location_match,
        "to_confirm": cluster.location_to_confirm,
    }


def _former(payload, province, communes):
    """Commune codes and former-address fields from `former_address` (422 listing the candidates of a split)."""
    former = payload.former_address.dict() if payload.former_address is not None else None
    codes, fields, _resolution = resolve_former_address(province=province, former=former, communes=communes)
    return codes, fields


def _scope(request) -> str:
    return policy.scope_key(api_user(request), Cluster)


@router.get("/clusters", response={200: ClusterPage, **ERRORS}, summary="List clusters", operation_id="clusters_list")
@pagecache.cached_api_read("api-clusters", scope=_scope)
def clusters_list(request, filters: Query[ClusterFilters]):
    """Clusters visible to the caller with the list page's filters; anonymous callers get public fields only."""
    user = api_user(request)
    qs = selectors.cluster_list(user=user, filters=filters.filter_data(), order=filters.sort)
    items, meta = paginate(qs, limit=filters.limit, offset=filters.offset)
    return Status(200, {"items": [cluster_out(c, user) for c in items], **meta})


@router.get("/clusters/{code}", response={200: ClusterDetailOut, **ERRORS}, operation_id="clusters_get")
@pagecache.cached_api_read("api-cluster", scope=_scope)
def clusters_get(request, code: str):
    user = api_user(request)
    cluster = selectors.cluster_get(user=user, code=code)
    return Status(200, _detail(cluster, user))


@router.post("/clusters", response={201: ClusterDetailOut, **ERRORS}, operation_id="clusters_create")
def clusters_create(request, payload: ClusterIn):
    user = api_user(request, required=True)
    if not policy.may(user, policy.ADD, Cluster):
        raise PermissionDeniedError(policy.refusal(user, policy.ADD, Cluster))
    province = Province.objects.filter(code=payload.province).first()
    if province is None:
        raise field_error(
            "province", _("Unknown province."), detail=_("Unknown province %(code)s.") % {"code": payload.province}
        )
    data = payload.dict(
        exclude={
            "province",
            "communes",
            "former_address",
            "sectors",
            "investor_id",
            "vn2000",
            "status",
            "status_since",
            "document",
        }
    )
    communes, former_fields = _former(payload, province, payload.communes)
    data.update(former_fields)
    data["funding_source"] = data.get("funding_source") or ""
    data.update(_coordinates(payload, province.code))
    data["investor"] = _investor(payload.investor_id)
    cluster = services.cluster_create(
        actor=user,
        province=province,
        communes=communes,
        sectors=payload.sectors,
        data=data,
        initial_status=payload.status,
        status_since=payload.status_since,
        document=payload.document.dict() if payload.document else None,
    )
    return Status(201, _detail(selectors.cluster_get(user=user, code=cluster.code), user))


def _coordinates(payload, province_code: str) -> dict:
    """lat/lon and their source: from `vn2000` converted to WGS 84, or as given."""
    if payload.vn2000 is None:
        return {"coordinate_source": "WGS84"} if payload.lat is not None else {}

    v = payload.vn2000
    try:
        point = vn2000_to_wgs84(v.x, v.y, province_code=province_code, meridian=v.meridian)
        meridian = resolve_meridian(province_code, v.meridian)
    except CoordinateError as exc:
        fields = {"vn2000." + k.removeprefix("vn2000_"): m for k, m in exc.field_errors.items()}
        raise ValidationFailed(exc.message, field_errors=fields)
    return {"lat": point.lat, "lon": point.lon, "coordinate_source": source_label(meridian)}


def _investor(pk):
    if pk is None:
        return None
    org = Organisation.objects.filter(pk=pk).first()
    if org is None:
        raise field_error("investor_id", _("Unknown organisation."))
    return org


@router.patch(
    "/clusters/{code}", response={200: ClusterDetailOut, **ERRORS, **VERSIONED}, operation_id="clusters_update"
)
def clusters_update(request, code: str, payload: ClusterPatch):
    user = api_user(request, required=True)
    cluster = selectors.cluster_get(user=user, code=code)
    data = payload.dict(
        exclude_unset=True, exclude={"communes", "former_address", "sectors", "version", "investor_id", "vn2000"}
    )
    communes, former_fields = _former(payload, cluster.province, payload.communes)
    data.update(former_fields)
    if payload.vn2000 is not None or "lat" in data:
        data.update(_coordinates(payload, cluster.province.code))
    if "investor_id" in payload.model_fields_set:
        data["investor"] = _investor(payload.investor_id)
    if "funding_source" in data:
        data["funding_source"] = data["funding_source"] or ""
    for key in ("name_en", "internal_notes"):
        if key in data and data[key] is None:
            data[key] = ""
    if data.get("mountainous_area", False) is None:
        del data["mountainous_area"]  # null: unchanged
    services.cluster_update(
        actor=user,
        cluster=cluster,
        data=data,
        communes=communes,
        sectors=payload.sectors,
        expected_version=based_on(request, payload.version),
    )
    return Status(200, _detail(selectors.cluster_get(user=user, code=code), user))


@router.post(
    "/clusters/{code}/transitions",
    response={200: ClusterDetailOut, **ERRORS, **VERSIONED},
    operation_id="clusters_transition",
)
def clusters_transition(request, code: str, payload: TransitionIn):
    """Move the cluster through its lifecycle (see docs/workflows/cluster.md for actions, roles and guards)."""
    user = api_user(request, required=True)
    cluster = selectors.cluster_get(user=user, code=code)
    document = None
    if payload.document_id is not None:
        document = LegalDocument.objects.filter(pk=payload.document_id, cluster=cluster).first()
        if document is None:
            raise field_error("document_id", _("No such document on this cluster."))
    services.cluster_transition(
        actor=user,
        cluster=cluster,
        action=payload.action,
        effective_on=payload.effective_on,
        document=document,
        new_document=payload.document.dict() if payload.document else None,
        comment=payload.comment,
        expected_version=based_on(request, payload.version),
    )
    return Status(200, _detail(selectors.cluster_get(user=user, code=code), user))


@router.get(
    "/clusters/{code}/documents",
    response={200: list[DocumentOut], **ERRORS},
    operation_id="clusters_documents",
)
def clusters_documents(request, code: str):
    user = api_user(request)
    cluster = selectors.cluster_get(user=user, code=code)
    docs = cluster.documents.all()
    if not user.is_authenticated:
        docs = docs.filter(is_public=True)
    return Status(200, list(docs))


@router.post("/clusters/{code}/documents", response={201: DocumentOut, **ERRORS}, operation_id="clusters_document_add")
def clusters_document_add(request, code: str, payload: DocumentIn):
    user = api_user(request, required=True)
    cluster = selectors.cluster_get(user=user, code=code)
    return Status(201, services.document_add(actor=user, cluster=cluster, **payload.dict()))


@router.get("/clusters/{code}/events", response={200: list[EventOut], **ERRORS}, operation_id="clusters_events")
def clusters_events(request, code: str):
    user = api_user(request, required=True)
    cluster = selectors.cluster_get(user=user, code=code)
    return Status(200, list(selectors.cluster_events(cluster)))


@router.get("/clusters/{code}/history", response={200: list[ChangeOut], **ERRORS}, operation_id="clusters_history")
def clusters_history(request, code: str, limit: int = Query(100, ge=1, le=1000)):
    user = api_user(request, required=True)
    cluster = selectors.cluster_get(user=user, code=code)
    return Status(200, list(history_for(cluster)[: max(1, min(limit, 1000))]))


@router.get("/organisations", response={200: OrganisationPage, **ERRORS}, operation_id="organisations_list")
def organisations_list(request, query: Query[OrganisationQuery]):
    user = api_user(request, required=True)
    items, meta = paginate(selectors.organisation_list(user=user, q=query.q), limit=query.limit, offset=query.offset)
    return Status(200, {"items": list(items), **meta})


@router.post("/organisations", response={201: OrganisationOut, **ERRORS}, operation_id="organisations_create")
def organisations_create(request, payload: OrganisationIn):
    user = api_user(request, required=True)
    return Status(201, services.organisation_create(actor=user, data=payload.dict()))


@router.get("/organisations/{org_id}", response={200: OrganisationOut, **ERRORS}, operation_id="organisations_get")
def organisations_get(request, org_id: int):
    user = api_user(request, required=True)
    return Status(200, policy.get_or_404(user, Organisation, pk=org_id))


@router.patch(
    "/organisations/{org_id}",
    response={200: OrganisationOut, **ERRORS, **VERSIONED},
    operation_id="organisations_update",
)
def organisations_update(request, org_id: int, payload: OrganisationPatch):
    """Change only the fields sent; an organisation outside the caller's scope is not found."""
    user = api_user(request, required=True)
    org = policy.get_or_404(user, Organisation, pk=org_id)
    data = {k: "" if v is None else v for k, v in payload.dict(exclude_unset=True, exclude={"version"}).items()}
    version = based_on(request, payload.version)
    return Status(200, services.organisation_update(actor=user, organisation=org, data=data, expected_version=version))

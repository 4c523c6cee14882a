"""API of the portal under /api/v1/portal/: the public search, profiles, sector check and inquiries (no sign-in),
and for handlers the offers and the inquiries in their scope. Pages and API share the selectors and services."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from ccn.accounts.scope import role_of
from ccn.core.api import VERSIONED, ErrorOut, api_user, based_on, paginate
from ccn.core.errors import NotFoundError, ValidationFailed, field_error
from ccn.core.filters import page_fields, query_schema

from . import selectors, services
from .filters import LeadFilterSet, PortalSearchFilterSet
from .schemas import (
    InquiryAckOut,
    InquiryIn,
    LeadDetailOut,
    LeadPage,
    LeadTransitionIn,
    OfferIn,
    OfferOut,
    PortalClusterDetailOut,
    PortalClusterPage,
    SectorAnswerOut,
)
from .workflow import LEAD_WORKFLOW

router = Router(tags=["portal"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
PUBLIC_ERRORS = {404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


SearchQuery = query_schema(PortalSearchFilterSet, "SearchQuery", **page_fields(bounded=False))


def _cluster_out(c) -> dict:
    return {
        "code": c.code,
        "name": c.name,
        "name_en": c.name_en,
        "status": c.status,
        "status_label": str(c.get_status_display()),
        "province_code": c.province.code,
        "province_name": c.province.name,
        "industrial_land_ha": c.industrial_land_ha,
        "ready_land_ha": c.ready_land_ha,
        "leased_land_ha": c.leased_land_ha,
        "vacant_land_ha": c.vacant_land_ha,
        "occupancy_pct": c.occupancy_pct,
        "land_confirmed_on": c.land_confirmed_on,
        "land_figures_stale": selectors.land_is_stale(c),
        "price_from_vnd_m2_year": c.price_from,
        "price_to_vnd_m2_year": c.price_to,
        "distance_km": getattr(c, "distance_km", None),
        "lat": c.lat,
        "lon": c.lon,
        "is_sample": c.is_sample,
        "url": reverse("portal:profile", args=[c.code]),
    }


@router.get(
    "/clusters",
    response={200: PortalClusterPage, 422: ErrorOut},
    auth=None,
    summary="Search clusters with land to lease",
    operation_id="portal_clusters_search",
)
def portal_clusters_search(request, query: Query[SearchQuery]):
    """Published clusters that are operating or under construction, filtered like the portal's search page."""
    filterset = selectors.search_filterset(query.filter_data())
    error = filterset.first_error()
    if error is not None:  # what the page's form says: a code that is not VSIC, a latitude without its longitude
        name, message = error
        raise ValidationFailed(message) if name == NON_FIELD_ERRORS else field_error(name, message)
    qs = selectors.portal_search(filterset=filterset)
    items, meta = paginate(qs, limit=query.limit, offset=query.offset, max_limit=200)
    return Status(200, {"items": [_cluster_out(c) for c in items], **meta})


@router.get(
    "/clusters/{code}",
    response={200: PortalClusterDetailOut, 404: ErrorOut},
    auth=None,
    summary="A cluster's public profile",
    operation_id="portal_clusters_get",
)
def portal_clusters_get(request, code: str):
    cluster = selectors.portal_cluster(code=code)
    offer = selectors.public_offer(cluster)
    plant = selectors.wastewater_of(cluster)
    data = _cluster_out(cluster)
    data.update(
        kind=cluster.kind,
        communes=[c.name for c in cluster.communes.all()],
        sectors=[{"code": s.code, "name": s.name, "name_en": s.name_en} for s in cluster.sectors.all()],
        offer=offer,
        contact=selectors.public_contact(cluster, offer),
        documents=[
            {
                "id": d.pk,
                "kind": d.kind,
                "number": d.number,
                "issued_on": d.issued_on,
                "issuer": d.issuer,
                "title": d.title,
                "download_url": reverse("portal:document", args=[cluster.code, d.pk]) if d.scan_id else None,
            }
            for d in cluster.public_documents
        ],
        infrastructure=[
            {
                "kind": c.kind,
                "label": str(c.get_kind_display()),
                "status": c.status,
                "percent_complete": c.percent_complete,
            }
            for c in selectors.infrastructure_of(cluster)
        ],
        wastewater_plant=(
            {
                "status": plant.status,
                "design_capacity_m3_day": plant.design_capacity_m3_day,
                "auto_monitoring": plant.auto_monitoring,
                # whether it meets a standard today by the rule of indicator 27 (selectors.wastewater_of)
                "compliant": plant.meets_standard,
                "standard": plant.standard_met,
                "compliance": plant.compliance,
            }
            if plant
            else None
        ),
    )
    return Status(200, data)


@router.get(
    "/clusters/{code}/sector-check",
    response={200: SectorAnswerOut, 404: ErrorOut, 422: ErrorOut},
    auth=None,
    summary="Can my sector locate here?",
    operation_id="portal_sector_check",
)
def portal_sector_check(request, code: str, sector: str):
    """Whether a VSIC code of either edition (2018 or 2025: a section, a division or a 3–5 digit code) fits the
    cluster's permitted sectors; `label` names the code and its edition."""
    cluster = selectors.portal_cluster(code=code)
    answer = selectors.sector_check(cluster=cluster, code=sector)
    return Status(
        200,
        {
            "code": answer.code,
            "label": answer.label,
            "fits": answer.fits,
            "reason": answer.reason,
            "matched": answer.matched,
        },
    )


@router.post(
    "/clusters/{code}/inquiries",
    response={201: InquiryAckOut, **PUBLIC_ERRORS},
    auth=None,
    summary="Send an inquiry about a cluster",
    operation_id="portal_inquiry_create",
)
def portal_inquiry_create(request, code: str, payload: InquiryIn):
    """An inquiry from the public, routed to the cluster's infrastructure investor and the province's Department;
    the enquirer gets an acknowledgement by e-mail. Limited per client address and per e-mail address (429)."""
    data = payload.dict(exclude={"leave_empty"})
    data["timeline"] = data.get("timeline") or ""
    lead = services.inquiry_submit(
        cluster_code=code,
        data=data,
        client_address=request.META.get("REMOTE_ADDR", ""),
        honeypot=payload.leave_empty,
        language=get_language() or "vi",
        base_url=request.build_absolute_uri("/"),
    )
    return Status(
        201,
        {
            "reference": lead.reference,
            "status": lead.status,
            "detail": _("Thank you. Your inquiry %(reference)s was sent; an acknowledgement is on its way by e-mail.")
            % {"reference": lead.reference},
        },
    )


def _offer_out(cluster, offer) -> dict:
    data = {f: getattr(offer, f) for f in OfferOut.model_fields if f not in ("cluster_code",)}
    data["cluster_code"] = cluster.code
    return data


@router.get("/offers/{code}", response={200: OfferOut, **ERRORS}, operation_id="portal_offer_get")
def portal_offer_get(request, code: str):
    """A cluster's offer, published or not, for its infrastructure investor or the province."""
    user = api_user(request, required=True)
    cluster, offer = selectors.offer_for(user=user, code=code)
    if offer is None:
        raise NotFoundError(_("This cluster has no offer yet."))
    return Status(200, _offer_out(cluster, offer))


@router.put("/offers/{code}", response={200: OfferOut, **ERRORS, **VERSIONED}, operation_id="portal_offer_put")
def portal_offer_put(request, code: str, payload: OfferIn):
    """Create or replace a cluster's offer (prices, fees, utilities, public contact, published or not)."""
    user = api_user(request, required=True)
    cluster, _offer = selectors.offer_for(user=user, code=code)
    data = payload.dict(exclude={"version"})
    offer = services.offer_save(
        actor=user, cluster=cluster, data=data, expected_version=based_on(request, payload.version)
    )
    return Status(200, _offer_out(cluster, offer))


LEAD_FIELDS = (
    "id",
    "reference",
    "company",
    "contact_name",
    "email",
    "phone",
    "sector_code",
    "land_needed_ha",
    "timeline",
    "message",
    "language",
    "status",
    "status_changed_at",
    "created_at",
    "version",
)


def _lead_out(lead) -> dict:
    data = {f: getattr(lead, f) for f in LEAD_FIELDS}
    data.update(cluster_code=lead.cluster.code, cluster_name=lead.cluster.name, province_code=lead.province.code)
    return data


def _lead_detail(lead, user) -> dict:
    data = _lead_out(lead)
    data["events"] = [
        {
            "action": e.action,
            "from_status": e.from_status,
            "to_status": e.to_status,
            "actor": e.actor.username if e.actor else None,
            "note": e.note,
            "at": e.at,
        }
        for e in lead.events
    ]
    data["allowed_actions"] = [t.action for t in LEAD_WORKFLOW.allowed_actions(lead.status, role_of(user))]
    return data


# The inquiry list's filters (ccn/portal/filters.py), then paging.
LeadQuery = query_schema(LeadFilterSet, "LeadQuery", **page_fields(bounded=False))


@router.get("/leads", response={200: LeadPage, **ERRORS}, operation_id="portal_leads_list")
def portal_leads_list(request, query: Query[LeadQuery]):
    """Inquiries in the caller's scope: an investor's own clusters, the province for the Department."""
    user = api_user(request, required=True)
    qs = selectors.lead_list(user=user, filters=query.filter_data())
    items, meta = paginate(qs, limit=query.limit, offset=query.offset)
    return Status(200, {"items": [_lead_out(lead) for lead in items], **meta})


@router.get("/leads/{lead_id}", response={200: LeadDetailOut, **ERRORS}, operation_id="portal_leads_get")
def portal_leads_get(request, lead_id: int):
    user = api_user(request, required=True)
    return Status(200, _lead_detail(selectors.lead_get(user=user, pk=lead_id), user))


@router.post(
    "/leads/{lead_id}/transitions",
    response={200: LeadDetailOut, **ERRORS, **VERSIONED},
    operation_id="portal_leads_transition",
)
def portal_leads_transition(request, lead_id: int, payload: LeadTransitionIn):
    """Move an inquiry along (see docs/portal.md for the actions and who may take them)."""
    user = api_user(request, required=True)
    lead = selectors.lead_get(user=user, pk=lead_id)
    lead = services.lead_transition(
        actor=user,
        lead=lead,
        action=payload.action,
        note=payload.note,
        expected_version=based_on(request, payload.version),
    )
    return Status(200, _lead_detail(selectors.lead_get(user=user, pk=lead.pk), user))

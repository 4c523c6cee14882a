"""Reads of the portal. Public reads start from the public scope (published clusters in the states an investor
can move into) whoever is signed in, so a page of the portal never shows more than the public may see; lead
reads apply the handler's scope (own clusters for an investor, own province for the Department)."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import F, FloatField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import ASin, Cos, Least, Power, Radians, Sin, Sqrt
from django.utils import timezone
from django.utils.translation import gettext as _

from ccn.accounts import policy
from ccn.attachments.models import Attachment
from ccn.attachments.selectors import latest_scan_id
from ccn.clusters.choices import OPERATING_STATES, ClusterStatus
from ccn.clusters.models import Cluster, LegalDocument, Sector
from ccn.clusters.selectors import cluster_scope_q, with_land_figures
from ccn.core.errors import NotFoundError, PermissionDeniedError
from ccn.infrastructure.choices import PlantStatus
from ccn.infrastructure.models import InfrastructureComponent, WastewaterPlant
from ccn.infrastructure.selectors import with_standard_met

from .filters import LeadFilterSet, PortalSearchFilterSet
from .models import ClusterOffer, Lead
from .sectors import parse_sector

PORTAL_STATES = (*OPERATING_STATES, ClusterStatus.UNDER_CONSTRUCTION)
EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE_LAT = 111.32
MAP_LIMIT = 500  # points on the search page's and the home page's map
STALE_LAND_DAYS = 183  # land figures older than six months get a warning


def public_clusters():
    """Published clusters an investor can locate in (operating or under construction), in the public scope."""
    return Cluster.objects.filter(cluster_scope_q(AnonymousUser())).filter(status__in=PORTAL_STATES)


def _published_offer_price(field_name: str):
    return Subquery(
        ClusterOffer.objects.filter(cluster=OuterRef("pk"), is_published=True).values(field_name)[:1],
    )


def _with_public_figures(qs):
    qs = with_land_figures(qs).select_related("province", "investor")
    return qs.annotate(
        price_from=_published_offer_price("price_min_vnd_m2_year"),
        price_to=_published_offer_price("price_max_vnd_m2_year"),
    )


@dataclass
class SectorAnswer:
    """The answer to "can my sector locate here?": fits is None when the cluster lists no sectors."""

    code: str
    fits: bool | None
    reason: str
    matched: list[str] = field(default_factory=list)
    label: str = ""  # the code's name and edition ("1079 – Sản xuất thực phẩm khác… (VSIC 2025)")


def sector_check(*, cluster: Cluster, code: str) -> SectorAnswer:
    """Whether a VSIC code fits the cluster's permitted sectors: a code fits a permitted code that is a prefix of
    it (a 4-digit class fits its 2-digit division) or the section its division belongs to."""
    wanted = parse_sector(code)
    permitted = sorted(cluster.sectors.values_list("code", flat=True)) if cluster.pk else []
    if not permitted:
        return SectorAnswer(
            wanted.code,
            None,
            _("The cluster has not published its permitted sectors; ask the infrastructure investor."),
            label=wanted.sector.label,
        )
    matched = [p for p in permitted if p in wanted.ancestors or (not p.isalpha() and wanted.code.startswith(p))]
    if matched:
        return SectorAnswer(
            wanted.code,
            True,
            _("%(code)s falls under the permitted sector %(permitted)s.")
            % {"code": wanted.code, "permitted": ", ".join(matched)},
            matched,
            label=wanted.sector.label,
        )
    narrower = [p for p in permitted if not p.isalpha() and p.startswith(wanted.code)]
    if wanted.code.isalpha():
        narrower = list(
            Sector.objects.filter(code__in=permitted, parent__code=wanted.code).values_list("code", flat=True)
        )
    if narrower:
        return SectorAnswer(
            wanted.code,
            False,
            _(
                "Not all of %(code)s: only %(narrower)s is permitted here. Enter the more precise code of your "
                "activity to check it."
            )
            % {"code": wanted.code, "narrower": ", ".join(narrower)},
            label=wanted.sector.label,
        )
    return SectorAnswer(
        wanted.code,
        False,
        _("%(code)s is not among the permitted sectors (%(permitted)s).")
        % {"code": wanted.code, "permitted": ", ".join(permitted)},
        label=wanted.sector.label,
    )


# --- search --------------------------------------------------------------------------------------------------


def bbox(lat: float, lon: float, km: float) -> tuple[float, float, float, float]:
    """A box around the point that holds every place within `km` (min_lat, max_lat, min_lon, max_lon)."""
    dlat = km / KM_PER_DEGREE_LAT
    cos_lat = max(math.cos(math.radians(lat)), 0.01)
    dlon = min(km / (KM_PER_DEGREE_LAT * cos_lat), 180.0)
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _distance_expression(lat: float, lon: float):
    """The great-circle distance (haversine) from the point to the cluster's point, in SQL."""
    lat0 = Value(math.radians(lat), output_field=FloatField())
    lon0 = Value(math.radians(lon), output_field=FloatField())
    dlat = (Radians(F("lat")) - lat0) / 2
    dlon = (Radians(F("lon")) - lon0) / 2
    a = Power(Sin(dlat), 2) + Cos(lat0) * Cos(Radians(F("lat"))) * Power(Sin(dlon), 2)
    return Value(2 * EARTH_RADIUS_KM, output_field=FloatField()) * ASin(
        Least(Sqrt(a), Value(1.0, output_field=FloatField()))
    )


def search_filterset(filters=None) -> PortalSearchFilterSet:
    """The visitor's search over the published clusters with their public figures, bound to the query's data (its
    form shows what does not validate)."""
    return PortalSearchFilterSet(filters or {}, queryset=_with_public_figures(public_clusters()))


def portal_search(filters=None, *, filterset: PortalSearchFilterSet | None = None):
    """Published clusters matching the visitor's search (`filters`: the query's data, read by
    filters.PortalSearchFilterSet; a value that does not validate matches nothing), with land figures, published
    prices and (with a point) the distance; filters and sorting run in SQL: a box around the point first (an index),
    then the exact distance."""
    filterset = filterset or search_filterset(filters)
    qs = filterset.qs
    data = filterset.form.cleaned_data if not filterset.form.errors else {}
    lat, lon, km = data.get("lat"), data.get("lon"), data.get("km")
    with_point = lat is not None and lon is not None
    if with_point:
        qs = qs.annotate(distance_km=_distance_expression(lat, lon))
        if km is not None:
            min_lat, max_lat, min_lon, max_lon = bbox(lat, lon, km)
            qs = qs.filter(lat__gte=min_lat, lat__lte=max_lat, lon__gte=min_lon, lon__lte=max_lon)
            qs = qs.filter(distance_km__lte=km)
    sort = data.get("sort") or "vacant"
    if sort == "distance" and not with_point:
        sort = "vacant"
    if sort == "vacant":
        keys = [F("vacant_land_ha").desc(nulls_last=True)]
    elif sort == "price":
        keys = [F("price_from").asc(nulls_last=True)]
    elif sort == "distance":
        keys = [F("distance_km").asc(nulls_last=True)]
    else:
        keys = []
    return qs.order_by(*keys, "name", "pk")


def map_points(clusters) -> list[dict]:
    """The located clusters among `clusters` (with their public figures) as the points of a map, at most
    MAP_LIMIT: five columns read with values(), which spares building hundreds of full model instances."""
    located = clusters.filter(lat__isnull=False, lon__isnull=False).values(
        "code", "name", "lat", "lon", "vacant_land_ha"
    )
    return [
        {
            "code": c["code"],
            "name": c["name"],
            "lat": c["lat"],
            "lon": c["lon"],
            "vacant": float(c["vacant_land_ha"]) if c["vacant_land_ha"] is not None else None,
            "url": f"/portal/clusters/{c['code']}/",
        }
        for c in located[:MAP_LIMIT]
    ]


# --- profile -------------------------------------------------------------------------------------------------


def portal_cluster(*, code: str) -> Cluster:
    """One published cluster as the portal shows it, with its public documents, sectors and offer."""
    cluster = (
        _with_public_figures(public_clusters())
        .select_related("wastewater_plant")
        .prefetch_related(
            "communes",
            "sectors",
            Prefetch(
                "documents",
                queryset=LegalDocument.objects.filter(is_public=True).annotate(scan_id=latest_scan_id(LegalDocument)),
                to_attr="public_documents",
            ),
        )
        .filter(code=code)
        .first()
    )
    if cluster is None:
        raise NotFoundError(_("No such cluster on the investor portal."))
    return cluster


def public_offer(cluster: Cluster) -> ClusterOffer | None:
    return ClusterOffer.objects.filter(cluster=cluster, is_published=True).first()


def public_contact(cluster: Cluster, offer: ClusterOffer | None) -> dict:
    """Whom an investor asks: the offer's public contact, else the infrastructure investor's own."""
    investor = cluster.investor
    return {
        "organisation": investor.name if investor else None,
        "name": offer.contact_name if offer else "",
        "email": (offer.contact_email if offer else "") or (investor.contact_email if investor else ""),
        "phone": (offer.contact_phone if offer else "") or (investor.contact_phone if investor else ""),
        "website": investor.website if investor else "",
    }


def public_document(*, code: str, pk: int) -> Attachment:
    """The signed scan (in the attachment store) of a public document of a public cluster."""
    doc = (
        LegalDocument.objects.filter(pk=pk, is_public=True, cluster__in=public_clusters().filter(code=code))
        .annotate(scan_id=latest_scan_id(LegalDocument))
        .first()
    )
    scan = Attachment.objects.filter(pk=doc.scan_id).first() if doc is not None and doc.scan_id else None
    if scan is None:
        raise NotFoundError(_("No such public document."))
    return scan


def land_is_stale(cluster: Cluster, today=None) -> bool:
    """The land figures were never confirmed or were confirmed more than six months ago."""
    today = today or timezone.localdate()
    if cluster.land_confirmed_on is None:
        return True
    return (today - cluster.land_confirmed_on).days > STALE_LAND_DAYS


def infrastructure_of(cluster: Cluster):
    return InfrastructureComponent.objects.filter(cluster=cluster).order_by("kind")


def wastewater_of(cluster: Cluster, *, day: datetime.date | None = None):
    """The cluster's central plant as the public is told of it on `day` (today in Vietnam), in one query. The
    portal says a plant meets a standard only by the rule of every figure of compliant plants (Circular
    14/2024/TT-BCT, Forms 03/04, item 27; `infrastructure.selectors.meets_standard_on`): operating, and its result
    in force meets a standard that applies to it on the day. `compliance` says it in the page's language: which
    standard it meets, or that it is not yet operating, or that it has no result meeting a standard in force."""
    day = day or timezone.localdate()
    plant = with_standard_met(WastewaterPlant.objects.filter(cluster=cluster), day=day).first()
    if plant is not None:
        if plant.meets_standard:
            plant.compliance = _("meets %(s)s") % {"s": plant.standard_met}
        elif plant.status != PlantStatus.OPERATING:
            plant.compliance = _("not yet operating")
        else:
            plant.compliance = _("no result meeting a standard in force")
    return plant


def sitemap_clusters():
    return public_clusters().order_by("code").only("code", "updated_at")


# --- offers and leads (signed-in handlers) ------------------------------------------------------------------


def can_manage_cluster(user, cluster: Cluster) -> bool:
    """The cluster's infrastructure investor, the province's Department, and administrators keep its offer
    (ccn/portal/policy.py)."""
    return policy.can(user, policy.CHANGE, ClusterOffer(cluster=cluster))


def lead_scope_q(user) -> Q:
    return policy.scope_q(user, Lead)


def can_see_leads(user) -> bool:
    return policy.may(user, policy.VIEW, Lead)


def lead_list(*, user, filters=None):
    """Inquiries in scope, newest first, filtered by the list's FilterSet (`filters`: the query's data;
    ccn/portal/filters.py)."""
    if not can_see_leads(user):
        raise PermissionDeniedError(_("Your role does not handle portal inquiries."))
    qs = Lead.objects.filter(lead_scope_q(user)).select_related("cluster", "province")
    if filters:
        qs = LeadFilterSet(filters, queryset=qs, user=user).qs
    return qs.order_by("-created_at", "-id")


def lead_get(*, user, pk: int) -> Lead:
    if not can_see_leads(user):
        raise PermissionDeniedError(_("Your role does not handle portal inquiries."))
    lead = Lead.objects.filter(lead_scope_q(user)).select_related("cluster", "province", "investor").filter(pk=pk)
    lead = lead.first()
    if lead is None:
        raise NotFoundError(_("No such inquiry, or it is not yours to handle."))
    return lead


def lead_counts(*, user) -> dict[str, int]:
    from django.db.models import Count

    if not can_see_leads(user):
        return {}
    return dict(Lead.objects.filter(lead_scope_q(user)).order_by().values_list("status").annotate(n=Count("pk")))


def offer_for(*, user, code: str) -> tuple[Cluster, ClusterOffer | None]:
    """The cluster (in the user's registry scope) and its offer, for the one who may maintain it."""
    cluster = Cluster.objects.filter(cluster_scope_q(user)).select_related("province", "investor")
    cluster = cluster.filter(code=code).first()
    if cluster is None:
        raise NotFoundError(_("No such cluster, or you may not see it."))
    if not can_manage_cluster(user, cluster):
        raise PermissionDeniedError(_("Only the cluster's infrastructure investor or the province may edit its offer."))
    return cluster, ClusterOffer.objects.filter(cluster=cluster).first()

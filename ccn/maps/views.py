"""Pages of the geo app: the map of clusters, its data (GeoJSON), and open-data downloads of any filtered list."""

from __future__ import annotations

import json
from urllib.parse import quote

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ccn.accounts import policy
from ccn.clusters.choices import STATUS_COLOURS, ClusterStatus
from ccn.clusters.filters import ClusterFilterSet
from ccn.clusters.models import Cluster
from ccn.core import pagecache
from ccn.core.throttle import limit_exports

from . import opendata, selectors

# The badge colours of ccn.css, so a state looks the same on the map as in the lists.
BADGE_HEX = {
    "grey": "#57606a",
    "blue": "#0b5cad",
    "indigo": "#3f3da8",
    "purple": "#6f42c1",
    "orange": "#b54708",
    "amber": "#8a5a00",
    "green": "#1a7f37",
    "teal": "#0f6e6e",
    "olive": "#5c6b00",
    "red": "#b42318",
    "dark": "#24292f",
}
# Occupancy classes (lower bound in %, colour); the marker shows the bound as text, so colour is not needed.
OCCUPANCY_CLASSES = ((75, "#1a7f37"), (50, "#0f6e6e"), (25, "#8a5a00"), (0, "#b42318"))


def _filters(request):
    """The cluster list's filter form and the query it filters with (ccn/clusters/filters.py)."""
    return ClusterFilterSet(request.GET or None, request=request).form, request.GET


def legend() -> dict:
    states = [
        {"key": s.value, "label": str(s.label), "colour": BADGE_HEX[STATUS_COLOURS[s]], "glyph": str(i)}
        for i, s in enumerate(ClusterStatus, start=1)
    ]
    occupancy = [
        {
            "key": str(low),
            "low": low,
            "label": (_("%(low)s %% or more") % {"low": low})
            if low == 75
            else _("%(low)s–%(high)s %%")
            % {
                "low": low,
                "high": low + 25,
            },
            "colour": colour,
            "glyph": str(low),
        }
        for low, colour in OCCUPANCY_CLASSES
    ]
    occupancy.append(
        {"key": "unknown", "low": None, "label": _("Industrial land unknown"), "colour": "#57606a", "glyph": "?"}
    )
    return {"status": states, "occupancy": occupancy}


@require_GET
def map_page(request):
    form, _f = _filters(request)
    query = request.GET.urlencode()
    config = {
        "dataUrl": reverse("geo:map_data") + ("?" + query if query else ""),
        "unitsUrl": reverse("geo:map_units"),
        "tileUrl": settings.MAP_TILE_URL,
        "tileAttribution": settings.MAP_TILE_ATTRIBUTION,
        "legend": legend(),
        "province": request.GET.get("province", ""),
        "text": {
            "state": _("State"),
            "province": _("Province"),
            "area": _("Area (ha)"),
            "industrialLand": _("Industrial land (ha)"),
            "leased": _("Leased (ha)"),
            "occupancy": _("Occupancy"),
            "investor": _("Infrastructure investor"),
            "open": _("Open the cluster's page"),
            "sample": _("sample data"),
            "count": _("%(n)s clusters on the map"),
            "unlocated": _("%(n)s clusters without coordinates are not on the map."),
            "loadError": _("The map data could not be loaded."),
            "noBaseMap": _("No province boundaries are loaded: province centres are shown."),
            "offlineBaseMap": _("Base map: the 34 provinces and neighbouring land (Natural Earth, public domain)."),
            "provinceCentre": _("Province centre"),
            "communeCentre": _("Commune centre"),
        },
    }
    downloads = [
        (fmt, reverse("geo:download", args=[fmt]) + ("?" + query if query else "")) for fmt in opendata.FORMATS
    ]
    return render(
        request,
        "geo/map.html",
        {
            "form": form,
            "config": config,
            "downloads": downloads,
            "licence": settings.OPEN_DATA_LICENCE,
            "public_view": not request.user.is_authenticated,
        },
    )


def _scope(request) -> str:
    return policy.scope_key(request.user, Cluster)


@require_GET
@pagecache.cached_by_data_version("map-data", scope=_scope)
def map_data(request):
    """The clusters of the map as GeoJSON points; a known boundary rides along in the properties. Kept gzipped in
    the shared cache per scope and sent with an ETag, both tied to the data version (ccn/core/pagecache.py): a
    conditional GET after no write is a 304, and any write anywhere makes both new."""
    return HttpResponse(_map_body(request), content_type="application/geo+json")


def _map_body(request) -> str:
    _form, filters = _filters(request)
    rows = selectors.feature_rows(user=request.user, filters=filters, with_boundary=True, located_only=False)
    features, unlocated = [], 0
    # One reverse() for the whole map: per row it was a sixth of the time of 2,000 clusters.
    detail_url = reverse("clusters:detail", args=["__code__"])
    for row in rows:
        if row["lat"] is None:
            unlocated += 1
            continue
        feature = selectors.point_feature(row, request.user)
        feature["properties"]["boundary"] = row["boundary"]
        feature["properties"]["url"] = detail_url.replace("__code__", quote(row["code"], safe=""))
        features.append(feature)
    body = {"type": "FeatureCollection", "features": features, "unlocated": unlocated}
    return json.dumps(body, ensure_ascii=False)


@require_GET
def map_units(request):
    """Province centres and boundaries (when loaded), and the communes of one province."""
    provinces, communes = selectors.admin_unit_points(province_code=request.GET.get("province", ""))
    return JsonResponse({"provinces": provinces, "communes": communes}, json_dumps_params={"ensure_ascii": False})


@require_GET
def download(request, fmt: str):
    if fmt not in opendata.FORMATS:
        raise Http404(_("Unknown format."))
    return _download(request, fmt)


@limit_exports
def _download(request, fmt: str):
    """Counted against the export limit only once the format is known (an unknown one is a plain 404)."""
    _form, filters = _filters(request)
    return opendata.download(
        user=request.user,
        filters=filters,
        fmt=fmt,
        absolute_url=lambda code: request.build_absolute_uri(reverse("clusters:detail", args=[code])),
    )

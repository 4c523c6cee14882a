"""OGC API – Features, Part 1 (Core, GeoJSON, HTML, OpenAPI 3.0) at /ogc/: the clusters as a live layer for
GIS programs, with the same scope as every other page (anonymous: public fields of published clusters; a
bearer token or a session: its scope). Responses are built from plain SQL rows."""

from __future__ import annotations

import datetime
import json
import math
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from ninja.errors import AuthenticationError

from ccn.accounts import policy
from ccn.accounts.auth import ApiAuth
from ccn.clusters.filters import ClusterFilterSet
from ccn.clusters.models import Cluster
from ccn.core import pagecache

from . import selectors

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
]
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
GEOJSON = "application/geo+json"
JSON = "application/json"
HTML = "text/html"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
DEFAULT_LIMIT = 100
# Large enough for the whole national register (about 2,000 clusters) in one page.
MAX_LIMIT = 10_000
FILTER_PARAMS = tuple(ClusterFilterSet.base_filters)  # the cluster list's filters (ccn/clusters/filters.py)
ITEMS_PARAMS = {"f", "limit", "offset", "bbox", "datetime", *FILTER_PARAMS}
LICENCE_URLS = {
    "CC BY 4.0": "https://creativecommons.org/licenses/by/4.0/",
    "CC0 1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "ODbL 1.0": "https://opendatacommons.org/licenses/odbl/1-0/",
}


class OgcError(Exception):
    """An OGC API exception: HTTP status, exception code and a description in the user's language."""

    def __init__(self, status: int, code: str, description: str):
        super().__init__(description)
        self.status, self.code, self.description = status, code, description


def collections_meta() -> dict[str, dict]:
    return {
        "clusters": {
            "title": _("Industrial clusters"),
            "description": _(
                "Industrial clusters (cụm công nghiệp) as points, with their lifecycle state, areas and occupancy."
            ),
            "boundary_only": False,
        },
        "cluster_boundaries": {
            "title": _("Industrial cluster boundaries"),
            "description": _("The boundaries of the clusters whose boundary is recorded, as polygons."),
            "boundary_only": True,
        },
    }


def _collection(collection_id: str) -> dict:
    meta = collections_meta().get(collection_id)
    if meta is None:
        raise OgcError(404, "NotFound", _("No collection “%(id)s”.") % {"id": collection_id})
    return meta


def _format(request, *, default: str = "json") -> str:
    f = request.GET.get("f")
    if f is not None:
        if f not in ("json", "html"):
            raise OgcError(400, "InvalidParameterValue", _("f must be json or html."))
        return f
    accept = request.headers.get("Accept", "")
    html_at, json_at = accept.find(HTML), min((i for i in (accept.find("json"),) if i >= 0), default=-1)
    if html_at >= 0 and (json_at < 0 or html_at < json_at):
        return "html"
    return default


def _user(request):
    """Bearer token first (as the REST API; once a request), else the session, else anonymous."""
    if request.headers.get("Authorization") and not hasattr(request, "api_token"):
        try:
            ApiAuth()(request)
        except AuthenticationError:
            raise OgcError(401, "NotAuthenticated", _("Sign in or send a valid API token."))
    return request.user


def _json(data, status: int = 200, content_type: str = JSON) -> HttpResponse:
    return HttpResponse(json.dumps(data, ensure_ascii=False), status=status, content_type=content_type)


def _error_response(request, exc: OgcError) -> HttpResponse:
    body = {"code": exc.code, "description": exc.description}
    try:
        fmt = _format(request)
    except OgcError:
        fmt = "json"
    if fmt == "html":
        return render(request, "geo/ogc/error.html", {"error": body, "status": exc.status}, status=exc.status)
    return _json(body, status=exc.status)


def ogc_view(func):
    """Wrap an OGC endpoint: GET only, errors as OGC exceptions, never a 500 for bad input."""

    @require_GET
    def wrapper(request, *args, **kwargs):
        try:
            return func(request, *args, **kwargs)
        except OgcError as exc:
            return _error_response(request, exc)

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper


def _url(request, name: str, *args, **query) -> str:
    url = request.build_absolute_uri(reverse(f"ogc:{name}", args=args))
    query = {k: v for k, v in query.items() if v not in (None, "")}
    return url + ("?" + urlencode(query) if query else "")


def _link(href, rel, type_, title="") -> dict:
    link = {"href": href, "rel": rel, "type": type_}
    if title:
        link["title"] = title
    return link


def _self_links(request, name: str, *args, json_type: str = JSON, fmt: str = "json", **query) -> list[dict]:
    json_link = _link(_url(request, name, *args, f="json", **query), "self", json_type, _("This document as JSON"))
    html_link = _link(_url(request, name, *args, f="html", **query), "self", HTML, _("This document as HTML"))
    if fmt == "json":
        html_link["rel"] = "alternate"
    else:
        json_link["rel"] = "alternate"
    return [json_link, html_link]


def _licence_link() -> dict:
    licence = settings.OPEN_DATA_LICENCE
    return _link(LICENCE_URLS.get(licence, ""), "license", HTML, licence)


@ogc_view
def landing(request):
    fmt = _format(request)
    data = {
        "title": _("CCN — industrial clusters of Vietnam"),
        "description": _(
            "OGC API – Features of the information system of industrial clusters (cụm công nghiệp). Anonymous "
            "callers see the public fields of published clusters; signed-in users and API tokens see their scope."
        ),
        "links": [
            *_self_links(request, "landing", fmt=fmt),
            _link(_url(request, "openapi", f="json"), "service-desc", OPENAPI, _("The API definition (OpenAPI 3.0)")),
            _link(_url(request, "openapi", f="html"), "service-doc", HTML, _("The API documentation")),
            _link(_url(request, "conformance", f="json"), "conformance", JSON, _("Conformance classes")),
            _link(_url(request, "collections", f="json"), "data", JSON, _("Collections")),
        ],
    }
    if fmt == "html":
        return render(request, "geo/ogc/landing.html", {"data": data})
    return _json(data)


@ogc_view
def conformance(request):
    fmt = _format(request)
    data = {"conformsTo": CONFORMANCE}
    if fmt == "html":
        return render(request, "geo/ogc/conformance.html", {"data": data})
    return _json(data)


def _collection_doc(request, collection_id: str, meta: dict, user, fmt: str = "json") -> dict:
    bbox = selectors.extent(user=user, boundary_only=meta["boundary_only"])
    doc = {
        "id": collection_id,
        "title": meta["title"],
        "description": meta["description"],
        "itemType": "feature",
        "crs": [CRS84],
        "links": [
            *_self_links(request, "collection", collection_id, fmt=fmt),
            _link(_url(request, "items", collection_id, f="json"), "items", GEOJSON, _("The features as GeoJSON")),
            _link(_url(request, "items", collection_id, f="html"), "items", HTML, _("The features as HTML")),
            _licence_link(),
        ],
    }
    if bbox:
        doc["extent"] = {"spatial": {"bbox": [bbox], "crs": CRS84}}
    return doc


@ogc_view
def collections(request):
    fmt = _format(request)
    user = _user(request)
    data = {
        "links": _self_links(request, "collections", fmt=fmt),
        "collections": [_collection_doc(request, cid, meta, user) for cid, meta in collections_meta().items()],
    }
    if fmt == "html":
        return render(request, "geo/ogc/collections.html", {"data": data})
    return _json(data)


@ogc_view
def collection(request, collection_id: str):
    meta = _collection(collection_id)
    fmt = _format(request)
    data = _collection_doc(request, collection_id, meta, _user(request), fmt)
    if fmt == "html":
        return render(request, "geo/ogc/collection.html", {"data": data})
    return _json(data)


def parse_bbox(value: str | None) -> tuple[float, float, float, float] | None:
    """`bbox=minLon,minLat,maxLon,maxLat` in CRS84 (six numbers: the heights are ignored)."""
    if value is None:
        return None
    parts = value.split(",")
    if len(parts) not in (4, 6):
        raise OgcError(400, "InvalidParameterValue", _("bbox must have 4 numbers: minLon,minLat,maxLon,maxLat."))
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        raise OgcError(400, "InvalidParameterValue", _("bbox must contain numbers only."))
    if not all(math.isfinite(n) for n in numbers):
        raise OgcError(400, "InvalidParameterValue", _("bbox must contain numbers only."))
    if len(numbers) == 6:
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    west, south, east, north = numbers
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= 90 and -90 <= north <= 90):
        raise OgcError(400, "InvalidParameterValue", _("bbox must lie within longitude −180…180 and latitude −90…90."))
    if south > north:
        raise OgcError(400, "InvalidParameterValue", _("bbox: the minimum latitude is above the maximum."))
    if west > east:
        # A box across the antimeridian; Vietnam's data never needs it.
        raise OgcError(400, "InvalidParameterValue", _("bbox: the minimum longitude is above the maximum."))
    return west, south, east, north


def _parse_int(request, name: str, default: int, low: int, high: int) -> int:
    raw = request.GET.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise OgcError(
            400,
            "InvalidParameterValue",
            _("%(name)s must be a whole number from %(low)s to %(high)s.") % {"name": name, "low": low, "high": high},
        )
    return value


def _instant(text: str, *, end: bool) -> datetime.date | None:
    if text in ("", ".."):
        return None
    moment = parse_datetime(text)
    if moment is not None:
        return moment.date()
    day = parse_date(text)
    if day is None:
        raise ValueError(text)
    return day


def parse_datetime_param(value: str | None) -> datetime.date | None:
    """`datetime` (an instant or an interval `start/end`, open ends as `..`): the clusters registered by its end."""
    if value is None:
        return None
    try:
        parts = value.split("/")
        if len(parts) > 2:
            raise ValueError(value)
        end = _instant(parts[-1], end=True)
        if len(parts) == 2:
            start = _instant(parts[0], end=False)
            if start and end and start > end:
                raise ValueError(value)
    except ValueError:
        raise OgcError(
            400,
            "InvalidParameterValue",
            _("datetime must be a date or date-time (RFC 3339), or an interval start/end with .. for an open end."),
        )
    return end


def _filters(request) -> dict:
    data = {k: request.GET.get(k) for k in FILTER_PARAMS if request.GET.get(k) not in (None, "")}
    if not data:
        return {}
    error = ClusterFilterSet(data).first_error()
    if error:
        raise OgcError(400, "InvalidParameterValue", f"{error[0]}: {error[1]}")
    return data


def _scope(request) -> str:
    """The caller's scope key and the site's address the links are written with (a kept answer names it)."""
    return f"{policy.scope_key(_user(request), Cluster)}|{request.build_absolute_uri('/')}"


@ogc_view
def items(request, collection_id: str):
    """JSON pages are kept in the shared cache under the data version, the scope, the query (ccn/core/pagecache.py;
    the timeStamp is the one they were built at); HTML pages carry the request's own header, and are built."""
    if _format(request, default="json") == "html":
        return _items(request, collection_id)
    return _kept_items(request, collection_id)


def _items(request, collection_id: str):
    meta = _collection(collection_id)
    fmt = _format(request, default="json")
    unknown = sorted(set(request.GET) - ITEMS_PARAMS)
    if unknown:
        raise OgcError(
            400, "InvalidParameterValue", _("Unknown parameter(s): %(names)s.") % {"names": ", ".join(unknown)}
        )
    limit = _parse_int(request, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    offset = _parse_int(request, "offset", 0, 0, 10**9)
    bbox = parse_bbox(request.GET.get("bbox"))
    registered_by = parse_datetime_param(request.GET.get("datetime"))
    filters = _filters(request)
    user = _user(request)
    qs = selectors.feature_rows(
        user=user,
        filters=filters,
        bbox=bbox,
        registered_by=registered_by,
        boundary_only=meta["boundary_only"],
    )
    rows = list(qs[offset : offset + limit])
    # The count is only needed when the page does not tell it by itself.
    matched = offset + len(rows) if (len(rows) < limit and (rows or offset == 0)) else qs.count()
    build = selectors.boundary_feature if meta["boundary_only"] else selectors.point_feature
    features = [build(row, user) for row in rows]
    query = {k: v for k, v in request.GET.items() if k not in ("f", "offset")}
    links = _self_links(request, "items", collection_id, json_type=GEOJSON, fmt=fmt, offset=offset or None, **query)
    if offset + len(rows) < matched:
        links.append(
            _link(
                _url(request, "items", collection_id, f=fmt, **{**query, "offset": offset + limit}),
                "next",
                GEOJSON if fmt == "json" else HTML,
                _("Next page"),
            )
        )
    if offset > 0:
        links.append(
            _link(
                _url(request, "items", collection_id, f=fmt, **{**query, "offset": max(0, offset - limit) or None}),
                "prev",
                GEOJSON if fmt == "json" else HTML,
                _("Previous page"),
            )
        )
    links.append(_link(_url(request, "collection", collection_id, f="json"), "collection", JSON, meta["title"]))
    data = {
        "type": "FeatureCollection",
        "features": features,
        "numberMatched": matched,
        "numberReturned": len(features),
        "timeStamp": timezone.now().replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "links": links,
    }
    if fmt == "html":
        return render(
            request,
            "geo/ogc/items.html",
            {"data": data, "collection_id": collection_id, "meta": meta, "limit": limit, "offset": offset},
        )
    return _json(data, content_type=GEOJSON)


_kept_items = pagecache.cached_by_data_version("ogc-items", scope=_scope)(_items)


@ogc_view
def item(request, collection_id: str, feature_id: str):
    meta = _collection(collection_id)
    fmt = _format(request)
    user = _user(request)
    row = (
        selectors.feature_rows(user=user, boundary_only=meta["boundary_only"], located_only=False)
        .filter(code=feature_id)
        .first()
    )
    if row is None:
        raise OgcError(
            404, "NotFound", _("No feature “%(id)s” in this collection, or you may not see it.") % {"id": feature_id}
        )
    build = selectors.boundary_feature if meta["boundary_only"] else selectors.point_feature
    data = build(row, user)
    data["links"] = [
        *_self_links(request, "item", collection_id, feature_id, json_type=GEOJSON, fmt=fmt),
        _link(_url(request, "collection", collection_id, f="json"), "collection", JSON, meta["title"]),
        _link(request.build_absolute_uri(reverse("clusters:detail", args=[feature_id])), "describedby", HTML),
    ]
    if fmt == "html":
        return render(request, "geo/ogc/item.html", {"data": data, "collection_id": collection_id, "meta": meta})
    return _json(data, content_type=GEOJSON)


@ogc_view
def openapi(request):
    fmt = _format(request)
    doc = openapi_document(request)
    if fmt == "html":
        return render(request, "geo/ogc/api.html", {"doc": doc})
    return _json(doc, content_type=OPENAPI)


def openapi_document(request) -> dict:
    """The OpenAPI 3.0 definition of these endpoints, with the limits GIS clients read (limit default/maximum)."""
    f_param = {
        "name": "f",
        "in": "query",
        "required": False,
        "description": "Output format (the Accept header works too).",
        "schema": {"type": "string", "enum": ["json", "html"]},
    }
    collection_id = {
        "name": "collectionId",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "enum": list(collections_meta())},
    }
    feature_id = {
        "name": "featureId",
        "in": "path",
        "required": True,
        "description": "The cluster's code, e.g. KHA-DIENTHO.",
        "schema": {"type": "string"},
    }
    exception = {"$ref": "#/components/responses/Exception"}
    query_params = [
        f_param,
        {
            "name": "limit",
            "in": "query",
            "required": False,
            "style": "form",
            "explode": False,
            "description": f"Features per page: {DEFAULT_LIMIT} by default, at most {MAX_LIMIT}.",
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
        },
        {
            "name": "offset",
            "in": "query",
            "required": False,
            "description": "Features to skip (follow the `next` link rather than computing it).",
            "schema": {"type": "integer", "minimum": 0, "default": 0},
        },
        {
            "name": "bbox",
            "in": "query",
            "required": False,
            "style": "form",
            "explode": False,
            "description": "minLon,minLat,maxLon,maxLat in CRS84: the features whose extent intersects the box.",
            "schema": {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}},
        },
        {
            "name": "datetime",
            "in": "query",
            "required": False,
            "description": "An instant or interval (RFC 3339, `..` for an open end): the clusters registered by "
            "its end (their first lifecycle event).",
            "schema": {"type": "string"},
        },
        {
            "name": "q",
            "in": "query",
            "required": False,
            "description": "Words of the name or code, accents ignored.",
            "schema": {"type": "string"},
        },
        {
            "name": "province",
            "in": "query",
            "required": False,
            "description": "Province code (2 digits).",
            "schema": {"type": "string"},
        },
        {
            "name": "commune",
            "in": "query",
            "required": False,
            "description": "Commune code (5 digits).",
            "schema": {"type": "string"},
        },
        {"name": "kind", "in": "query", "required": False, "schema": {"type": "string"}},
        {
            "name": "status",
            "in": "query",
            "required": False,
            "description": "Lifecycle state.",
            "schema": {"type": "string"},
        },
        {
            "name": "investor",
            "in": "query",
            "required": False,
            "description": "Infrastructure investor id.",
            "schema": {"type": "integer"},
        },
    ]

    def op(op_id, summary, params, content_type, ok="The document."):
        return {
            "get": {
                "operationId": op_id,
                "summary": summary,
                "tags": ["OGC API – Features"],
                "parameters": params,
                "responses": {
                    "200": {"description": ok, "content": {content_type: {}, HTML: {}}},
                    "400": exception,
                    "401": exception,
                    "404": exception,
                },
            }
        }

    return {
        "openapi": "3.0.3",
        "info": {
            "title": "CCN — OGC API – Features",
            "version": "1.0",
            "description": str(_("Industrial clusters of Vietnam as OGC API – Features.")),
            "license": {"name": settings.OPEN_DATA_LICENCE, "url": LICENCE_URLS.get(settings.OPEN_DATA_LICENCE, "")},
        },
        "servers": [{"url": request.build_absolute_uri(reverse("ogc:landing")).rstrip("/")}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "responses": {
                "Exception": {
                    "description": "An OGC exception.",
                    "content": {
                        JSON: {
                            "schema": {
                                "type": "object",
                                "required": ["code"],
                                "properties": {"code": {"type": "string"}, "description": {"type": "string"}},
                            }
                        }
                    },
                }
            },
        },
        "security": [{}, {"bearer": []}],
        "paths": {
            "/": op("getLandingPage", "Landing page", [f_param], JSON),
            "/conformance": op("getConformance", "Conformance classes", [f_param], JSON),
            "/api": op("getApi", "This API definition", [f_param], OPENAPI),
            "/collections": op("getCollections", "Collections", [f_param], JSON),
            "/collections/{collectionId}": op("describeCollection", "A collection", [collection_id, f_param], JSON),
            "/collections/{collectionId}/items": op(
                "getFeatures", "Features of a collection", [collection_id, *query_params], GEOJSON
            ),
            "/collections/{collectionId}/items/{featureId}": op(
                "getFeature", "One feature", [collection_id, feature_id, f_param], GEOJSON
            ),
        },
    }

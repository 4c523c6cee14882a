"""Validators of the registry's identifiers and geometry."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
TAX_CODE_RE = re.compile(r"^(\d{10})(-\d{3})?$")
CLUSTER_CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9._-]{1,29}$")
VSIC_RE = re.compile(r"^([A-U]|\d{2,5})$")


def tax_code_is_valid(code: str) -> bool:
    """Vietnamese enterprise tax code (mã số thuế): 10 digits whose last is a check digit, optional -NNN branch."""
    match = TAX_CODE_RE.match(code or "")
    if not match:
        return False
    digits = [int(c) for c in match.group(1)]
    check = 10 - sum(w * d for w, d in zip(TAX_WEIGHTS, digits[:9], strict=True)) % 11
    return check == digits[9]


def validate_tax_code(value: str):
    if not TAX_CODE_RE.match(value or ""):
        raise ValidationError(
            _("A tax code has 10 digits, optionally followed by a dash and a 3-digit branch number."),
            code="tax_code_format",
        )
    if not tax_code_is_valid(value):
        raise ValidationError(
            _("The tax code %(code)s has a wrong check digit."), code="tax_code_check", params={"code": value}
        )


def validate_cluster_code(value: str):
    if not CLUSTER_CODE_RE.match(value or ""):
        raise ValidationError(
            _("A cluster code is 2–30 capital letters, digits, dots, dashes or underscores, e.g. KHA-DIENTHO."),
            code="cluster_code_format",
        )


def validate_point(lat, lon):
    errors = {}
    if lat is not None and not -90 <= lat <= 90:
        errors["lat"] = _("Latitude must be between -90 and 90.")
    if lon is not None and not -180 <= lon <= 180:
        errors["lon"] = _("Longitude must be between -180 and 180.")
    if (lat is None) != (lon is None):
        errors["lat" if lat is None else "lon"] = _("Give both latitude and longitude, or neither.")
    if errors:
        raise ValidationError(errors)


def clean_polygon(geojson) -> dict | None:
    """A valid Polygon or MultiPolygon in WGS84, returned as GeoJSON geometry; refuses anything else."""
    if geojson in (None, "", {}):
        return None
    import json

    from shapely.geometry import mapping, shape
    from shapely.validation import explain_validity

    if isinstance(geojson, str):
        try:
            geojson = json.loads(geojson)
        except ValueError:
            raise ValidationError(_("The boundary is not valid GeoJSON."), code="geojson")
    if isinstance(geojson, dict) and geojson.get("type") == "Feature":
        geojson = geojson.get("geometry")
    if not isinstance(geojson, dict) or geojson.get("type") not in ("Polygon", "MultiPolygon"):
        raise ValidationError(_("The boundary must be a GeoJSON Polygon or MultiPolygon."), code="geojson_type")
    try:
        geom = shape(geojson)
    except Exception:  # shapely raises several types for malformed coordinates
        raise ValidationError(_("The boundary's coordinates are malformed."), code="geojson_coords")
    if geom.is_empty:
        raise ValidationError(_("The boundary is empty."), code="geojson_empty")
    minx, miny, maxx, maxy = geom.bounds
    if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
        raise ValidationError(_("The boundary must be in WGS84 longitude/latitude."), code="geojson_crs")
    if not geom.is_valid:
        raise ValidationError(
            _("The boundary is not a valid polygon (%(reason)s)."),
            code="geojson_invalid",
            params={"reason": explain_validity(geom)},
        )
    return mapping(geom) | {"coordinates": _lists(mapping(geom)["coordinates"])}


def _lists(value):
    if isinstance(value, list | tuple):
        return [_lists(v) for v in value]
    return value

"""VN-2000 ↔ WGS 84: points surveyed in the national reference system (hệ tọa độ VN-2000) on a province's 3°
transverse Mercator zone, converted to the longitude/latitude the registry stores."""

from __future__ import annotations

import csv
import functools
import math
from pathlib import Path
from typing import NamedTuple

from django.utils.translation import gettext as _

from ccn.core.compiled import compiled_list
from ccn.core.errors import ValidationFailed, field_error, fields_error
from ccn.core.numbers import NotANumber, read_number

from .models import LegacyProvince

MERIDIANS_CSV = Path(__file__).resolve().parent / "data" / "vn2000_meridians.csv"

# Decision 05/2007/QĐ-BTNMT: VN-2000 → WGS 84, coordinate-frame rotation (EPSG "VN-2000 to WGS 84 (2)").
HELMERT = (
    "x=-191.90441429 y=-39.30318279 z=-111.45032835 rx=-0.00928836 ry=0.01975479 rz=-0.00427372 "
    "s=0.252906278 convention=coordinate_frame"
)
# Circular 973/2001/TT-TCĐC: provincial zones are 3° wide with scale factor 0.9999 and a 500 km false easting.
ZONE = "proj=tmerc lat_0=0 lon_0={lon0} k=0.9999 x_0=500000 y_0=0 ellps=WGS84"

# Mainland Vietnam (EPSG area of use of VN-2000); a converted point outside it means a wrong input or meridian.
VIETNAM_BOUNDS = (102.14, 8.33, 109.53, 23.4)
# Northing X (Bắc) and easting Y (Đông) of mainland Vietnam in a 3° zone; the two ranges do not overlap,
# which tells a swapped pair apart.
NORTHING_RANGE = (900_000.0, 2_650_000.0)
EASTING_RANGE = (150_000.0, 850_000.0)


class LatLon(NamedTuple):
    lat: float
    lon: float


class CoordinateError(ValidationFailed):
    """Coordinates that cannot be read or converted; field errors name the input fields."""


@functools.cache
def meridian_table() -> dict[str, tuple[str, float, str]]:
    """Former province code → (name, central meridian in degrees, EPSG code of the zone)."""
    with MERIDIANS_CSV.open(encoding="utf-8") as fh:
        return {
            row["legacy_province_code"]: (row["legacy_province_name"], float(row["central_meridian"]), row["epsg"])
            for row in csv.DictReader(fh)
        }


def meridian_label(meridian: float) -> str:
    degrees = int(meridian)
    minutes = round((meridian - degrees) * 60)
    return f"{degrees}°{minutes:02d}′"


def meridians_for(province_code: str) -> dict[float, list[str]]:
    """The central meridians used in a current province, each with the former provinces that use it."""

    table = meridian_table()
    result: dict[float, list[str]] = {}
    former = compiled_list(
        ("former-provinces",),
        province_code,
        lambda code: LegacyProvince.objects.filter(successor__code=code).values_list("code", "short_name"),
    )
    for code, name in former:
        if code in table:
            result.setdefault(table[code][1], []).append(name)
    return dict(sorted(result.items()))


def all_meridians() -> list[float]:
    return sorted({m for _name, m, _epsg in meridian_table().values()})


@functools.lru_cache(maxsize=32)
def _transformer(meridian: float):
    from pyproj import Transformer

    pipeline = (
        f"+proj=pipeline +step +inv +{ZONE.format(lon0=meridian)} +step +proj=push +v_3 "
        f"+step +proj=cart +ellps=WGS84 +step +proj=helmert {_plus(HELMERT)} "
        "+step +inv +proj=cart +ellps=WGS84 +step +proj=pop +v_3 +step +proj=unitconvert +xy_in=rad +xy_out=deg"
    )
    return Transformer.from_pipeline(pipeline)


def _plus(params: str) -> str:
    return " ".join("+" + p for p in params.split())


def metres(value, *, field: str) -> float:
    """A coordinate in metres typed by a person, read by ccn/core/numbers.py without a thousands reading of a lone
    separator: 1355000.5, "1355000,5", "1 355 000", "1.355.000,5"."""
    try:
        reading = read_number(value, thousands=None)
    except NotANumber:
        msg = _("“%(value)s” is not a number in metres.") % {"value": str(value)[:40]}
        raise field_error(field, msg, error=CoordinateError)
    if reading is None:
        raise field_error(field, _("Enter a number in metres."), error=CoordinateError)
    return float(reading.value)


def resolve_meridian(province_code: str, meridian: float | None = None) -> float:
    """The meridian to use: the one given (must be a provincial meridian), else the province's only one."""
    if meridian is not None:
        if float(meridian) not in all_meridians():
            msg = _("%(meridian)s is not a VN-2000 provincial central meridian.") % {"meridian": meridian}
            raise field_error("vn2000_meridian", msg, error=CoordinateError)
        return float(meridian)
    found = meridians_for(province_code)
    if not found:
        msg = _("Choose the province before entering VN-2000 coordinates.")
        raise field_error("province", msg, error=CoordinateError)
    if len(found) > 1:
        choices = "; ".join(f"{meridian_label(m)} ({', '.join(names)})" for m, names in found.items())
        msg = _(
            "This province spans several VN-2000 zones; choose the central meridian the survey used: %(choices)s."
        ) % {"choices": choices}
        raise field_error("vn2000_meridian", msg, error=CoordinateError)
    return next(iter(found))


def vn2000_to_wgs84(x, y, *, province_code: str, meridian: float | None = None) -> LatLon:
    """Convert a VN-2000 point to WGS 84. `x` is the northing (X, toward north) and `y` the easting (Y, with the
    500 km false easting), as Vietnamese survey documents write them; `province_code` is the current province,
    whose former provinces give the central meridian (Circular 973/2001/TT-TCĐC)."""
    north = metres(x, field="vn2000_x")
    east = metres(y, field="vn2000_y")
    x_ok = NORTHING_RANGE[0] <= north <= NORTHING_RANGE[1]
    y_ok = EASTING_RANGE[0] <= east <= EASTING_RANGE[1]
    if not (x_ok and y_ok):
        if NORTHING_RANGE[0] <= east <= NORTHING_RANGE[1] and EASTING_RANGE[0] <= north <= EASTING_RANGE[1]:
            msg = _(
                "X and Y look swapped: in VN-2000, X is the northing (about 900,000–2,650,000 m) and Y the easting "
                "(about 150,000–850,000 m)."
            )
            raise CoordinateError(msg, field_errors={"vn2000_x": [msg], "vn2000_y": [msg]})
        errors = {}
        if not x_ok:
            errors["vn2000_x"] = [_("X (northing) must be between 900,000 and 2,650,000 m in Vietnam.")]
        if not y_ok:
            errors["vn2000_y"] = [_("Y (easting) must be between 150,000 and 850,000 m in a VN-2000 3° zone.")]
        raise fields_error(errors, error=CoordinateError)
    lon0 = resolve_meridian(province_code, meridian)
    lon, lat = _transformer(lon0).transform(east, north)
    west, south, east_bound, north_bound = VIETNAM_BOUNDS
    if not (math.isfinite(lat) and math.isfinite(lon)) or not (
        west <= lon <= east_bound and south <= lat <= north_bound
    ):
        msg = _(
            "These VN-2000 coordinates fall outside Vietnam with the meridian %(meridian)s; check X, Y and the zone."
        )
        msg = msg % {"meridian": meridian_label(lon0)}
        raise field_error("vn2000_x", msg, error=CoordinateError)
    return LatLon(round(lat, 7), round(lon, 7))


def wgs84_to_vn2000(lat: float, lon: float, *, meridian: float) -> tuple[float, float]:
    """The inverse, (X northing, Y easting) in metres: for showing a stored point in a province's zone."""
    east, north = _transformer(float(meridian)).transform(lon, lat, direction="INVERSE")
    return round(north, 3), round(east, 3)


def source_label(meridian: float) -> str:
    """What Cluster.coordinate_source records for a point converted from VN-2000."""
    return f"VN-2000 TM-3 {meridian_label(meridian)}"

"""VN-2000 → WGS 84: the meridian table, the conversion against the EPSG definitions, and refused input."""

import pytest
from django.utils import translation
from pyproj import Transformer

from ccn.geo.crs import (
    CoordinateError,
    meridian_table,
    meridians_for,
    source_label,
    vn2000_to_wgs84,
    wgs84_to_vn2000,
)
from ccn.geo.models import LegacyProvince, Province


def test_table_covers_every_former_province_and_every_current_one(db):
    table = meridian_table()
    assert set(LegacyProvince.objects.values_list("code", flat=True)) <= set(table)
    for code in Province.objects.values_list("code", flat=True):
        assert meridians_for(code), code
    assert meridians_for("56") == {108.25: ["Khánh Hòa", "Ninh Thuận"]}
    assert list(meridians_for("01")) == [105.0]


@pytest.mark.parametrize(
    ("province", "x", "y"),
    [("56", 1355000.0, 603000.0), ("01", 2322000.0, 575000.0), ("20", 2410000.0, 450000.0)],
)
def test_conversion_matches_the_epsg_zone_of_the_province(db, province, x, y):
    meridian = next(iter(meridians_for(province)))
    epsg = next(e for _n, m, e in meridian_table().values() if m == meridian)
    lon, lat = Transformer.from_crs(int(epsg), 4326, always_xy=True).transform(y, x)
    point = vn2000_to_wgs84(x, y, province_code=province)
    assert point.lat == pytest.approx(lat, abs=1e-6)
    assert point.lon == pytest.approx(lon, abs=1e-6)
    back = wgs84_to_vn2000(point.lat, point.lon, meridian=meridian)
    assert back == pytest.approx((x, y), abs=0.05)


def test_datum_shift_is_applied(db):
    # Without the VN-2000 → WGS 84 shift the point would sit about 100 m away.
    point = vn2000_to_wgs84(1355000, 603000, province_code="56")
    plain = Transformer.from_pipeline(
        "+proj=pipeline +step +inv +proj=tmerc +lon_0=108.25 +k=0.9999 +x_0=500000 +ellps=WGS84 "
        "+step +proj=unitconvert +xy_in=rad +xy_out=deg"
    ).transform(603000, 1355000)
    assert abs(plain[0] - point.lon) * 108_000 > 50


@pytest.mark.parametrize(
    ("x", "y"),
    [
        ("1 355 000,5", "603000,25"),
        ("1.355.000,5", "603.000,25"),  # Vietnamese thousands dots with the decimal comma
        ("1,355,000.5", "603 000.25"),
        ("1355000.5", "603000.250"),  # a lone dot is the decimal point, even before three digits
    ],
)
def test_coordinates_are_read_by_the_one_number_rule(db, x, y):
    assert vn2000_to_wgs84(x, y, province_code="56") == vn2000_to_wgs84(1355000.5, 603000.25, province_code="56")


@pytest.mark.parametrize(
    ("x", "y", "field", "words"),
    [
        ("abc", 603000, "vn2000_x", "not a number"),
        (1355000, "", "vn2000_y", "Enter a number"),
        ("nan", 603000, "vn2000_x", "not a number"),
        ("1.2.3,4,5", 603000, "vn2000_x", "“1.2.3,4,5” is not a number in metres"),
        (603000, 1355000, "vn2000_x", "swapped"),
        (5000, 603000, "vn2000_x", "northing"),
        (1355000, 99000, "vn2000_y", "easting"),
    ],
)
def test_malformed_coordinates_are_refused_with_a_clear_message(db, x, y, field, words):
    with translation.override("en"), pytest.raises(CoordinateError) as exc:
        vn2000_to_wgs84(x, y, province_code="56")
    assert field in exc.value.field_errors
    assert words in exc.value.message


def test_a_province_across_two_zones_needs_the_meridian(db):
    with pytest.raises(CoordinateError) as exc:
        vn2000_to_wgs84(1300000, 400000, province_code="68")
    assert "107°45′" in exc.value.message and "108°30′" in exc.value.message
    point = vn2000_to_wgs84(1300000, 400000, province_code="68", meridian=108.5)
    assert 107 < point.lon < 108.5
    with pytest.raises(CoordinateError):
        vn2000_to_wgs84(1300000, 400000, province_code="68", meridian=100.1)


def test_unknown_province_and_points_outside_vietnam_are_refused(db):
    with pytest.raises(CoordinateError):
        vn2000_to_wgs84(1355000, 603000, province_code="99")
    with translation.override("en"), pytest.raises(CoordinateError) as exc:
        vn2000_to_wgs84(950000, 160000, province_code="11")  # far west of Điện Biên's zone, in Laos/sea
    assert "outside Vietnam" in exc.value.message


def test_messages_are_in_vietnamese_by_default(db):
    with translation.override("vi"), pytest.raises(CoordinateError) as exc:
        vn2000_to_wgs84(603000, 1355000, province_code="56")
    assert "X và Y có vẻ bị đảo" in exc.value.message


def test_source_label():
    assert source_label(108.25) == "VN-2000 TM-3 108°15′"

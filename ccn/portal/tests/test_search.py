"""The public search: which clusters it shows, every filter, sorting, the distance (box then haversine), and its
JSON twin; one query for the list whatever the number of clusters."""

from decimal import Decimal

import pytest
from django.urls import reverse

from ccn.infrastructure.models import WastewaterPlant
from ccn.portal.selectors import bbox, haversine_km, portal_search
from ccn.portal.services import offer_save

from .factories import lease, portal_cluster

pytestmark = pytest.mark.django_db


def codes(**filters) -> list[str]:
    return [c.code for c in portal_search(filters)]


@pytest.fixture
def clusters(users):
    admin = users["admin"]
    a = portal_cluster(code="KHA-A", ready="10", sectors=["10"], lat=12.25, lon=109.18)  # Nha Trang
    lease(a, "7")  # 3 ha vacant
    b = portal_cluster(code="KHA-B", ready="20", sectors=["C"], lat=12.70, lon=109.10)  # ~50 km north
    c = portal_cluster(code="KHA-C", ready="4", sectors=["25"], status="under_construction", lat=11.95, lon=108.44)
    hn = portal_cluster(code="HNI-D", province_code="01", ready="30", sectors=["A"], lat=21.03, lon=105.85)
    portal_cluster(code="KHA-PLANNED", status="planned", ready=None, industrial=None)
    portal_cluster(code="KHA-HIDDEN", is_published=False)
    WastewaterPlant.objects.create(cluster=b, status="operating")
    WastewaterPlant.objects.create(cluster=a, status="under_construction")
    offer_save(
        actor=admin,
        cluster=a,
        data={"price_min": Decimal("900000"), "price_max": Decimal("1200000"), "is_published": True},
    )
    offer_save(
        actor=admin,
        cluster=b,
        data={"price_min": Decimal("50"), "currency": "USD", "exchange_rate": Decimal("25000"), "is_published": True},
    )
    # A whole-term price of 20,000,000 VND/m² over 40 years is 500,000 VND/m²/year.
    offer_save(
        actor=admin,
        cluster=c,
        data={"price_min": Decimal("20000000"), "price_unit": "m2_term", "term_years": 40, "is_published": True},
    )
    # Not published: its price must neither show nor count in the search.
    offer_save(actor=admin, cluster=hn, data={"price_min": Decimal("1"), "is_published": False})
    return {"a": a, "b": b, "c": c, "hn": hn}


def test_only_published_operating_or_under_construction(clusters):
    assert sorted(codes(sort="name")) == ["HNI-D", "KHA-A", "KHA-B", "KHA-C"]


def test_filters(clusters):
    assert sorted(codes(province="56")) == ["KHA-A", "KHA-B", "KHA-C"]
    # vacant land: A has 10 - 7 = 3 ha, B 20, C 4, D 30
    assert sorted(codes(province="56", min_vacant_ha=Decimal("3.5"))) == ["KHA-B", "KHA-C"]
    assert sorted(codes(min_vacant_ha=Decimal("3"))) == ["HNI-D", "KHA-A", "KHA-B", "KHA-C"]
    assert codes(wastewater=True) == ["KHA-B"]
    assert codes(q="kha-c") == ["KHA-C"]


def test_sector_filter_matches_sections_divisions_and_codes(clusters):
    # 1079 (food) fits A's division 10 and B's section C; not C's division 25 nor D's section A.
    assert sorted(codes(sector="1079")) == ["KHA-A", "KHA-B"]
    assert sorted(codes(sector="25")) == ["KHA-B", "KHA-C"]
    # A section finds clusters permitting the section or any of its divisions.
    assert sorted(codes(sector="C")) == ["KHA-A", "KHA-B", "KHA-C"]
    assert codes(sector="a") == ["HNI-D"]


def test_prices_are_compared_per_m2_per_year_in_vnd(clusters):
    by_code = {c.code: c for c in portal_search()}
    assert by_code["KHA-A"].price_from == Decimal("900000") and by_code["KHA-A"].price_to == Decimal("1200000")
    assert by_code["KHA-B"].price_from == Decimal("1250000") == by_code["KHA-B"].price_to
    assert by_code["KHA-C"].price_from == Decimal("500000")
    assert by_code["HNI-D"].price_from is None  # unpublished offer
    assert sorted(codes(price_to=Decimal("1000000"))) == ["KHA-A", "KHA-C"]
    assert sorted(codes(price_from=Decimal("1000000"))) == ["KHA-A", "KHA-B"]
    assert codes(price_from=Decimal("1210000"), price_to=Decimal("1300000")) == ["KHA-B"]


def test_sorting(clusters):
    assert codes(sort="vacant") == ["HNI-D", "KHA-B", "KHA-C", "KHA-A"]
    assert codes(sort="price") == ["KHA-C", "KHA-A", "KHA-B", "HNI-D"]


def test_distance_uses_the_haversine_inside_the_box(clusters):
    nha_trang = (12.2388, 109.1967)
    result = {c.code: c.distance_km for c in portal_search({"lat": nha_trang[0], "lon": nha_trang[1], "km": 60})}
    assert set(result) == {"KHA-A", "KHA-B"}
    assert result["KHA-B"] == pytest.approx(haversine_km(*nha_trang, 12.70, 109.10), rel=1e-6)
    assert 50 < result["KHA-B"] < 53
    assert codes(lat=nha_trang[0], lon=nha_trang[1], km=10) == ["KHA-A"]
    # C is ~82 km away: in a 90 km radius, and sorted by distance
    assert codes(lat=nha_trang[0], lon=nha_trang[1], km=90, sort="distance") == ["KHA-A", "KHA-B", "KHA-C"]


def test_box_holds_the_circle():
    min_lat, max_lat, min_lon, max_lon = bbox(12.0, 109.0, 50)
    for bearing_point in ((12.0 + 0.449, 109.0), (12.0, 109.0 + 0.459), (12.0 - 0.449, 109.0)):
        assert haversine_km(12.0, 109.0, *bearing_point) <= 50.5
        assert min_lat <= bearing_point[0] <= max_lat and min_lon <= bearing_point[1] <= max_lon


def test_search_page_and_query_count(client, clusters, django_assert_max_num_queries):
    for i in range(8):
        portal_cluster(code=f"KHA-X{i}")
    with django_assert_max_num_queries(8):
        response = client.get(reverse("portal:search"), {"province": "56", "min_vacant_ha": "2", "sector": "1079"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "KHA-A" in html and "KHA-B" in html and "KHA-C" not in html
    assert 'id="map-points"' in html


def test_search_page_shows_bad_input_clearly(client, clusters):
    response = client.get(reverse("portal:search"), {"sector": "<b>x", "lat": "12", "km": "-4"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<b>x" not in html and "&lt;b&gt;x" in html
    assert "latitude and the longitude" in html or "vĩ độ" in html


def test_api_search(client, clusters):
    response = client.get(
        "/api/v1/portal/clusters", {"province": "56", "min_vacant_ha": 2, "sort": "price", "wastewater": "false"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert [i["code"] for i in body["items"]] == ["KHA-C", "KHA-A", "KHA-B"]
    first = body["items"][1]
    assert Decimal(first["vacant_land_ha"]) == Decimal("3") and first["url"] == "/portal/clusters/KHA-A/"
    bad = client.get("/api/v1/portal/clusters", {"sector": "99999x"})
    assert bad.status_code == 422 and "VSIC" in bad.json()["detail"]
    assert client.get("/api/v1/portal/clusters", {"lat": 12}).status_code == 422


def test_a_value_that_does_not_validate_matches_nothing_and_says_why(client, clusters):
    """One declaration (filters.PortalSearchFilterSet) for the page, the CSV and the API: a code that is not VSIC or
    a radius out of bounds is refused by all three, never dropped to show every cluster."""
    assert codes(sector="99999x") == [] and codes(km=5000, lat=12, lon=109) == []
    html = client.get(reverse("portal:search"), {"sector": "99"}).content.decode()
    assert "KHA-A" not in html and ("division 99" in html or "ngành cấp 2 99" in html or "99" in html)
    text = client.get(reverse("portal:search_csv"), {"sector": "zz"}).content.decode("utf-8-sig")
    assert "KHA-" not in text and "HNI-" not in text
    assert client.get("/api/v1/portal/clusters", {"km": 5000, "lat": 12, "lon": 109}).status_code == 422
    assert client.get("/api/v1/portal/clusters", {"q": "x" * 101}).status_code == 422
    assert client.get("/api/v1/portal/clusters", {"price_from": 2, "price_to": 1}).status_code == 422
    # A number the API reads as a float (1000000.0) is the page's 1000000.
    assert client.get("/api/v1/portal/clusters", {"price_to": 1000000.0}).json()["count"] == 2
    # Sorting by distance without a point falls back to the most vacant land, as before.
    assert codes(sort="distance") == codes(sort="vacant") == ["HNI-D", "KHA-B", "KHA-C", "KHA-A"]


def test_csv_download_is_the_search(client, clusters):
    response = client.get(reverse("portal:search_csv"), {"province": "56", "sector": "25"})
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "KHA-B" in text and "KHA-C" in text and "KHA-A" not in text and "HNI-D" not in text

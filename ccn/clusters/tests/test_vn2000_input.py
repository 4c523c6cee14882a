"""VN-2000 as an alternative input of a cluster's location, in the API and in the cluster form."""

import json

import pytest

from ccn.clusters.models import Cluster
from ccn.geo.crs import vn2000_to_wgs84
from ccn.geo.models import Commune


def _commune(code="56"):
    return Commune.objects.filter(province__code=code).order_by("code").first().code


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_api_create_with_vn2000_converts_and_records_the_source(client, users):
    client.force_login(users["editor"])
    body = {
        "code": "KHA-VN",
        "name": "Cụm công nghiệp Suối Dầu",
        "province": "56",
        "communes": [_commune()],
        "area_planned_ha": "50",
        "vn2000": {"x": "1355000,5", "y": 603000},
    }
    response = post(client, "/api/v1/clusters", body)
    assert response.status_code == 201, response.content
    cluster = Cluster.objects.get(code="KHA-VN")
    expected = vn2000_to_wgs84(1355000.5, 603000, province_code="56")
    assert (cluster.lat, cluster.lon) == (expected.lat, expected.lon)
    assert cluster.coordinate_source == "VN-2000 TM-3 108°15′"
    assert (cluster.min_lon, cluster.min_lat) == (cluster.lon, cluster.lat)  # the bbox columns follow


@pytest.mark.parametrize(
    ("vn2000", "field"),
    [
        ({"x": "abc", "y": 603000}, "vn2000.x"),
        ({"x": 603000, "y": 1355000}, "vn2000.x"),
        ({"x": 1355000, "y": 10}, "vn2000.y"),
        ({"x": 1355000, "y": 603000, "meridian": 99.9}, "vn2000.meridian"),
    ],
)
def test_api_refuses_malformed_vn2000(client, users, vn2000, field):
    client.force_login(users["editor"])
    body = {
        "code": "KHA-BAD",
        "name": "Cụm công nghiệp Hỏng",
        "province": "56",
        "communes": [_commune()],
        "area_planned_ha": "50",
        "vn2000": vn2000,
    }
    response = post(client, "/api/v1/clusters", body)
    assert response.status_code == 422
    data = json.loads(response.content)
    assert field in data["errors"] and data["detail"]
    assert not Cluster.objects.filter(code="KHA-BAD").exists()


def test_api_update_with_vn2000_and_back_to_wgs84(client, users):
    from ccn.clusters.tests.factories import make_cluster

    make_cluster(code="KHA-UP", lat=12.2, lon=109.1, actor=users["admin"])
    client.force_login(users["editor"])
    response = client.patch(
        "/api/v1/clusters/KHA-UP",
        json.dumps({"vn2000": {"x": 1355000, "y": 603000}, "version": 1}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    cluster = Cluster.objects.get(code="KHA-UP")
    assert cluster.coordinate_source.startswith("VN-2000") and round(cluster.lat, 3) == 12.251
    client.patch(
        "/api/v1/clusters/KHA-UP",
        json.dumps({"lat": 12.3, "lon": 109.2, "version": 2}),
        content_type="application/json",
    )
    cluster.refresh_from_db()
    assert cluster.coordinate_source == "WGS84" and cluster.lat == 12.3


def _form(**extra):
    data = {
        "code": "KHA-FORM",
        "name": "Cụm công nghiệp Biểu Mẫu",
        "kind": "ordinary",
        "province": "",
        "communes": [],
        "area_planned_ha": "50",
        "is_published": "on",
    }
    data.update(extra)
    return data


def test_form_with_vn2000(client, users, kha):
    client.force_login(users["editor"])
    commune = Commune.objects.get(code=_commune())
    response = client.get("/clusters/new/")
    assert "vn2000_x" in response.content.decode()
    response = client.post(
        "/clusters/new/",
        _form(
            province=kha.pk, communes=[commune.pk], coordinate_system="vn2000", vn2000_x="1355000", vn2000_y="603000"
        ),
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    cluster = Cluster.objects.get(code="KHA-FORM")
    assert cluster.coordinate_source == "VN-2000 TM-3 108°15′" and round(cluster.lon, 3) == 109.199


def test_form_refuses_malformed_vn2000_with_a_message(client, users, kha):
    client.force_login(users["editor"])
    commune = Commune.objects.get(code=_commune())
    response = client.post(
        "/clusters/new/",
        _form(
            province=kha.pk, communes=[commune.pk], coordinate_system="vn2000", vn2000_x="603000", vn2000_y="1355000"
        ),
    )
    assert response.status_code == 200
    assert "bị đảo" in " ".join(response.context["form"].errors["vn2000_x"])
    response = client.post("/clusters/new/", _form(province=kha.pk, communes=[commune.pk], coordinate_system="vn2000"))
    assert "vn2000_x" in response.context["form"].errors
    assert not Cluster.objects.filter(code="KHA-FORM").exists()

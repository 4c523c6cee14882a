"""The map page and its data, open-data downloads, boundaries loaded from a file, and the location panel."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from openpyxl import load_workbook

from ccn.geo.models import Commune, Province


def test_map_page_renders_filters_downloads_and_config(client, geo_clusters):
    response = client.get("/geo/map/?province=56")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="cluster-map"' in html and "vendor/leaflet/leaflet.js" in html
    assert "/geo/clusters.csv?province=56" in html and "/ogc/" in html
    config = response.context["config"]
    assert config["dataUrl"] == "/geo/map/clusters.geojson?province=56"
    assert config["tileUrl"] == ""
    assert len(config["legend"]["status"]) == 11
    # Every legend entry carries a glyph, so the colour is not the only cue.
    assert all(entry["glyph"] for entry in config["legend"]["status"] + config["legend"]["occupancy"])


@override_settings(MAP_TILE_URL="https://tiles.example.org/{z}/{x}/{y}.png")
def test_map_page_passes_the_tile_url(client, db):
    assert client.get("/geo/map/").context["config"]["tileUrl"] == "https://tiles.example.org/{z}/{x}/{y}.png"


def test_map_data_public_and_scoped(client, users, geo_clusters):
    data = json.loads(client.get("/geo/map/clusters.geojson").content)
    assert sorted(f["id"] for f in data["features"]) == ["HNI-A", "KHA-A", "KHA-B"]
    assert data["unlocated"] == 1  # KHA-N has no coordinates
    b = next(f for f in data["features"] if f["id"] == "KHA-B")["properties"]
    assert b["boundary"]["type"] == "Polygon" and b["url"] == "/clusters/KHA-B/"
    assert "infra_capital_approved_bn" not in b
    client.force_login(users["editor"])
    data = json.loads(client.get("/geo/map/clusters.geojson?status=planned").content)
    assert sorted(f["id"] for f in data["features"]) == ["KHA-B", "KHA-H"]


def test_map_data_query_count_is_constant(client, geo_clusters, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        assert client.get("/geo/map/clusters.geojson").status_code == 200


def test_units_endpoint_gives_centres_and_communes_of_a_province(client, db):
    data = json.loads(client.get("/geo/map/units.json?province=56").content)
    assert len(data["provinces"]) == 34
    assert data["communes"] and all(c["lat"] is not None for c in data["communes"])
    assert len(data["communes"]) == Commune.objects.filter(province__code="56").count()


def test_geojson_download_carries_licence_and_date(client, geo_clusters):
    response = client.get("/geo/clusters.geojson?province=56")
    assert response["Content-Disposition"].startswith('attachment; filename="ccn-clusters-')
    data = json.loads(response.content)
    assert data["licence"] == "CC BY 4.0" and data["asOf"]
    assert sorted(f["id"] for f in data["features"]) == ["KHA-A", "KHA-B", "KHA-N"]
    nowhere = next(f for f in data["features"] if f["id"] == "KHA-N")
    assert nowhere["geometry"] is None
    assert "ghi chú" not in response.content.decode()


def test_csv_download_is_utf8_with_bom_and_public_columns(client, geo_clusters):
    response = client.get("/geo/clusters.csv")
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert {r["code"] for r in rows} == {"HNI-A", "KHA-A", "KHA-B", "KHA-N"}
    assert "Cụm công nghiệp Diên Phú" in {r["name"] for r in rows}
    assert all(r["licence"] == "CC BY 4.0" and r["as_of"] for r in rows)
    for secret in ("internal_notes", "infra_capital_approved_bn", "is_published"):
        assert secret not in rows[0]


def test_csv_download_for_a_signed_in_user_adds_scoped_fields(client, users, geo_clusters):
    client.force_login(users["editor"])
    rows = list(csv.DictReader(io.StringIO(client.get("/geo/clusters.csv").content.decode().lstrip("\ufeff"))))
    hidden = next(r for r in rows if r["code"] == "KHA-H")
    assert hidden["infra_capital_approved_bn"] == "123.5" and hidden["is_published"] == "False"
    assert "internal_notes" not in hidden
    assert {r["code"] for r in rows} == {"KHA-A", "KHA-B", "KHA-H", "KHA-N"}


def test_xlsx_download_has_title_licence_and_vietnamese_names(client, geo_clusters):
    response = client.get("/geo/clusters.xlsx?province=01")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    flat = " ".join(str(v) for row in values for v in row if v is not None)
    assert "CC BY 4.0" in flat and "Cụm công nghiệp Thanh Oai" in flat
    assert "Cụm công nghiệp Ẩn" not in flat


def test_unknown_download_format_is_404(client):
    assert client.get("/geo/clusters.pdf").status_code == 404


def _write(tmp_path, features):
    path = tmp_path / "units.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False))
    return str(path)


def _square(x, y, d=0.5):
    return {"type": "Polygon", "coordinates": [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]}


def test_load_boundaries_matches_by_code_and_by_name(db, tmp_path, capsys):
    path = _write(
        tmp_path,
        [
            {"type": "Feature", "properties": {"ma_tinh": "56"}, "geometry": _square(108.6, 11.8)},
            {"type": "Feature", "properties": {"ten_tinh": "Ha Noi"}, "geometry": _square(105.3, 20.6)},
            {"type": "Feature", "properties": {"name": "Atlantis"}, "geometry": _square(1, 1)},
            {"type": "Feature", "properties": {"code": "79"}, "geometry": {"type": "Point", "coordinates": [1, 1]}},
        ],
    )
    call_command("load_boundaries", path, "--level", "province", "--dry-run")
    assert Province.objects.get(code="56").boundary is None
    call_command("load_boundaries", path, "--level", "province")
    out, err = capsys.readouterr()
    assert "2 province boundaries loaded" in out
    assert "Atlantis" in err and "Polygon hoặc MultiPolygon" in err  # messages in the default language, Vietnamese
    assert Province.objects.get(code="56").boundary["type"] == "Polygon"
    assert Province.objects.get(code="01").boundary["coordinates"][0][0] == [105.3, 20.6]
    assert Province.objects.get(code="79").boundary is None


def test_load_boundaries_for_communes_and_bad_files(db, tmp_path):
    commune = Commune.objects.filter(province__code="56").order_by("code").first()
    path = _write(
        tmp_path, [{"type": "Feature", "properties": {"MA_XA": commune.code}, "geometry": _square(109, 12, 0.05)}]
    )
    call_command("load_boundaries", path, "--level", "commune", "--simplify", "0.001")
    commune.refresh_from_db()
    assert commune.boundary["type"] == "Polygon"
    bad = tmp_path / "bad.geojson"
    bad.write_text("not json")
    with pytest.raises(CommandError):
        call_command("load_boundaries", str(bad), "--level", "province")
    with pytest.raises(CommandError):
        call_command("load_boundaries", str(tmp_path / "missing.geojson"), "--level", "province")
    bad.write_text('{"type": "Feature"}')
    with pytest.raises(CommandError):
        call_command("load_boundaries", str(bad), "--level", "province")


def test_boundaries_reach_the_map_units(client, db, tmp_path):
    path = _write(tmp_path, [{"type": "Feature", "properties": {"code": "56"}, "geometry": _square(108.6, 11.8)}])
    call_command("load_boundaries", path, "--level", "province")
    data = json.loads(client.get("/geo/map/units.json").content)
    assert next(p for p in data["provinces"] if p["code"] == "56")["boundary"]["type"] == "Polygon"


def test_location_panel_on_the_cluster_page(client, users, geo_clusters):
    response = client.get("/clusters/KHA-A/")
    html = response.content.decode()
    assert "/geo/map/?q=KHA-A" in html and "/ogc/collections/clusters/items/KHA-A" in html
    assert "108°15′" not in html  # VN-2000 figures only for signed-in users
    client.force_login(users["editor"])
    html = client.get("/clusters/KHA-A/").content.decode()
    assert "108°15′" in html


def test_map_in_the_menu_for_signed_in_users(client, users):
    client.force_login(users["editor"])
    assert 'href="/geo/map/"' in client.get("/clusters/").content.decode()


def test_map_data_conditional_get_and_invalidation(
    client, users, geo_clusters, settings, django_capture_on_commit_callbacks
):
    """With the page cache on: the map data carries an ETag; asked again with it, a 304; after a write (once it
    commits) the ETag is new and the body shows the change — never the copy from before."""
    from ccn.clusters.services import cluster_update
    from ccn.core.testing import run_commit_callbacks

    settings.PAGE_CACHE = True
    cluster = geo_clusters["kha_pub"]
    first = client.get("/geo/map/clusters.geojson")
    tag = first["ETag"]
    assert first.status_code == 200 and tag
    again = client.get("/geo/map/clusters.geojson", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again["ETag"] == tag
    cluster_update(actor=users["admin"], cluster=cluster, data={"name": "Cụm công nghiệp Tên Mới"})
    assert client.get("/geo/map/clusters.geojson", headers={"If-None-Match": tag}).status_code == 304  # not committed
    run_commit_callbacks()  # the test's transaction never commits
    after = client.get("/geo/map/clusters.geojson", headers={"If-None-Match": tag})
    assert after.status_code == 200 and after["ETag"] != tag
    names = [f["properties"]["name"] for f in json.loads(after.content)["features"]]
    assert "Cụm công nghiệp Tên Mới" in names

"""The running app read by outside programs: GDAL's OGC API client, Chromium with no internet, LibreOffice."""

import csv
import json
import subprocess
import urllib.request

import pytest

# Khánh Hòa's sample clusters lie in this box; Hà Nội's do not.
KHA_BOX = ("108.5", "11.5", "109.5", "13.0")
KHA_SAMPLE = {"KHA-DIENTHO", "KHA-KHATOCONINHICH", "KHA-NINHXUAN", "KHA-SONGCAU", "KHA-TRANGE", "KHA-TRANGE2"}


DEMO_PASSWORD = "ccn-demo-2026"  # noqa: S105 - the documented demo sign-in


def sign_in(page, base_url, username):
    # The login form's own button: the header's language buttons are submit buttons too.
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/accounts/login/" not in page.url


def run(*args, cwd=None):
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=180, cwd=cwd).stdout


def _sample_count(app_server):
    with urllib.request.urlopen(f"{app_server}/ogc/collections/clusters/items?limit=1") as r:  # noqa: S310
        return json.load(r)["numberMatched"]


@pytest.mark.gdal
def test_ogrinfo_lists_the_layer_with_count_and_extent(app_server):
    total = _sample_count(app_server)
    assert total >= 18
    out = run("ogrinfo", "-so", "-ro", f"OAPIF:{app_server}/ogc/", "clusters")
    assert "Layer name: clusters" in out
    assert f"Feature Count: {total}" in out
    extent = next(line for line in out.splitlines() if line.startswith("Extent:"))
    # From Khánh Hòa (about 108.9 E, 12.1 N) to Hà Nội (about 106 E, 21 N).
    (west, south), (east, north) = (
        tuple(float(v) for v in part.strip(" ()").split(",")) for part in extent.removeprefix("Extent:").split("-")
    )
    assert 105 < west < 106 and 12 < south < 12.2 and 109 < east < 109.2 and 21 < north < 21.2


@pytest.mark.gdal
def test_ogr2ogr_copies_one_provinces_clusters_to_a_geopackage(app_server, tmp_path):
    gpkg = tmp_path / "kha.gpkg"
    run("ogr2ogr", "-f", "GPKG", str(gpkg), f"OAPIF:{app_server}/ogc/", "clusters", "-spat", *KHA_BOX)
    out = run("ogrinfo", "-ro", "-al", "-q", str(gpkg))
    assert "Feature Count" not in out  # -q lists features only
    codes = {line.split("=", 1)[1].strip() for line in out.splitlines() if line.strip().startswith("code (String)")}
    assert codes == KHA_SAMPLE
    summary = run("ogrinfo", "-so", "-ro", str(gpkg), "clusters")
    assert f"Feature Count: {len(KHA_SAMPLE)}" in summary
    assert "Cụm công nghiệp Trảng É" in out


@pytest.mark.browser
def test_map_shows_the_sample_clusters_with_no_internet(app_server, page):
    outside = []

    def only_local(route):
        if route.request.url.startswith(app_server):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)
    sign_in(page, app_server, "khanhhoa.editor")
    page.goto(f"{app_server}/geo/map/")
    page.wait_for_selector("#cluster-map[data-loaded]")
    # the editor's scope: Khánh Hòa's sample clusters, close ones gathered into a numbered group until zoomed in
    assert page.locator("#map-table tbody tr").count() == 6
    groups = page.locator("#cluster-map .marker-cluster")
    singles = page.locator("#cluster-map .leaflet-marker-icon:not(.marker-cluster)")
    grouped = sum(int(groups.nth(i).inner_text()) for i in range(groups.count()))
    assert singles.count() + grouped == 6
    assert "6" in page.locator("#map-count").inner_text()
    assert page.locator(".leaflet-control-scale").count() == 1
    # the offline base map: the 34 provinces from the bundled boundaries, with no request outside the app
    page.wait_for_selector("#cluster-map[data-provinces='34']")
    assert page.locator("#cluster-map .leaflet-provinces-pane path").count() >= 34
    if not singles.count():
        groups.first.click()
        page.wait_for_timeout(800)
    singles.first.click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "/clusters/KHA-" in popup.locator("a").get_attribute("href")
    page.check("input[name=colour][value=occupancy]")
    assert "?" in page.locator("#map-legend-items").inner_text()
    assert outside == []


@pytest.mark.office
def test_xlsx_download_opens_in_libreoffice_with_vietnamese_intact(app_server, tmp_path):
    xlsx = tmp_path / "clusters.xlsx"
    with urllib.request.urlopen(f"{app_server}/geo/clusters.xlsx?province=56") as r:  # noqa: S310
        xlsx.write_bytes(r.read())
    run(
        "soffice",
        f"-env:UserInstallation=file://{tmp_path}/lo-profile",
        "--headless",
        "--convert-to",
        "csv:Text - txt - csv (StarCalc):44,34,76",
        "--outdir",
        str(tmp_path),
        str(xlsx),
    )
    with (tmp_path / "clusters.csv").open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    names = {cell for row in rows for cell in row}
    assert {"Cụm công nghiệp Trảng É", "Cụm công nghiệp Diên Thọ", "Cụm công nghiệp Khatoco Ninh Ích"} <= names
    assert any("CC BY 4.0" in cell for row in rows for cell in row)

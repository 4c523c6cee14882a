"""The grouped menu each app registers: six groups at most, the role's own entries first, the current page marked,
and a page's header carrying it (with the phone menu button and the favicon)."""

import json
from pathlib import Path

from django.urls import reverse

from ccn.accounts.scope import role_of
from ccn.core import menus
from ccn.core.menus import NAV_GROUPS


def nav_groups(user, path=""):
    return menus.nav_groups(role_of(user), path)


def test_every_group_a_menu_shows_is_one_of_the_six(users):
    for user in users.values():
        groups = nav_groups(user)
        assert groups, user.role
        assert {g["key"] for g in groups} <= set(NAV_GROUPS)
        assert len(NAV_GROUPS) == 6


def test_the_roles_own_group_comes_first(users):
    assert nav_groups(users["ministry"])[0]["key"] in {"reports", "plans"}
    assert nav_groups(users["editor"])[0]["key"] == "registry"
    assert nav_groups(users["commune"])[0]["key"] in {"registry", "obstacles"}
    assert nav_groups(users["investor"])[0]["key"] in {"reports", "map"}
    first_of_map = [g for g in nav_groups(users["investor"]) if g["key"] == "map"][0]["items"][0]
    assert first_of_map["own"] is True


def test_a_role_sees_only_its_entries(users):
    tenant_urls = {i["url"] for g in nav_groups(users["tenant"]) for i in g["items"]}
    editor_urls = {i["url"] for g in nav_groups(users["editor"]) for i in g["items"]}
    assert reverse("procedures:dossiers") not in tenant_urls
    assert reverse("procedures:dossiers") in editor_urls


def test_the_current_page_is_marked_once_with_its_group(users):
    inspections = reverse("procedures:inspections")
    groups = nav_groups(users["editor"], inspections + "12/")
    current = [(g["key"], i["url"]) for g in groups for i in g["items"] if i["current"]]
    assert current == [("procedures", inspections)]
    assert [g["key"] for g in groups if g["current"]] == ["procedures"]


def test_the_header_has_the_grouped_menu_the_phone_button_and_the_favicon(client, users):
    client.force_login(users["editor"])
    html = client.get("/clusters/").content.decode()
    assert 'class="menu-toggle"' in html and 'aria-controls="site-nav"' in html
    assert html.count('<details class="nav-menu">') >= 4
    assert 'aria-current="page"' in html
    assert 'rel="icon"' in html and "favicon.svg" in html
    assert "Cụm công nghiệp Việt Nam" in html


def test_the_public_header_offers_land_search_map_and_clusters(client, db):
    html = client.get("/").content.decode()
    for url in ("/portal/", "/geo/map/", "/clusters/"):
        assert f'href="{url}"' in html


def test_the_bundled_province_boundaries_are_the_34_provinces():
    data = json.loads((Path(__file__).resolve().parents[2] / "geo" / "data" / "provinces-34.geojson").read_text())
    codes = {f["properties"]["code"] for f in data["features"]}
    assert len(codes) == 34 and "56" in codes and "01" in codes
    assert all(f["geometry"]["type"] == "MultiPolygon" for f in data["features"])

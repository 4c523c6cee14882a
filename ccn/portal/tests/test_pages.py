"""Public pages: titles and descriptions per page, both languages, the sitemap, the land-date warning, the
profile's query count, and the internal pages' navigation."""

import datetime
import re

import pytest
from django.utils import timezone

from ccn.infrastructure.models import InfrastructureComponent, WastewaterPlant
from ccn.portal.services import offer_save

from .factories import portal_cluster

pytestmark = pytest.mark.django_db


def head(html: str) -> tuple[str, str]:
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
    description = re.search(r'<meta name="description" content="([^"]*)"', html).group(1)
    return title, description


@pytest.fixture
def cluster(users):
    c = portal_cluster(code="KHA-P", name="Cụm công nghiệp Suối Dầu", ready="12", sectors=["10", "C"])
    offer_save(
        actor=users["editor"], cluster=c, data={"price_min": 1000000, "utilities": "Điện 22 kV", "is_published": True}
    )
    WastewaterPlant.objects.create(cluster=c, status="operating", design_capacity_m3_day=500)
    InfrastructureComponent.objects.create(cluster=c, kind="roads", status="completed", percent_complete=100)
    return c


def test_titles_and_descriptions_differ_per_page(client, cluster):
    pages = {
        "/portal/": None,
        "/portal/?province=56": "Khánh Hòa",
        "/portal/clusters/KHA-P/": "Suối Dầu",
        "/portal/clusters/KHA-P/inquire/": "Suối Dầu",
    }
    seen = set()
    for url, expect in pages.items():
        title, description = head(client.get(url, headers={"Accept-Language": "vi"}).content.decode())
        assert title and description and (title, description) not in seen
        seen.add((title, description))
        if expect:
            assert expect in title
    title, description = head(client.get("/portal/clusters/KHA-P/").content.decode())
    assert "Cổng thông tin nhà đầu tư" in title and "đất trống 12 ha" in description


def test_english(client, cluster):
    html = client.get("/portal/clusters/KHA-P/", headers={"Accept-Language": "en"}).content.decode()
    assert '<html lang="en">' in html and "Lease price and fees" in html and "Manufacture of food products" in html
    vi = client.get("/portal/clusters/KHA-P/", headers={"Accept-Language": "vi"}).content.decode()
    assert "Giá thuê và phí" in vi and "Trạm xử lý nước thải tập trung" in vi


def test_profile_contents_and_query_count(client, cluster, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        html = client.get("/portal/clusters/KHA-P/", headers={"Accept-Language": "en"}).content.decode()
    assert "Operating" in html and "500 m³" in html and "Internal roads" in html and "Điện 22 kV" in html
    assert "These land figures were confirmed more than six months ago" not in html


def test_stale_land_figures_are_flagged(client, users):
    old = timezone.localdate() - datetime.timedelta(days=200)
    portal_cluster(code="KHA-OLD", confirmed_on=old)
    html = client.get("/portal/clusters/KHA-OLD/", headers={"Accept-Language": "en"}).content.decode()
    assert "more than six months ago" in html
    assert client.get("/api/v1/portal/clusters/KHA-OLD").json()["land_figures_stale"] is True


def test_sitemap_lists_public_profiles_only(client, cluster):
    portal_cluster(code="KHA-HIDE", is_published=False)
    portal_cluster(code="KHA-PLAN", status="planned", ready=None, industrial=None)
    xml = client.get("/portal/sitemap.xml").content.decode()
    assert "/portal/clusters/KHA-P/" in xml and "/portal/</loc>" in xml
    assert "KHA-HIDE" not in xml and "KHA-PLAN" not in xml


def test_search_is_a_shareable_get_url(client, cluster):
    html = client.get("/portal/", {"province": "56", "min_vacant_ha": "2"}).content.decode()
    assert 'method="get"' in html and 'href="/portal/clusters/KHA-P/"' in html
    assert '<link rel="canonical" href="http://testserver/portal/?province=56&amp;min_vacant_ha=2">' in html


def test_navigation_for_handlers(client, users):
    client.force_login(users["investor"])
    html = client.get("/clusters/").content.decode()
    assert 'href="/portal/leads/"' in html and 'href="/portal/"' in html
    client.force_login(users["ministry"])
    assert 'href="/portal/leads/"' not in client.get("/clusters/").content.decode()

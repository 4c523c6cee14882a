"""Pages kept in the shared cache by data version and scope (ccn/core/pagecache.py, docs/production.md "Caching"):
the map data gzipped once, the portal search, the cluster list and a cluster's page. Nothing of one scope is ever
sent to another, no copy or ETag from before a write is served, and a cache that is down leaves the pages
answering."""

from __future__ import annotations

import gzip
import json
import re

import pytest
from django.conf import settings as django_settings
from django.middleware.csrf import _unmask_cipher_token

from ccn.accounts import policy
from ccn.accounts.choices import Role
from ccn.accounts.tests.factories import make_user
from ccn.clusters.models import Cluster
from ccn.clusters.services import cluster_update
from ccn.core import pagecache
from ccn.core.testing import run_commit_callbacks

LOCMEM = "django.core.cache.backends.locmem.LocMemCache"
FALLBACK_CACHE = "ccn.core.cache.FallbackCache"
DEAD_REDIS = {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": "redis://127.0.0.1:1/0",
    "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
}


def test_map_data_is_kept_gzipped_and_sent_as_asked(client, users, geo_clusters, page_cache):
    plain = client.get("/geo/map/clusters.geojson")
    packed = client.get("/geo/map/clusters.geojson", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert "Content-Encoding" not in plain and packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content) == plain.content
    assert plain["ETag"] == packed["ETag"]
    names = {f["properties"]["name"] for f in json.loads(plain.content)["features"]}
    assert "Cụm công nghiệp Diên Phú" in names and "Cụm công nghiệp Bí Mật" not in names  # the public's clusters


def test_map_data_of_one_scope_is_never_sent_to_another(client, users, geo_clusters, page_cache):
    client.force_login(users["editor"])  # Khánh Hòa: sees its unpublished cluster
    own = json.loads(client.get("/geo/map/clusters.geojson").content)
    assert "Cụm công nghiệp Bí Mật" in {f["properties"]["name"] for f in own["features"]}
    client.force_login(users["other_editor"])  # Hà Nội: the cached Khánh Hòa copy must not be served
    other = json.loads(client.get("/geo/map/clusters.geojson").content)
    names = {f["properties"]["name"] for f in other["features"]}
    assert "Cụm công nghiệp Bí Mật" not in names and "Cụm công nghiệp Ẩn" in names
    client.logout()
    public = client.get("/geo/map/clusters.geojson").content.decode()
    assert "Bí Mật" not in public and "Ẩn" not in public


def test_scope_key_is_shared_within_a_scope_only(users, kha):
    second_editor = make_user("editor2", role=Role.PROVINCE_EDITOR, province=kha)
    key = policy.scope_key
    assert key(users["editor"], Cluster) == key(second_editor, Cluster)
    assert key(users["editor"], Cluster) != key(users["other_editor"], Cluster)
    assert key(users["editor"], Cluster) != key(users["approver"], Cluster)  # another role, other buttons
    assert key(users["investor"], Cluster) != key(users["other_investor"], Cluster)
    assert key(users["ministry"], Cluster) != key(users["admin"], Cluster)
    from django.contrib.auth.models import AnonymousUser

    assert key(AnonymousUser(), Cluster) == "public"
    # Rows a user owns (import runs) are keyed by the user themself.
    assert key(users["editor"], "tenants.ImportRun") != key(second_editor, "tenants.ImportRun")


def test_cluster_list_is_kept_per_scope(client, users, geo_clusters, page_cache, django_assert_max_num_queries):
    url = "/clusters/?sort=name"
    client.force_login(users["editor"])
    first = client.get(url).content.decode()
    assert "Cụm công nghiệp Bí Mật" in first
    with django_assert_max_num_queries(4):  # session, user, data version: the table is not built again
        assert client.get(url).content.decode().count("Cụm công nghiệp Bí Mật") == first.count("Cụm công nghiệp Bí Mật")
    client.force_login(users["other_editor"])
    other = client.get(url).content.decode()
    assert "Bí Mật" not in other and "Cụm công nghiệp Ẩn" in other
    client.logout()
    public = client.get(url).content.decode()
    assert "Bí Mật" not in public and "Ẩn" not in public and "Cụm công nghiệp Diên Phú" in public
    assert "XLSX" not in public  # the export links are for signed-in users


def test_cluster_page_is_kept_per_scope_with_the_requests_own_tokens(client, users, geo_clusters, page_cache, kha):
    url = f"/clusters/{geo_clusters['kha_hidden'].code}/"
    client.force_login(users["editor"])
    first = client.get(url)
    assert f"/clusters/{geo_clusters['kha_hidden'].code}/edit/" in first.content.decode()
    colleague = make_user("editor2", role=Role.PROVINCE_EDITOR, province=kha)
    client.force_login(colleague)
    kept = client.get(url)
    body = kept.content.decode()
    assert "<title>Cụm công nghiệp Bí Mật ·" in body and 'content="Cụm công nghiệp Bí Mật — ' in body
    assert "/edit/" in body and 'class="who">editor2' in body  # the kept body, this request's own header
    assert pagecache.CSRF_PLACEHOLDER not in body and pagecache.NONCE_PLACEHOLDER not in body
    # The nonces in the page are this answer's own (the one in its CSP header), not the first answer's.
    nonce = re.search(r"'nonce-([^']+)'", kept["Content-Security-Policy"]).group(1)
    assert set(re.findall(r'nonce="([^"]+)"', body)) == {nonce}
    # Every CSRF token in the page unmasks to this session's secret.
    secret = kept.cookies[django_settings.CSRF_COOKIE_NAME].value
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    assert tokens and {_unmask_cipher_token(t) for t in tokens} == {secret}
    # A province editor of another province is refused the unpublished cluster, and the public too.
    client.force_login(users["other_editor"])
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404
    # A published cluster kept for Khánh Hòa's editors: another province's editor and the public get their own.
    published = f"/clusters/{geo_clusters['kha_pub'].code}/"
    client.force_login(users["editor"])
    assert f"{published}edit/" in client.get(published).content.decode()
    client.force_login(users["other_editor"])
    other = client.get(published).content.decode()
    assert f"{published}edit/" not in other and 'class="who">other_editor' in other
    client.logout()
    public = client.get(published).content.decode()
    assert f"{published}edit/" not in public and "Diên Phú" in public


def test_a_write_makes_every_kept_page_new(client, users, geo_clusters, page_cache):
    cluster = geo_clusters["kha_pub"]
    client.force_login(users["ministry"])
    pages = ["/clusters/?sort=name", f"/clusters/{cluster.code}/", "/portal/?q=c%E1%BB%A5m"]
    for url in pages:
        assert "Cụm công nghiệp Diên Phú" in client.get(url).content.decode()
    tag = client.get("/geo/map/clusters.geojson")["ETag"]
    cluster_update(actor=users["admin"], cluster=cluster, data={"name": "Cụm công nghiệp Diên Phú Mới"})
    run_commit_callbacks()
    for url in pages:
        assert "Cụm công nghiệp Diên Phú Mới" in client.get(url).content.decode(), url
    after = client.get("/geo/map/clusters.geojson", headers={"If-None-Match": tag})
    assert after.status_code == 200 and after["ETag"] != tag  # the stale ETag is never answered with a 304
    assert "Diên Phú Mới" in after.content.decode()


def test_portal_search_is_kept_for_everyone(client, users, geo_clusters, page_cache, django_assert_max_num_queries):
    url = "/portal/?q=c%E1%BB%A5m&page=1"
    first = client.get(url).content.decode()
    assert "Cụm công nghiệp Diên Phú" in first
    with django_assert_max_num_queries(2):  # the data version only
        again = client.get(url).content.decode()
    strip = re.compile(r'(nonce="[^"]+"|value="[^"]{64}"|"X-CSRFToken": "[^"]+")')
    assert strip.sub("", again) == strip.sub("", first)
    with django_assert_max_num_queries(2):  # the same query written otherwise is the same answer
        assert "Cụm công nghiệp Diên Phú" in client.get("/portal/?page=1&q=c%E1%BB%A5m").content.decode()
    client.force_login(users["editor"])  # signed in or not, the public search is the same
    with django_assert_max_num_queries(4):
        assert "Cụm công nghiệp Diên Phú" in client.get(url).content.decode()


@pytest.mark.parametrize("fallback", ["database", "none"])
def test_pages_answer_when_the_cache_is_down(client, users, geo_clusters, settings, fallback):
    """Redis down: the database cache takes over; both down: no version, nothing kept, pages still answer."""
    settings.PAGE_CACHE = True

    def second(alias):
        return {"BACKEND": LOCMEM, "LOCATION": f"fallback-{alias}"} if fallback == "database" else DEAD_REDIS

    settings.CACHES = {  # the data version's and rate limits' cache, and the pages' (config/settings.py)
        alias: {"BACKEND": FALLBACK_CACHE, "OPTIONS": {"PRIMARY": DEAD_REDIS, "FALLBACK": second(alias)}}
        for alias in ("default", "pages")
    }
    client.force_login(users["editor"])
    for url in ["/clusters/?sort=name", f"/clusters/{geo_clusters['kha_pub'].code}/", "/geo/map/clusters.geojson"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Diên Phú" in response.content.decode()
        assert ("ETag" in response) == (fallback == "database") or not url.endswith("geojson")
    client.logout()
    assert "Diên Phú" in client.get("/portal/?q=c%E1%BB%A5m").content.decode()

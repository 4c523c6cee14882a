"""Reads of the cluster API and the OGC API's items kept in the shared cache (ccn/core/pagecache.py): per scope key,
query and language, with the caller known from its token; never another scope's answer, never one from before a
write."""

from __future__ import annotations

import gzip
import json

import pytest

from ccn.accounts.choices import Role
from ccn.accounts.models import ApiToken
from ccn.accounts.tests.factories import make_user
from ccn.clusters.models import Cluster
from ccn.clusters.services import cluster_update
from ccn.core.testing import run_commit_callbacks

LIST = "/api/v1/clusters?sort=name&limit=50"


@pytest.fixture
def bearer(users, kha):
    """`Authorization` headers of tokens: Khánh Hòa's editor and a colleague, Hà Nội's editor, the ministry."""
    people = {
        "editor": users["editor"],
        "colleague": make_user("editor2", role=Role.PROVINCE_EDITOR, province=kha),
        "other_editor": users["other_editor"],
        "ministry": users["ministry"],
    }
    return {name: {"Authorization": f"Bearer {ApiToken.issue(user=u, name='t')[1]}"} for name, u in people.items()}


def _names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["name"] for item in json.loads(response.content)["items"]}


def test_cluster_list_is_kept_per_scope(client, geo_clusters, bearer, page_cache, django_assert_max_num_queries):
    first = client.get(LIST, headers=bearer["editor"])
    assert "Cụm công nghiệp Bí Mật" in _names(first)  # Khánh Hòa's unpublished cluster, for its officers
    # The colleague (same province and role) gets the kept answer: the token and the data version, no list query.
    with django_assert_max_num_queries(4):
        again = client.get("/api/v1/clusters?limit=50&sort=name", headers=bearer["colleague"])
    assert again.content == first.content and again["ETag"] == first["ETag"]
    other = _names(client.get(LIST, headers=bearer["other_editor"]))
    assert "Cụm công nghiệp Bí Mật" not in other and "Cụm công nghiệp Ẩn" in other
    public = client.get(LIST)
    assert "Bí Mật" not in public.content.decode() and "Ẩn" not in public.content.decode()
    assert {item["confidential"] for item in json.loads(public.content)["items"]} == {None}
    # The filters are part of the key: Hà Nội's list is not Khánh Hòa's.
    assert _names(client.get(LIST + "&province=01", headers=bearer["editor"])) == set()
    assert _names(client.get(LIST + "&province=01", headers=bearer["ministry"])) == {
        "Cụm công nghiệp Thanh Oai",
        "Cụm công nghiệp Ẩn",
    }


def test_kept_list_is_sent_gzipped_and_answers_a_current_etag_with_304(client, geo_clusters, bearer, page_cache):
    plain = client.get(LIST, headers=bearer["editor"])
    packed = client.get(LIST, headers={**bearer["editor"], "Accept-Encoding": "gzip"})
    assert packed["Content-Encoding"] == "gzip" and gzip.decompress(packed.content) == plain.content
    assert client.get(LIST, headers={**bearer["editor"], "If-None-Match": plain["ETag"]}).status_code == 304
    # Another scope's ETag is not this scope's: the whole answer is sent.
    other = client.get(LIST, headers={**bearer["other_editor"], "If-None-Match": plain["ETag"]})
    assert other.status_code == 200 and other["ETag"] != plain["ETag"]


def test_cluster_is_kept_per_scope_with_its_own_version_etag(client, geo_clusters, bearer, page_cache):
    hidden = geo_clusters["kha_hidden"]
    url = f"/api/v1/clusters/{hidden.code}"
    first = client.get(url, headers=bearer["editor"])
    assert first.status_code == 200 and first["ETag"] == f'"{hidden.version}"'  # the version, for If-Match
    kept = client.get(url, headers=bearer["colleague"])
    assert kept.content == first.content and kept["ETag"] == first["ETag"]
    assert json.loads(kept.content)["confidential"]["internal_notes"] == "ghi chú nội bộ"
    assert client.get(url, headers=bearer["other_editor"]).status_code == 404
    assert client.get(url).status_code == 404
    published = f"/api/v1/clusters/{geo_clusters['kha_pub'].code}"
    assert json.loads(client.get(published, headers=bearer["editor"]).content)["confidential"] is not None
    public = json.loads(client.get(published).content)
    assert public["confidential"] is None and public["former_address"] is None


def test_a_write_is_seen_at_once(client, users, geo_clusters, bearer, page_cache):
    cluster = geo_clusters["kha_pub"]
    url = f"/api/v1/clusters/{cluster.code}"
    before = client.get(url, headers=bearer["editor"])
    listed = client.get(LIST, headers=bearer["editor"])
    assert "Cụm công nghiệp Diên Phú" in _names(listed)
    cluster_update(actor=users["admin"], cluster=cluster, data={"name": "Cụm công nghiệp Diên Phú Mới"})
    run_commit_callbacks()
    after = client.get(url, headers=bearer["editor"])
    assert json.loads(after.content)["name"] == "Cụm công nghiệp Diên Phú Mới"
    assert after["ETag"] == f'"{Cluster.objects.get(pk=cluster.pk).version}"' != before["ETag"]
    fresh = client.get(LIST, headers={**bearer["editor"], "If-None-Match": listed["ETag"]})
    assert fresh.status_code == 200 and "Cụm công nghiệp Diên Phú Mới" in _names(fresh)
    # A write through the API itself: the next read shows it.
    patch = client.patch(
        url,
        json.dumps({"name": "Cụm công nghiệp Diên Phú 2"}),
        content_type="application/json",
        headers={**bearer["editor"], "If-Match": after["ETag"]},
    )
    assert patch.status_code == 200, patch.content
    run_commit_callbacks()
    assert json.loads(client.get(url, headers=bearer["colleague"]).content)["name"] == "Cụm công nghiệp Diên Phú 2"
    assert "Cụm công nghiệp Diên Phú 2" in _names(client.get(LIST, headers=bearer["colleague"]))


OGC = "/ogc/collections/clusters/items?f=json&bbox=108.5,11.5,109.5,13.0&limit=50"


def _ids(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {f["id"] for f in json.loads(response.content)["features"]}


def test_ogc_items_are_kept_per_scope_and_host(client, users, geo_clusters, bearer, page_cache):
    assert "KHA-H" in _ids(client.get(OGC, headers=bearer["editor"]))  # Khánh Hòa's unpublished cluster
    kept = client.get(OGC, headers=bearer["colleague"])
    assert "KHA-H" in _ids(kept) and "ETag" in kept
    assert client.get(OGC, headers={**bearer["colleague"], "If-None-Match": kept["ETag"]}).status_code == 304
    assert "KHA-H" not in _ids(client.get(OGC, headers=bearer["other_editor"]))
    public = client.get(OGC)
    assert _ids(public) == {"KHA-A", "KHA-B"} and "ghi chú" not in public.content.decode()
    client.force_login(users["editor"])  # a session is the same scope as the editor's token
    assert "KHA-H" in _ids(client.get(OGC))
    # The links name the address asked: a kept answer of one host is not sent to another.
    client.logout()
    other_host = json.loads(client.get(OGC, HTTP_HOST="localhost").content)
    assert {link["href"].split("/ogc/")[0] for link in other_host["links"]} == {"http://localhost"}
    assert client.get(OGC, headers={"Authorization": "Bearer wrong"}).status_code == 401


def test_ogc_items_show_a_write_at_once_and_html_is_never_kept(client, users, geo_clusters, page_cache):
    client.get(OGC)
    cluster_update(actor=users["admin"], cluster=geo_clusters["kha_pub"], data={"name": "Cụm công nghiệp Diên Phú Mới"})
    run_commit_callbacks()
    names = {f["properties"]["name"] for f in json.loads(client.get(OGC).content)["features"]}
    assert "Cụm công nghiệp Diên Phú Mới" in names and "Cụm công nghiệp Diên Phú" not in names
    client.force_login(users["editor"])
    page = client.get(OGC.replace("f=json", "f=html"))
    assert "ETag" not in page and 'class="who">editor' in page.content.decode()

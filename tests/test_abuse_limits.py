"""Exports are throttled with the same atomic slots as sign-in (ccn/core/throttle.py): per signed-in user, or per
address for the public; the refusal is a 429 in the user's language and costs no work."""

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@override_settings(EXPORT_MAX=3)
def test_exports_are_limited_per_user(users):
    editor = Client()
    editor.force_login(users["editor"])
    statuses = [editor.get("/tenants/clusters-export.csv").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    refused = editor.get("/tenants/export.xlsx")  # one budget for every kind of export
    assert refused.status_code == 429 and "Tải xuống quá nhiều lần" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    other = Client()
    other.force_login(users["approver"])
    assert other.get("/tenants/clusters-export.csv").status_code == 200


@override_settings(EXPORT_MAX=2)
def test_public_downloads_are_limited_per_address(db):
    statuses = [Client().get("/portal/clusters.csv").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    elsewhere = Client(REMOTE_ADDR="10.9.8.7")
    assert elsewhere.get("/portal/clusters.csv").status_code == 200

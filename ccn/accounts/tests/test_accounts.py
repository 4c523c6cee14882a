"""Sign-in throttling, API tokens and CSRF on session writes."""

import json

import pytest
from django.test import Client, override_settings

from ccn.accounts.models import ApiToken
from ccn.accounts.tests.factories import PASSWORD
from ccn.clusters.tests.factories import make_cluster

pytestmark = pytest.mark.django_db


@override_settings(LOGIN_MAX_ATTEMPTS=3)
def test_sign_in_is_rate_limited_per_user_and_address(users):
    client = Client()
    for _ in range(3):
        resp = client.post("/accounts/login/", {"username": "editor", "password": "wrong"})
        assert resp.status_code == 200
    resp = client.post("/accounts/login/", {"username": "editor", "password": PASSWORD})
    assert resp.status_code == 429
    assert "15" in resp.content.decode()
    assert "_auth_user_id" not in client.session
    # Another user from the same address is not blocked.
    resp = Client().post("/accounts/login/", {"username": "approver", "password": PASSWORD})
    assert resp.status_code == 302


def test_successful_sign_in_resets_the_counter(users):
    client = Client()
    client.post("/accounts/login/", {"username": "editor", "password": "wrong"})
    resp = client.post("/accounts/login/", {"username": "editor", "password": PASSWORD})
    assert resp.status_code == 302


def test_bearer_token_acts_as_its_user_and_can_be_revoked(users, kha):
    cluster = make_cluster(code="TK-1", actor=users["editor"])
    token, key = ApiToken.issue(user=users["editor"], name="sync")
    assert token.key_hash != key and key not in token.key_hash
    client = Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    resp = client.patch(
        f"/api/v1/clusters/{cluster.code}",
        json.dumps({"name": "Đổi qua API", "version": 1}),
        content_type="application/json",
        **headers,
    )
    assert resp.status_code == 200
    assert resp.json()["name"] == "Đổi qua API"
    assert resp.json()["confidential"]["version"] == 2
    token.delete()
    resp = client.get(f"/api/v1/clusters/{cluster.code}", **headers)
    assert resp.status_code == 401
    resp = client.get("/api/v1/clusters", HTTP_AUTHORIZATION="Bearer not-a-token")
    assert resp.status_code == 401 and resp.json()["code"] == "not_authenticated"


def test_session_write_needs_csrf(users, kha):
    cluster = make_cluster(code="TK-2", actor=users["editor"])
    client = Client(enforce_csrf_checks=True)
    client.login(username="editor", password=PASSWORD)
    resp = client.patch(
        f"/api/v1/clusters/{cluster.code}",
        json.dumps({"name": "Không có CSRF", "version": 1}),
        content_type="application/json",
    )
    assert resp.status_code == 401
    cluster.refresh_from_db()
    assert cluster.name != "Không có CSRF"
    client.get("/accounts/me/")
    resp = client.patch(
        f"/api/v1/clusters/{cluster.code}",
        json.dumps({"name": "Có CSRF", "version": 1}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
    )
    assert resp.status_code == 200


def test_profile_issues_a_token_once(users):
    client = Client()
    client.login(username="editor", password=PASSWORD)
    resp = client.post("/accounts/me/tokens/", {"name": "máy đồng bộ"}, follow=True)
    key = resp.context["new_key"]
    assert key and ApiToken.authenticate(key) == users["editor"]
    assert client.get("/accounts/me/").context["new_key"] is None


def test_first_administrator_command(monkeypatch):
    from io import StringIO

    from django.core.management import CommandError, call_command

    from ccn.accounts.choices import Role
    from ccn.accounts.models import User

    monkeypatch.setenv("CCN_ADMIN_PASSWORD", "short")
    with pytest.raises(CommandError, match="password is refused"):
        call_command("create_admin", "so.congthuong", "admin@sct.khanhhoa.gov.vn")
    assert not User.objects.filter(username="so.congthuong").exists()
    monkeypatch.setenv("CCN_ADMIN_PASSWORD", "Khanh-Hoa-2026-quan-tri")
    out = StringIO()
    call_command("create_admin", "so.congthuong", "Admin@SCT.khanhhoa.gov.vn", "--name", "Nguyễn Văn An", stdout=out)
    user = User.objects.get(username="so.congthuong")
    assert user.role == Role.ADMIN and user.is_superuser and user.is_active
    assert user.email == "admin@sct.khanhhoa.gov.vn" and user.last_name == "An"
    assert user.check_password("Khanh-Hoa-2026-quan-tri") and "created" in out.getvalue()
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_admin", "SO.CONGTHUONG", "other@example.vn")
    with pytest.raises(CommandError, match="already used"):
        call_command("create_admin", "other", "admin@sct.khanhhoa.gov.vn")

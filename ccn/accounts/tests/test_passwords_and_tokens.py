"""Password change and reset through Django's own views (the e-mail read from the outbox of Django's mail
backend), API tokens with an expiry, a read-only option and a last-used date, managed by their user and by the
province approver or administrator; all over HTTP with the test client."""

import datetime
import json
import re

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from ccn.accounts.models import ApiToken, User
from ccn.accounts.tests.factories import PASSWORD
from ccn.clusters.tests.factories import make_cluster

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "mật-khẩu-mới-2026-xyz"


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _can_sign_in(username, password) -> bool:
    return Client().post("/accounts/login/", {"username": username, "password": password}).status_code == 302


def test_password_change_needs_the_old_password_and_keeps_the_session(users):
    client = _signed_in(users["editor"])
    page = client.get("/accounts/password/change/", headers={"Accept-Language": "vi"})
    assert page.status_code == 200 and "Đổi mật khẩu" in page.content.decode()
    wrong = client.post(
        "/accounts/password/change/",
        {"old_password": "not-it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert wrong.status_code == 200 and list(wrong.context["form"].errors) == ["old_password"]
    short = client.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"},
    )
    assert short.status_code == 200 and list(short.context["form"].errors) == ["new_password2"]
    done = client.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302 and done["Location"] == "/accounts/password/change/done/"
    assert client.get("/accounts/me/").status_code == 200  # still signed in
    assert _can_sign_in("editor", NEW_PASSWORD) and not _can_sign_in("editor", PASSWORD)


def test_password_reset_by_email_link_works_once(users):
    User.objects.filter(pk=users["editor"].pk).update(email="editor@kha.example")
    client = Client()
    sent = client.post("/accounts/password/reset/", {"email": "EDITOR@kha.example"}, headers={"Accept-Language": "vi"})
    assert sent.status_code == 302 and sent["Location"] == "/accounts/password/reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["editor@kha.example"] and message.subject == "[CCN] Đặt mật khẩu mới"
    assert "tài khoản CCN editor" in message.body
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", message.body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200 and 'name="new_password1"' in form.content.decode()
    saved = client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert saved.status_code == 302 and saved["Location"] == "/accounts/password/reset/complete/"
    assert _can_sign_in("editor", NEW_PASSWORD)
    again = Client().get(link, follow=True)
    assert "đã được dùng hoặc đã hết hạn" in again.content.decode()
    assert 'name="new_password1"' not in again.content.decode()


def test_password_reset_discloses_nothing_about_unknown_addresses(users):
    response = Client().post("/accounts/password/reset/", {"email": "nobody@nowhere.example"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password/reset/sent/"
    assert mail.outbox == []


@override_settings(PASSWORD_RESET_MAX=3)
def test_password_reset_requests_are_limited(users):
    User.objects.filter(pk=users["editor"].pk).update(email="editor@kha.example")
    client = Client()
    statuses = [client.post("/accounts/password/reset/", {"email": "editor@kha.example"}).status_code for _ in range(5)]
    assert statuses == [302, 302, 302, 429, 429]
    assert len(mail.outbox) == 3
    refused = client.post("/accounts/password/reset/", {"email": "editor@kha.example"})
    assert "Đã yêu cầu đặt lại mật khẩu quá nhiều lần" in refused.content.decode()


def _create_token(client, **data) -> str:
    response = client.post("/accounts/me/tokens/", {"name": "sync", **data}, follow=True)
    return re.search(r"<code>([^<]+)</code>", response.content.decode()).group(1)


def test_token_has_an_expiry_and_records_its_last_use(users, kha):
    cluster = make_cluster(code="TK-EXP", actor=users["editor"])
    client = _signed_in(users["editor"])
    before = timezone.now()
    key = _create_token(client, days="30")
    token = ApiToken.objects.get(user=users["editor"])
    # 30 days from the moment of creation
    assert before + datetime.timedelta(days=30) <= token.expires_at <= timezone.now() + datetime.timedelta(days=30)
    assert token.last_used_at is None and not token.read_only
    api = Client()
    assert api.get(f"/api/v1/clusters/{cluster.code}", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None and token.last_used_at >= before
    page = client.get("/accounts/me/").content.decode()
    assert "Lần dùng gần nhất" in page and "Đọc và ghi" in page
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    expired = api.get(f"/api/v1/clusters/{cluster.code}", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert expired.status_code == 401 and expired.json()["code"] == "not_authenticated"
    assert "(đã hết hạn)" in client.get("/accounts/me/").content.decode()


def test_token_lifetime_must_be_one_offered(users):
    client = _signed_in(users["editor"])
    page = client.post("/accounts/me/tokens/", {"name": "x", "days": "100000"}, follow=True)
    assert "30, 90, 180, 365" in page.content.decode()
    assert not ApiToken.objects.exists()


def test_read_only_token_reads_and_is_refused_every_write(users, kha):
    cluster = make_cluster(code="TK-RO", actor=users["editor"])
    key = _create_token(_signed_in(users["editor"]), days="90", read_only="on")
    assert ApiToken.objects.get().read_only
    api = Client()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}", "HTTP_ACCEPT_LANGUAGE": "en"}
    assert api.get(f"/api/v1/clusters/{cluster.code}", **auth).status_code == 200
    write = api.patch(
        f"/api/v1/clusters/{cluster.code}",
        json.dumps({"name": "Không được", "version": 1}),
        content_type="application/json",
        **auth,
    )
    assert write.status_code == 403
    assert write.json()["code"] == "read_only_token" and "read-only" in write.json()["detail"]
    created = api.post("/api/v1/organisations", json.dumps({"name": "X"}), content_type="application/json", **auth)
    assert created.status_code == 403
    cluster.refresh_from_db()
    assert cluster.name != "Không được"
    vi = api.patch(
        f"/api/v1/clusters/{cluster.code}",
        json.dumps({"name": "x", "version": 1}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert "chỉ được đọc" in vi.json()["detail"]


def test_user_revokes_own_token_but_not_anothers(users):
    mine, key = ApiToken.issue(user=users["editor"], name="mine")
    theirs, _key = ApiToken.issue(user=users["other_editor"], name="theirs")
    client = _signed_in(users["editor"])
    assert client.post(f"/accounts/me/tokens/{theirs.pk}/revoke/").status_code == 302
    assert ApiToken.objects.filter(pk=theirs.pk).exists()
    client.post(f"/accounts/me/tokens/{mine.pk}/revoke/")
    assert not ApiToken.objects.filter(pk=mine.pk).exists()
    assert Client().get("/api/v1/clusters", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_province_approver_manages_the_tokens_of_the_provinces_users_only(users):
    in_province, _k1 = ApiToken.issue(user=users["editor"], name="kha-sync")
    elsewhere, _k2 = ApiToken.issue(user=users["other_editor"], name="hni-sync")
    approver = _signed_in(users["approver"])
    listing = approver.get("/accounts/tokens/").content.decode()
    assert "kha-sync" in listing and "hni-sync" not in listing
    approver.post(f"/accounts/me/tokens/{elsewhere.pk}/revoke/", {"back": "list"})
    assert ApiToken.objects.filter(pk=elsewhere.pk).exists()
    back = approver.post(f"/accounts/me/tokens/{in_province.pk}/revoke/", {"back": "list"})
    assert back["Location"] == "/accounts/tokens/"
    assert not ApiToken.objects.filter(pk=in_province.pk).exists()
    # The administrator manages every token; an editor manages none but their own.
    assert "hni-sync" in _signed_in(users["admin"]).get("/accounts/tokens/").content.decode()
    assert _signed_in(users["editor"]).get("/accounts/tokens/").status_code == 403


def test_every_token_expires_even_when_issued_without_a_lifetime(users, kha):
    """Tokens made by code (bench, commands) without a lifetime get the default one; the database refuses a token
    without an expiry, and a token past it is refused like an unknown one (401)."""
    from django.db import IntegrityError, transaction

    token, key = ApiToken.issue(user=users["ministry"], name="script")
    lifetime = token.expires_at - timezone.now()
    assert datetime.timedelta(days=ApiToken.DEFAULT_LIFETIME_DAYS - 1) < lifetime <= datetime.timedelta(days=90)
    with pytest.raises(IntegrityError), transaction.atomic():
        ApiToken.objects.create(user=users["ministry"], name="x", prefix="abcdefgh", key_hash="0" * 64)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = Client().get("/api/v1/clusters", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 401

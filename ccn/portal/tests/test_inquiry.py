"""Inquiries from the public: the lead, its routing, the acknowledgement e-mail after the commit, and every bad
input the issue lists (invalid e-mail, floods, a 1 MB message, markup, an unpublished cluster, the honeypot)."""

import re

import pytest
from django.core import mail
from django.core.cache import cache

from ccn.accounts.choices import Role
from ccn.accounts.tests.factories import make_user
from ccn.clusters.tests.factories import make_org
from ccn.portal.models import Lead
from ccn.portal.services import lead_recipients

from .factories import inquiry_data, portal_cluster

pytestmark = pytest.mark.django_db
URL = "/portal/clusters/KHA-Q/inquire/"
API = "/api/v1/portal/clusters/KHA-Q/inquiries"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture
def cluster(users):
    org = users["investor"].organisation
    org.contact_email = "hatang@a.example"
    org.save()
    users["editor"].email = "editor@kha.example"
    users["editor"].save()
    users["investor"].email = "investor@a.example"
    users["investor"].save()
    return portal_cluster(code="KHA-Q", investor=org)


def test_inquiry_from_the_page(client, cluster, users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, inquiry_data())
    assert response.status_code == 302 and response["Location"].endswith("/inquire/sent/")
    lead = Lead.objects.get()
    assert (lead.cluster, lead.investor, lead.province, lead.status) == (
        cluster,
        cluster.investor,
        cluster.province,
        "new",
    )
    assert lead.sector_code == "1079" and str(lead.land_needed_ha) == "2.50"
    assert lead.events.get().to_status == "new"
    sent = client.get(response["Location"]).content.decode()
    assert lead.reference in sent
    ack, notice = mail.outbox
    assert ack.to == ["lan@anphu.example"] and lead.reference in ack.subject and lead.reference in ack.body
    assert "Cụm công nghiệp KHA-Q" in ack.body
    assert set(notice.to) == {"editor@kha.example", "investor@a.example", "hatang@a.example"}
    assert "lan@anphu.example" in notice.body and f"/portal/leads/{lead.pk}/" in notice.body


def test_recipients_are_the_investor_and_the_province_only(cluster, users):
    make_user("hn", role=Role.PROVINCE_EDITOR, province=users["other_editor"].province).__class__.objects.filter(
        username="hn"
    ).update(email="hn@hni.example")
    other = make_user("inv2", role=Role.INVESTOR, organisation=make_org("Khác"))
    other.email = "other@b.example"
    other.save()
    lead = Lead.objects.create(
        reference="YC-T", cluster=cluster, province=cluster.province, company="X", contact_name="Y", email="y@z.example"
    )
    assert lead_recipients(lead) == ["editor@kha.example", "hatang@a.example", "investor@a.example"]


def test_acknowledgement_in_the_enquirers_language(client, cluster, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, inquiry_data(), headers={"Accept-Language": "en"})
    assert "We received your inquiry" in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, inquiry_data(email="b@b.example"), headers={"Accept-Language": "vi"})
    assert list(Lead.objects.order_by("pk").values_list("language", flat=True)) == ["en", "vi"]
    assert "Chúng tôi đã nhận" in mail.outbox[2].subject


def test_invalid_email_is_refused(client, cluster):
    response = client.post(URL, inquiry_data(email="not-an-address"), headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert "valid email" in response.content.decode()
    api = client.post(API, inquiry_data(email="nope@"), content_type="application/json")
    assert api.status_code == 422 and "email" in api.json()["errors"]
    assert not Lead.objects.exists()


def test_a_flood_from_one_address_is_stopped(client, cluster):
    statuses = [client.post(URL, inquiry_data(email=f"bot{i}@spam.example")).status_code for i in range(100)]
    assert statuses[:5] == [302] * 5
    assert set(statuses[5:]) == {429}
    assert Lead.objects.count() == 5
    page = client.post(URL, inquiry_data(), headers={"Accept-Language": "en"}).content.decode()
    assert "Too many inquiries from your address" in page


def test_a_flood_through_the_api_is_stopped(client, cluster):
    statuses = [
        client.post(API, inquiry_data(email=f"bot{i}@spam.example"), content_type="application/json").status_code
        for i in range(20)
    ]
    assert statuses.count(201) == 5 and statuses[5:] == [429] * 15
    assert Lead.objects.count() == 5


def test_one_email_from_many_addresses_is_limited(client, cluster):
    statuses = [client.post(URL, inquiry_data(), REMOTE_ADDR=f"10.0.0.{i}").status_code for i in range(8)]
    assert statuses == [302] * 5 + [429] * 3


def test_a_one_megabyte_message_is_refused(client, cluster):
    big = "x" * (1024 * 1024)
    response = client.post(URL, inquiry_data(message=big), headers={"Accept-Language": "en"})
    assert response.status_code == 413
    assert "too large" in response.content.decode()
    api = client.post(API, inquiry_data(message=big), content_type="application/json")
    assert api.status_code == 422 and "message" in api.json()["errors"]
    long = client.post(URL, inquiry_data(message="y" * 5001), headers={"Accept-Language": "en"})
    assert long.status_code == 422 and "at most 5000 characters" in long.content.decode().lower()
    assert not Lead.objects.exists()


def test_markup_is_kept_as_text_and_shown_escaped(client, cluster, users, django_capture_on_commit_callbacks):
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, inquiry_data(company=evil, contact_name=evil, message=evil, phone="<b>1</b>"))
    lead = Lead.objects.get()
    assert lead.company == evil  # kept as typed: it is escaped where it is shown
    client.force_login(users["editor"])
    for url in ("/portal/leads/", f"/portal/leads/{lead.pk}/"):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert mail.outbox[0].content_subtype == "plain"


def test_unpublished_or_unknown_cluster_is_refused(client, cluster):
    portal_cluster(code="KHA-HIDDEN", is_published=False)
    portal_cluster(code="KHA-PLANNED", status="planned", ready=None, industrial=None)
    for code in ("KHA-HIDDEN", "KHA-PLANNED", "NOPE"):
        assert client.get(f"/portal/clusters/{code}/inquire/").status_code == 404
        assert client.post(f"/portal/clusters/{code}/inquire/", inquiry_data()).status_code == 404
        api = client.post(f"/api/v1/portal/clusters/{code}/inquiries", inquiry_data(), content_type="application/json")
        assert api.status_code == 422 and api.json()["code"] == "not_published"
    assert not Lead.objects.exists()


def test_honeypot(client, cluster):
    response = client.post(
        URL, {**inquiry_data(), "leave_empty": "http://spam.example"}, headers={"Accept-Language": "en"}
    )
    assert response.status_code == 422 and "must stay empty" in response.content.decode()
    api = client.post(API, {**inquiry_data(), "leave_empty": "x"}, content_type="application/json")
    assert api.status_code == 422 and api.json()["code"] == "honeypot"
    assert not Lead.objects.exists()


def test_other_bad_fields(client, cluster):
    response = client.post(
        URL,
        inquiry_data(company="", sector_code="ZZ", land_needed_ha="-3", timeline="tomorrow"),
        headers={"Accept-Language": "en"},
    )
    html = response.content.decode()
    assert response.status_code == 422 and "This field is required" in html
    api = client.post(API, inquiry_data(sector_code="04"), content_type="application/json")
    assert api.status_code == 422 and "sector_code" in api.json()["errors"]
    assert not Lead.objects.exists()


def test_api_inquiry(client, cluster, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(API, inquiry_data(timeline=None, land_needed_ha=None), content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "new" and Lead.objects.get().reference == body["reference"]
    assert len(mail.outbox) == 2


def test_acknowledgement_carries_no_text_the_enquirer_typed(client, cluster, django_capture_on_commit_callbacks):
    """The address is not confirmed, so the acknowledgement must not carry an attacker's words to a stranger's
    inbox: no name, company, phone or message from the form; the reference, the cluster and its contact only."""
    spam = "Trúng thưởng! Nhận quà tại https://lua-dao.example"
    data = inquiry_data(company=spam, contact_name=spam, phone="0999 999 999", message=spam, email="victim@x.example")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(URL, data).status_code == 302
    ack, notice = mail.outbox
    assert ack.to == ["victim@x.example"]
    for typed in ("lua-dao", "Trúng thưởng", "0999 999 999"):
        assert typed not in ack.body and typed not in ack.subject
    assert Lead.objects.get().reference in ack.body and "Cụm công nghiệp KHA-Q" in ack.body
    # The officers, who must judge the inquiry, see everything that was sent.
    assert spam in notice.body


def test_double_submitted_inquiry_is_one_lead_and_one_pair_of_mails(
    client, cluster, django_capture_on_commit_callbacks
):
    page = client.get(URL).content.decode()
    token = re.search(r'name="form_token" value="([0-9a-f]{32})"', page).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(URL, {**inquiry_data(), "form_token": token})
        second = client.post(URL, {**inquiry_data(), "form_token": token})
    assert first.status_code == second.status_code == 302 and second["Location"] == first["Location"]
    assert Lead.objects.count() == 1 and len(mail.outbox) == 2  # one acknowledgement, one notice


def test_inquiry_api_with_an_idempotency_key_creates_one_lead(client, cluster, django_capture_on_commit_callbacks):
    key = {"Idempotency-Key": "lead-2026-11-28-01"}
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(API, inquiry_data(), content_type="application/json", headers=key)
        second = client.post(API, inquiry_data(), content_type="application/json", headers=key)
    assert first.status_code == second.status_code == 201 and first.json() == second.json()
    assert Lead.objects.count() == 1 and len(mail.outbox) == 2

"""Nothing confidential ever reaches a portal response: internal notes, capital figures, tenants and their
figures, unpublished documents and offers, unpublished clusters and the enquirers' personal data are checked
against every public page, the JSON API, the CSV download, the sitemap and document downloads."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile

from ccn.attachments.models import Attachment
from ccn.clusters.services import document_add
from ccn.portal.services import inquiry_submit, offer_save

from .factories import inquiry_data, lease, portal_cluster

pytestmark = pytest.mark.django_db

SECRETS = [
    "GHI-CHU-NOI-BO-7731",  # internal notes
    "987654.321",  # approved infrastructure investment
    "987654,321",
    "987.654,321",
    "123456.789",  # capital paid
    "CUM-AN-DANH-5521",  # unpublished sibling cluster (code)
    "Cụm công nghiệp Bí Mật",  # ... and name
    "SO-MAT-0042",  # unpublished document number
    "Tài liệu mật về giá đất",  # ... and title
    "Doanh nghiệp Thuê Đất Kín",  # tenant enterprise
    "Dự án Nhà máy Kín",  # tenant project
    "55555555",  # tenant capital
    "4242424",  # unpublished offer price
    "enquirer.secret@example.vn",  # an enquirer's e-mail
    "Trần Văn Bảo Mật",  # an enquirer's name
    "0911 222 333",  # an enquirer's phone
    "Ghi chú xử lý nội bộ 9090",  # a handler's note on a lead
    "mật-file-nội-dung",  # content of an unpublished document's file
]


@pytest.fixture
def world(users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()
    editor = users["editor"]
    cluster = portal_cluster(
        code="KHA-PUB",
        investor=users["investor"].organisation,
        internal_notes="GHI-CHU-NOI-BO-7731: đừng công bố",
        infra_capital_approved_bn=Decimal("987654.321"),
        infra_capital_disbursed_bn=Decimal("123456.789"),
        sectors=["10"],
    )
    lease(cluster, "2", name="Dự án Nhà máy Kín", capital=Decimal("55555555"))
    cluster.tenant_projects.update(workers=321)
    from ccn.clusters.tests.factories import make_org

    cluster.tenant_projects.update(enterprise=make_org("Doanh nghiệp Thuê Đất Kín"))
    public_doc = document_add(
        actor=editor,
        cluster=cluster,
        kind="established",
        number="QD-CONG-KHAI-1",
        issued_on=datetime.date(2024, 5, 2),
        issuer="UBND tỉnh",
    )
    secret_doc = document_add(
        actor=editor,
        cluster=cluster,
        kind="other",
        number="SO-MAT-0042",
        issued_on=datetime.date(2024, 6, 1),
        issuer="Sở Công Thương",
        title="Tài liệu mật về giá đất",
        is_public=False,
    )
    # The documents' signed scans, stored directly in the attachment store.
    for doc, name, content in (
        (public_doc, "public.pdf", b"noi-dung-cong-khai"),
        (secret_doc, "secret.pdf", "mật-file-nội-dung".encode()),
    ):
        scan = Attachment(record=doc, kind="signed_scan", name=name, size=len(content), media_type="application/pdf")
        scan.file.save(name, ContentFile(content))
    offer_save(actor=editor, cluster=cluster, data={"price_min": Decimal("1100000"), "is_published": True})
    hidden = portal_cluster(code="CUM-AN-DANH-5521", name="Cụm công nghiệp Bí Mật", is_published=False, sectors=["10"])
    offer_save(actor=editor, cluster=hidden, data={"price_min": Decimal("4242424"), "is_published": True})
    unpublished_offer = portal_cluster(code="KHA-NOOFFER", sectors=["10"])
    offer_save(actor=editor, cluster=unpublished_offer, data={"price_min": Decimal("4242424"), "is_published": False})
    lead = inquiry_submit(
        cluster_code="KHA-PUB",
        data=inquiry_data(contact_name="Trần Văn Bảo Mật", email="enquirer.secret@example.vn", phone="0911 222 333"),
        client_address="10.9.9.9",
    )
    from ccn.portal.services import lead_transition

    lead_transition(actor=editor, lead=lead, action="contact", note="Ghi chú xử lý nội bộ 9090")
    return {"cluster": cluster, "public_doc": public_doc, "secret_doc": secret_doc, "lead": lead}


def public_responses(client, world):
    code = "KHA-PUB"
    urls = [
        "/portal/",
        "/portal/?province=56&sector=1079&sort=price",
        "/portal/?lat=12.25&lon=109.18&km=500&sort=distance",
        "/portal/?q=bi+mat",
        f"/portal/clusters/{code}/",
        f"/portal/clusters/{code}/?sector=1079",
        f"/portal/clusters/{code}/inquire/",
        f"/portal/clusters/{code}/inquire/sent/",
        "/portal/clusters.csv",
        "/portal/clusters.csv?q=bi+mat",
        "/portal/sitemap.xml",
        f"/portal/clusters/{code}/documents/{world['public_doc'].pk}/",
        "/api/v1/portal/clusters",
        "/api/v1/portal/clusters?limit=200&min_vacant_ha=0",
        f"/api/v1/portal/clusters/{code}",
        f"/api/v1/portal/clusters/{code}/sector-check?sector=10",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        yield url, body.decode("utf-8", errors="replace")


def check_clean(client, world):
    seen = 0
    for url, text in public_responses(client, world):
        for secret in SECRETS:
            assert secret not in text, f"{secret!r} leaked in {url}"
        seen += 1
    return seen


def test_no_confidential_field_reaches_the_public(client, world):
    assert check_clean(client, world) == 16


def test_signed_in_users_see_the_same_public_portal(client, world, users):
    # The portal reads public selectors whoever is signed in: an editor sees no more on it than the public.
    client.force_login(users["editor"])
    assert check_clean(client, world) == 16


def test_what_must_show_does_show(client, world):
    html = client.get("/portal/clusters/KHA-PUB/").content.decode()
    assert "QD-CONG-KHAI-1" in html and "1.100.000" in html
    api = client.get("/api/v1/portal/clusters/KHA-PUB").json()
    assert [d["number"] for d in api["documents"]] == ["QD-CONG-KHAI-1"]
    assert Decimal(api["vacant_land_ha"]) == Decimal("8")
    assert b"noi-dung-cong-khai" in b"".join(
        client.get(f"/portal/clusters/KHA-PUB/documents/{world['public_doc'].pk}/").streaming_content
    )


def test_unpublished_things_are_refused(client, world):
    secret = world["secret_doc"]
    assert client.get(f"/portal/clusters/KHA-PUB/documents/{secret.pk}/").status_code == 404
    assert client.get("/portal/clusters/CUM-AN-DANH-5521/").status_code == 404
    assert client.get("/api/v1/portal/clusters/CUM-AN-DANH-5521").status_code == 404
    assert client.get("/api/v1/portal/clusters/CUM-AN-DANH-5521/sector-check?sector=10").status_code == 404
    # a public document reached through another cluster's code
    assert client.get(f"/portal/clusters/CUM-AN-DANH-5521/documents/{world['public_doc'].pk}/").status_code == 404


def test_public_schema_has_no_confidential_field(client):
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    public = ["PortalClusterOut", "PortalClusterDetailOut", "OfferPublicOut", "DocumentPublicOut", "ContactOut"]
    forbidden = {
        "internal_notes",
        "infra_capital_approved_bn",
        "infra_capital_disbursed_bn",
        "funding_source",
        "is_published",
        "capital",
        "email_of_enquirer",
    }
    for name in public:
        assert not forbidden & set(schema[name]["properties"]), name

"""No script from an upload or a name: uploads are judged by their bytes, downloads can never run, and a record's
name shown on a map is text (the stored-script chain of an editor's upload plus a cluster name with markup)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from playwright.sync_api import expect

from ccn.attachments.models import Attachment, Kind
from ccn.clusters.models import LegalDocument
from ccn.clusters.tests.factories import make_cluster
from ccn.core.testing import sign_in

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SCRIPT = b"fetch('/accounts/tokens/', {method: 'POST'}); window.__pwned = 1;"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def cluster(db, kha):
    return make_cluster(province_code="56", name="Cụm công nghiệp Thử")


def _add_document(client, editor, cluster, name, content):
    client.force_login(editor)
    return client.post(
        f"/clusters/{cluster.code}/documents/new/",
        {
            "kind": "other",
            "number": "12/QĐ",
            "issued_on": "2025-01-02",
            "issuer": "UBND tỉnh",
            "is_public": "on",
            "file": SimpleUploadedFile(name, content),
        },
    )


@pytest.mark.parametrize(
    "name, content",
    [
        ("quyet-dinh.pdf", SCRIPT),  # a script that claims to be a PDF
        ("payload.js", SCRIPT),
        ("trang.html", b"<html><script>window.__pwned=1</script></html>"),
        ("anh.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>window.__pwned=1</script></svg>'),
        ("setup.pdf", b"MZ\x90\x00" + b"\x00" * 60),  # a Windows executable named .pdf
    ],
)
def test_active_or_disguised_files_are_refused_and_nothing_is_stored(client, users, cluster, name, content):
    response = _add_document(client, users["editor"], cluster, name, content)
    assert response.status_code == 422
    assert "PDF, PNG, JPEG" in response.content.decode()  # the message says what is accepted
    assert not LegalDocument.objects.filter(cluster=cluster).exists()
    assert not Attachment.objects.exists()  # neither the document nor its file


def test_a_real_document_is_stored_under_a_generated_name_and_downloads_inert(client, users, cluster):
    response = _add_document(client, users["editor"], cluster, "<b>quyet dinh</b>.pdf", PDF)
    assert response.status_code == 302, response.content[:400]
    doc = LegalDocument.objects.get(cluster=cluster)
    scan = Attachment.objects.get()  # the document's signed scan, in the one attachment store
    assert (scan.record, scan.kind) == (doc, Kind.SIGNED_SCAN)
    stored = scan.file.name.rsplit("/", 1)[-1]
    assert stored.endswith(".pdf") and "quyet" not in stored  # the user's name never reaches the disk
    assert f"/clusters/{cluster.code}/documents/{doc.pk}/" in client.get(f"/clusters/{cluster.code}/").content.decode()
    client.logout()  # public document, anonymous visitor
    download = client.get(f"/clusters/{cluster.code}/documents/{doc.pk}/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Security-Policy"].startswith("sandbox")
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == PDF


def test_an_image_is_accepted_by_its_bytes_even_with_a_wrong_name(client, users, cluster):
    response = _add_document(client, users["editor"], cluster, "scan.pdf", _png())
    assert response.status_code == 302
    assert Attachment.objects.get(record_id=LegalDocument.objects.get(cluster=cluster).pk).file.name.endswith(".png")


MARKUP = '<img src=x onerror="window.__pwned=1"><iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>'


def _hover_until(page, selector: str, text: str):
    """Hover the markers of a map one by one until one's tooltip says `text`; return that tooltip."""
    markers = page.locator(selector)
    markers.first.wait_for()
    for i in range(markers.count()):
        markers.nth(i).hover(force=True)
        tooltip = page.locator(".leaflet-tooltip").last
        tooltip.wait_for()
        if tooltip.inner_text() == text:
            return tooltip
    raise AssertionError(f"no marker of {selector} has the tooltip {text!r}")


@pytest.mark.browser
def test_a_cluster_name_with_markup_stays_text_on_the_maps(app_server, browser):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20000)
    sign_in(page, app_server, "khanhhoa.editor")
    page.goto(f"{app_server}/portal/?province=56")
    href = page.locator(".result-card h3 a").first.get_attribute("href")
    code = href.rstrip("/").rsplit("/", 1)[-1]  # a cluster the portal shows
    page.goto(f"{app_server}/clusters/{code}/edit/")
    page.fill("#id_name", MARKUP)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").first.inner_text().startswith("<img")  # the page itself shows the text

    for url, marker in (
        (f"{app_server}/portal/clusters/{code}/", "#portal-map .leaflet-interactive"),
        (f"{app_server}/portal/?province=56", "#portal-map .leaflet-interactive"),
        (f"{app_server}/plans/dashboard/?province=56", "#dashboard-map .leaflet-interactive"),
    ):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        tooltip = _hover_until(page, marker, MARKUP)
        assert tooltip.locator("img, iframe").count() == 0, url
        assert page.evaluate("typeof window.__pwned") == "undefined", url
    # The registry's map: the name in its table (built in the browser) and in the marker's popup stays text.
    page.goto(f"{app_server}/geo/map/?province=56")
    page.wait_for_load_state("networkidle")
    row = page.locator("#map-table tbody tr", has_text=MARKUP)
    expect(row).to_have_count(1)
    assert page.locator("#map-table img, #map-table iframe").count() == 0
    markers = page.locator("#cluster-map .leaflet-marker-icon")
    for i in range(markers.count()):
        # The click goes to this marker's own element: a forced click at its centre lands on whichever marker is drawn
        # on top there, so a marker under another one never opened its popup.
        markers.nth(i).dispatch_event("click")
        page.locator(".leaflet-popup-content").first.wait_for()
        popup = page.locator(".leaflet-popup-content", has_text=MARKUP)
        try:
            expect(popup).to_have_count(1, timeout=1500)
        except AssertionError:
            continue
        assert popup.first.locator("img, iframe").count() == 0
        break
    else:
        raise AssertionError("no marker's popup showed the renamed cluster")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    context.close()

    # No page visited above broke the Content-Security-Policy: the browser reported nothing to /csp-report/.
    admin = browser.new_context(locale="vi-VN")
    admin_page = admin.new_page()
    sign_in(admin_page, app_server, "admin")
    assert _csp_reports(admin_page, app_server) == {"count": 0, "recent": []}
    # The reporting works (so that zero means zero): an inline script injected into a page is blocked and reported.
    admin_page.goto(f"{app_server}/portal/")
    admin_page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.__pwned = 1'; "
        "document.body.appendChild(s); }"
    )
    assert admin_page.evaluate("typeof window.__pwned") == "undefined"
    for _ in range(50):
        reports = _csp_reports(admin_page, app_server)
        if reports["count"]:
            break
        admin_page.wait_for_timeout(200)
    assert reports["count"] == 1 and reports["recent"][0]["directive"].startswith("script-src")
    admin.close()


def _csp_reports(page, base) -> dict:
    response = page.request.get(f"{base}/csp-report/")
    assert response.ok, response.text()
    return response.json()

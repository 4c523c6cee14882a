"""The foundation's walk-through in Debian's Chromium: a Khánh Hòa editor creates a cluster, moves it through
its lifecycle with documents and sees its history; the ministry viewer sees every province and edits nothing;
the public sees published fields only."""

import datetime
import re

import pytest

from ccn.core.testing import sign_in

pytestmark = pytest.mark.browser


def test_province_editor_walkthrough(app_server, page):
    sign_in(page, app_server, "khanhhoa.editor")
    page.goto(f"{app_server}/clusters/")
    body = page.content()
    assert "Cụm công nghiệp Sông Cầu" in body and "Cụm công nghiệp Diên Thọ" in body
    assert "Đông Phú Yên" not in body  # Hà Nội is outside this editor's scope

    # Search ignores diacritics.
    page.goto(f"{app_server}/clusters/?q=dien+tho")
    assert "Cụm công nghiệp Diên Thọ" in page.content() and "Sông Cầu" not in page.content()

    # A cluster of 80 ha is refused inline, in Vietnamese, and nothing is created.
    page.goto(f"{app_server}/clusters/new/")
    page.fill("#id_code", "KHA-THU-NGHIEM")
    page.fill("#id_name", "Cụm công nghiệp Thử Nghiệm")
    page.select_option("#id_communes", label="Xã Diên Thọ")
    page.fill("#id_area_planned_ha", "80")
    page.click("main form button[type=submit]")
    error = page.locator(".field.has-error").first.inner_text()
    assert "80" in error and "ha" in error

    page.fill("#id_area_planned_ha", "45,5")  # the Vietnamese decimal comma
    page.fill("#id_area_established_ha", "40")
    page.fill("#id_industrial_land_ha", "30")
    page.fill("#id_internal_notes", "Ghi chú nội bộ: không công khai")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/clusters/KHA-THU-NGHIEM/$"))
    assert page.locator("h1").inner_text().startswith("Cụm công nghiệp Thử Nghiệm")
    assert "45,5 ha" in page.locator("dl.facts").first.inner_text()

    steps = [
        ("establish", "established", "15/QĐ-UBND"),
        ("approve_detailed_plan", "detailed_plan_approved", "22/QĐ-UBND"),
        ("approve_infrastructure", "infrastructure_approved", "30/QĐ-UBND"),
        ("start_land_clearance", "land_clearance", "41/TB-UBND"),
        ("start_construction", "construction_started", "55/TB-CĐT"),
    ]
    today = datetime.date.today().isoformat()  # a new cluster's history starts today; acts cannot be later
    for action, kind, number in steps:
        page.click(f"a[href$='/actions/{action}/']")
        page.fill("#id_effective_on", today)
        page.fill("#id_doc_number", number)
        page.select_option("#id_doc_kind", kind)
        page.fill("#id_doc_issuer", "UBND tỉnh Khánh Hòa")
        page.click("main form button[type=submit]")
        page.wait_for_url(re.compile(r"/clusters/KHA-THU-NGHIEM/$"))
        assert number in page.locator("#docs-h + ul").inner_text()
    assert page.locator("a[href$='/actions/start_operation/']").count() == 1
    # the history reads in plain language: who, the state's name (never its code), no internal field
    history = page.locator("ol.feed").inner_text()
    assert "khanhhoa.editor" in history and "Khởi công" in history and "Chuyển tình trạng" in history
    assert "under_construction" not in history and "search_key" not in history and "version" not in history

    # A transition without its document is refused with a clear message and changes nothing.
    page.click("a[href$='/actions/start_operation/']")
    page.fill("#id_effective_on", today)
    page.click("main form button[type=submit]")
    assert page.locator(".errorlist, .msg-error").count() >= 1
    page.goto(f"{app_server}/clusters/KHA-THU-NGHIEM/")
    assert page.locator("h1 .badge").inner_text() == "Đang xây dựng"


def test_ministry_viewer_sees_all_and_edits_nothing(app_server, page):
    sign_in(page, app_server, "bo.congthuong")
    page.goto(f"{app_server}/clusters/")
    body = page.content()
    assert "Đông Phú Yên" in body and "Sông Cầu" in body
    assert page.locator("a[href='/clusters/new/']").count() == 0
    page.goto(f"{app_server}/clusters/KHA-SONGCAU/")
    assert page.locator("a[href$='/edit/']").count() == 0
    response = page.goto(f"{app_server}/clusters/KHA-SONGCAU/edit/")
    assert response.status == 403


def test_public_sees_published_fields_only_and_english(app_server, page):
    page.goto(f"{app_server}/clusters/KHA-SONGCAU/")
    body = page.content()
    assert "Cụm công nghiệp Sông Cầu" in body
    assert "Nguồn:" not in body  # internal notes of the sample stay inside
    assert page.locator("ol.feed").count() == 0
    page.click("button[name=language][value=en]")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Industrial land" in page.content()

"""Walk-through in Chromium on a phone-sized window: a visitor finds a Khánh Hòa cluster with at least 2 ha
vacant, checks their sector and sends an inquiry; the cluster's investor and the province officer see it and
move it on."""

import datetime
import re

import pytest

from ccn.core.testing import sign_in

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def api(page, method: str, url: str, data: dict):
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    headers = {"X-CSRFToken": token, "Referer": url}
    current = page.request.get(url)  # as a client does: the write names the version it read (its ETag)
    if current.ok and "etag" in current.headers:
        headers["If-Match"] = current.headers["etag"]
    response = page.request.fetch(url, method=method, data=data, headers=headers)
    assert response.ok, response.text()
    return response.json()


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_visitor_finds_land_asks_and_handlers_move_it_on(app_server, browser):
    base = app_server
    # The province sets the land figures and the sectors, the investor publishes an offer.
    setup = browser.new_context(locale="vi-VN")
    page = setup.new_page()
    sign_in(page, base, "khanhhoa.editor")
    api(
        page,
        "PATCH",
        f"{base}/api/v1/clusters/KHA-SONGCAU",
        {
            "industrial_land_ha": "30",
            "ready_land_ha": "12",
            "land_confirmed_on": datetime.date.today().isoformat(),
            "sectors": ["C"],
        },
    )
    setup.close()
    setup = browser.new_context(locale="vi-VN")
    page = setup.new_page()
    sign_in(page, base, "investor.songcau")
    offer = api(
        page,
        "PUT",
        f"{base}/api/v1/portal/offers/KHA-SONGCAU",
        {
            "price_min": "1100000",
            "price_max": "1400000",
            "contact_email": "kinhdoanh@songcau.example",
            "is_published": True,
        },
    )
    assert offer["is_published"] is True
    setup.close()

    # A visitor on a phone.
    visitor = browser.new_context(locale="vi-VN", viewport=PHONE, is_mobile=True, has_touch=True)
    page = visitor.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{base}/portal/")
    assert "Tìm đất trong cụm công nghiệp" in page.title()
    page.select_option("#id_province", label="Tỉnh Khánh Hòa")
    page.fill("#id_min_vacant_ha", "2")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "province=56" in page.url and "min_vacant_ha=2" in page.url  # a link that can be shared
    no_sideways_scroll(page)
    cards = page.locator(".result-card h3 a")
    assert cards.count() == 1 and "Sông Cầu" in cards.first.inner_text()
    assert page.locator(".leaflet-interactive").count() == 1  # the cluster on the map
    cards.first.click()
    page.wait_for_load_state("networkidle")
    assert "Cụm công nghiệp Sông Cầu" in page.title()
    assert "12 ha" in page.locator(".card").first.inner_text()
    no_sideways_scroll(page)

    page.fill("#id_sector", "1079")
    page.click("#sector-check button[type=submit]")
    answer = page.locator("#sector-check .answer")
    answer.wait_for()
    assert answer.get_attribute("data-fits") == "yes" and "1079" in answer.inner_text()
    answer.locator("a.btn").click()
    page.wait_for_load_state("networkidle")
    assert page.input_value("#id_sector_code") == "1079"
    no_sideways_scroll(page)
    page.fill("#id_company", "Công ty TNHH Thực phẩm Biển Xanh")
    page.fill("#id_contact_name", "Lê Minh Anh")
    page.fill("#id_email", "anh@bienxanh.example")
    page.fill("#id_phone", "0905 000 111")
    page.fill("#id_land_needed_ha", "2")
    page.select_option("#id_timeline", "6m")
    page.fill("#id_message", "Cần 2 ha cho nhà máy chế biến <hải sản>.")
    page.click("form.inquiry-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/inquire/sent/")
    reference = re.search(r"YC-\d{4}-[0-9A-F]{8}", page.inner_text("main")).group(0)
    visitor.close()

    # The investor sees it and marks it contacted; the province officer records the site visit.
    for username, action, expected in (
        ("investor.songcau", "contact", "Đã liên hệ"),
        ("khanhhoa.editor", "site_visit", "Khảo sát thực địa"),
    ):
        ctx = browser.new_context(locale="vi-VN", viewport=PHONE)
        page = ctx.new_page()
        sign_in(page, base, username)
        page.goto(f"{base}/portal/leads/")
        page.click(f"text={reference}")
        page.wait_for_load_state("networkidle")
        assert "Cần 2 ha cho nhà máy chế biến <hải sản>." in page.inner_text("main")
        page.fill(f"#note-{action}", f"{username} đã xử lý")
        page.click(f"button[data-action={action}]")
        page.wait_for_load_state("networkidle")
        assert expected in page.inner_text("h1")
        assert f"{username} đã xử lý" in page.inner_text("main")
        ctx.close()

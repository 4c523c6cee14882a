"""In Chromium: the province's officer logs a site-clearance obstacle on Diên Thọ and assigns it to the commune's
agency with a deadline; the commune officer records an action and starts work; a review meeting held after the
deadline lists it as overdue under that commune."""

import datetime
import re

import pytest
from playwright.sync_api import expect


def sign_in(page, base_url, username, password="ccn-demo-2026"):  # noqa: S107 - the demo accounts
    """Like ccn.core.testing.sign_in, but presses the login form's own button: the header's language buttons are
    submit buttons too and come first on the page."""
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "/accounts/login/" not in page.url, page.inner_text("main")[:300]


pytestmark = pytest.mark.browser

AGENCY = "Ủy ban nhân dân xã Diên Thọ"


def _ensure_commune_agency(page, base):
    page.goto(f"{base}/obstacles/agencies/")
    if page.get_by_role("link", name=AGENCY).count() == 0:
        # The page's own button (for the province shown); an empty list offers the same step in its empty row.
        page.locator("main .actions").get_by_role("link", name="Thêm cơ quan").click()
        page.fill("#id_name", AGENCY)
        page.select_option("#id_kind", "commune")
        page.select_option("#id_commune", label="Xã Diên Thọ")
        page.get_by_role("button", name="Lưu").click()
    else:
        page.get_by_role("link", name=AGENCY).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(AGENCY)
    if page.get_by_text("(xa.dientho").count() == 0:
        page.fill("#id_username", "xa.dientho")
        page.get_by_role("button", name="Thêm thành viên").click()
    expect(page.get_by_text("(xa.dientho")).to_be_visible()


def test_site_clearance_obstacle_walkthrough(app_server, page):
    base = app_server
    today = datetime.date.today()
    deadline = today + datetime.timedelta(days=10)
    sign_in(page, base, "khanhhoa.editor")
    _ensure_commune_agency(page, base)

    page.goto(f"{base}/clusters/KHA-DIENTHO/")
    panel = page.locator("section", has=page.get_by_role("heading", name="Vướng mắc của cụm công nghiệp"))
    panel.get_by_role("link", name="Ghi nhận vướng mắc").click()
    expect(page.locator("#id_cluster option:checked")).to_have_text("Cụm công nghiệp Diên Thọ")
    page.select_option("#id_category", "site_clearance")
    page.fill("#id_description", "Còn 4 hộ chưa đồng ý phương án bồi thường, giải phóng mặt bằng (kiểm thử).")
    page.select_option("#id_agency", label=AGENCY)
    page.fill("#id_deadline", deadline.isoformat())
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vướng mắc số")
    obstacle_url = page.url
    obstacle_id = re.search(r"/obstacles/(\d+)/", obstacle_url).group(1)
    expect(page.get_by_text(AGENCY).first).to_be_visible()

    # The commune officer finds it in their queue and acts.
    page.context.clear_cookies()
    sign_in(page, base, "xa.dientho")
    page.goto(f"{base}/obstacles/queue/")
    page.get_by_role("link", name=re.compile("Còn 4 hộ chưa đồng ý")).click()
    page.fill("#id_action-description", "Tổ chức đối thoại với 4 hộ dân tại UBND xã")
    page.select_option("#id_action-owner", label="xa.dientho")
    page.fill("#id_action-due_on", (today + datetime.timedelta(days=5)).isoformat())
    page.get_by_role("button", name="Ghi nhiệm vụ").click()
    expect(page.get_by_role("cell", name="Tổ chức đối thoại với 4 hộ dân tại UBND xã")).to_be_visible()
    page.get_by_role("link", name="Bắt đầu xử lý").click()
    page.fill("#id_comment", "Đã lập tổ công tác")
    page.get_by_role("button", name="Bắt đầu xử lý").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Đang xử lý")
    assert page.get_by_role("link", name="Sửa", exact=True).count() == 0  # the commune cannot edit it

    # A review meeting held five days after the deadline lists it, overdue, under the commune's agency.
    page.context.clear_cookies()
    sign_in(page, base, "khanhhoa.editor")
    page.goto(f"{base}/obstacles/meetings/")
    page.fill("#id_held_on", (deadline + datetime.timedelta(days=5)).isoformat())
    page.fill("#id_title", "Giao ban tháo gỡ vướng mắc CCN (kiểm thử)")
    page.get_by_role("button", name="Ghi cuộc họp").click()
    group = page.locator("section.pack-group", has=page.get_by_role("heading", name=re.compile(AGENCY)))
    row = group.locator("tr", has=page.get_by_text(f"#{obstacle_id}"))
    expect(row).to_contain_text("Cụm công nghiệp Diên Thọ")
    expect(row).to_contain_text("5 ngày quá hạn")
    expect(row).to_contain_text("Tổ chức đối thoại")  # the action recorded since (first meeting: every change)
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")

    # On a phone-sized screen the obstacle page stays readable (no horizontal page scroll).
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(obstacle_url)
    wide = page.evaluate(
        "() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 392"
        " && !e.closest('.table-wrap')).map(e => e.tagName + '.' + e.className + '#' + e.id)"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 392, wide

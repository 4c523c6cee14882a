"""One period walked through in the browser: tenant → investor → commune → province → Ministry, with a return
and a correction on the way. The administrator creates the periods and the tenant project in the app."""

import pytest

from ccn.core.testing import page_shows

PASSWORD = "ccn-demo-2026"

pytestmark = pytest.mark.browser


def as_user(page, base, username):
    """Sign in afresh; the form is the one in <main> (the header's language buttons are submit buttons too)."""
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "/accounts/login/" not in page.url


def report_state(page, base, rid):
    r = page.request.get(f"{base}/api/v1/reports/reports/{rid}")
    assert r.ok, r.text()
    return r.json()


def start_first(page, base, form):
    page.goto(f"{base}/reports/")
    page.locator(f"form[action$='/reports/start/']:has(input[name=form][value='{form}']) button").first.click()
    page.wait_for_url("**/reports/*/")
    assert page.url.rstrip("/").split("/")[-1].isdigit(), page.content()[-3000:]
    return int(page.url.rstrip("/").split("/")[-1])


def confirm_missing(page, box="#id_confirm_missing"):
    """Forms 03/04 of the sample registry lack data for some clusters (no establishment decision recorded):
    the page says so and going ahead needs the confirmation box ticked."""
    if page.locator(box).count():
        assert page.locator("#missing-data").is_visible()
        page.check(box)
        return True
    return False


def fill(page, values):
    for code, value in values.items():
        page.fill(f"#id_v{code.replace('.', '_')}", value)


def test_one_period_from_tenant_to_ministry(app_server, page):
    base = app_server
    # the administrator creates the periods of 2026 and the tenant project of the demo tenant in Sông Cầu
    as_user(page, base, "admin")
    page.goto(f"{base}/reports/periods/")
    page.fill("#id_year", "2026")
    page.click("form.filters button[type=submit]")
    page_shows(page, "15/12/2025")
    page.goto(f"{base}/admin/tenants/tenantproject/add/")
    page.select_option("#id_cluster", label="Cụm công nghiệp Sông Cầu")
    page.select_option("#id_enterprise", label="Doanh nghiệp thứ cấp mẫu (dữ liệu mẫu)")
    page.fill("#id_name", "Nhà máy chế biến mẫu")
    page.fill("#id_land_leased_ha", "2")
    page.select_option("#id_status", "operating")
    page.fill("#id_workers", "40")
    page.click("input[name=_save]")
    assert "/admin/tenants/tenantproject/" in page.url and "add" not in page.url

    # tenant: Form 01 (workers prefilled from the registry), submitted
    as_user(page, base, "tenant.demo")
    f01 = start_first(page, base, "01")
    assert page.input_value("#id_v3") == "40"
    fill(page, {"1": "15,5", "2": "abc", "4": "8,2"})
    page.click("button[name=op][value=save]")
    assert page.locator("#err_v2").is_visible()  # text in a number cell: refused next to the cell
    fill(page, {"2": "1,2"})
    with page.expect_navigation():
        page.click("#submit-report")
    assert report_state(page, base, f01)["status"] == "submitted"

    # province approver returns it with a comment on indicator 2
    as_user(page, base, "khanhhoa.approver")
    page.goto(f"{base}/reports/{f01}/")
    page.fill("#id_ret_v2", "Số nộp ngân sách chưa gồm thuế đất")
    with page.expect_navigation():
        page.click("#return-report")
    assert report_state(page, base, f01)["status"] == "returned"

    # tenant sees the comment, corrects, resubmits; the approver accepts
    as_user(page, base, "tenant.demo")
    page.goto(f"{base}/reports/{f01}/")
    page_shows(page, "Số nộp ngân sách chưa gồm thuế đất")
    fill(page, {"2": "1,6"})
    with page.expect_navigation():
        page.click("#submit-report")
    as_user(page, base, "khanhhoa.approver")
    page.goto(f"{base}/reports/{f01}/")
    with page.expect_navigation():
        page.click("#accept-report")
    data = report_state(page, base, f01)
    assert data["status"] == "accepted" and data["revisions"][0]["values"]["2"] in ("1.6", "1.6000")

    # investor: Form 02 prefilled from the registry (2 ha leased, 1 project), accepted, then corrected
    as_user(page, base, "investor.songcau")
    f02 = start_first(page, base, "02")
    assert page.input_value("#id_v4") == "2" and page.input_value("#id_v6") == "1"
    fill(page, {"1": "250", "2": "100", "3": "10", "5": "20", "7": "0", "8": "1", "9": "3"})
    fill(page, {"10": "0,4", "11": "15", "12": "9", "13": "1", "14": "0"})
    with page.expect_navigation():
        page.click("#submit-report")
    assert report_state(page, base, f02)["status"] == "submitted"
    as_user(page, base, "khanhhoa.editor")
    page.goto(f"{base}/reports/{f02}/")
    with page.expect_navigation():
        page.click("#accept-report")
    as_user(page, base, "investor.songcau")
    page.goto(f"{base}/reports/{f02}/")
    page.fill("#id_reason", "Doanh thu hạ tầng ghi thiếu")
    with page.expect_navigation():
        page.click("#correct-report")
    fill(page, {"9": "3,5"})
    with page.expect_navigation():
        page.click("#submit-report")
    as_user(page, base, "khanhhoa.editor")
    page.goto(f"{base}/reports/{f02}/")
    with page.expect_navigation():
        page.click("#accept-report")
    data = report_state(page, base, f02)
    assert data["status"] == "accepted" and [r["number"] for r in data["revisions"]] == [2, 1]
    assert data["revisions"][0]["reason"] == "Doanh thu hạ tầng ghi thiếu"

    # commune officer: Form 03 of Diên Thọ with a note, submitted
    as_user(page, base, "xa.dientho")
    f03 = start_first(page, base, "03")
    page.fill("#id_note_v3", "Cụm Diên Thọ đã thành lập")
    if page.locator("#id_confirm_missing").count():
        # without the confirmation the submission is refused and says why
        with page.expect_navigation():
            page.click("#submit-report")
        assert report_state(page, base, f03)["status"] == "draft"
        assert page.locator("#missing-data").is_visible()
        confirm_missing(page)
    with page.expect_navigation():
        page.click("#submit-report")
    data = report_state(page, base, f03)
    assert data["status"] == "submitted"

    # province: the editor completes the registry's land figures of Sông Cầu (the sample has none), then compiles
    # Form 04, explains its warnings and submits it; the approver approves it
    as_user(page, base, "khanhhoa.editor")
    page.goto(f"{base}/clusters/KHA-SONGCAU/edit/")
    page.fill("#id_industrial_land_ha", "30")
    page.fill("#id_ready_land_ha", "10")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    f04 = start_first(page, base, "04")
    data = report_state(page, base, f04)
    figures = {i["code"]: i["value"] for i in data["indicators"]}
    assert float(figures["23"]) == 15.5 and float(figures["20"]) == 1
    for area in page.locator("textarea[name^=warn_]").all():
        area.fill("Các xã khác chưa gửi Biểu 03")
    confirm_missing(page)
    with page.expect_navigation():
        page.click("#submit-report")
    assert report_state(page, base, f04)["status"] == "submitted"
    page.goto(f"{base}/reports/{f04}/trace/23/")
    page_shows(page, "Nhà máy chế biến mẫu")
    as_user(page, base, "khanhhoa.approver")
    page.goto(f"{base}/reports/{f04}/")
    confirm_missing(page, "#id_confirm_missing_accept")
    with page.expect_navigation():
        page.click("#accept-report")
    assert report_state(page, base, f04)["status"] == "accepted"

    # the Ministry: national table with Khánh Hòa's approved Form 04, and the form itself
    as_user(page, base, "bo.congthuong")
    page.goto(f"{base}/reports/national/")
    row = page.locator("#national-table tr", has_text="Khánh Hòa")
    assert row.locator("a").count() == 1
    assert page.locator("#national-table tbody tr").count() == 34
    row.locator("a").click()
    assert f"/reports/{f04}/" in page.url
    with page.expect_download() as download:
        page.click("a[href$='xlsx/?rev=1']")
    assert download.value.suggested_filename.endswith(".xlsx")

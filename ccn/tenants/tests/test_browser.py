"""Browser walk-through in Chromium: an officer imports a tenant list for a Khánh Hòa cluster, sees occupancy,
vacant land and the wastewater alert change, exports the list; the cluster's investor edits its tenants and does
not see another cluster's."""

import io

import pytest
from openpyxl import load_workbook

from ccn.core.testing import sign_in

from .helpers import tax_code, xlsx_bytes

pytestmark = pytest.mark.browser

HEADERS = [
    "Mã cụm công nghiệp",
    "Mã số thuế",
    "Tên doanh nghiệp",
    "Quốc gia nhà đầu tư",
    "Tên dự án",
    "Diện tích đất thuê (ha)",
    "Tình trạng",
    "Số lao động",
    "Lưu lượng nước thải (m³/ngày)",
]


def test_import_tenants_and_investor_scope(app_server, page, browser, tmp_path):
    sign_in(page, app_server, "khanhhoa.editor")
    page.goto(f"{app_server}/clusters/KHA-SONGCAU/edit/")
    page.fill("#id_area_planned_ha", "50")
    page.fill("#id_industrial_land_ha", "40")
    page.fill("#id_ready_land_ha", "30")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{app_server}/clusters/KHA-SONGCAU/")
    assert page.text_content('[data-figure="occupancy"]').strip().startswith("0")
    assert page.locator("#wastewater-alerts").count() == 0

    path = tmp_path / "doanh-nghiep-song-cau.xlsx"
    path.write_bytes(
        xlsx_bytes(
            [
                HEADERS,
                [
                    "KHA-SONGCAU",
                    tax_code(4201),
                    "Công ty May Sông Cầu",
                    "VN",
                    "Nhà máy may",
                    "6",
                    "Đang hoạt động",
                    200,
                    80,
                ],
                [
                    "KHA-SONGCAU",
                    tax_code(4301),
                    "Công ty Chế biến Hàn",
                    "KR",
                    "Xưởng chế biến",
                    "4",
                    "Đã đăng ký",
                    30,
                    "",
                ],
                ["KHA-TRANGE", tax_code(4401), "Công ty Trảng É", "VN", "Nhà máy gạch", "2", "Đang hoạt động", 50, 5],
            ]
        )
    )
    page.goto(f"{app_server}/tenants/import/")
    page.select_option("#id_kind", "tenants")
    page.set_input_files("#id_file", str(path))
    page.click("#import-form button[type=submit]")
    page.wait_for_selector("#import-checked")
    assert page.locator("#import-errors").count() == 0
    page.click("#import-commit")
    page.wait_for_selector("#import-done")
    assert "3" in page.text_content("#import-done")

    page.goto(f"{app_server}/clusters/KHA-SONGCAU/")
    assert page.text_content('[data-figure="leased"]').strip().startswith("10")
    assert page.text_content('[data-figure="vacant"]').strip().startswith("20")
    assert page.text_content('[data-figure="occupancy"]').strip().startswith("25")
    assert page.locator("#wastewater-alerts").is_visible()
    page.goto(f"{app_server}/infrastructure/alerts/")
    assert page.locator("text=Cụm công nghiệp Sông Cầu").count() >= 1

    page.goto(f"{app_server}/tenants/?cluster=KHA-SONGCAU")
    with page.expect_download() as download_info:
        page.click("text=XLSX")
    exported = load_workbook(io.BytesIO(open(download_info.value.path(), "rb").read())).active
    names = {r[4] for r in exported.iter_rows(min_row=2, values_only=True)}
    assert names == {"Nhà máy may", "Xưởng chế biến"}

    context = browser.new_context(locale="vi-VN")
    investor = context.new_page()
    sign_in(investor, app_server, "investor.songcau")
    investor.goto(f"{app_server}/tenants/")
    assert investor.locator("text=Nhà máy may").count() == 1
    assert investor.locator("text=Nhà máy gạch").count() == 0
    investor.click("text=Nhà máy may")
    investor.click("a[href$='/edit/']")
    investor.fill("#id_workers", "230")
    investor.click("main button[type=submit]")
    investor.wait_for_selector("text=230")
    context.close()

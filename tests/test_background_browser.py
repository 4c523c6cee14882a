"""Browser walk-through in Chromium: an officer imports a file of more than 1,000 tenant rows; the check (dry run)
runs in the task worker under a progress bar and the page is sent to its result, then the commit runs in the worker
while the page shows a progress bar, and ends with a link to the result; the job is listed under "My background
jobs"."""

import pytest

from ccn.core.testing import sign_in
from ccn.tenants.tests.helpers import csv_bytes, tax_code

pytestmark = pytest.mark.browser

ROWS = 1200
HEADERS = ["Mã cụm công nghiệp", "Mã số thuế", "Tên doanh nghiệp", "Quốc gia nhà đầu tư", "Tên dự án", "Tình trạng"]


def test_large_import_runs_in_the_background_with_a_progress_bar(task_worker, page, tmp_path):
    base = task_worker
    path = tmp_path / "doanh-nghiep-trang-e.csv"
    rows = [["KHA-TRANGE", tax_code(i * 10 + 7), f"Công ty {i}", "VN", f"Xưởng {i}", "Đã đăng ký"] for i in range(ROWS)]
    path.write_bytes(csv_bytes([HEADERS, *rows]))

    sign_in(page, base, "khanhhoa.editor")
    page.goto(f"{base}/tenants/import/")
    page.select_option("#id_kind", "tenants")
    page.set_input_files("#id_file", str(path))
    page.click("#import-form button[type=submit]")
    # Over 1,000 rows the check runs in the worker too: its bar, then the page is sent to the check's result.
    page.wait_for_selector("#job-status #job-progress", timeout=15000)
    assert "kiểm tra ở chế độ chạy nền" in page.text_content("#import-result")
    page.wait_for_selector("#import-checked", timeout=120000)
    assert "/tenants/import/?check=" in page.url
    assert "1.200" in page.text_content("#import-checked")  # Vietnamese thousands separator

    page.click("#import-commit")
    # The page answers at once with the job's progress bar, polled every second until the worker is done.
    page.wait_for_selector("#job-status #job-progress", timeout=15000)
    assert page.locator("#job-status").get_attribute("data-status") in ("queued", "running")
    page.wait_for_selector('#job-status[data-status="done"]', timeout=120000)
    assert page.locator("#job-progress").count() == 0
    assert "1.200" in page.text_content("#job-done")
    page.click("#job-result-link")
    page.wait_for_url(f"{base}/tenants/")
    assert "Xưởng" in page.text_content("main")  # the imported projects are in the list

    # "My background jobs" in the menu lists it, done, with the link to its result.
    page.click("summary:has-text('Thông tin cụm')")
    page.click("a:has-text('Công việc chạy nền của tôi')")
    page.wait_for_selector("#job-list")
    row = page.locator("#job-list tbody tr").first
    assert "doanh-nghiep-trang-e.csv" in row.text_content() and "Đã xong" in row.text_content()

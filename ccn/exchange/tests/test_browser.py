"""Browser walk-through in Chromium: a province officer imports the history of a cluster from one workbook, reads
every bad cell in one list, fixes them, writes the records and finds the real dates on the cluster's page."""

import io

import pytest
from openpyxl import load_workbook

from ccn.core.testing import sign_in
from ccn.exchange import workbook

pytestmark = pytest.mark.browser


def _workbook(commune: str, *, area: str, day: str) -> bytes:
    wb = load_workbook(io.BytesIO(workbook.write([])))
    wb["Cụm công nghiệp"].append(["KHA-LS08", "", "Cụm công nghiệp Ninh Sim", "", "ordinary", commune, "", "", "",
                                  area])  # fmt: skip
    acts = wb["Quyết định vòng đời"]
    acts.append(["KHA-LS08", "register", "", "planned", "01/05/2008", "included_in_plan", "15/QĐ-UBND", "01/05/2008",
                 "UBND tỉnh Khánh Hòa"])  # fmt: skip
    acts.append(["KHA-LS08", "establish", "planned", "established", day, "established", "812/QĐ-UBND", day,
                 "UBND tỉnh Khánh Hòa"])  # fmt: skip
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_history_import_lists_every_bad_cell_then_writes_the_real_dates(app_server, page, tmp_path):
    sign_in(page, app_server, "khanhhoa.editor")
    page.goto(f"{app_server}/exchange/history/")
    # The province's registry as a history workbook: a commune of the province, from its sample clusters.
    registry = page.request.get(f"{app_server}/exchange/history/template.xlsx?filled=1").body()
    clusters = load_workbook(io.BytesIO(registry))["Cụm công nghiệp"]
    commune = next(r[5] for r in clusters.iter_rows(min_row=2, values_only=True) if r[5]).split(";")[0].strip()
    bad = tmp_path / "lich-su.xlsx"
    bad.write_bytes(_workbook(commune, area="năm mươi", day="31/02/2012"))
    page.set_input_files("#id_file", str(bad))
    page.click("#history-check")
    problems = page.locator("#history-problems tbody tr")
    problems.first.wait_for()
    assert problems.count() == 3  # the area, and the act's date and its decision's date: every bad cell, no more
    text = page.locator("#history-problems").inner_text()
    assert "Diện tích quy hoạch (ha)" in text and "Ngày của quyết định" in text and "Ngày ban hành" in text
    assert "năm mươi" in text
    assert page.locator(".history-preview").count() >= 1  # the values as read, before anything is written

    good = tmp_path / "lich-su-da-sua.xlsx"
    good.write_bytes(_workbook(commune, area="45", day="20/06/2012"))
    page.set_input_files("#id_file", str(good))
    page.click("#history-check")
    page.locator("#history-checked").wait_for()
    page.click("#history-commit")
    page.locator("#history-done").wait_for()
    page.goto(f"{app_server}/clusters/KHA-LS08/")
    body = page.locator("main").inner_text()
    assert "20/06/2012" in body and "812/QĐ-UBND" in body

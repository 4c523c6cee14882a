"""Form 04 as printed: the XLSX converted to PDF by LibreOffice and the PDF of the printable page, read back page by
page with pdftotext. The official header and receiver, the signature block of the Director who approved (not the
officer who drafted), the as-of date, the footnotes of missing data, rows never split across pages, the header row
repeated on every page and the XLSX fitted to the width of an A4 page. Also the national total row."""

import datetime
import re
import subprocess
from decimal import Decimal

import pytest

from ccn.clusters.models import LegalDocument
from ccn.reports import services
from ccn.reports.models import Indicator

pytestmark = pytest.mark.django_db


def note_of(code: str) -> str:
    """A long note (so the table spans several pages) with a start and an end token per row."""
    key = code.replace(".", "p")
    return f"AA{key} " + "số liệu theo Biểu 02 của chủ đầu tư hạ tầng và sổ đăng ký " * 5 + f"ZZ{key}"


@pytest.fixture
def approved_form04(users, setup):
    editor, approver = users["editor"], users["approver"]
    editor.first_name, editor.last_name = "Trần Thị", "Soạn"
    editor.save()
    approver.first_name, approver.last_name = "Nguyễn Văn", "Duyệt"
    approver.save()
    # the second cluster has an establishment decision; the first (registered "operating" since 2024) has none, so
    # indicators 5–6 lack data for one cluster: a footnote and a confirmation
    LegalDocument.objects.create(
        cluster=setup["other_cluster"], kind="established", number="3/QĐ", issued_on=datetime.date(2024, 3, 1)
    )
    province = setup["cluster"].province
    report, _ = services.report_open(actor=editor, form="04", period=setup["annual"], province=province)
    codes = list(Indicator.objects.filter(form_key="03/04").values_list("code", flat=True))
    services.report_save(actor=editor, report=report, notes={c: note_of(c) for c in codes})
    services.report_transition(actor=editor, report=report, action="submit", confirm_missing=True)
    services.report_transition(actor=approver, report=report, action="accept", confirm_missing=True)
    report.refresh_from_db()
    return report, codes


def pages_of(pdf_path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf_path), "-"], check=True, capture_output=True, timeout=60)
    return [p for p in out.stdout.decode("utf-8").split("\f") if p.strip()]


def check_pages(pages: list[str], codes: list[str]):
    text = "\n".join(pages)
    assert len(pages) >= 2, "the notes make the table longer than one page"
    first, last = pages[0], pages[-1]
    assert "Biểu số 04" in first and "TỔNG HỢP TÌNH HÌNH CỤM CÔNG NGHIỆP TRÊN ĐỊA BÀN CẤP TỈNH" in first
    assert "Đơn vị gửi báo cáo: Sở Công Thương" in first
    assert re.search(r"Đơn vị nhận báo cáo: .*Bộ Công Thương", first)
    assert "Số liệu tính đến ngày: 14/12/2026" in first
    assert "2.026" not in text and "2,026" not in text  # years never carry a thousands separator
    # the signature block: the Director of the Department, signed by the approver, not by the drafter
    assert "GIÁM ĐỐC SỞ CÔNG THƯƠNG" in last and "Nguyễn Văn Duyệt" in last
    assert "Trần Thị Soạn" not in text
    # the footnote of the missing establishment date (indicators 5 and 6: 1 of 2 established clusters)
    assert re.search(r"Chỉ tiêu 5: 1/2 cụm chưa có số liệu", text)
    # every page with table rows repeats the header row
    for number, page in enumerate(pages, start=1):
        if re.search(r"AA\d", page):
            assert "Chỉ tiêu" in page and "(5)" in page, f"page {number} has rows but no header"
    # no row is split across pages: each row's start and end tokens are on the same page
    for code in codes:
        key = code.replace(".", "p")
        start = [i for i, p in enumerate(pages) if f"AA{key}" in p]
        end = [i for i, p in enumerate(pages) if f"ZZ{key}" in p]
        assert start and start == end, f"row {code} is split across pages {start} / {end}"


@pytest.mark.office
def test_form04_xlsx_printed_through_libreoffice(client, users, approved_form04, tmp_path):
    report, codes = approved_form04
    client.force_login(users["editor"])
    r = client.get(f"/reports/{report.pk}/xlsx/")
    assert r.status_code == 200
    path = tmp_path / "bieu04.xlsx"
    path.write_bytes(r.content)
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pages = pages_of(tmp_path / "bieu04.pdf")
    check_pages(pages, codes)
    # fitted to the page width: the five columns' numbers (1)…(5) on one line of every page with rows
    for page in pages:
        if re.search(r"AA\d", page):
            assert re.search(r"\(1\).*\(2\).*\(3\).*\(4\).*\(5\)", page)


@pytest.mark.office
def test_form04_pdf_pages(client, users, approved_form04, tmp_path):
    report, codes = approved_form04
    client.force_login(users["editor"])
    r = client.get(f"/reports/{report.pk}/pdf/")
    assert r.status_code == 200
    path = tmp_path / "bieu04.pdf"
    path.write_bytes(r.content)
    check_pages(pages_of(path), codes)


def test_national_table_has_a_total_row(client, users, setup, approved_form04):
    report, _codes = approved_form04
    client.force_login(users["ministry"])
    page = client.get(f"/reports/national/?period={setup['annual'].pk}").content.decode()
    assert 'id="national-total"' in page
    data = client.get(f"/api/v1/reports/national?period_id={setup['annual'].pk}").json()
    total = data["total"]
    # only Khánh Hòa has an approved Form 04: the nation's total is its figures; 19 = 5 ÷ 30 = 16.7 %
    kha = next(r for r in data["rows"] if r["province_code"] == "56")
    assert total["provinces"] == 1
    for code in ("1", "3", "15", "17", "18", "20"):
        assert Decimal(str(total["figures"][code])) == Decimal(str(kha["figures"][code])), code
    assert Decimal(str(total["figures"]["19"])) == Decimal("16.7")
    assert total["missing"]["5"] == [1, 2]

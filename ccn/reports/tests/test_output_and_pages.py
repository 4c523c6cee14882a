"""The official layout (XLSX read back through LibreOffice, printable page, PDF), the pages of each role and the
scope matrix of pages (role × page × own/other report), and the rule expression whitelist."""

import csv
import io
import subprocess
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from ccn.reports import services
from ccn.reports.models import Indicator
from ccn.reports.rules import RuleSyntaxError, evaluate_expression, parse


@pytest.fixture
def form04(users, setup):
    report, _ = services.report_open(
        actor=users["editor"], form="04", period=setup["annual"], province=setup["cluster"].province
    )
    services.report_save(actor=users["editor"], report=report, notes={"18": "Số liệu Biểu 02"})
    return report


@pytest.fixture
def form01(users, setup):
    report, _ = services.report_open(actor=users["tenant"], form="01", period=setup["annual"], project=setup["project"])
    services.report_save(actor=users["tenant"], report=report, values={"1": "12.5", "2": "1.5", "3": "50", "4": "8"})
    return report


@pytest.mark.django_db
def test_catalogue_reproduces_the_circular_exactly():
    from ccn.reports.catalogue import FORMS_CSV

    with FORMS_CSV.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    stored = list(Indicator.objects.order_by("form_key", "position"))
    assert len(stored) == len(rows) == 4 + 14 + 35
    by_key = {(i.form_key, i.code): i for i in stored}
    for row in rows:
        ind = by_key[(row["form"], row["no"])]
        assert (ind.label_vi, ind.label_en, ind.unit, ind.section) == (
            row["label_vi"],
            row["label_en"],
            row["unit"],
            row["section"],
        )
    codes = [i.code for i in stored if i.form_key == "03/04"]
    assert codes[:15] == [str(n) for n in range(1, 15)] + ["15"]
    assert codes[15:25] == ["15.1", "15.2", "15.3", "15.4", "16", "16.1", "16.2", "16.3", "16.4", "17"]
    assert codes[-1] == "27"


def test_rule_expressions_are_whitelisted():
    assert evaluate_expression("i4 / i3 * 100", {"i4": Decimal("5"), "i3": Decimal("20")})[0] == 25
    assert evaluate_expression("i4 / i3", {"i4": Decimal("5"), "i3": Decimal("0")})[0] is None
    assert evaluate_expression("i15_1 + i15_2", {"i15_1": Decimal("1"), "i15_2": None})[0] is None
    for bad in ("__import__('os')", "i1.real", "[i1]", "i1 ** 2", "lambda: 1", "i1 if i2 else i3"):
        with pytest.raises(RuleSyntaxError):
            parse(bad)


@pytest.mark.django_db
@pytest.mark.office
def test_form04_xlsx_official_layout_read_back_by_libreoffice(client, users, form04, tmp_path):
    client.force_login(users["editor"])
    r = client.get(f"/reports/{form04.pk}/xlsx/")
    assert r.status_code == 200
    path = tmp_path / "bieu04.xlsx"
    path.write_bytes(r.content)
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    with (tmp_path / "bieu04.csv").open(encoding="utf-8") as fh:
        cells = list(csv.reader(fh))
    text = [",".join(c).strip(",") for c in cells]
    assert cells[0][0] == "Biểu số 04"
    assert cells[1][0] == "TỔNG HỢP TÌNH HÌNH CỤM CÔNG NGHIỆP TRÊN ĐỊA BÀN CẤP TỈNH"
    assert cells[2][0] == "Đơn vị gửi báo cáo: Sở Công Thương " + form04.province.name
    assert cells[3][0].startswith("Đơn vị nhận báo cáo: Ủy ban nhân dân") and "Bộ Công Thương" in cells[3][0]
    assert cells[4][0] == "Kỳ báo cáo: năm 2026 (số liệu từ 15/12/2025 đến 14/12/2026)"
    assert cells[5][0] == "Thời hạn gửi báo cáo: trước ngày 31/12/2026"
    head = cells.index(["TT", "Chỉ tiêu", "Đơn vị tính", "Kết quả (Luỹ kế đến thời điểm báo cáo)", "Ghi chú"])
    assert cells[head + 1] == ["(1)", "(2)", "(3)", "(4)", "(5)"]
    assert cells[head + 2][:2] == ["I", "Phương án phát triển cụm công nghiệp"]
    body = {row[0]: row for row in cells[head + 2 :] if row and row[0]}
    assert body["II"][1].startswith("Thành lập, đầu tư xây dựng hạ tầng")
    assert body["III"][1] == "Hoạt động của các cụm công nghiệp"
    assert body["15.2"][1:3] == ["Số lượng cụm công nghiệp đã hoạt động nhưng chưa thành lập", "Cụm"]
    # the registry: KHA-TEST-1 operating (in the plan), KHA-TEST-2 established: 2 in the plan, 1 operating
    assert body["1"][3] == "2" and body["15"][3] == "1" and body["17"][3] == "30"
    assert body["18"][3] == "5" and body["18"][4] == "Số liệu Biểu 02"
    rows_27 = [row for row in cells if row and row[0] == "27"]
    assert rows_27 and rows_27[0][2] == "Cụm"
    assert any("ngày" in t and "tháng" in t for t in text)
    assert any("GIÁM ĐỐC" in t for t in text)


@pytest.mark.django_db
def test_form01_xlsx_header_names_project_and_sector(client, users, form01):
    client.force_login(users["tenant"])
    r = client.get(f"/reports/{form01.pk}/xlsx/")
    ws = load_workbook(io.BytesIO(r.content)).active
    col_a = [c.value for c in ws["A"] if c.value]
    assert "Tên dự án: Nhà máy A" in col_a
    assert any(str(v).startswith("Ngành nghề sản xuất kinh doanh") for v in col_a)
    head = next(r for r in ws.iter_rows(values_only=True) if r[0] == "TT")
    assert head == ("TT", "Chỉ tiêu", "Đơn vị tính", "Kết quả", "Ghi chú")
    values = {r[0]: r[3] for r in ws.iter_rows(values_only=True) if r[0] in ("1", "2", "3", "4")}
    assert values == {"1": 12.5, "2": 1.5, "3": 50, "4": 8}


@pytest.mark.django_db
def test_print_and_pdf(client, users, form04):
    client.force_login(users["editor"])
    r = client.get(f"/reports/{form04.pk}/print/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Biểu số 04" in html and "Kết quả (Luỹ kế đến thời điểm báo cáo)" in html and "GIÁM ĐỐC" in html
    r = client.get(f"/reports/{form04.pk}/pdf/")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_national_xlsx(client, users, form04, setup):
    client.force_login(users["ministry"])
    r = client.get(f"/reports/national/?period={setup['annual'].pk}&live=1&format=xlsx")
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if row[0] == "Mã tỉnh")
    body = [row for row in rows[header + 1 :] if row[0]]
    assert len(body) == 34
    kha = next(row for row in body if row[0] == "56")
    assert kha[3] == 2  # indicator 1, compiled live


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "page", "status"),
    [
        ("tenant", "detail01", 200),
        ("investor", "detail01", 404),
        ("commune", "detail01", 200),
        ("approver", "detail01", 200),
        ("other_editor", "detail01", 404),
        ("ministry", "detail01", 404),
        ("editor", "detail04", 200),
        ("ministry", "detail04", 200),
        ("tenant", "detail04", 404),
        ("investor", "detail04", 404),
        ("other_editor", "detail04", 404),
        ("tenant", "national", 403),
        ("investor", "national", 403),
        ("ministry", "national", 200),
        ("tenant", "index", 200),
        ("commune", "completeness", 200),
        ("admin", "periods", 200),
        ("tenant", "xlsx04", 404),
        ("other_editor", "xlsx01", 404),
    ],
)
def test_page_scope_matrix(client, users, setup, form01, form04, who, page, status):
    period = setup["annual"].pk
    urls = {
        "detail01": f"/reports/{form01.pk}/",
        "detail04": f"/reports/{form04.pk}/",
        "national": f"/reports/national/?period={period}",
        "index": f"/reports/?period={period}",
        "completeness": f"/reports/completeness/?period={period}&form=02&by=commune",
        "periods": "/reports/periods/",
        "xlsx04": f"/reports/{form04.pk}/xlsx/",
        "xlsx01": f"/reports/{form01.pk}/xlsx/",
    }
    client.force_login(users[who])
    assert client.get(urls[page]).status_code == status


@pytest.mark.django_db
def test_pages_entry_and_decision(client, users, setup, form01, django_assert_max_num_queries):
    client.force_login(users["tenant"])
    r = client.get(f"/reports/{form01.pk}/")
    assert r.status_code == 200 and 'name="v1"' in r.content.decode()
    # text in a number cell: refused on the page with the message next to the cell, nothing saved
    r = client.post(f"/reports/{form01.pk}/save/", {"v1": "abc", "v2": "1.5", "v3": "50", "v4": "8", "op": "save"})
    assert r.status_code == 422 and "abc" in r.content.decode()
    form01.current.refresh_from_db()
    assert form01.current.v1 == Decimal("12.5")
    r = client.post(f"/reports/{form01.pk}/save/", {"v1": "13", "v2": "1.5", "v3": "50", "v4": "8", "op": "submit"})
    assert r.status_code == 302
    client.force_login(users["commune"])
    with django_assert_max_num_queries(40):
        r = client.get(f"/reports/{form01.pk}/")
    assert 'id="return-report"' in r.content.decode() and 'id="accept-report"' in r.content.decode()
    r = client.post(f"/reports/{form01.pk}/return/", {"ret_v1": "Doanh thu chưa đúng"})
    assert r.status_code == 302
    form01.refresh_from_db()
    assert form01.status == "returned" and form01.current.return_comments == {"1": "Doanh thu chưa đúng"}
    client.force_login(users["tenant"])
    assert "Doanh thu chưa đúng" in client.get(f"/reports/{form01.pk}/").content.decode()
    r = client.get(f"/reports/?period={setup['annual'].pk}")
    assert "Nhà máy A" in r.content.decode()

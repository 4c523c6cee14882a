"""An import a spreadsheet user can trust: Vietnamese numbers with their reading shown, the values as read,
plausibility warnings, the file's kind recognised, spreadsheet traps (formulas, merged cells, hidden rows, too many
rows, Windows-1258 CSV) named clearly, and the bulk path keeping the services' rules."""

import io
import unicodedata
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from ccn.clusters.models import Cluster
from ccn.core.importing import FileRefused, run_import
from ccn.core.models import ChangeAction, ChangeRecord
from ccn.geo.models import Commune
from ccn.tenants.columns import CLUSTER_COLUMNS, TENANT_COLUMNS
from ccn.tenants.io import importer_for
from ccn.tenants.models import TenantProject

from .helpers import csv_bytes, tax_code, xlsx_bytes

pytestmark = pytest.mark.django_db

EN = [c.en for c in TENANT_COLUMNS]
VI = [c.vi for c in TENANT_COLUMNS]


def row(**kw):
    values = {
        "cluster_code": "KHA-TEST",
        "tax_code": tax_code(1),
        "enterprise_name": "Công ty May",
        "country": "VN",
        "name": "Nhà máy may",
        "land_leased_ha": 2,
        "status": "Đang hoạt động",
        **kw,
    }
    return [values.get(c.key) for c in TENANT_COLUMNS]


def run(user, data, *, kind="tenants", name="f.xlsx", commit=False):
    return run_import(
        importer_for(kind, actor=user, filename=name), SimpleUploadedFile(name, data), filename=name, commit=commit
    )


def test_exchange_rate_in_vietnamese_form_and_values_as_read(users, cluster):
    """Numbers typed as text in a workbook are read by ccn/core/numbers.py: 25.400 is 25 400 (noted, since it could be
    read 25.4), 1.686,5 is 1686.5 and 1,25 is 1.25 (one reading each, not noted)."""
    cells = {"capital": "1.500.000", "currency": "USD", "exchange_rate": "25.400", "land_leased_ha": "1,25"}
    data = xlsx_bytes([EN, row(**cells, wastewater_m3_day="1.686,5")])
    result = run(users["editor"], data)
    assert result.ok, result.problems
    assert result.headers[:3] == ["Cluster code", "Tax code", "Enterprise name"]
    cells = dict(zip(result.headers, result.preview[0].cells, strict=True))
    assert cells["Exchange rate (VND)"] == "25,400" and cells["Land leased (ha)"] == "1.25"
    assert cells["Wastewater discharge (m³/day)"] == "1,686.5"
    assert [(n.row, n.column) for n in result.notes] == [(2, "Exchange rate (VND)")]
    assert "“25.400” read as 25\u00a0400 (the dot as a thousands separator" in result.notes[0].message
    done = run(users["editor"], data, commit=True)
    assert done.committed
    project = TenantProject.objects.get()
    assert project.exchange_rate == Decimal("25400") and project.capital == Decimal("1500000")
    assert project.wastewater_m3_day == Decimal("1686.5") and project.land_leased_ha == Decimal("1.25")


def test_a_number_that_reads_no_way_names_its_cell_in_vietnamese_and_nothing_is_written(users, cluster):
    bad_rate = row(exchange_rate="1.2.3,4,5", currency="USD", capital="1000")
    rows = [VI, bad_rate, row(tax_code=tax_code(5), capital="abc")]
    with translation.override("vi"):
        result = run(users["editor"], xlsx_bytes(rows), commit=True)
    assert not result.committed
    assert [(p.row, p.column, p.message) for p in result.problems] == [
        (2, "Tỷ giá (VND)", "“1.2.3,4,5” không phải là số"),
        (3, "Vốn đăng ký", "“abc” không phải là số"),
    ]
    assert not TenantProject.objects.exists()


def test_coordinates_in_a_csv_keep_their_decimal_point(users, kha):
    """Latitude and longitude have no thousands reading: 12.245 is 12.245 degrees, 109,195 is 109.195."""
    commune = Commune.objects.filter(province=kha).order_by("code").values_list("code", flat=True)[0]
    values = {"code": "KHA-TD", "name": "Cụm công nghiệp Tọa Độ", "province": "56", "communes": commune}
    values |= {"area_planned_ha": "50", "lat": "12.245", "lon": "109,195"}
    data = csv_bytes([[c.en for c in CLUSTER_COLUMNS], [values.get(c.key) for c in CLUSTER_COLUMNS]])
    result = run(users["editor"], data, kind="clusters", name="clusters.csv", commit=True)
    assert result.committed, result.problems
    assert not result.notes
    cluster = Cluster.objects.get(code="KHA-TD")
    assert (cluster.lat, cluster.lon) == (pytest.approx(12.245), pytest.approx(109.195))


def test_plausibility_warnings_do_not_block(users, cluster):
    rows = [
        EN,
        row(capital="3,2", currency="USD", exchange_rate="25400", workers=0),
        row(tax_code=tax_code(5), name="B", capital="5000000000", exchange_rate=None),
    ]
    result = run(users["editor"], xlsx_bytes(rows))
    assert result.ok
    by_row = {}
    for w in result.warnings:
        by_row.setdefault(w.row, []).append(w)
    assert {w.column for w in by_row[2]} == {"Registered capital", "Workers"}
    assert "3.2 USD looks too small" in by_row[2][0].message
    assert 3 not in by_row


def test_file_of_another_kind_is_recognised(users, cluster):
    clusters_file = xlsx_bytes([[c.vi for c in CLUSTER_COLUMNS], ["KHA-NEW", "Cụm mới", "", "", "56"]])
    with pytest.raises(FileRefused) as exc:
        run(users["editor"], clusters_file, kind="tenants")
    assert "looks like a file of Clusters" in exc.value.message
    tenants_file = xlsx_bytes([VI, row()])
    with pytest.raises(FileRefused, match="looks like a file of Tenant projects"):
        run(users["editor"], tenants_file, kind="clusters")


def _sheet(build) -> bytes:
    wb = Workbook()
    ws = wb.active
    build(ws)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_formula_merged_and_hidden_rows_named_in_one_list(users, cluster):
    def build(ws):
        ws.append(EN)
        ws.append(row(name="A", tax_code=tax_code(1)))
        ws.append(row(name="B", tax_code=tax_code(5)))
        ws.append(row(name="C", tax_code=tax_code(9)))
        ws.append(row(name="D", tax_code=tax_code(13)))
        ws.append(row(name="E", tax_code=tax_code(17)))
        ws["K2"] = "=1+1"  # land leased: a formula never calculated (written by a program)
        ws.merge_cells("E3:F3")  # project name and sector merged across columns
        ws.merge_cells("A4:A6")  # the cluster code merged down three rows: filled down
        ws.row_dimensions[5].hidden = True
        ws["J6"] = "năm"  # and a plain bad cell, in the same pass

    result = run(users["editor"], _sheet(build))
    messages = {(p.row, p.column): p.message for p in result.problems}
    assert "formula =1+1" in messages[(2, "Land leased (ha)")]
    assert "merged across columns" in messages[(3, "Project name")]
    assert "not a date" in messages[(6, "Capital registered on")]
    warnings = " ".join(w.message for w in result.warnings)
    assert "A4:A6" in warnings and "Rows 5 are hidden" in warnings
    assert {r.row for r in result.preview if not r.bad} >= {4, 5}
    assert not TenantProject.objects.exists()


def _cp1258(ch: str) -> bytes:
    """As Vietnamese Windows writes a letter: precomposed where the code page has it, else the tone combining."""
    for form in (ch, unicodedata.normalize("NFD", ch)):
        try:
            return form.encode("cp1258")
        except UnicodeEncodeError:
            continue
    parts = unicodedata.normalize("NFD", ch)
    tones = "".join(c for c in parts[1:] if c in "\u0300\u0301\u0303\u0309\u0323")
    shape = "".join(c for c in parts[1:] if c not in tones)
    return (unicodedata.normalize("NFC", parts[0] + shape) + tones).encode("cp1258")


def test_csv_in_windows_1258_and_utf8_bom(users, cluster):
    text = "\n".join([",".join(VI), ",".join(str(v or "") for v in row(name="Xưởng đúc Đông Hòa"))])
    cp1258 = b"".join(_cp1258(ch) for ch in text)
    result = run(users["editor"], cp1258, name="w.csv", commit=True)
    assert result.committed, result.problems
    assert TenantProject.objects.get().name == "Xưởng đúc Đông Hòa"
    bom = csv_bytes([VI, row(name="Xưởng hai", tax_code=tax_code(5))])
    assert bom.startswith(b"\xef\xbb\xbf")
    assert run(users["editor"], bom, name="b.csv", commit=True).committed
    assert TenantProject.objects.filter(name="Xưởng hai").exists()


def test_fifty_thousand_rows_refused_before_reading(users, cluster):
    lines = [",".join(EN)] + [",".join(str(v or "") for v in row(name=f"P{i}")) for i in range(50_000)]
    with pytest.raises(FileRefused, match="more than 20,000 rows"):
        run(users["editor"], "\n".join(lines).encode(), name="big.csv")
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("x")
    ws.append(EN)
    for i in range(50_000):
        ws.append([i])
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(FileRefused, match="more than 20,000 rows"):
        run(users["editor"], buf.getvalue())


def test_bulk_path_history_update_and_status_change(users, cluster):
    first = xlsx_bytes([VI, row(status="Đã đăng ký"), row(name="B", tax_code=tax_code(5), enterprise_name="Công ty B")])
    done = run(users["editor"], first, commit=True)
    assert done.created == 2
    records = ChangeRecord.objects.filter(request_id=done.request_id)
    assert records.filter(action=ChangeAction.IMPORT).count() == 3  # two projects and the import
    assert records.filter(action=ChangeAction.CREATE).count() == 2  # the two new enterprises
    again = xlsx_bytes([VI, row(status="Đang hoạt động", workers=80), row(name="B", tax_code=tax_code(5))])
    result = run(users["editor"], again, commit=True)
    assert result.committed and result.updated == 1 and result.unchanged == 1, result.problems
    project = TenantProject.objects.get(name="Nhà máy may")
    assert project.status == "operating" and project.workers == 80 and project.version >= 2
    back = xlsx_bytes([VI, row(status="Đã đăng ký")])
    refused = run(users["editor"], back, commit=True)
    assert refused.problems and refused.problems[0].column == "Status"

"""Spreadsheet import (dry run, every bad row at once, all or nothing, re-import updates) and export."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from ccn.clusters.models import Cluster, Organisation
from ccn.core.importing import FileRefused, run_import
from ccn.core.models import ChangeAction, ChangeRecord
from ccn.geo.models import Commune
from ccn.tenants.columns import CLUSTER_COLUMNS, TENANT_COLUMNS
from ccn.tenants.io import importer_for
from ccn.tenants.models import ImportRun, TenantProject
from ccn.tenants.selectors import cluster_land

from .helpers import csv_bytes, tax_code, xlsx_bytes

pytestmark = pytest.mark.django_db

VI = [c.vi for c in TENANT_COLUMNS]
EN = [c.en for c in TENANT_COLUMNS]


def row(cluster="KHA-TEST", tax=None, name="Nhà máy may", ha=5, status="Đang hoạt động", **kw):
    values = {
        "cluster_code": cluster,
        "tax_code": tax or tax_code(1),
        "enterprise_name": kw.pop("enterprise_name", "Công ty May Khánh Hòa"),
        "country": kw.pop("country", "VN"),
        "name": name,
        "land_leased_ha": ha,
        "status": status,
        **kw,
    }
    return [values.get(c.key) for c in TENANT_COLUMNS]


def upload(data: bytes, name="tenants.xlsx"):
    return SimpleUploadedFile(name, data)


def run(user, data, *, kind="tenants", name="tenants.xlsx", commit=False):
    return run_import(importer_for(kind, actor=user, filename=name), upload(data, name), filename=name, commit=commit)


def test_xlsx_dry_run_then_commit_then_reimport_updates(users, cluster):
    editor = users["editor"]
    rows = [
        VI,
        row(tax=tax_code(1), name="Nhà máy may", ha="5,5", workers=120, wastewater_m3_day=40),
        row(tax=tax_code(5), name="Xưởng gỗ", ha=4, status="Đã đăng ký", enterprise_name="Công ty Gỗ"),
    ]
    data = xlsx_bytes(rows)
    dry = run(editor, data)
    assert dry.ok and dry.total == 2 and dry.created == 2 and not dry.committed
    assert not TenantProject.objects.exists() and not ImportRun.objects.exists()
    assert not Organisation.objects.filter(tax_code=tax_code(1)).exists()

    done = run(editor, data, commit=True)
    assert done.committed and done.created == 2
    assert TenantProject.objects.filter(cluster=cluster).count() == 2
    land = cluster_land(cluster)
    assert land["leased_ha"] == Decimal("9.5") and land["vacant_ha"] == Decimal("20.5")
    assert land["occupancy_pct"] == Decimal("23.8")
    p = TenantProject.objects.get(name="Nhà máy may")
    assert p.status == "operating" and p.workers == 120 and p.land_leased_ha == Decimal("5.5")

    records = ChangeRecord.objects.filter(request_id=done.request_id)
    assert records.filter(action=ChangeAction.IMPORT).count() == 3  # two projects and the import itself
    run_record = ImportRun.objects.get()
    assert run_record.request_id == done.request_id and run_record.created == 2

    rows[1] = row(tax=tax_code(1), name="Nhà máy may", ha=6, workers=150, wastewater_m3_day=40)
    again = run(editor, xlsx_bytes(rows), commit=True)
    assert again.updated == 1 and again.unchanged == 1 and again.created == 0
    assert TenantProject.objects.count() == 2
    p.refresh_from_db()
    assert p.workers == 150 and p.land_leased_ha == Decimal("6")


def test_csv_with_english_headers_and_semicolons(users, cluster):
    data = csv_bytes([EN, row(status="Operating", ha="1.25", country="KR")], delimiter=";")
    result = run(users["editor"], data, name="tenants.csv", commit=True)
    assert result.committed, result.problems
    p = TenantProject.objects.get()
    assert p.land_leased_ha == Decimal("1.25") and p.is_foreign_invested


def test_every_bad_row_reported_at_once_and_nothing_written(users, cluster, hni_cluster):
    rows = [
        VI,
        row(name="Tốt"),
        row(tax="0100109107", name="Sai MST"),
        row(tax=tax_code(20), name="Thuê ngược", lease_start="01/01/2025", lease_end="31/12/2024"),
        row(tax=tax_code(30), name="Chữ trong số", ha="năm ha", workers="nhiều"),
        row(tax=tax_code(40), name="Quá đất", ha=26),
        row(cluster="HNI-TEST", tax=tax_code(50), name="Tỉnh khác"),
        row(cluster="KHA-NONE", tax=tax_code(60), name="Không có cụm"),
        row(name="Tốt"),
    ]
    result = run(users["editor"], xlsx_bytes(rows), commit=True)
    assert not result.committed
    by_row = {}
    for p in result.problems:
        by_row.setdefault(p.row, []).append(p)
    assert sorted(by_row) == [3, 4, 5, 6, 7, 8, 9]
    assert "check digit" in by_row[3][0].message and by_row[3][0].column == "Tax code"
    assert "end before it starts" in by_row[4][0].message
    assert {p.column for p in by_row[5]} == {"Land leased (ha)", "Workers"}
    assert "not a number" in by_row[5][0].message
    assert "ready to lease" in by_row[6][0].message  # 5 + 26 > 30 ha ready
    assert by_row[7][0].column == "Cluster code"  # Hà Nội's cluster is outside the editor's scope
    assert "repeats row 2" in by_row[9][0].message
    assert not TenantProject.objects.exists()
    assert not Organisation.objects.filter(tax_code__in=[tax_code(1), tax_code(20)]).exists()
    assert not ImportRun.objects.exists()


def test_lease_above_ready_land_across_rows(users, cluster):
    """Each row alone fits; together they exceed the ready land: the second is refused and nothing is written."""
    rows = [VI, row(tax=tax_code(1), name="A", ha=20), row(tax=tax_code(5), name="B", ha=15)]
    result = run(users["editor"], xlsx_bytes(rows), commit=True)
    assert [p.row for p in result.problems] == [3]
    assert not TenantProject.objects.exists()


def test_file_level_refusals(users, cluster, settings):
    editor = users["editor"]
    settings.MAX_UPLOAD_BYTES = 20 * 1024 * 1024
    big = SimpleUploadedFile("big.xlsx", b"PK\x03\x04" + b"0" * (50 * 1024 * 1024))
    with pytest.raises(FileRefused) as exc:
        run_import(importer_for("tenants", actor=editor, filename="big.xlsx"), big)
    assert "50 MB" in exc.value.message and "20 MB" in exc.value.message
    with pytest.raises(FileRefused, match="empty"):
        run(editor, b"", name="empty.csv")
    with pytest.raises(FileRefused, match="empty"):
        run(editor, xlsx_bytes([]), name="blank.xlsx")
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 100
    with pytest.raises(FileRefused, match="not a spreadsheet"):
        run(editor, png, name="photo.xlsx")
    with pytest.raises(FileRefused, match="not a spreadsheet"):
        run(editor, png, name="photo.csv")
    with pytest.raises(FileRefused, match="not a spreadsheet"):
        run(editor, b"PK\x03\x04 broken zip", name="broken.xlsx")
    with pytest.raises(FileRefused, match="97"):
        run(editor, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, name="old.xls")
    missing = [c for c in VI if c not in ("Mã số thuế", "Tên dự án")]
    with pytest.raises(FileRefused) as exc:
        run(editor, xlsx_bytes([missing, ["KHA-TEST"] * len(missing)]))
    assert "Tax code" in exc.value.message and "Project name" in exc.value.message
    with pytest.raises(FileRefused, match="no data rows"):
        run(editor, xlsx_bytes([VI]))
    with pytest.raises(FileRefused, match="header"):
        run(editor, csv_bytes([["a", "b"], ["1", "2"]]), name="x.csv")
    assert not TenantProject.objects.exists()


def test_cluster_import_creates_updates_and_refuses(users, kha):
    editor = users["editor"]
    kha_communes = list(Commune.objects.filter(province=kha).order_by("code").values_list("code", flat=True)[:2])
    hni_commune = Commune.objects.filter(province__code="01").order_by("code").values_list("code", flat=True)[0]
    header = [c.vi for c in CLUSTER_COLUMNS]

    def crow(**v):
        return [v.get(c.key) for c in CLUSTER_COLUMNS]

    good = crow(
        code="KHA-NEW",
        name="Cụm công nghiệp Mới",
        province="56",
        communes=f"{kha_communes[0]}; {kha_communes[1]}",
        status="Đang hoạt động",
        status_since="15/03/2024",
        area_planned_ha=50,
        industrial_land_ha=40,
        ready_land_ha=30,
    )
    rows = [
        header,
        good,
        crow(code="KHA-BAD1", name="Xã tỉnh khác", province="56", communes=hni_commune, area_planned_ha=50),
        crow(
            code="KHA-BAD2",
            name="Đất sẵn sàng lớn hơn",
            province="56",
            communes=kha_communes[0],
            area_planned_ha=50,
            industrial_land_ha=20,
            ready_land_ha=25,
        ),
        crow(code="KHA-BAD3", name="Chữ", province="56", communes=kha_communes[0], area_planned_ha="năm mươi"),
        crow(code="HNI-BAD4", name="Tỉnh khác", province="01", communes=hni_commune, area_planned_ha=50),
    ]
    result = run(editor, xlsx_bytes(rows), kind="clusters", name="clusters.xlsx", commit=True)
    rows_bad = {p.row: p for p in result.problems}
    assert sorted(rows_bad) == [3, 4, 5, 6]
    assert rows_bad[3].column == "Commune codes" and "is not in" in rows_bad[3].message
    assert "exceed the industrial land" in rows_bad[4].message
    assert "not a number" in rows_bad[5].message
    assert "only for records of your own province" in rows_bad[6].message  # another province: refused
    assert not Cluster.objects.filter(code__startswith="KHA-NEW").exists()

    result = run(editor, xlsx_bytes([header, good]), kind="clusters", name="clusters.xlsx", commit=True)
    assert result.committed and result.created == 1
    c = Cluster.objects.get(code="KHA-NEW")
    assert c.status == "operating" and c.status_since.isoformat() == "2024-03-15"
    assert sorted(c.communes.values_list("code", flat=True)) == sorted(kha_communes)

    updated = list(good)
    updated[[c.key for c in CLUSTER_COLUMNS].index("ready_land_ha")] = 35
    result = run(editor, xlsx_bytes([header, updated]), kind="clusters", name="clusters.xlsx", commit=True)
    assert result.updated == 1 and Cluster.objects.filter(code="KHA-NEW").count() == 1
    c.refresh_from_db()
    assert c.ready_land_ha == Decimal("35")
    assert ChangeRecord.objects.filter(request_id=result.request_id, action=ChangeAction.UPDATE).count() == 1
    assert ChangeRecord.objects.filter(request_id=result.request_id, action=ChangeAction.IMPORT).count() == 1


def test_export_never_writes_formulas(client, users, cluster):
    from ccn.tenants import services

    editor = users["editor"]
    for i, name in enumerate(["=1+2", "+SUM(A1)", "-2+3", "@cmd"]):
        enterprise = services.enterprise_for(actor=editor, tax_code=tax_code(100 + i * 7), name=f"=HYPERLINK({i})")
        services.tenant_project_create(
            actor=editor, cluster=cluster, enterprise=enterprise, data={"name": name, "land_leased_ha": 1}
        )
    client.force_login(editor)
    response = client.get("/tenants/export.xlsx?cluster=KHA-TEST&sort=name")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for r in ws.iter_rows() for cell in r]
    assert all(cell.data_type != "f" for cell in cells)
    texts = {cell.value for cell in cells if isinstance(cell.value, str)}
    assert {"'=1+2", "'+SUM(A1)", "'-2+3", "'@cmd", "'=HYPERLINK(0)"} <= texts
    csv_text = client.get("/tenants/export.csv?cluster=KHA-TEST").content.decode("utf-8")
    assert csv_text.startswith("\ufeff")
    assert "'=1+2" in csv_text and ",=1+2" not in csv_text


def test_export_reimports_unchanged(client, users, cluster):
    editor = users["editor"]
    run(editor, xlsx_bytes([VI, row(workers=10, capital="1000000000", lease_start="01/02/2024")]), commit=True)
    client.force_login(editor)
    exported = client.get("/tenants/export.xlsx").content
    again = run(editor, exported, commit=True)
    assert again.committed and again.unchanged == 1 and again.created == 0, again.problems


def test_cluster_list_export_filters(client, users, cluster, other_cluster):
    client.force_login(users["editor"])
    response = client.get("/tenants/clusters-export.csv?q=khac")
    text = response.content.decode("utf-8")
    assert "KHA-OTHER" in text and "KHA-TEST" not in text
    response = client.get("/tenants/clusters-export.xlsx")
    ws = load_workbook(io.BytesIO(response.content)).active
    codes = {r[0] for r in ws.iter_rows(values_only=True)}
    assert {"KHA-TEST", "KHA-OTHER"} <= codes


def test_templates_download_and_are_importable_headers(client, users, cluster):
    client.force_login(users["editor"])
    response = client.get("/tenants/import/template-tenants.xlsx")
    wb = load_workbook(io.BytesIO(response.content))
    assert [ws.title for ws in wb.worksheets] == ["data", "instructions", "cluster codes", "communes", "lists"]
    assert wb["lists"].sheet_state == "hidden"
    header = [c.value for c in wb.worksheets[0][1]]
    assert "Tax code *" in header
    guide = [r[0] for r in wb.worksheets[1].iter_rows(values_only=True)]
    assert "Status" in guide
    codes = [r[0] for r in wb["cluster codes"].iter_rows(min_row=2, values_only=True)]
    assert "KHA-TEST" in codes and "HNI-TEST" not in codes  # the editor's province only
    communes = {r[0] for r in wb["communes"].iter_rows(min_row=2, values_only=True)}
    assert set(cluster.communes.values_list("code", flat=True)) <= communes
    # drop-downs: the status column lists the states, the cluster code column the codes of the reference sheet
    validations = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in wb["data"].data_validations.dataValidation}
    status_letter = wb["data"].cell(1, header.index("Status") + 1).column_letter
    sheet, cells = validations[f"{status_letter}2"].split("!")
    assert sheet == "'lists'"
    words = [c.value for row in wb["lists"][cells.replace("$", "")] for c in row]
    assert "Operating" in words and "Registered" in words
    assert validations["A2"] == f"'cluster codes'!$A$2:$A${len(codes) + 1}"
    # the example row, as downloaded, imports
    example = [c.value for c in wb["data"][2]]
    assert example[header.index("Cluster code *")] == codes[0]
    assert run(users["editor"], response.content, name="template.xlsx").ok
    assert run(users["editor"], xlsx_bytes([header, row()])).ok
    client.cookies["django_language"] = "vi"
    vi = client.get("/tenants/import/template-tenants.xlsx").content
    header = [c.value for c in load_workbook(io.BytesIO(vi)).worksheets[0][1]]
    assert "Mã số thuế *" in header
    assert run(users["editor"], xlsx_bytes([header, row()])).ok


def test_import_page_dry_run_then_commit(client, users, cluster):
    client.force_login(users["editor"])
    data = xlsx_bytes([VI, row(ha=10)])
    response = client.post(
        "/tenants/import/", {"kind": "tenants", "file": upload(data)}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert 'id="import-checked"' in html and not TenantProject.objects.exists()
    token = html.split('name="token" value="')[1].split('"')[0]
    response = client.post("/tenants/import/", {"token": token}, headers={"HX-Request": "true"})
    assert 'id="import-done"' in response.content.decode()
    assert TenantProject.objects.count() == 1
    response = client.post("/tenants/import/", {"token": token}, headers={"HX-Request": "true"})
    assert "expired" in response.content.decode()
    assert TenantProject.objects.count() == 1


def test_import_page_shows_every_error_and_file_errors(client, users, cluster, settings):
    client.force_login(users["editor"])
    data = xlsx_bytes([VI, row(tax="123"), row(tax=tax_code(9), name="B", ha="x")])
    html = client.post("/tenants/import/", {"kind": "tenants", "file": upload(data)}).content.decode()
    assert 'id="import-errors"' in html and 'name="token"' not in html
    assert html.count("<tr><td>") == 2
    settings.MAX_UPLOAD_BYTES = 1000
    html = client.post(
        "/tenants/import/", {"kind": "tenants", "file": upload(b"x" * 2000, "a.csv")}, headers={"HX-Request": "true"}
    ).content.decode()
    assert 'id="import-error"' in html and "MB" in html


def test_import_roles(client, users):
    for who in ("ministry", "commune", "tenant"):
        client.force_login(users[who])
        assert client.get("/tenants/import/").status_code == 403
    client.force_login(users["investor"])
    assert client.get("/tenants/import/").status_code == 200


def test_investor_imports_only_own_clusters(users, cluster, other_cluster):
    rows = [VI, row(cluster="KHA-TEST", ha=1), row(cluster="KHA-OTHER", tax=tax_code(8), name="X", ha=1)]
    result = run(users["investor"], xlsx_bytes(rows), commit=True)
    assert [p.row for p in result.problems] == [3]
    assert not TenantProject.objects.exists()


def test_management_command(tmp_path, users, cluster, capsys):
    path = tmp_path / "tenants.xlsx"
    path.write_bytes(xlsx_bytes([VI, row(ha=2), row(tax=tax_code(5), name="B", ha=3)]))
    call_command("import_tenants", str(path), "--user", "editor", "--dry-run")
    assert not TenantProject.objects.exists()
    call_command("import_tenants", str(path), "--user", "editor")
    assert TenantProject.objects.count() == 2
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([EN, row(ha="many")]))
    with pytest.raises(CommandError, match="1 bad rows"):
        call_command("import_tenants", str(bad), "--user", "editor")
    err = capsys.readouterr().err
    assert "row 2" in err and "not a number" in err


def test_api_import(client, users, cluster):
    client.force_login(users["editor"])
    cells = {"workers": 0, "capital": "2.500.000.000", "wastewater_m3_day": "1.500"}
    data = xlsx_bytes([EN, row(status="Operating", ha=3, **cells)])
    response = client.post("/api/v1/tenants/imports", {"kind": "tenants", "file": upload(data)})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["dry_run"] and not body["committed"] and body["created"] == 1
    assert [w["column"] for w in body["warnings"]] == ["Workers"]
    # 1.500 could be read 1.5 and is noted; 2.500.000.000 reads one way only
    assert [(n["row"], n["column"]) for n in body["notes"]] == [(2, "Wastewater discharge (m³/day)")]
    assert "“1.500” read as 1\u00a0500" in body["notes"][0]["message"]
    data = xlsx_bytes([EN, row(status="Operating", ha=3)])
    response = client.post("/api/v1/tenants/imports", {"kind": "tenants", "commit": "true", "file": upload(data)})
    assert response.json()["committed"]
    assert TenantProject.objects.count() == 1
    empty = client.post("/api/v1/tenants/imports", {"kind": "tenants", "file": upload(b"", "e.csv")})
    assert empty.status_code == 422 and "empty" in empty.json()["detail"]
    client.force_login(users["ministry"])
    assert client.post("/api/v1/tenants/imports", {"kind": "tenants", "file": upload(data)}).status_code == 403


def test_messages_in_vietnamese(users, cluster):
    from django.utils import translation

    with translation.override("vi"):
        result = run(users["editor"], xlsx_bytes([EN, row(ha="năm", status="Operating")]))
    assert result.problems[0].column == "Diện tích đất thuê (ha)"
    assert result.problems[0].message == "“năm” không phải là số"


def test_cluster_import_refuses_a_state_budget_cluster_with_an_enterprise_investor(users, kha):
    """Indicators 7–8 of Form 04 follow the investor's kind: a state-budget cluster imported with a new investor
    (created as an enterprise) would count as enterprise-invested, so the row is refused with the rule, nothing
    written; with a public unit as investor it is accepted; a later change to the state budget is refused too."""
    from ccn.clusters.tests.factories import make_org

    commune = Commune.objects.filter(province=kha).order_by("code").values_list("code", flat=True)[0]
    header = [c.vi for c in CLUSTER_COLUMNS]

    def crow(**v):
        base = {"name": "Cụm công nghiệp Ngân sách", "province": "56", "communes": commune, "area_planned_ha": 30}
        return [{**base, **v}.get(c.key) for c in CLUSTER_COLUMNS]

    budget_new_investor = crow(
        code="KHA-NS1", funding_source="Ngân sách nhà nước", investor_tax_code=tax_code(7), investor_name="Công ty Mới"
    )

    def imported(row):
        return run(users["editor"], xlsx_bytes([header, row]), kind="clusters", name="c.xlsx", commit=True)

    result = imported(budget_new_investor)
    assert not result.committed and [p.row for p in result.problems] == [2]
    assert "7–8" in result.problems[0].message and "Decree 32/2024, Art. 2(3)" in result.problems[0].message
    assert not Cluster.objects.filter(code="KHA-NS1").exists()
    assert not Organisation.objects.filter(tax_code=tax_code(7)).exists()

    make_org("Ban quản lý dự án tỉnh", tax_code=tax_code(8), kind="public_unit")
    budget_public = crow(code="KHA-NS2", funding_source="Ngân sách nhà nước", investor_tax_code=tax_code(8))
    assert imported(budget_public).created
    assert Cluster.objects.get(code="KHA-NS2").investor.kind == "public_unit"

    make_org("Công ty Hạ tầng Cũ", tax_code=tax_code(9))
    enterprise = crow(code="KHA-NS3", funding_source="Doanh nghiệp", investor_tax_code=tax_code(9))
    assert imported(enterprise).created
    to_budget = crow(code="KHA-NS3", funding_source="Ngân sách nhà nước", investor_tax_code=tax_code(9))
    result = imported(to_budget)
    assert not result.committed and "7–8" in result.problems[0].message
    assert Cluster.objects.get(code="KHA-NS3").funding_source == "enterprise"


def test_cluster_import_holds_the_area_to_the_limit_of_the_establishment_decisions_date(users, kha):
    """Decree 32/2024, Art. 35(1): an 80 ha cluster established in 2008 is imported with its decision (recorded as
    its document); the same row without a decision, or with a decision of 2020, is refused; number and date go
    together."""
    from ccn.clusters.models import LegalDocument

    commune = Commune.objects.filter(province=kha).order_by("code").values_list("code", flat=True)[0]
    header = [c.vi for c in CLUSTER_COLUMNS]

    def crow(**v):
        base = {"name": "Cụm công nghiệp Cũ", "province": "56", "communes": commune, "area_planned_ha": 80}
        base |= {"status": "Đã thành lập", "status_since": "01/06/2008"}
        return [{**base, **v}.get(c.key) for c in CLUSTER_COLUMNS]

    def imported(*rows):
        return run(users["editor"], xlsx_bytes([header, *rows]), kind="clusters", name="c.xlsx", commit=True)

    result = imported(
        crow(code="KHA-NODEC"),
        crow(code="KHA-2020", decision_number="3/QĐ-UBND", decision_on="01/06/2020"),
        crow(code="KHA-HALF", decision_number="4/QĐ-UBND"),
    )
    problems = {p.row: p for p in result.problems}
    assert not result.committed and sorted(problems) == [2, 3, 4]
    assert "105/2009" in problems[2].message and "105/2009" in problems[3].message
    assert "number and the date" in problems[4].message
    assert not Cluster.objects.filter(code__in=["KHA-NODEC", "KHA-2020", "KHA-HALF"]).exists()

    result = imported(crow(code="KHA-2008", decision_number="12/QĐ-UBND", decision_on="01/06/2008"))
    assert result.committed and result.created == 1
    decision = LegalDocument.objects.get(cluster__code="KHA-2008")
    assert (decision.kind, decision.number, decision.issued_on.isoformat()) == (
        "established",
        "12/QĐ-UBND",
        "2008-06-01",
    )
    assert Cluster.objects.get(code="KHA-2008").area_planned_ha == Decimal("80")


def test_cluster_import_reads_the_mountainous_area_column(users, kha):
    """Decree 32/2024, Art. 2(1) (Decree 68/2017, Art. 2(1) from 15/7/2017): 5–75 ha for a cluster in a mountainous
    district. "Địa bàn miền núi" takes có/không/x or blank like the other yes/no columns; a blank cell leaves an
    existing cluster's flag as it is; a 7 ha cluster decided in 2018 is refused unless marked, with the hint."""
    commune = Commune.objects.filter(province=kha).order_by("code").values_list("code", flat=True)[0]
    header = [c.vi for c in CLUSTER_COLUMNS]
    assert "Địa bàn miền núi" in header

    def crow(**v):
        base = {"name": "Cụm công nghiệp Miền Núi", "province": "56", "communes": commune, "area_planned_ha": 7}
        base |= {"status": "Đã thành lập", "status_since": "01/06/2018"}
        base |= {"decision_number": "7/QĐ-UBND", "decision_on": "01/06/2018"}
        return [{**base, **v}.get(c.key) for c in CLUSTER_COLUMNS]

    def imported(*rows):
        return run(users["editor"], xlsx_bytes([header, *rows]), kind="clusters", name="c.xlsx", commit=True)

    result = imported(crow(code="KHA-MN1", mountainous_area="x"), crow(code="KHA-MN2", mountainous_area="Không"))
    assert not result.committed and [p.row for p in result.problems] == [3]
    assert "Nghị định 68/2017/NĐ-CP, Điều 2 khoản 1" in result.problems[0].message
    assert "5 ha (Nghị định 68/2017/NĐ-CP" in result.problems[0].message
    assert not Cluster.objects.filter(code__startswith="KHA-MN").exists()

    result = imported(crow(code="KHA-MN1", mountainous_area="x"), crow(code="KHA-MN3", mountainous_area="Có"))
    assert result.committed and result.created == 2, result.problems
    assert set(Cluster.objects.filter(code__startswith="KHA-MN").values_list("mountainous_area", flat=True)) == {True}
    # a blank cell leaves the flag; "maybe" is not yes/no
    again = imported(crow(code="KHA-MN1", mountainous_area=None, name="Cụm công nghiệp Miền Núi Mới"))
    assert again.committed and again.updated == 1
    assert Cluster.objects.get(code="KHA-MN1").mountainous_area is True
    bad = imported(crow(code="KHA-MN1", mountainous_area="có lẽ"))
    assert not bad.committed and bad.problems[0].column in ("Địa bàn miền núi", "Mountainous area")
    # the export writes the column where the import reads it
    from ccn.clusters.selectors import cluster_list
    from ccn.tenants.io import cluster_export

    exported = next(cluster_export(cluster_list(user=users["editor"], filters={"q": "KHA-MN1"}, order="name")))
    at = [c.key for c in CLUSTER_COLUMNS].index("mountainous_area")
    assert exported[at] in ("có", "yes")

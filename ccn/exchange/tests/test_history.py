"""A province's history imported from one workbook through the exchange's receiver: the round trip (a province's
workbook re-imports into an empty registry to the same records), the dry run with every problem of every sheet in
one list, and the guards of each act checked as of its date."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from ccn.accounts.models import User
from ccn.clusters.models import Cluster, ClusterEvent, ClusterFigure, LegalDocument, Organisation
from ccn.exchange import bundle as fmt
from ccn.exchange import workbook
from ccn.exchange.history import history_import
from ccn.exchange.models import ExchangeLink, IncomingBatch
from ccn.exchange.schema import json_schema
from ccn.exchange.sheets import CLUSTERS, COLUMNS, HISTORY, PROJECTS, sheet_title
from ccn.exchange.tests import province_seed
from ccn.geo.models import Commune, Province
from ccn.infrastructure.models import WastewaterPlant
from ccn.infrastructure.services import plant_set, result_add
from ccn.reports.models import Report
from ccn.tenants.models import TenantProject
from ccn.tenants.services import tenant_project_transition

pytestmark = pytest.mark.django_db


def _normalised(province: Province) -> list[dict]:
    """The province's records as the exchange carries them, without what only names local rows (record numbers,
    times of entry): what must be identical after a round trip."""
    records = [r for r in fmt.changed_records(province, since=None, until=timezone.now()) if r["kind"] != "report"]
    orgs = {r["key"]: r["data"]["name"] for r in records if r["kind"] == "organisation"}
    out = []
    for r in records:
        data = dict(r["data"])
        key = r["key"]
        if r["kind"] == "organisation":
            key = data["name"]
        elif r["kind"] == "cluster":
            data["investor"] = orgs.get(data["investor"])
            data["figures"] = [{**f, "organisation": orgs.get(f["organisation"])} for f in data["figures"]]
        elif r["kind"] == "tenant_project":
            data["enterprise"] = orgs[data["enterprise"]]
            key = f"{data['cluster']}|{data['enterprise']}|{data['name']}"
        out.append({"kind": r["kind"], "key": key, "data": data})
    return sorted(out, key=lambda r: (r["kind"], r["key"]))


def _wipe() -> None:
    """An empty registry (the province's officers stay)."""
    Report.objects.all().delete()
    WastewaterPlant.objects.all().delete()
    TenantProject.objects.all().delete()
    ClusterEvent.objects.all().delete()
    ClusterFigure.objects.all().delete()
    LegalDocument.objects.all().delete()
    Cluster.objects.all().delete()
    Organisation.objects.all().delete()
    ExchangeLink.objects.all().delete()
    IncomingBatch.objects.all().delete()


def _upload(content: bytes, name="lich-su.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.fixture
def seeded(kha):
    province_seed.seed()
    editor = User.objects.get(username="so.kha.editor")
    project = TenantProject.objects.get(name="Seiko Khánh Hòa")
    tenant_project_transition(
        actor=editor, project=project, action="start_operation", effective_on=datetime.date(2024, 1, 15)
    )
    plant_set(
        actor=editor,
        cluster=Cluster.objects.get(code="KHA-DK1"),
        data={"status": "operating", "design_capacity_m3_day": Decimal("1500"), "auto_monitoring": True,
              "environmental_permit": "GPMT 45/2023", "permit_issued_on": datetime.date(2023, 5, 10)},
    )  # fmt: skip
    result_add(
        actor=editor,
        cluster=Cluster.objects.get(code="KHA-DK1"),
        sampled_on=datetime.date(2024, 6, 30),
        compliant=True,
        document="KQ-12/2024",
    )
    result_add(  # an earlier dated result: every result travels, not only the last
        actor=editor,
        cluster=Cluster.objects.get(code="KHA-DK1"),
        sampled_on=datetime.date(2023, 12, 1),
        compliant=False,
        document="KQ-06/2023",
    )
    return editor


def test_a_provinces_workbook_reimports_into_an_empty_registry_to_identical_records(seeded, kha):
    before = _normalised(kha)
    content = workbook.write(fmt.changed_records(kha, since=None, until=timezone.now()))
    _wipe()
    assert not Cluster.objects.exists()

    dry = history_import(actor=seeded, province=kha, upload=_upload(content), commit=False)
    assert dry.ok, dry.problems
    assert dry.counts["created"] == dry.records == 3 + 3 + 2  # organisations, clusters, projects
    assert not Cluster.objects.exists(), "a dry run writes nothing"

    done = history_import(actor=seeded, province=kha, upload=_upload(content), commit=True)
    assert done.ok and done.committed, done.problems
    after = _normalised(kha)
    assert after == before
    # The real dates are there: the cluster established in 2020, operating since 2023, with its decisions.
    c1 = Cluster.objects.get(code="KHA-DK1")
    assert (c1.status, c1.status_since) == ("operating", datetime.date(2023, 2, 1))
    events = list(c1.events.order_by("effective_on").values_list("action", "effective_on", "document__number"))
    assert events[1] == ("establish", datetime.date(2020, 6, 15), "2020/QĐ-UBND-establ")
    plant = WastewaterPlant.objects.get(cluster=c1)
    assert (plant.latest_result.sampled_on, plant.latest_result.standard) == (
        datetime.date(2024, 6, 30),
        "QCVN 40:2011/BTNMT",
    )
    assert list(plant.results.order_by("sampled_on").values_list("sampled_on", "compliant")) == [
        (datetime.date(2023, 12, 1), False),
        (datetime.date(2024, 6, 30), True),
    ]
    seiko = TenantProject.objects.get(name="Seiko Khánh Hòa")
    assert (seiko.status, seiko.status_since) == ("operating", datetime.date(2024, 1, 15))

    again = history_import(actor=seeded, province=kha, upload=_upload(content), commit=True)
    assert again.ok and again.counts["unchanged"] == again.records, "the same workbook again changes nothing"


def _sheet_rows(content: bytes, title: str) -> list[list]:
    return [list(r) for r in load_workbook(io.BytesIO(content))[title].iter_rows(values_only=True)]


def _typed_workbook(kha) -> bytes:
    """A workbook as an officer types it from the paper decisions: the template with rows added."""
    communes = list(Commune.objects.filter(province=kha).order_by("code").values_list("code", flat=True)[:2])
    wb = load_workbook(io.BytesIO(workbook.write([])))
    wb["Tổ chức"].append(["", "4201234566", "Công ty CP Hạ tầng Vạn Ninh", "enterprise", "VN"])
    clusters = wb["Cụm công nghiệp"]
    clusters.append(["KHA-H1", "", "Cụm công nghiệp Tu Bông", "", "ordinary", communes[0], "", "4201234566",
                     "enterprise", "50", "", "", "", None, "", "", None, None])  # fmt: skip
    clusters.append(["KHA-H2", "", "Cụm công nghiệp Đại Lãnh", "", "ordinary", communes[1], "", "", "",
                     "1.686,5", "", "", "", None])  # fmt: skip
    acts = wb["Quyết định vòng đời"]
    acts.append(["KHA-H1", "register", "", "planned", "01/05/2008", "included_in_plan", "15/QĐ-UBND", "01/05/2008",
                 "UBND tỉnh Khánh Hòa"])  # fmt: skip
    acts.append(["KHA-H1", "establish", "planned", "established", "20/06/2012", "established", "812/QĐ-UBND",
                 "20/06/2012", "UBND tỉnh Khánh Hòa"])  # fmt: skip
    figures = wb["Số liệu theo thời gian"]
    figures.append(["KHA-H1", "area_planned_ha", "01/05/2008", "45"])
    figures.append(["KHA-H1", "area_planned_ha", "01/01/2015", "50"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_typed_workbook_is_applied_in_date_order_with_its_documents(seeded, kha):
    result = history_import(actor=seeded, province=kha, upload=_upload(_typed_workbook(kha)), commit=False)
    # "1.686,5" ha is read as 1686.5, which a cluster's area may not be: refused with its sheet and row.
    assert [(p["sheet"], p["row"]) for p in result.problems] == [("Cụm công nghiệp", 3)], result.problems
    assert not Cluster.objects.filter(code__startswith="KHA-H").exists()


def test_every_bad_cell_of_every_sheet_is_listed_at_once_and_nothing_is_written(seeded, kha):
    wb = load_workbook(io.BytesIO(_typed_workbook(kha)))
    wb["Cụm công nghiệp"]["J2"] = "năm mươi"  # area
    wb["Quyết định vòng đời"]["E3"] = "31/02/2012"  # no such day
    wb["Quyết định vòng đời"].append(["KHA-ZZ", "establish", "planned", "established", "01/01/2013"])
    wb["Số liệu theo thời gian"]["B3"] = "diện tích"  # not a figure
    wb["Tổ chức"]["C2"] = None  # the investor's name
    buf = io.BytesIO()
    wb.save(buf)
    result = history_import(actor=seeded, province=kha, upload=_upload(buf.getvalue()), commit=True)
    places = {(p["sheet"], p["row"], p["column"]) for p in result.problems}
    assert ("Tổ chức", 2, "Tên") in places
    # And in the same list, what the registry's rules refuse: the area of 1.686,5 ha of the other cluster.
    assert ("Cụm công nghiệp", 3, "") in places
    # A row with a problem is named once: the rows that refer to it are not reported as well.
    assert len(result.problems) == 6, result.problems
    assert ("Cụm công nghiệp", 2, "Diện tích quy hoạch (ha)") in places
    assert ("Quyết định vòng đời", 3, "Ngày của quyết định") in places
    assert ("Quyết định vòng đời", 4, "Mã cụm công nghiệp") in places
    assert ("Số liệu theo thời gian", 3, "Số liệu") in places
    assert not result.committed
    assert not Cluster.objects.filter(code__startswith="KHA-H").exists()


def test_a_row_with_a_problem_is_listed_once_not_again_for_the_rows_that_wait_on_it(seeded, kha):
    """A cluster the registry refuses (1.686,5 ha) and a project of a cluster not on the sheet: one problem each, not
    one more for the refused cluster's project nor for either project's status history."""
    wb = load_workbook(io.BytesIO(_typed_workbook(kha)))
    rows = {
        PROJECTS: [{"key": "da-1", "cluster": "KHA-H2", "enterprise": "4201234566", "name": "Nhà máy Đại Lãnh",
                    "status": "registered"},
                   {"key": "da-2", "cluster": "KHA-H9", "enterprise": "4201234566", "name": "Nhà máy Tu Bông",
                    "status": "registered"}],
        HISTORY: [{"project": "da-1", "status": "registered", "since": "01/03/2016"},
                  {"project": "da-2", "status": "registered", "since": "01/03/2016"}],
    }  # fmt: skip
    for sheet, items in rows.items():
        for item in items:
            wb[sheet_title(sheet)].append([item.get(column.key) for column in COLUMNS[sheet]])
    buf = io.BytesIO()
    wb.save(buf)
    result = history_import(actor=seeded, province=kha, upload=_upload(buf.getvalue()), commit=False)
    assert [(p["sheet"], p["row"]) for p in result.problems] == [
        (sheet_title(PROJECTS), 3),  # no cluster KHA-H9 on the clusters sheet
        (sheet_title(CLUSTERS), 3),  # KHA-H2's area, refused by the registry's rules
    ], result.problems
    assert result.counts["refused"] == 2  # the refused cluster and its project, which waited on it


def test_an_act_is_checked_as_of_its_date(seeded, kha):
    """An act dated before the act it follows is refused by the lifecycle service, named on its cluster's row."""
    wb = load_workbook(io.BytesIO(_typed_workbook(kha)))
    wb["Cụm công nghiệp"]["J3"] = "40"
    wb["Quyết định vòng đời"].append(["KHA-H2", "register", "", "planned", "01/01/2016"])
    wb["Quyết định vòng đời"].append(["KHA-H2", "establish", "planned", "established", "01/01/2030", "established",
                                      "9/QĐ-UBND", "01/01/2030", "UBND tỉnh Khánh Hòa"])  # fmt: skip
    buf = io.BytesIO()
    wb.save(buf)
    result = history_import(actor=seeded, province=kha, upload=_upload(buf.getvalue()), commit=True)
    assert [(p["sheet"], p["row"]) for p in result.problems] == [("Cụm công nghiệp", 3)], result.problems
    assert "future" in result.problems[0]["message"] or "tương lai" in result.problems[0]["message"]
    assert not Cluster.objects.filter(code__startswith="KHA-H").exists()

    wb["Quyết định vòng đời"]["E5"] = wb["Quyết định vòng đời"]["H5"] = "01/01/2019"
    buf = io.BytesIO()
    wb.save(buf)
    result = history_import(actor=seeded, province=kha, upload=_upload(buf.getvalue()), commit=True)
    assert result.committed, result.problems
    h1 = Cluster.objects.get(code="KHA-H1")
    assert (h1.status, h1.status_since) == ("established", datetime.date(2012, 6, 20))
    register = h1.events.get(action="register")
    assert (register.effective_on, register.document.number) == (datetime.date(2008, 5, 1), "15/QĐ-UBND")
    assert list(h1.figures.filter(field="area_planned_ha").values_list("valid_from", flat=True)) == [
        datetime.date(2008, 5, 1),
        datetime.date(2015, 1, 1),
    ]
    assert h1.investor.tax_code == "4201234566"


def test_the_page_checks_lists_problems_then_writes_the_same_file(client, seeded, kha, monkeypatch):
    client.force_login(seeded)
    page = client.get("/exchange/history/")
    assert page.status_code == 200 and "history-template" in page.content.decode()
    template = client.get("/exchange/history/template.xlsx")
    assert load_workbook(io.BytesIO(template.content)).sheetnames[:3] == [
        "Tổ chức",
        "Cụm công nghiệp",
        "Quyết định vòng đời",
    ]

    bad = client.post("/exchange/history/", {"file": _upload(_typed_workbook(kha))})
    assert bad.status_code == 422
    assert "Cụm công nghiệp" in bad.content.decode() and "history-problems" in bad.content.decode()
    assert "1.686,5" in bad.content.decode(), "the values as read are shown"

    wb = load_workbook(io.BytesIO(_typed_workbook(kha)))
    wb["Cụm công nghiệp"]["J3"] = "40"
    buf = io.BytesIO()
    wb.save(buf)
    checked = client.post("/exchange/history/", {"file": _upload(buf.getvalue())})
    assert checked.status_code == 200, checked.content.decode()[:2000]
    token = checked.context["token"]
    assert not Cluster.objects.filter(code__startswith="KHA-H").exists()
    done = client.post("/exchange/history/", {"token": token})
    assert done.status_code == 200 and done.context["result"].committed
    assert Cluster.objects.get(code="KHA-H2").area_planned_ha == 40


def test_a_large_workbook_commits_in_the_background(client, seeded, kha, monkeypatch):
    from ccn.exchange import history
    from ccn.jobs.models import Job

    monkeypatch.setattr(history, "BACKGROUND_ROWS", 3)
    client.force_login(seeded)
    wb = load_workbook(io.BytesIO(_typed_workbook(kha)))
    wb["Cụm công nghiệp"]["J3"] = "40"
    buf = io.BytesIO()
    wb.save(buf)
    token = client.post("/exchange/history/", {"file": _upload(buf.getvalue())}).context["token"]
    answer = client.post("/exchange/history/", {"token": token})
    job = Job.objects.get(kind="exchange.history_import")
    assert answer.status_code == 302 and answer["Location"].endswith(f"/{job.pk}/")
    from ccn.jobs.services import job_run

    job_run(str(job.pk))
    job.refresh_from_db()
    assert job.status == "done", job.message
    assert Cluster.objects.get(code="KHA-H1").events.count() == 2


def test_a_commune_officer_may_not_import_history(client, kha):
    from ccn.accounts.choices import Role
    from ccn.accounts.tests.factories import make_user

    client.force_login(make_user("xa.officer", role=Role.COMMUNE_OFFICER, province=kha))
    assert client.get("/exchange/history/").status_code == 403


def test_the_history_workbook_keeps_the_mountainous_area_flag(seeded, kha):
    """The clusters sheet carries "Địa bàn miền núi" (Decree 32/2024, Art. 2(1)): written as có/không, read back
    to the same records; a workbook typed without the column creates unmarked clusters."""
    from ccn.clusters.services import cluster_update

    cluster_update(actor=seeded, cluster=Cluster.objects.get(code="KHA-DK1"), data={"mountainous_area": True})
    before = _normalised(kha)
    assert [r["data"]["mountainous_area"] for r in before if r["kind"] == "cluster"].count(True) == 1
    content = workbook.write(fmt.changed_records(kha, since=None, until=timezone.now()))
    rows = _sheet_rows(content, "Cụm công nghiệp")
    at = rows[0].index("Địa bàn miền núi")
    assert {r[0]: r[at] for r in rows[1:]}["KHA-DK1"] == "có"
    assert sorted(r[at] for r in rows[1:]) == ["có", "không", "không"]
    _wipe()
    done = history_import(actor=seeded, province=kha, upload=_upload(content), commit=True)
    assert done.ok and done.committed, done.problems
    assert _normalised(kha) == before
    assert Cluster.objects.get(code="KHA-DK1").mountainous_area is True

    _wipe()
    wb = load_workbook(io.BytesIO(content))
    wb["Cụm công nghiệp"].delete_cols(at + 1)
    buf = io.BytesIO()
    wb.save(buf)
    done = history_import(actor=seeded, province=kha, upload=_upload(buf.getvalue()), commit=True)
    assert done.ok and done.committed, done.problems
    assert Cluster.objects.get(code="KHA-DK1").mountainous_area is False


def test_plant_results_are_read_back_in_date_order_and_need_their_plant(seeded, kha):
    """The results sheet: rows in any order are applied in date order, the plant's last result the latest; a result
    of a cluster without a plant row is listed with its sheet and row; a bundle without results (an earlier
    instance's) stays valid."""
    import jsonschema

    content = workbook.write(fmt.changed_records(kha, since=None, until=timezone.now()))
    wb = load_workbook(io.BytesIO(content))
    results = wb["Kết quả quan trắc nước thải"]
    assert [r[:2] for r in results.iter_rows(min_row=2, values_only=True)] == [
        ("KHA-DK1", datetime.datetime(2023, 12, 1)),
        ("KHA-DK1", datetime.datetime(2024, 6, 30)),
    ]
    results.append(["KHA-DK1", "15/03/2022", "KQ-03/2022", "có"])  # typed last, dated first
    buf = io.BytesIO()
    wb.save(buf)
    _wipe()
    done = history_import(actor=seeded, province=kha, upload=_upload(buf.getvalue()), commit=True)
    assert done.ok, done.problems
    plant = WastewaterPlant.objects.get(cluster__code="KHA-DK1")
    assert [r.document for r in plant.results.order_by("sampled_on")] == ["KQ-03/2022", "KQ-06/2023", "KQ-12/2024"]
    assert plant.latest_result.sampled_on == datetime.date(2024, 6, 30)

    results.append(["KHA-NH2", "15/03/2022", "KQ", "có"])  # KHA-NH2 has no plant row
    buf = io.BytesIO()
    wb.save(buf)
    _wipe()
    refused = history_import(actor=seeded, province=kha, upload=_upload(buf.getvalue()), commit=True)
    assert [(p["sheet"], p["row"]) for p in refused.problems] == [("Kết quả quan trắc nước thải", 5)]
    assert not Cluster.objects.exists(), "nothing half-written"

    records = workbook.read(io.BytesIO(content), province_code=kha.code, filename="x.xlsx").records
    for record in records:
        if record["kind"] == "cluster" and record["data"].get("plant"):
            del record["data"]["plant"]["results"]
    jsonschema.validate(
        fmt.build_bundle(province=kha, batch_id="b", sequence=1, records=records, created_at=timezone.now()),
        json_schema(),
    )


def test_the_former_address_as_written_goes_out_and_comes_back(seeded, kha):
    """A cluster's address written before 1 July 2025 (another province's name, a district and commune as typed),
    with the commune it was resolved to and its "to confirm" flag, is carried by the history workbook and the same
    after re-import into an empty registry."""
    from ccn.clusters.addresses import resolve_former_address
    from ccn.clusters.services import cluster_update

    written = {
        "KHA-NH2": ({"province": "Ninh Thuận", "district": "ninh phuoc", "commune": "Thị trấn Phước Dân"}, None),
        "KHA-VN3": ({"province": "", "district": "Huyện Cam Lâm", "commune": "Xã Cam Tân"}, "22708"),  # split: chosen
    }
    for code, (former, chosen) in written.items():
        cluster = Cluster.objects.get(code=code)
        communes, fields, _r = resolve_former_address(
            province=kha, former=former, communes=[chosen] if chosen else None
        )
        cluster_update(
            actor=seeded, cluster=cluster, data=fields, communes=list(Commune.objects.filter(code__in=communes))
        )
    kept = ("former_province_name", "former_district_name", "former_commune_name", "legacy_district_id",
            "legacy_ward_id", "location_match", "location_to_confirm")  # fmt: skip
    before_rows = {c: Cluster.objects.filter(code=c).values(*kept).get() for c in written}
    assert before_rows["KHA-VN3"]["location_to_confirm"] is True  # a split commune's choice is still to confirm
    before = _normalised(kha)
    content = workbook.write(fmt.changed_records(kha, since=None, until=timezone.now()))
    rows = _sheet_rows(content, "Cụm công nghiệp")
    header = rows[0]
    nh2 = next(r for r in rows if r[0] == "KHA-NH2")
    assert nh2[header.index("Tỉnh cũ (trước 1/7/2025)")] == "Ninh Thuận"
    assert nh2[header.index("Xã cũ (trước 1/7/2025)")] == "Thị trấn Phước Dân"  # as written, not as resolved
    _wipe()
    done = history_import(actor=seeded, province=kha, upload=_upload(content), commit=True)
    assert done.ok and done.committed, done.problems
    assert _normalised(kha) == before
    assert {c: Cluster.objects.filter(code=c).values(*kept).get() for c in written} == before_rows
    assert list(Cluster.objects.get(code="KHA-VN3").communes.values_list("code", flat=True)) == ["22708"]


def _clusters_workbook(addresses: list[dict]) -> bytes:
    """The template with one cluster row per former address (keys of the clusters sheet's columns)."""
    wb = load_workbook(io.BytesIO(workbook.write([])))
    ws = wb[sheet_title(CLUSTERS)]
    for n, address in enumerate(addresses, start=1):
        values = {"code": f"KHA-F{n:02d}", "name": f"Cụm công nghiệp Phước Dân {n}", "area_planned_ha": 30,
                  **{f"former_{k}": v for k, v in address.items()}}  # fmt: skip
        ws.append([values.get(column.key) for column in COLUMNS[CLUSTERS]])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_reading_former_addresses_costs_the_same_queries_for_more_rows(kha):
    """The province is read once for the whole sheet, and an address that several clusters share is resolved
    once: reading twelve such rows costs the queries of reading two, with the same commune on every row."""
    phuoc_dan = {"province": "Ninh Thuận", "district": "ninh phuoc", "commune": "Thị trấn Phước Dân"}
    cam_tan = {"province": "", "district": "Huyện Cam Lâm", "commune": "Xã Không Có"}  # matches nothing

    def read(rows: int):
        content = _clusters_workbook([phuoc_dan] * rows + [cam_tan] * rows)
        with CaptureQueriesContext(connection) as queries:
            reading = workbook.read(_upload(content), province_code="56", filename="lich-su.xlsx")
        return reading, len(queries.captured_queries)

    few, few_queries = read(1)
    many, many_queries = read(6)
    assert many_queries == few_queries
    resolved = {r["data"]["code"]: r["data"]["communes"] for r in many.records if r["kind"] == "cluster"}
    assert len(resolved) == 6 and len({tuple(c) for c in resolved.values()}) == 1, resolved
    assert [p.row for p in many.problems] == list(range(8, 14)), many.problems  # each bad row listed, rows 8–13
    assert len({p.message for p in many.problems}) == 1 and "Không Có" in many.problems[0].message

"""A cluster's location given as a former address (before 1 July 2025): on the form, in the cluster import, in
the history workbook and in the API; the "to confirm" flag, the officer's confirmation and the list of clusters
still to confirm."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from ccn.clusters.models import Cluster
from ccn.clusters.tests.factories import make_cluster
from ccn.core.importing import run_import
from ccn.core.models import ChangeRecord
from ccn.exchange import workbook
from ccn.geo.models import Commune
from ccn.tenants.io import CLUSTER_COLUMNS, importer_for
from ccn.tenants.tests.helpers import xlsx_bytes

pytestmark = pytest.mark.django_db

CAM_TAN = {"district": "Huyện Cam Lâm", "commune": "Xã Cam Tân"}  # split into Cam Hiệp, Cam Lâm, Suối Dầu
SUOI_DAU, CAM_LAM = "22708", "22453"


def post(client, url, body, method="post"):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def _body(**extra):
    body = {"code": "KHA-CU", "name": "Cụm công nghiệp Địa Chỉ Cũ", "province": "56", "area_planned_ha": "50"}
    body.update(extra)
    return body


# --------------------------------------------------------------------------------------------------------- API


def test_api_resolves_a_former_address_and_keeps_it(client, users):
    client.force_login(users["editor"])
    former = {"province": "Ninh Thuận", "district": "ninh phuoc", "commune": "Thị trấn Phước Dân"}
    response = post(client, "/api/v1/clusters", _body(former_address=former))
    assert response.status_code == 201, response.content
    data = response.json()
    assert [c["name"] for c in data["communes"]] == ["Xã Ninh Phước"]
    assert data["former_address"] == {
        "province": "Ninh Thuận",
        "district": "ninh phuoc",
        "commune": "Thị trấn Phước Dân",
        "legacy_district_code": Cluster.objects.get(code="KHA-CU").legacy_district.code,
        "legacy_ward_code": Cluster.objects.get(code="KHA-CU").legacy_ward.code,
        "match": "exact",
        "to_confirm": False,
    }


def test_api_refuses_a_split_commune_with_the_candidates_then_takes_the_choice(client, users):
    client.force_login(users["editor"])
    response = post(client, "/api/v1/clusters", _body(former_address=CAM_TAN))
    assert response.status_code == 422
    data = response.json()
    assert data["code"] == "location_choice_needed"
    assert sorted(c["name"] for c in data["candidates"]) == ["Xã Cam Hiệp", "Xã Cam Lâm", "Xã Suối Dầu"]
    assert "Xã Suối Dầu (22708)" in data["errors"]["former_commune"][0]
    assert not Cluster.objects.filter(code="KHA-CU").exists()

    response = post(client, "/api/v1/clusters", _body(former_address=CAM_TAN, communes=[SUOI_DAU]))
    assert response.status_code == 201, response.content
    cluster = Cluster.objects.get(code="KHA-CU")
    assert list(cluster.communes.values_list("code", flat=True)) == [SUOI_DAU]
    assert (cluster.location_to_confirm, cluster.location_match) == (True, "chosen")
    assert cluster.legacy_ward.name == "Xã Cam Tân" and cluster.former_commune_name == "Xã Cam Tân"


def test_api_refuses_unknown_and_ambiguous_names_and_a_choice_outside_the_candidates(client, users):
    client.force_login(users["editor"])
    unknown = post(client, "/api/v1/clusters", _body(former_address={"commune": "Xã Không Có Thật"}))
    assert unknown.status_code == 422 and unknown.json()["candidates"] == []
    assert "Không Có Thật" in unknown.json()["errors"]["former_commune"][0]
    ambiguous = post(client, "/api/v1/clusters", _body(former_address={"commune": "Vạn Thạnh"}))
    assert ambiguous.status_code == 422
    assert sorted(c["name"] for c in ambiguous.json()["candidates"]) == ["Phường Nha Trang", "Xã Đại Lãnh"]
    diem_tho = Commune.objects.get(province__code="56", name="Xã Diên Thọ").code
    outside = post(client, "/api/v1/clusters", _body(former_address=CAM_TAN, communes=[diem_tho]))
    assert outside.status_code == 422 and "communes" in outside.json()["errors"]
    elsewhere = post(client, "/api/v1/clusters", _body(former_address={"province": "Hà Nội", "commune": "Bát Tràng"}))
    assert elsewhere.status_code == 422 and "former_province" in elsewhere.json()["errors"]
    assert not Cluster.objects.filter(code="KHA-CU").exists()


def test_api_patch_with_a_former_address(client, users):
    make_cluster(code="KHA-PA", actor=users["admin"])
    client.force_login(users["editor"])
    response = post(
        client, "/api/v1/clusters/KHA-PA", {"former_address": CAM_TAN, "communes": [CAM_LAM], "version": 1}, "patch"
    )
    assert response.status_code == 200, response.content
    assert response.json()["former_address"]["to_confirm"] is True
    assert [c["code"] for c in response.json()["communes"]] == [CAM_LAM]


# -------------------------------------------------------------------------------------------------------- form


def _form(kha, **extra):
    data = {"code": "KHA-FORM", "name": "Cụm công nghiệp Biểu Mẫu", "kind": "ordinary", "province": kha.pk}
    data.update({"area_planned_ha": "50", "initial_status": "planned", "status_since": "01/01/2024"}, **extra)
    return data


def test_form_takes_a_former_address_and_asks_to_choose_where_it_was_split(client, users, kha):
    client.force_login(users["editor"])
    page = client.get("/clusters/new/").content.decode()
    assert 'name="former_district"' in page and 'name="former_commune"' in page

    response = client.post("/clusters/new/", _form(kha, former_district="Cam Lâm", former_commune="cam tan"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "Xã Suối Dầu (22708)" in errors["former_commune"][0]
    offered = sorted(c.name for c in response.context["form"].fields["communes"].queryset)
    assert offered == ["Xã Cam Hiệp", "Xã Cam Lâm", "Xã Suối Dầu"]
    assert not Cluster.objects.filter(code="KHA-FORM").exists()

    suoi_dau = Commune.objects.get(code=SUOI_DAU)
    response = client.post(
        "/clusters/new/",
        _form(kha, former_district="Cam Lâm", former_commune="cam tan", communes=[suoi_dau.pk]),
    )
    assert response.status_code == 302, response.context["form"].errors
    cluster = Cluster.objects.get(code="KHA-FORM")
    assert list(cluster.communes.all()) == [suoi_dau]
    assert cluster.location_to_confirm and cluster.former_district_name == "Cam Lâm"
    assert cluster.former_province_name == ""  # as written: the province was not
    page = client.get(f"/clusters/{cluster.code}/").content.decode()
    assert "cam tan, Cam Lâm" in page and "confirm-location" in page


def test_form_former_address_with_one_successor_needs_no_commune(client, users, kha):
    client.force_login(users["editor"])
    response = client.post(
        "/clusters/new/",
        _form(kha, former_province="Ninh Thuận", former_district="Ninh Phước", former_commune="Phước Dân"),
    )
    assert response.status_code == 302, response.context["form"].errors
    cluster = Cluster.objects.get(code="KHA-FORM")
    assert [c.name for c in cluster.communes.all()] == ["Xã Ninh Phước"]
    assert not cluster.location_to_confirm and cluster.location_match == "exact"


def test_form_refuses_an_unknown_former_commune(client, users, kha):
    client.force_login(users["editor"])
    response = client.post("/clusters/new/", _form(kha, former_district="Cam Lâm", former_commune="Xã Không Có"))
    assert response.status_code == 200
    assert "Không Có" in response.context["form"].errors["former_commune"][0]
    assert not Cluster.objects.filter(code="KHA-FORM").exists()


# ------------------------------------------------------------------------------------------------------ import


def _crow(**v):
    return [v.get(c.key) for c in CLUSTER_COLUMNS]


def _import(user, rows, commit=True):
    data = xlsx_bytes([[c.vi for c in CLUSTER_COLUMNS], *rows])
    upload = SimpleUploadedFile("clusters.xlsx", data)
    return run_import(
        importer_for("clusters", actor=user, filename="clusters.xlsx"), upload, filename="clusters.xlsx", commit=commit
    )


def test_import_rows_with_former_addresses(users):
    base = {"province": "56", "area_planned_ha": 50}
    rows = [
        _crow(
            code="KHA-I1",
            name="Cụm Một",
            former_district="Ninh Phước",
            former_commune="Phước Dân",
            former_province="Ninh Thuận",
            **base,
        ),  # fmt: skip
        _crow(code="KHA-I2", name="Cụm Hai", former_district="Cam Lâm", former_commune="Cam Tân", **base),
        _crow(code="KHA-I3", name="Cụm Ba", former_commune="Vạn Thạnh", **base),
        _crow(code="KHA-I4", name="Cụm Bốn", former_district="Cam Lâm", former_commune="Không Có", **base),
    ]
    result = _import(users["editor"], rows)
    problems = {p.row: p for p in result.problems}
    assert sorted(problems) == [3, 4, 5]
    assert "Xã Cam Hiệp (22435)" in problems[3].message and "Xã Suối Dầu (22708)" in problems[3].message
    assert "Xã Đại Lãnh" in problems[4].message and "Phường Nha Trang" in problems[4].message
    assert "Không Có" in problems[5].message
    assert not Cluster.objects.filter(code__startswith="KHA-I").exists()  # nothing partly written

    rows[1] = _crow(code="KHA-I2", name="Cụm Hai", former_district="Cam Lâm", former_commune="Cam Tân",
                    communes=CAM_LAM, **base)  # fmt: skip
    result = _import(users["editor"], rows[:2])
    assert result.committed and result.created == 2, result.problems
    one, two = Cluster.objects.get(code="KHA-I1"), Cluster.objects.get(code="KHA-I2")
    assert [c.name for c in one.communes.all()] == ["Xã Ninh Phước"] and not one.location_to_confirm
    assert one.former_province_name == "Ninh Thuận" and one.legacy_ward.name == "Thị trấn Phước Dân"
    assert [c.code for c in two.communes.all()] == [CAM_LAM] and two.location_to_confirm


# ---------------------------------------------------------------------------------------------- history workbook


def test_history_workbook_reads_a_former_address(kha):
    wb = load_workbook(io.BytesIO(workbook.write([])))
    sheet = wb[workbook.sheet_title(workbook.CLUSTERS)]
    keys = [c.key for c in workbook.COLUMNS[workbook.CLUSTERS]]

    def add(**v):
        sheet.append([v.get(k) for k in keys])

    add(code="KHA-W1", name="Cụm Một", kind="ordinary", former_district="Ninh Phước", former_commune="Phước Dân")
    add(code="KHA-W2", name="Cụm Hai", kind="ordinary", former_district="Cam Lâm", former_commune="Cam Tân")
    add(code="KHA-W3", name="Cụm Ba", kind="ordinary", former_district="Cam Lâm", former_commune="Cam Tân",
        communes=SUOI_DAU)  # fmt: skip
    buf = io.BytesIO()
    wb.save(buf)
    reading = workbook.read(SimpleUploadedFile("lich-su.xlsx", buf.getvalue()), province_code="56")
    communes = {r["data"]["code"]: r["data"]["communes"] for r in reading.records if r["kind"] == "cluster"}
    ninh_phuoc = Commune.objects.get(province=kha, name="Xã Ninh Phước").code
    assert communes == {"KHA-W1": [ninh_phuoc], "KHA-W3": [SUOI_DAU]}
    [problem] = [p for p in reading.problems if p.row == 3]
    assert "Xã Suối Dầu (22708)" in problem.message


# ---------------------------------------------------------------------------------------- confirmation and list


def test_officer_confirms_with_one_click_recorded_in_history_and_the_list_follows(client, users, hni):
    from ccn.clusters.addresses import resolve_former_address

    codes, fields, _r = resolve_former_address(province=None, former={"province": "56", **CAM_TAN}, communes=[SUOI_DAU])
    cluster = make_cluster(code="KHA-CF", commune_codes=codes, actor=users["admin"], **fields)
    make_cluster(code="HNI-CF", province_code="01", actor=users["admin"], location_to_confirm=True)
    client.force_login(users["editor"])

    listing = client.get("/clusters/locations-to-confirm/")
    assert [c.code for c in listing.context["clusters"]] == ["KHA-CF"]  # only the user's province
    assert "Xã Cam Tân" in listing.content.decode()
    quality = client.get("/reports/quality/").content.decode()
    assert "/clusters/locations-to-confirm/" in quality

    client.force_login(users["other_editor"])
    assert client.post("/clusters/KHA-CF/confirm-location/").status_code in (403, 404)
    client.force_login(users["editor"])
    response = client.post("/clusters/KHA-CF/confirm-location/", {"back": "list"})
    assert response.status_code == 302 and response.url == "/clusters/locations-to-confirm/"
    cluster.refresh_from_db()
    assert (cluster.location_to_confirm, cluster.location_match) == (False, "confirmed")
    record = ChangeRecord.objects.filter(object_id=str(cluster.pk)).order_by("-pk").first()
    assert record.before["location_to_confirm"] is True and record.after["location_to_confirm"] is False
    assert "Xã Cam Tân" in record.message
    assert client.get("/clusters/locations-to-confirm/").context["clusters"] == []
    again = client.post("/clusters/KHA-CF/confirm-location/", follow=True)
    assert ChangeRecord.objects.filter(object_id=str(cluster.pk)).count() == 2 and again.status_code == 200

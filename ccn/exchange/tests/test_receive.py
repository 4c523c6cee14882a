"""The receiving side of the exchange over HTTP (the API and the pages): every bad batch refused whole with its
reason and nothing written; a refused record does not stop the others; held conflicts resolved by a person."""

from __future__ import annotations

import copy
import hashlib
import io
import json
import uuid
from decimal import Decimal

import pytest
from django.test import override_settings
from openpyxl import load_workbook

from ccn.accounts.choices import Role
from ccn.accounts.models import ApiToken
from ccn.accounts.tests.factories import make_user
from ccn.clusters.models import Cluster, Organisation
from ccn.clusters.services import cluster_update
from ccn.clusters.tests.factories import make_cluster
from ccn.core.models import ChangeRecord
from ccn.exchange import bundle as fmt
from ccn.exchange import outbox
from ccn.exchange.models import (
    ConflictStatus,
    ExchangeConflict,
    ExchangedFile,
    ExchangedReport,
    IncomingBatch,
    OutgoingBatch,
)
from ccn.exchange.schema import json_schema
from ccn.geo.models import Commune, Province
from ccn.jobs.models import Job
from ccn.reports.services import periods_create_year

pytestmark = pytest.mark.django_db


def _org(key="tax:4201234566", name="Công ty CP Hạ tầng Diên Khánh", tax="4201234566"):
    return {
        "kind": "organisation",
        "key": key,
        "changed_at": "2026-01-05T08:00:00+07:00",
        "data": {"name": name, "kind": "enterprise", "tax_code": tax, "country": "VN", "address": "",
                 "contact_email": "", "contact_phone": "", "website": ""},
    }  # fmt: skip


def _cluster(code="KHA-X1", *, name="Cụm công nghiệp Suối Dầu", commune=None, province="56", investor=None):
    commune = commune or Commune.objects.filter(province__code=province).order_by("code").first().code
    return {
        "kind": "cluster",
        "key": f"{province}/{code}",
        "changed_at": "2026-01-05T08:00:00+07:00",
        "data": {
            "code": code, "province": province, "name": name, "name_en": "", "kind": "ordinary",
            "funding_source": "enterprise" if investor else "", "lat": None, "lon": None, "boundary": None,
            "coordinate_source": "WGS84", "area_planned_ha": "45", "area_established_ha": "45",
            "industrial_land_ha": "30", "ready_land_ha": None, "infra_capital_approved_bn": None,
            "infra_capital_disbursed_bn": None, "land_confirmed_on": None, "investor": investor,
            "communes": [commune], "sectors": [], "is_published": True, "is_sample": False,
            "status": "established", "status_since": "2021-04-02",
            "documents": [],
            "acts": [
                {"action": "register", "from": "", "to": "planned", "effective_on": "2016-05-01", "document": None,
                 "comment": ""},
                {"action": "establish", "from": "planned", "to": "established", "effective_on": "2021-04-02",
                 "document": {"kind": "established", "number": "812/QĐ-UBND", "issued_on": "2021-04-02",
                              "issuer": "UBND tỉnh Khánh Hòa", "title": "", "is_public": True}, "comment": ""},
            ],
            "figures": [],
        },
    }  # fmt: skip


def _bundle(records, *, sequence=1, instance="khanh-hoa", province="56", version=1):
    return {
        "format": "ccn-exchange",
        "format_version": version,
        "source": {"instance": instance, "province": province},
        "batch": {
            "id": str(uuid.uuid4()),
            "sequence": sequence,
            "created_at": "2026-01-05T08:00:00+07:00",
            "record_count": len(records),
            "checksum": fmt.checksum(records),
        },
        "records": records,
    }


@pytest.fixture
def machine(kha):
    user = make_user("exchange.kha", role=Role.PROVINCE_EDITOR, province=kha)
    return user, ApiToken.issue(user=user, name="exchange")[1]


def _post(client, token, body):
    return client.post(
        "/api/v1/exchange/batches", data=json.dumps(body), content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )  # fmt: skip


def _nothing_written():
    return not IncomingBatch.objects.exists() and not Cluster.objects.filter(code__startswith="KHA-X").exists()


def test_a_batch_is_applied_with_its_dated_acts_and_answered_per_record(client, machine):
    body = _bundle([_org(), _cluster(investor="tax:4201234566")])
    response = _post(client, machine[1], body)
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["counts"] == {"created": 2, "updated": 0, "unchanged": 0, "held": 0, "refused": 0}
    cluster = Cluster.objects.get(code="KHA-X1")
    # The state and its date came from the acts, not from the day the batch arrived.
    assert (cluster.status, cluster.status_since.isoformat()) == ("established", "2021-04-02")
    events = list(cluster.events.order_by("effective_on").values_list("action", "effective_on", "document__number"))
    assert [(a, d.isoformat(), n) for a, d, n in events] == [
        ("register", "2016-05-01", None),
        ("establish", "2021-04-02", "812/QĐ-UBND"),
    ]
    assert cluster.investor.tax_code == "4201234566"
    # The history names the source.
    assert ChangeRecord.objects.filter(object_id=str(cluster.pk), message__contains="khanh-hoa").exists()
    # The same batch again: answered from its record, nothing applied twice.
    again = _post(client, machine[1], body)
    assert again.status_code == 200 and again.json()["replayed"] is True
    assert IncomingBatch.objects.count() == 1 and cluster.events.count() == 2


def test_a_tampered_or_truncated_batch_is_refused_whole(client, machine):
    body = _bundle([_org(), _cluster()])
    tampered = copy.deepcopy(body)
    tampered["records"][1]["data"]["area_planned_ha"] = "4500"
    response = _post(client, machine[1], tampered)
    assert response.status_code == 422 and response.json()["code"] == "exchange_checksum"
    truncated = copy.deepcopy(body)
    truncated["records"] = truncated["records"][:1]
    assert _post(client, machine[1], truncated).json()["code"] == "exchange_checksum"
    assert _nothing_written()


def test_a_newer_format_or_a_malformed_batch_is_refused_with_the_reason(client, machine):
    response = _post(client, machine[1], _bundle([_org()], version=2))
    assert response.status_code == 422
    assert response.json()["code"] == "exchange_version" and "2" in response.json()["detail"]
    bad = _bundle([_cluster()])
    bad["records"][0]["data"]["acts"][0]["effective_on"] = "05/01/2016"
    bad["batch"]["checksum"] = fmt.checksum(bad["records"])
    response = _post(client, machine[1], bad)
    assert response.status_code == 422 and response.json()["code"] == "exchange_schema"
    assert "records/0/data/acts/0/effective_on" in response.json()["detail"]
    assert _post(client, machine[1], {"format": "something else"}).json()["code"] == "exchange_format"
    assert _nothing_written()


def test_another_provinces_batch_and_batches_out_of_order_are_refused(client, machine, hni):
    response = _post(client, machine[1], _bundle([_cluster(province="01", code="HNI-X1")], province="01"))
    assert response.status_code == 403 and response.json()["code"] == "exchange_scope"
    response = _post(client, machine[1], _bundle([_org()], sequence=2))
    assert response.status_code == 409 and response.json()["code"] == "exchange_order"
    assert "1" in response.json()["detail"]
    assert _nothing_written()


def test_a_refused_record_leaves_nothing_and_does_not_stop_the_others(client, machine, hni):
    make_cluster(province_code="01", code="KHA-X2", name="Cụm của Hà Nội")
    body = _bundle([_org(), _cluster(code="KHA-X2"), _cluster(code="KHA-X3", name="Cụm công nghiệp Ninh Ích")])
    data = _post(client, machine[1], body).json()
    results = {r["key"]: r for r in data["results"]}
    assert results["56/KHA-X2"]["result"] == "refused"
    assert "Hà Nội" in results["56/KHA-X2"]["message"]  # the code belongs to another province, named
    assert results["56/KHA-X3"]["result"] == "created"
    assert Cluster.objects.get(code="KHA-X2").province.code == "01"
    assert data["status"] == "partial"


def test_a_record_changed_on_both_sides_is_held_then_resolved_by_a_person(client, machine, kha):
    user, token = machine
    first = _bundle([_org(), _cluster()])
    _post(client, token, first)
    officer = make_user("national.kha", role=Role.PROVINCE_EDITOR, province=kha)
    cluster_update(actor=officer, cluster=Cluster.objects.get(code="KHA-X1"), data={"name": "Tên sửa ở Bộ"})
    changed = [_org(), _cluster(name="Tên sửa ở tỉnh")]
    second = _bundle(changed, sequence=2)
    data = _post(client, token, second).json()
    assert {r["key"]: r["result"] for r in data["results"]} == {"tax:4201234566": "unchanged", "56/KHA-X1": "held"}
    assert Cluster.objects.get(code="KHA-X1").name == "Tên sửa ở Bộ"  # never overwritten silently
    conflict = ExchangeConflict.objects.get()
    client.force_login(officer)
    page = client.get(f"/exchange/conflicts/{conflict.pk}/")
    assert page.status_code == 200 and "Tên sửa ở tỉnh" in page.content.decode()
    assert "56/KHA-X1" in client.get("/exchange/").content.decode()
    response = client.post(f"/exchange/conflicts/{conflict.pk}/", {"choice": "incoming"})
    assert response.status_code == 302
    assert Cluster.objects.get(code="KHA-X1").name == "Tên sửa ở tỉnh"
    conflict.refresh_from_db()
    assert conflict.status == ConflictStatus.TAKEN and conflict.resolved_by == officer
    # The same content sent again is now unchanged.
    data = _post(client, token, _bundle(changed, sequence=3)).json()
    assert data["counts"]["unchanged"] == 2


def test_keeping_the_local_version_makes_the_same_content_unchanged_next_time(client, machine, kha):
    _post(client, machine[1], _bundle([_cluster()]))
    officer = make_user("national.kha", role=Role.PROVINCE_EDITOR, province=kha)
    cluster_update(actor=officer, cluster=Cluster.objects.get(code="KHA-X1"), data={"name": "Tên của Bộ"})
    incoming = [_cluster(name="Tên của tỉnh")]
    _post(client, machine[1], _bundle(incoming, sequence=2))
    conflict = ExchangeConflict.objects.get()
    client.force_login(officer)
    client.post(f"/exchange/conflicts/{conflict.pk}/", {"choice": "local"})
    assert Cluster.objects.get(code="KHA-X1").name == "Tên của Bộ"
    data = _post(client, machine[1], _bundle(incoming, sequence=3)).json()
    assert data["results"][0]["result"] == "unchanged"
    # Another province's officer may not resolve Khánh Hòa's conflicts.
    other = make_user("hni.editor", role=Role.PROVINCE_EDITOR, province=Province.objects.get(code="01"))
    client.force_login(other)
    assert client.get(f"/exchange/conflicts/{conflict.pk}/").status_code == 404


def test_files_carry_batches_where_there_is_no_network(client, kha):
    """Built and exported by one province officer, imported by the receiving instance's administrator."""
    editor = make_user("so.kha", role=Role.PROVINCE_EDITOR, province=kha)
    make_cluster(code="KHA-F1", name="Cụm công nghiệp Ninh Thủy", actor=editor)
    client.force_login(editor)
    response = client.get("/exchange/export/")
    assert response.status_code == 200
    content = json.loads(response.content)
    bundles = content["batches"]
    assert content["format"] == "ccn-exchange-file" and [b["batch"]["sequence"] for b in bundles] == [1]
    assert {r["key"] for r in bundles[0]["records"]} == {"56/KHA-F1"}
    assert OutgoingBatch.objects.get().result == {"via": "file"}
    # Nothing changed since: the next export is empty.
    assert json.loads(client.get("/exchange/export/").content)["batches"] == []
    # The workbook for people holds the same clusters and their acts.
    book = load_workbook(io.BytesIO(client.get("/exchange/export/?format=xlsx").content))
    # The same records as a workbook (the history workbook, which a history import reads back).
    assert [row[0] for row in book["Quyết định vòng đời"].iter_rows(min_row=2, values_only=True)] == ["KHA-F1"]
    # The receiving instance is another database: here the province's cluster is removed first, then the file
    # is imported by an administrator through the page.
    Cluster.objects.filter(code="KHA-F1").delete()
    admin = make_user("admin", role=Role.ADMIN, superuser=True)
    client.force_login(admin)
    upload = io.BytesIO(json.dumps(content).encode())
    upload.name = "ccn-exchange-56.json"
    page = client.post("/exchange/import/", {"file": upload})
    assert page.status_code == 200, page.content.decode()
    assert Cluster.objects.get(code="KHA-F1").events.count() == 1
    batch = IncomingBatch.objects.get()
    assert (batch.via, batch.sequence, batch.counts["created"]) == ("file", 1, 1)
    broken = io.BytesIO(json.dumps(content).encode()[:-40])
    broken.name = "cut.json"
    page = client.post("/exchange/import/", {"file": broken})
    assert page.status_code == 400 and "bị cắt cụt" in page.content.decode()  # "may be truncated", in Vietnamese


def test_pages_and_api_answer_only_the_exchanges_readers(client, machine, kha):
    tenant = make_user("tenant", role=Role.TENANT, organisation=Organisation.objects.create(name="Công ty A"))
    client.force_login(tenant)
    assert client.get("/exchange/").status_code == 403
    ministry = make_user("bo", role=Role.MINISTRY_VIEWER)
    client.force_login(ministry)
    page = client.get("/exchange/")
    assert page.status_code == 200 and page.content.decode().count('data-state="never"') == 34
    assert client.get("/exchange/national/").status_code == 200
    schema = client.get("/api/v1/exchange/schema/1").json()
    assert schema["properties"]["format"] == {"const": "ccn-exchange"}
    token = ApiToken.issue(user=tenant, name="t")[1]
    response = client.get("/api/v1/exchange/provinces", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403


def test_the_outbox_numbers_batches_and_carries_only_what_changed(kha):
    editor = make_user("so.kha", role=Role.PROVINCE_EDITOR, province=kha)
    for n in range(3):
        make_cluster(code=f"KHA-B{n}", name=f"Cụm {n}", actor=editor)
    batches = outbox.build_batches(actor=editor, province=kha, size=2)
    sizes = [b.record_count for b in batches]
    assert sizes == [2, 1] and [b.sequence for b in batches] == [1, 2]
    assert outbox.build_batches(actor=editor, province=kha) == []


PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _report(signed_sha=None, year=2026):
    return {
        "kind": "report",
        "key": f"56/04/annual-{year}",
        "changed_at": "2026-11-05T08:00:00+07:00",
        "data": {
            "form": "04", "commune": "", "period": {"kind": "annual", "year": year}, "revision": 1,
            "values": {"1": "3", "2": "105.5", "13": None},
            "approved_at": "2026-11-05T08:00:00+07:00", "approved_by": "so.kha.approver",
            "signed": None if signed_sha is None else {
                "number": "125/SCT-QLCN", "signed_on": "2026-11-06", "signer": "GIÁM ĐỐC Trần Văn Minh",
                "sha256": signed_sha, "content_type": "application/pdf",
            },
        },
    }  # fmt: skip


def _put(client, token, sha, content, content_type="application/pdf"):
    return client.put(
        f"/api/v1/exchange/files/{sha}", data=content, content_type=content_type,
        headers={"Authorization": f"Bearer {token}"},
    )  # fmt: skip


def test_the_signed_scan_travels_before_the_report_that_refers_to_it(client, machine):
    periods_create_year(actor=None, year=2026)
    sha = hashlib.sha256(PDF).hexdigest()
    # The report arrives before its scan: refused, nothing kept.
    data = _post(client, machine[1], _bundle([_report(sha)])).json()
    assert data["results"][0]["result"] == "refused" and sha[:12] in data["results"][0]["message"]
    assert not ExchangedReport.objects.exists()
    # A file whose bytes do not match its name, or that is not a scan, is refused.
    assert _put(client, machine[1], sha, PDF[:-5]).json()["code"] == "exchange_checksum"
    exe = b"MZ\x90\x00" + b"\x00" * 80
    response = _put(client, machine[1], hashlib.sha256(exe).hexdigest(), exe)
    assert response.status_code == 422 and not ExchangedFile.objects.exists()
    # The scan, then the report again: applied with its signature; the same file again is harmless.
    assert _put(client, machine[1], sha, PDF).status_code == 201
    assert _put(client, machine[1], sha, PDF).json()["received"] is False
    data = _post(client, machine[1], _bundle([_report(sha)], sequence=2)).json()
    assert data["results"][0]["result"] == "created"
    report = ExchangedReport.objects.get()
    assert (report.signed_number, report.signer, report.signed_scan.sha256) == (
        "125/SCT-QLCN", "GIÁM ĐỐC Trần Văn Minh", sha
    )  # fmt: skip
    assert report.values["13"] is None  # unknown stays unknown
    # The Ministry downloads it; another province's officer does not.
    ministry = make_user("bo", role=Role.MINISTRY_VIEWER)
    client.force_login(ministry)
    download = client.get(f"/exchange/files/{sha}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert "125/SCT-QLCN" in client.get(f"/exchange/national/?period={report.period_id}").content.decode()
    client.force_login(make_user("hni", role=Role.PROVINCE_EDITOR, province=Province.objects.get(code="01")))
    assert client.get(f"/exchange/files/{sha}/").status_code == 404


def test_send_now_queues_the_push_as_a_background_job(client, kha):
    editor = make_user("so.kha", role=Role.PROVINCE_EDITOR, province=kha)
    client.force_login(editor)
    assert "Gửi ngay" not in client.get("/exchange/").content.decode()  # no national instance configured
    assert client.post("/exchange/push/").status_code == 403
    with override_settings(CCN_EXCHANGE_URL="http://127.0.0.1:9", CCN_EXCHANGE_TOKEN="t"):
        assert "Gửi ngay" in client.get("/exchange/").content.decode()  # "Send now"
        response = client.post("/exchange/push/")
        job = Job.objects.get()
        assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
        assert (job.kind, job.params, job.user) == ("exchange.push", {"province": "56"}, editor)
        # Pressed twice: the same job, not a second push.
        client.post("/exchange/push/")
        assert Job.objects.count() == 1


def test_an_old_cluster_over_75_ha_arrives_with_its_establishment_decision(client, machine):
    """Decree 32/2024, Art. 35(1): an 80 ha cluster decided in 2008 (before Decision 105/2009) is accepted on the
    decision's date it carries; the same cluster decided in 2021 is refused with the limit, nothing written."""
    old = _cluster("KHA-X80")
    old["data"]["area_planned_ha"] = old["data"]["area_established_ha"] = "80"
    old["data"]["acts"][0]["effective_on"] = "2007-01-01"
    old["data"]["acts"][1]["effective_on"] = "2008-06-01"
    old["data"]["acts"][1]["document"]["issued_on"] = "2008-06-01"
    old["data"]["status_since"] = "2008-06-01"
    response = _post(client, machine[1], _bundle([old]))
    assert response.status_code == 201, response.json()
    assert response.json()["counts"]["created"] == 1
    cluster = Cluster.objects.get(code="KHA-X80")
    assert cluster.area_established_ha == 80 and cluster.documents.count() == 1  # the decision, once
    assert cluster.events.get(action="establish").document.issued_on.isoformat() == "2008-06-01"
    recent = _cluster("KHA-X81")
    recent["data"]["area_planned_ha"] = recent["data"]["area_established_ha"] = "80"
    response = _post(client, machine[1], _bundle([recent], sequence=2))
    assert response.json()["counts"]["refused"] == 1
    assert "105/2009" in response.json()["results"][0]["message"]
    assert not Cluster.objects.filter(code="KHA-X81").exists()


def test_the_mountainous_area_flag_travels_and_is_optional(client, machine, kha):
    """Decree 32/2024, Art. 2(1): a 7 ha cluster established in 2021 is lawful only in a mountainous district. The
    flag leaves in the bundle (valid against the published schema), arrives with it, and a bundle of an earlier
    instance without it creates an unmarked cluster (refused here at 7 ha) and leaves a known cluster's flag."""
    import jsonschema
    from django.utils import timezone

    make_cluster(code="KHA-XL", area_planned_ha=Decimal("7"), mountainous_area=True)
    records = fmt.changed_records(kha, since=None, until=timezone.now())
    sent = next(r for r in records if r["kind"] == "cluster" and r["data"]["code"] == "KHA-XL")
    assert sent["data"]["mountainous_area"] is True
    jsonschema.validate(_bundle(records), json_schema())

    marked = _cluster("KHA-XM")
    plain = _cluster("KHA-XN")
    for record in (marked, plain):
        record["data"]["area_planned_ha"] = record["data"]["area_established_ha"] = "7"
        record["data"]["industrial_land_ha"] = "5"
    marked["data"]["mountainous_area"] = True
    response = _post(client, machine[1], _bundle([marked, plain]))
    results = {r["key"]: r for r in response.json()["results"]}
    assert results["56/KHA-XM"]["result"] == "created", results
    assert results["56/KHA-XN"]["result"] == "refused"
    assert "Nghị định 68/2017/NĐ-CP, Điều 2 khoản 1" in results["56/KHA-XN"]["message"]
    assert Cluster.objects.get(code="KHA-XM").mountainous_area is True
    assert not Cluster.objects.filter(code="KHA-XN").exists()

    older = copy.deepcopy(marked)
    del older["data"]["mountainous_area"]
    older["data"]["name"] = "Cụm công nghiệp Khánh Sơn"
    older["changed_at"] = "2026-02-05T08:00:00+07:00"
    response = _post(client, machine[1], _bundle([older], sequence=2))
    assert response.json()["counts"]["updated"] == 1, response.json()
    cluster = Cluster.objects.get(code="KHA-XM")
    assert (cluster.name, cluster.mountainous_area) == ("Cụm công nghiệp Khánh Sơn", True)

    wrong = copy.deepcopy(marked)
    wrong["data"]["mountainous_area"] = "có"
    response = _post(client, machine[1], _bundle([wrong], sequence=3))
    assert response.status_code == 422 and response.json()["code"] == "exchange_schema"
    assert "mountainous_area" in response.json()["detail"]

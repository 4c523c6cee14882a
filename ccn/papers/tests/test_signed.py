"""The signed record: the scan of a signed paper attached to its record, shown as "signed by … on …", downloaded
only within the record's scope, refused when it is not a scan, and missed on the officers' home when it is late."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from ccn.accounts.tests.factories import make_user
from ccn.core.models import ChangeRecord
from ccn.geo.models import Province
from ccn.papers.models import SignedPaper
from ccn.papers.selectors import unsigned_overdue
from ccn.procedures.tests.factories import operating_cluster, planned_cluster
from ccn.reports.models import Period, Report, Revision
from ccn.reports.services import report_open

pytestmark = pytest.mark.django_db
D = datetime.date
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


@pytest.fixture
def form04(users):
    operating_cluster(industrial=40, leased=30, name="Cụm A")
    planned_cluster(name="Cụm B")
    period, _ = Period.objects.get_or_create(
        kind="annual", year=2026, defaults={"starts_on": D(2025, 12, 15), "ends_on": D(2026, 12, 14)}
    )
    report, _ = report_open(actor=users["editor"], form="04", period=period, province=Province.objects.get(code="56"))
    return report


def _attach(client, user, report, content=PDF, name="scan.pdf", **fields):
    client.force_login(user)
    data = {
        "step": "signed",
        "signed-number": "125/SCT-QLCN",
        "signed-signed_on": "05/11/2026",
        "signed-signer": "GIÁM ĐỐC Trần Văn Minh",
        "signed-file": SimpleUploadedFile(name, content),
        **fields,
    }
    return client.post(f"/papers/report-letter/{report.pk}/", data)


def test_the_signed_scan_becomes_the_record_of_the_paper(client, users, form04):
    response = _attach(client, users["editor"], form04)
    assert response.status_code == 302 and response.url == f"/reports/{form04.pk}/"
    paper = SignedPaper.objects.get(kind="report-letter", key=str(form04.pk))
    assert (paper.number, paper.signed_on, paper.signer) == ("125/SCT-QLCN", D(2026, 11, 5), "GIÁM ĐỐC Trần Văn Minh")
    assert paper.content_type == "application/pdf" and len(paper.sha256) == 64
    assert not paper.file.name.endswith("scan.pdf")  # stored under a generated name
    page = client.get(f"/reports/{form04.pk}/").content.decode()
    assert 'data-signed="yes"' in page and "125/SCT-QLCN" in page and "05/11/2026" in page
    download = client.get(f"/papers/report-letter/{form04.pk}/signed/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["X-Content-Type-Options"] == "nosniff" and "sandbox" in download["Content-Security-Policy"]
    # A replaced scan keeps the earlier one's details in the history.
    _attach(client, users["editor"], form04, **{"signed-number": "126/SCT-QLCN"})
    assert SignedPaper.objects.get().number == "126/SCT-QLCN"
    history = ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(SignedPaper), object_id=str(paper.pk)
    ).order_by("at")
    assert [r.before["number"] if r.before else None for r in history] == [None, "125/SCT-QLCN"]


def test_what_is_not_a_signed_scan_is_refused_and_nothing_is_kept(client, users, form04):
    response = _attach(client, users["editor"], form04, content=EXE, name="scan.pdf")
    assert response.status_code == 422
    future = (timezone.localdate() + datetime.timedelta(days=3)).strftime("%d/%m/%Y")
    response = _attach(client, users["editor"], form04, **{"signed-signed_on": future})
    assert response.status_code == 422 and "tương lai" in response.content.decode()  # "in the future"
    assert not SignedPaper.objects.exists()


def test_the_scan_is_read_only_within_the_records_scope(client, users, form04):
    _attach(client, users["editor"], form04)
    outsider = make_user("hni.editor", role="province_editor", province=Province.objects.get(code="01"))
    client.force_login(outsider)
    assert client.get(f"/papers/report-letter/{form04.pk}/signed/").status_code == 404
    # A tenant may not attach the Department's scan.
    client.force_login(users["tenant"])
    before = SignedPaper.objects.get().number
    response = _attach(client, users["tenant"], form04, **{"signed-number": "999/X"})
    assert response.status_code in (403, 404)
    assert SignedPaper.objects.get().number == before


@override_settings(CCN_SIGNED_SCAN_DAYS=10)
def test_an_approved_form04_without_its_scan_is_listed_after_the_set_days(client, users, form04):
    approved_at = timezone.now() - datetime.timedelta(days=12)
    Report.objects.filter(pk=form04.pk).update(status="accepted")
    Revision.objects.filter(pk=form04.current_id).update(accepted_at=approved_at)
    assert [r.pk for r in unsigned_overdue(users["editor"])["reports"]] == [form04.pk]
    client.force_login(users["editor"])
    home = client.get("/").content.decode()
    assert f"/papers/report-letter/{form04.pk}/#signed" in home
    quality = client.get("/reports/quality/").content.decode()  # the data-quality page lists it too
    assert 'id="unsigned-papers"' in quality and f"/papers/report-letter/{form04.pk}/#signed" in quality
    # Another province's officer is not told about it.
    outsider = make_user("hni.editor", role="province_editor", province=Province.objects.get(code="01"))
    assert unsigned_overdue(outsider)["reports"] == []
    # Not yet late at 9 days; gone once the scan is attached.
    Revision.objects.filter(pk=form04.current_id).update(accepted_at=timezone.now() - datetime.timedelta(days=9))
    assert unsigned_overdue(users["editor"])["reports"] == []
    Revision.objects.filter(pk=form04.current_id).update(accepted_at=approved_at)
    _attach(client, users["editor"], form04)
    assert unsigned_overdue(users["editor"])["reports"] == []

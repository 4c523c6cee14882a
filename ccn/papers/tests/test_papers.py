"""Official papers: filled from the records, in the format of Decree 30/2020, opened by LibreOffice and read back
from the rendered PDF; refused with a clear message when the record or the template cannot make one."""

import datetime
import re
import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.http import HttpResponse
from docx import Document

from ccn.geo.models import Province
from ccn.jobs.models import Job, JobStatus
from ccn.papers.admin_format import long_date, number_line, place_date
from ccn.papers.render import DEFAULTS
from ccn.procedures import services as procedures
from ccn.procedures.tests.factories import operating_cluster, planned_cluster, select, sheet, to_appraisal
from ccn.reports.models import Period, Report
from ccn.reports.services import report_open

D = datetime.date
office = pytest.mark.office


def _pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "paper.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout
    # justified lines come back with spaces inside words ("M ột"): compare without any white space
    return squash(text)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _pdf_rows(content: bytes, tmp_path) -> str:
    """The PDF's text laid out as on the page: a table row's number, unit and value stand on one line."""
    path = tmp_path / "rows.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout


def _row(rows: str, code: str, unit: str, value: str) -> bool:
    return (
        re.search(rf"^\s*{re.escape(code)}\s+\S.*\s{re.escape(unit)}\s+{re.escape(value)}\s*$", rows, re.M) is not None
    )


def _pdf_info(content: bytes, tmp_path) -> str:
    path = tmp_path / "info.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout


def _post(client, user, url, **data):
    """Posts the form; a PDF is made by the task worker: follow the job to its file as the user's browser does."""
    client.force_login(user)
    form = {"authority": "director", "format": "pdf", **data}
    response = client.post(url, form)
    if response.status_code != 302 or not response["Location"].startswith("/jobs/"):
        return response
    call_command("run_worker", "--batch", verbosity=0)
    job = Job.objects.get(pk=response["Location"].split("/")[2])
    assert job.status == JobStatus.DONE, job.message
    download = client.get(f"/jobs/{job.pk}/download")
    result = HttpResponse(b"".join(download.streaming_content), content_type=download["Content-Type"])
    result["Content-Disposition"] = download["Content-Disposition"]
    return result


@pytest.fixture
def form04(users):
    """Form 04 of Khánh Hòa compiled from two clusters of the registry: one operating with a tenant, one planned."""
    operating_cluster(industrial=40, leased=30, name="Cụm A")
    planned_cluster(name="Cụm B")
    Period.objects.get_or_create(
        kind="annual", year=2026, defaults={"starts_on": D(2025, 12, 15), "ends_on": D(2026, 12, 14)}
    )
    period = Period.objects.get(kind="annual", year=2026)
    report, _ = report_open(actor=users["editor"], form="04", period=period, province=Province.objects.get(code="56"))
    return Report.objects.select_related("current").get(pk=report.pk)


def test_dates_and_numbers_follow_the_decree():
    assert long_date(D(2026, 2, 5)) == "ngày 05 tháng 02 năm 2026"
    assert long_date(D(2026, 11, 28)) == "ngày 28 tháng 11 năm 2026"
    assert place_date("Khánh Hòa", D(2026, 3, 1)) == "Khánh Hòa, ngày 01 tháng 3 năm 2026"
    assert number_line("", "SCT-QLCN").strip() == "/SCT-QLCN"
    assert number_line("7", "SCT-QLCN") == "07/SCT-QLCN"
    assert number_line("45/QĐ-UBND", "SCT-QLCN") == "45/QĐ-UBND"


def test_the_shipped_templates_are_the_ones_the_layout_draws(tmp_path):
    """The .docx files in the repository are what `manage.py papers_templates` writes: no hand edit drifts."""
    from ccn.papers.layout import write_default_templates

    for path in write_default_templates(tmp_path):
        shipped = Document(DEFAULTS / path.name)
        drawn = Document(path)
        assert [p.text for p in shipped.paragraphs] == [p.text for p in drawn.paragraphs], path.name
        assert len(shipped.tables) == len(drawn.tables)
        shipped_cells = [c.text for t in shipped.tables for r in t.rows for c in r.cells]
        assert shipped_cells == [c.text for t in drawn.tables for r in t.rows for c in r.cells], path.name


@office
def test_form04_cover_letter_in_the_administrative_format(client, users, form04, tmp_path):
    url = f"/papers/report-letter/{form04.pk}/"
    client.force_login(users["editor"])
    page = client.get(url)
    assert page.status_code == 200 and "UBND tỉnh Khánh Hòa (để báo cáo)" in page.content.decode()  # defaults shown

    response = _post(
        client,
        users["editor"],
        url,
        number="15",
        day="05/02/2027",
        signer_name="Nguyễn Văn An",
        recipients="Như trên\nUBND tỉnh Khánh Hòa (để báo cáo)",
    )
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    text = _pdf_text(response.content, tmp_path)
    assert "(A4)" in _pdf_info(response.content, tmp_path)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "UBND TỈNH KHÁNH HÒA",
        "SỞ CÔNG THƯƠNG",
        "Số: 15/SCT-QLCN",
        "Khánh Hòa, ngày 05 tháng 02 năm 2027",
        "Kính gửi: Bộ Công Thương",
        "Biểu số 04 kèm theo",
        "Nơi nhận:",
        "- UBND tỉnh Khánh Hòa (để báo cáo);",
        "- Lưu: VT, QLCN.",
        "GIÁM ĐỐC",
        "Nguyễn Văn An",
    ):
        assert squash(expected) in text, expected
    # the figures are the compiled report's, as the registry gives them
    values = form04.current.values()
    assert values["1"] is not None
    rows = _pdf_rows(response.content, tmp_path)
    assert _row(rows, "1", "Cụm", str(int(values["1"]))), rows
    assert _row(rows, "3", "Cụm", str(int(values["3"])))


@office
def test_pdf_is_made_in_the_background_and_asked_twice_made_once(client, users, form04):
    """The PDF request answers at once with the job's page (progress bar); the same paper asked again before the
    worker ran is the same job; the worker makes the PDF and the page then offers it for download."""
    url = f"/papers/report-letter/{form04.pk}/"
    client.force_login(users["editor"])
    form = {"authority": "director", "format": "pdf", "signer_name": "An"}
    first, second = client.post(url, form), client.post(url, form)
    assert first.status_code == 302 and first["Location"] == second["Location"]
    job = Job.objects.get()
    assert job.status == JobStatus.QUEUED and job.kind == "papers.pdf"
    waiting = client.get(first["Location"]).content.decode()
    assert 'id="job-progress"' in waiting and 'hx-trigger="every 1s"' in waiting
    call_command("run_worker", "--batch", verbosity=0)
    done = client.get(first["Location"]).content.decode()
    assert f'href="/jobs/{job.pk}/download"' in done and "job-progress" not in done
    download = client.get(f"/jobs/{job.pk}/download")
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


@office
def test_unknown_figures_are_said_not_printed_as_zero(client, users, form04, tmp_path):
    from ccn.reports.models import Revision, column_of

    Revision.objects.filter(pk=form04.current.pk).update(**{column_of("19"): None, column_of("18"): None})
    response = _post(client, users["editor"], f"/papers/report-letter/{form04.pk}/", signer_name="A")
    text = _pdf_text(response.content, tmp_path)
    assert squash("Các chỉ tiêu chưa có số liệu (không tính là 0): 18, 19") in text
    assert _row(_pdf_rows(response.content, tmp_path), "19", "%", "chưa có số liệu")


@office
def test_text_from_the_records_stays_text(client, users, form04, tmp_path):
    response = _post(
        client, users["editor"], f"/papers/report-letter/{form04.pk}/", signer_name="Trần <Bình> & Cộng sự"
    )
    assert response.status_code == 200
    assert squash("Trần <Bình> & Cộng sự") in _pdf_text(response.content, tmp_path)


def test_docx_download_opens_as_a_word_document(client, users, form04, tmp_path):
    response = _post(client, users["editor"], f"/papers/report-letter/{form04.pk}/", format="docx", signer_name="An")
    assert response.status_code == 200
    path = tmp_path / "letter.docx"
    path.write_bytes(response.content)
    doc = Document(path)
    header = [c.text for c in doc.tables[0].rows[0].cells]
    assert "SỞ CÔNG THƯƠNG" in header[0] and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header[1]
    assert "{{" not in "\n".join(p.text for p in doc.paragraphs)


def test_who_may_issue_the_cover_letter(client, users, form04):
    url = f"/papers/report-letter/{form04.pk}/"
    expected = {"editor": 200, "approver": 200, "admin": 200, "ministry": 403, "other_editor": 404, "tenant": 404}
    for who, status in expected.items():
        client.force_login(users[who])
        assert client.get(url).status_code == status, who
    client.logout()
    assert client.get(url).status_code == 302  # to the sign-in page


def test_an_unknown_paper_or_key_is_not_found(client, users, form04):
    client.force_login(users["editor"])
    assert client.get("/papers/no-such-paper/1/").status_code == 404
    assert client.get("/papers/report-letter/not-a-number/").status_code == 404


def test_an_adjusted_template_is_used_and_a_missing_field_is_named(client, users, form04, settings, tmp_path):
    settings.CCN_PAPERS_DIR = tmp_path
    shutil.copy(DEFAULTS / "cover_letter.docx", tmp_path / "cover_letter.docx")
    doc = Document(tmp_path / "cover_letter.docx")
    doc.add_paragraph("Ghi chú của tỉnh: {{ province_note }}")
    doc.save(tmp_path / "cover_letter.docx")
    response = _post(client, users["editor"], f"/papers/report-letter/{form04.pk}/", format="docx", signer_name="A")
    assert response.status_code == 422
    assert "province_note" in response.content.decode()
    assert response["Content-Type"].startswith("text/html")  # nothing was issued

    doc = Document(DEFAULTS / "cover_letter.docx")
    doc.add_paragraph("BẢN ĐIỀU CHỈNH CỦA TỈNH")
    doc.save(tmp_path / "cover_letter.docx")
    response = _post(client, users["editor"], f"/papers/report-letter/{form04.pk}/", format="docx", signer_name="A")
    path = tmp_path / "out.docx"
    path.write_bytes(response.content)
    assert "BẢN ĐIỀU CHỈNH CỦA TỈNH" in [p.text for p in Document(path).paragraphs]


@pytest.fixture
def decided_dossier(users):
    cluster = planned_cluster()
    operating_cluster(industrial=40, leased=30, name="Cụm bên cạnh")
    dossier = to_appraisal(users, cluster)
    select(
        users, dossier, {dossier.applications.first().applicant.name: [sheet(12, 12, 25, 30), sheet(10, 10, 20, 30)]}
    )
    procedures.dossier_appraise(
        actor=users["editor"],
        dossier=dossier,
        appraised_on=D(2026, 4, 10),
        conclusion="favourable",
    )
    decision = {
        "number": "123/QĐ-UBND",
        "issuer": "UBND tỉnh Khánh Hòa",
        "name": "Cụm công nghiệp Quy hoạch",
        "area_ha": "50",
        "location": "xã Diên Thọ, tỉnh Khánh Hòa",
        "sectors": ["10"],
        "capital_bn": "450.5",
        "capital_sources": "Vốn doanh nghiệp",
        "schedule": "2026–2028",
    }
    procedures.dossier_decide(actor=users["approver"], dossier=dossier, decided_on=D(2026, 4, 14), decision=decision)
    dossier.refresh_from_db()
    return dossier


@office
def test_establishment_decision_carries_the_content_of_form_02(client, users, decided_dossier, tmp_path):
    response = _post(
        client,
        users["editor"],
        f"/papers/decision/{decided_dossier.code}/",
        authority="vice_chairman",
        signer_name="Lê Văn Chủ",
    )
    assert response.status_code == 200, response.content[:300]
    text = _pdf_text(response.content, tmp_path)
    for expected in (
        "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA",
        "Số: 123/QĐ-UBND",
        "Khánh Hòa, ngày 14 tháng 4 năm 2026",
        "QUYẾT ĐỊNH",
        "Về việc thành lập Cụm công nghiệp Quy hoạch",
        "Căn cứ Nghị định số 32/2024/NĐ-CP",
        "2. Diện tích: 50 ha",
        "3. Vị trí: xã Diên Thọ, tỉnh Khánh Hòa",
        "4. Ngành, nghề hoạt động chính: 10 – Sản xuất, chế biến thực phẩm",
        f"5. Chủ đầu tư xây dựng hạ tầng kỹ thuật: {decided_dossier.selected_application.applicant.name}",
        "7. Tổng vốn đầu tư dự kiến: 450,5 tỷ đồng",
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Lê Văn Chủ",
    ):
        assert squash(expected) in text, expected


def test_a_decision_paper_needs_a_decision(client, users):
    dossier = to_appraisal(users, planned_cluster())
    client.force_login(users["editor"])
    response = client.get(f"/papers/decision/{dossier.code}/")
    assert response.status_code == 409 and "hãy ghi nhận quyết định trước" in response.content.decode()


@office
def test_council_minutes_and_inspection_conclusion(client, users, decided_dossier, tmp_path):
    response = _post(
        client, users["editor"], f"/papers/selection-minutes/{decided_dossier.code}/", authority="council_chair"
    )
    text = _pdf_text(response.content, tmp_path)
    winner = decided_dossier.selected_application.applicant.name
    assert squash("BIÊN BẢN") in text
    assert squash("HỘI ĐỒNG LỰA CHỌN CHỦ ĐẦU TƯ") in text
    assert squash(f"Hội đồng thống nhất đề xuất {winner}") in text
    assert squash("ngày 10 tháng 4 năm 2026") in text  # the council met on 10/04/2026
    assert squash("CHỦ TỊCH HỘI ĐỒNG") in text
    assert squash("- approver — Chủ tịch Hội đồng") in text

    cluster = operating_cluster(industrial=20, leased=5, name="Cụm kiểm tra")
    inspection = procedures.inspection_create(
        actor=users["editor"], cluster=cluster, planned_on=D(2026, 5, 4), agency="Sở Công Thương Khánh Hòa"
    )
    client.force_login(users["editor"])
    assert client.get(f"/papers/inspection-conclusion/{inspection.pk}/").status_code == 409
    procedures.inspection_record(actor=users["editor"], inspection=inspection, conducted_on=D(2026, 5, 6))
    procedures.finding_add(
        actor=users["editor"],
        inspection=inspection,
        area="environment",
        description="Chưa đấu nối nước thải",
        is_violation=True,
        legal_basis="Điều 22 Nghị định 32/2024",
    )
    response = _post(client, users["editor"], f"/papers/inspection-conclusion/{inspection.pk}/")
    text = _pdf_text(response.content, tmp_path)
    assert squash("KẾT LUẬN KIỂM TRA") in text
    assert squash("Chưa đấu nối nước thải — vi phạm (căn cứ Điều 22 Nghị định 32/2024)") in text
    assert squash("có 1 nội dung vi phạm") in text


@office
def test_review_meeting_minutes_list_the_obstacles(client, users, tmp_path):
    from ccn.obstacles.services import meeting_create

    meeting = meeting_create(
        actor=users["editor"],
        province=Province.objects.get(code="56"),
        held_on=D(2026, 6, 1),
        title="Giao ban tháo gỡ vướng mắc quý II",
        chair="Phó Giám đốc Phạm Thị Hoa",
        minutes="Giao Sở Tài chính xử lý trước 30/6.",
    )
    response = _post(client, users["editor"], f"/papers/meeting-minutes/{meeting.pk}/", authority="meeting_chair")
    text = _pdf_text(response.content, tmp_path)
    assert squash("Giao ban tháo gỡ vướng mắc quý II") in text
    assert squash("Kết luận của chủ trì: Giao Sở Tài chính xử lý trước 30/6.") in text
    assert squash("CHỦ TRÌ CUỘC HỌP") in text
    assert squash("Phó Giám đốc Phạm Thị Hoa") in text
    assert squash("Số khó khăn, vướng mắc đang xử lý: 0") in text

"""The attachment store: uploads judged by their bytes and size (nothing written when refused), downloads within
the record's scope, the panel on every record's page, and a deleted record's files kept for an administrator."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ccn.attachments import selectors, services
from ccn.attachments.models import Attachment, Kind
from ccn.core.errors import PermissionDeniedError, ValidationFailed

from .conftest import EXE, PDF

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _record_url(record):
    content_type = ContentType.objects.get_for_model(type(record))
    return reverse("attachments:record", args=[content_type.app_label, content_type.model, record.pk])


def _stored_files(media):
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def test_an_executable_named_pdf_is_refused_and_nothing_is_written(users, records, media):
    document = records["document"]
    response = _client(users["editor"]).post(
        _record_url(document),
        {"kind": Kind.SIGNED_SCAN, "file": SimpleUploadedFile("quyet-dinh-123.pdf", EXE, "application/pdf")},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Tệp này không thuộc loại tài liệu được chấp nhận" in page and "PDF, PNG" in page
    assert Attachment.objects.count() == 0 and _stored_files(media) == []


def test_an_upload_over_the_size_limit_is_refused_and_nothing_is_written(users, records, media, settings):
    settings.MAX_UPLOAD_BYTES = 2048  # the limit is a setting; 200 MB is refused the same way
    pdf = PDF + b"%" + b"0" * 4096
    response = _client(users["editor"]).post(
        _record_url(records["inspection"]), {"kind": Kind.OTHER, "file": SimpleUploadedFile("bien-ban.pdf", pdf)}
    )
    assert response.status_code == 422
    assert "giới hạn là 0.0 MB" in response.content.decode() or "giới hạn là 0,0 MB" in response.content.decode()
    assert Attachment.objects.count() == 0 and _stored_files(media) == []
    with pytest.raises(ValidationFailed) as refused:
        services.attach(actor=users["editor"], record=records["inspection"], file=SimpleUploadedFile("b.pdf", pdf))
    assert "limit" in refused.value.message or "giới hạn" in refused.value.message


def test_an_upload_declared_over_the_limit_is_turned_away_before_its_body_is_read(users, records, media, settings):
    """A 200 MB upload is refused from its declared length (413) instead of being spooled to disk first; the
    multipart body may carry 1 MB of other fields beside a file at the limit."""
    settings.MAX_UPLOAD_BYTES = 2048
    pdf = PDF + b"%" + b"0" * (2 * 1024 * 1024)
    client = _client(users["editor"])
    response = client.post(
        _record_url(records["inspection"]), {"kind": Kind.OTHER, "file": SimpleUploadedFile("bien-ban.pdf", pdf)}
    )
    assert response.status_code == 413
    assert "Tệp có dung lượng 2.0 MB" in response.content.decode() or "2,0 MB" in response.content.decode()
    assert Attachment.objects.count() == 0 and _stored_files(media) == []
    api = client.post("/api/v1/obstacles/1/attachments", {"file": SimpleUploadedFile("a.pdf", pdf)})
    assert api.status_code == 413 and api.json()["code"] == "file_too_large"
    settings.MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # the same body under the limit reaches the view
    accepted = client.post(
        _record_url(records["inspection"]), {"kind": Kind.OTHER, "file": SimpleUploadedFile("bien-ban.pdf", pdf)}
    )
    assert accepted.status_code in (200, 302) and Attachment.objects.count() == 1


def test_download_in_scope_gives_the_same_bytes_and_out_of_scope_gives_404(users, records, media):
    document = records["document"]
    editor = _client(users["editor"])
    response = editor.post(
        _record_url(document),
        {
            "kind": Kind.SIGNED_SCAN,
            "file": SimpleUploadedFile("QĐ 123 bản ký.pdf", PDF),
            "description": "Bản quét có dấu",
            "next": f"/clusters/{records['cluster'].code}/",
        },
    )
    assert response.status_code == 302 and response["Location"] == f"/clusters/{records['cluster'].code}/"
    attachment = Attachment.objects.get()
    assert attachment.record == document and attachment.kind == Kind.SIGNED_SCAN
    assert attachment.name == "QĐ 123 bản ký.pdf" and attachment.size == len(PDF)
    assert attachment.media_type == "application/pdf" and len(attachment.sha256) == 64
    assert attachment.uploaded_by == users["editor"] and "bản ký" not in attachment.file.name  # generated name

    url = reverse("attachments:download", args=[attachment.pk])
    download = editor.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf" and download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment")

    assert _client(users["other_editor"]).get(url).status_code == 404  # another province's officer
    assert _client(users["other_investor"]).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # signed-out: to the sign-in page
    assert _client(users["ministry"]).get(url).status_code == 200  # the ministry reads every province
    # another province's officer can neither see the record's attachments nor add one
    assert _client(users["other_editor"]).get(_record_url(document)).status_code == 404
    refused = _client(users["other_editor"]).post(
        _record_url(document), {"kind": Kind.OTHER, "file": SimpleUploadedFile("x.pdf", PDF)}
    )
    assert refused.status_code == 404 and Attachment.objects.count() == 1


def test_who_may_attach_follows_the_records_rules(users, records):
    upload = SimpleUploadedFile("a.pdf", PDF)
    assert services.may_attach(users["editor"], records["inspection"])
    assert not services.may_attach(users["commune"], records["inspection"])  # inspections are the Department's
    assert services.may_attach(users["commune"], records["dossier"])  # the commune receives the dossier
    assert not services.may_attach(users["other_editor"], records["report"])
    with pytest.raises(PermissionDeniedError):
        services.attach(actor=users["commune"], record=records["inspection"], file=upload)
    with pytest.raises(PermissionDeniedError):
        services.attach(actor=users["editor"], record=records["cluster"], file=upload)  # not an attachable record
    assert Attachment.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "page"),
    [
        ("dossier", lambda r: f"/procedures/dossiers/{r['dossier'].code}/"),
        ("inspection", lambda r: f"/procedures/inspections/{r['inspection'].pk}/"),
        ("report", lambda r: f"/reports/{r['report'].pk}/"),
        ("obstacle", lambda r: f"/obstacles/{r['obstacle'].pk}/"),
        ("document", lambda r: _record_url(r["document"])),
    ],
)
def test_the_attachments_panel_lists_and_offers_upload_on_each_record(users, records, name, page):
    record = records[name]
    services.attach(
        actor=users["admin"], record=record, file=SimpleUploadedFile(f"ban-ky-{name}.pdf", PDF), kind=Kind.SIGNED_SCAN
    )
    html = _client(users["editor"]).get(page(records)).content.decode()
    attachment = Attachment.objects.get()
    assert "Tệp đính kèm" in html and f"ban-ky-{name}.pdf" in html
    download = reverse("attachments:download", args=[attachment.pk])
    obstacle_download = reverse("obstacles:attachment_file", args=[record.pk, attachment.pk])
    assert download in html or (name == "obstacle" and obstacle_download in html)
    assert 'enctype="multipart/form-data"' in html  # the editor may attach here


def test_the_cluster_page_links_each_legal_document_to_its_attachments(users, records):
    html = _client(users["editor"]).get(f"/clusters/{records['cluster'].code}/").content.decode()
    assert _record_url(records["document"]) in html


def test_a_deleted_record_keeps_its_files_listed_as_orphaned(users, records, media):
    document = records["document"]
    attachment = services.attach(
        actor=users["editor"], record=document, file=SimpleUploadedFile("qd.pdf", PDF), kind=Kind.SIGNED_SCAN
    )
    document.delete()
    attachment.refresh_from_db()
    assert attachment.orphaned_at is not None and attachment.record is None
    assert attachment.record_label == str(document) and default_storage.exists(attachment.file.name)
    assert list(selectors.orphans()) == [attachment]
    url = reverse("attachments:download", args=[attachment.pk])
    assert _client(users["editor"]).get(url).status_code == 404  # the record is gone: the administrator only
    download = _client(users["admin"]).get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    admin_list = _client(users["admin"]).get("/admin/attachments/attachment/?orphaned=1").content.decode()
    assert "qd.pdf" in admin_list

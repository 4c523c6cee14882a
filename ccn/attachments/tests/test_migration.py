"""Migration obstacles 0003 moves the obstacles' files into the attachment store keeping every row (id, file path,
name, size, description, uploader, time), and goes back the same way."""

import datetime
import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ccn.attachments.models import Attachment
from ccn.obstacles import services as obstacle_services

from .conftest import PDF

BEFORE = [("obstacles", "0002_action_version"), ("attachments", "0001_initial")]
AFTER = [("obstacles", "0003_attachments_to_store")]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_obstacle_attachments_move_into_the_store_and_back(users, records):
    obstacle = records["obstacle"]
    old_apps = _migrate(BEFORE)
    try:
        ObstacleAttachment = old_apps.get_model("obstacles", "ObstacleAttachment")
        paths = [
            default_storage.save(f"obstacles/{obstacle.pk}/bien-ban.pdf", ContentFile(PDF)),
            default_storage.save(f"obstacles/{obstacle.pk}/anh.png", ContentFile(PNG)),
        ]
        old = [
            ObstacleAttachment.objects.create(
                obstacle_id=obstacle.pk,
                file=path,
                name=name,
                size=size,
                description=description,
                uploaded_by_id=users["commune"].pk,
            )
            for path, name, size, description in (
                (paths[0], "Biên bản.pdf", len(PDF), "Họp dân"),
                (paths[1], "Ảnh.png", len(PNG), ""),
            )
        ]
        ObstacleAttachment.objects.create(obstacle_id=obstacle.pk, file="obstacles/missing.pdf", name="m.pdf", size=3)

        _migrate(AFTER)
        moved = list(Attachment.objects.order_by("pk"))
        assert [a.pk for a in moved] == [*(o.pk for o in old), old[-1].pk + 1]  # every row, same ids
        assert [a.file.name for a in moved] == [*paths, "obstacles/missing.pdf"]  # same file paths
        first, second, missing = moved
        assert first.record == obstacle and first.name == "Biên bản.pdf" and first.description == "Họp dân"
        assert first.size == len(PDF) and first.uploaded_by == users["commune"]
        assert first.uploaded_at == old[0].created_at
        assert first.sha256 == hashlib.sha256(PDF).hexdigest() and first.media_type == "application/pdf"
        assert second.media_type == "image/png" and missing.sha256 == ""
        # the obstacle's page and the old address still serve the file; a new upload gets a fresh id
        new = obstacle_services.attachment_add(
            actor=users["editor"], obstacle=obstacle, file=SimpleUploadedFile("moi.pdf", PDF)
        )
        assert new.pk > missing.pk

        _migrate(BEFORE)  # back: the rows return to the obstacles' table
        old_apps = _migrate(BEFORE)
        ObstacleAttachment = old_apps.get_model("obstacles", "ObstacleAttachment")
        back = list(ObstacleAttachment.objects.order_by("pk").values_list("pk", "file", "name", "obstacle_id"))
        assert back == [(a.pk, a.file.name, a.name, obstacle.pk) for a in [*moved, new]]
    finally:
        _migrate(AFTER)


@pytest.mark.django_db(transaction=True)
def test_legal_document_files_move_into_the_store_as_signed_scans_and_back(django_user_model):
    """Migration clusters 0011: a legal document's own file becomes its signed scan in the store (same stored path,
    the document's uploader and time); a document without a file gets nothing; going back restores the field. The
    rows are made here (a transactional test runs on an emptied database, without the administrative units)."""
    before = [("clusters", "0010_vsic_divisions")]
    after = [("clusters", "0011_document_files_to_store")]
    old_apps = _migrate(before)
    try:
        Province = old_apps.get_model("geo", "Province")
        Cluster = old_apps.get_model("clusters", "Cluster")
        OldDocument = old_apps.get_model("clusters", "LegalDocument")
        officer = django_user_model.objects.create(username="migration.officer")
        province = Province.objects.create(code="98", name="Tỉnh Thử")
        cluster = Cluster.objects.create(province=province, code="THU-01", name="Cụm Thử")
        path = default_storage.save("documents/2019/qd-123.pdf", ContentFile(PDF))
        dated = {"cluster": cluster, "issued_on": datetime.date(2019, 5, 6), "issuer": "UBND tỉnh"}
        signed = OldDocument.objects.create(
            kind="established", number="123/QĐ", file=path, created_by_id=officer.pk, **dated
        )
        bare = OldDocument.objects.create(kind="other", number="9/TB", **dated)

        _migrate(after)
        scan = Attachment.objects.get()
        assert (scan.record_id, scan.record_type.model, scan.kind) == (signed.pk, "legaldocument", "signed_scan")
        assert scan.file.name == path and scan.name == "qd-123.pdf" and scan.record_label == "123/QĐ (06/05/2019)"
        assert scan.size == len(PDF) and scan.sha256 == hashlib.sha256(PDF).hexdigest()
        assert scan.media_type == "application/pdf" and scan.uploaded_by_id == officer.pk
        assert scan.uploaded_at == signed.created_at

        old_apps = _migrate(before)
        OldDocument = old_apps.get_model("clusters", "LegalDocument")
        assert OldDocument.objects.get(pk=signed.pk).file.name == path
        assert OldDocument.objects.get(pk=bare.pk).file.name == ""
        assert not Attachment.objects.exists()
    finally:
        _migrate(after)


@pytest.mark.django_db(transaction=True)
def test_signed_paper_scans_move_into_the_store_and_back(django_user_model):
    """Migration papers 0002: a signed paper's scan becomes an attachment of the paper (same stored path, SHA-256 and
    type, its size, who attached it and when); going back restores the paper's own fields."""
    before, after = [("papers", "0001_signed_paper")], [("papers", "0002_scan_to_store")]
    old_apps = _migrate(before)
    try:
        Province = old_apps.get_model("geo", "Province")
        OldPaper = old_apps.get_model("papers", "SignedPaper")
        officer = django_user_model.objects.create(username="paper.officer")
        province = Province.objects.create(code="97", name="Tỉnh Giấy")
        path = default_storage.save("signed/2026/cv-125.pdf", ContentFile(PDF))
        digest = hashlib.sha256(PDF).hexdigest()
        old = OldPaper.objects.create(
            kind="report-letter",
            key="7",
            province_id=province.pk,
            number="125/SCT",
            signed_on=datetime.date(2026, 11, 5),
            signer="Giám đốc",
            file=path,
            content_type="application/pdf",
            sha256=digest,
            attached_by_id=officer.pk,
        )

        new_apps = _migrate(after)
        paper = new_apps.get_model("papers", "SignedPaper").objects.get(pk=old.pk)
        scan = Attachment.objects.get(pk=paper.scan_id)
        assert (scan.record_type.model, scan.record_id, scan.kind) == ("signedpaper", old.pk, "signed_scan")
        assert (scan.file.name, scan.sha256, scan.media_type, scan.size) == (path, digest, "application/pdf", len(PDF))
        assert scan.uploaded_by_id == officer.pk and scan.uploaded_at == old.attached_at

        old_apps = _migrate(before)
        back = old_apps.get_model("papers", "SignedPaper").objects.get(pk=old.pk)
        assert (back.file.name, back.sha256, back.content_type) == (path, digest, "application/pdf")
        assert not Attachment.objects.exists()
    finally:
        _migrate(after)

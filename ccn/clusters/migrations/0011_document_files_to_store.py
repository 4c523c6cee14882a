"""A legal document's file moves to the attachment store (ccn/attachments, decision 0009) as its signed scan: the
file stays where it is stored; the store's row adds its name, size, SHA-256 and the type read from its bytes, the
uploader and time of the document. Reversible: going back puts each document's earliest moved scan back in its own
field."""

import hashlib

from django.db import migrations, models


def _fingerprint(field_file):
    """(size, sha256, sniffed type) of a stored file; (0, "", octet-stream) when the file is missing."""
    from ccn.core.files import sniff

    try:
        with field_file.open("rb") as handle:
            found = sniff(handle)
            handle.seek(0)
            digest, size = hashlib.sha256(), 0
            for chunk in iter(lambda: handle.read(65536), b""):
                digest.update(chunk)
                size += len(chunk)
    except (FileNotFoundError, OSError, ValueError):
        return 0, "", "application/octet-stream"
    return size, digest.hexdigest(), found[0] if found else "application/octet-stream"


def forward(apps, schema_editor):
    LegalDocument = apps.get_model("clusters", "LegalDocument")
    Attachment = apps.get_model("attachments", "Attachment")
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    record_type, _ = ContentType.objects.db_manager(db).get_or_create(app_label="clusters", model="legaldocument")
    rows = []
    for doc in LegalDocument.objects.using(db).exclude(file="").exclude(file__isnull=True).order_by("pk").iterator():
        size, sha256, media_type = _fingerprint(doc.file)
        rows.append(
            Attachment(
                record_type=record_type,
                record_id=doc.pk,
                record_label=f"{doc.number} ({doc.issued_on:%d/%m/%Y})"[:300],
                kind="signed_scan",
                file=doc.file.name,
                name=doc.file.name.rsplit("/", 1)[-1][:200],
                size=size,
                sha256=sha256,
                media_type=media_type,
                uploaded_by_id=doc.created_by_id,
                uploaded_at=doc.created_at,
            )
        )
    Attachment.objects.using(db).bulk_create(rows, batch_size=500)


def backward(apps, schema_editor):
    LegalDocument = apps.get_model("clusters", "LegalDocument")
    Attachment = apps.get_model("attachments", "Attachment")
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    record_type = ContentType.objects.db_manager(db).filter(app_label="clusters", model="legaldocument").first()
    if record_type is None:
        return
    scans = Attachment.objects.using(db).filter(record_type=record_type, kind="signed_scan").order_by("uploaded_at", "pk")
    seen = set()
    for scan in scans.iterator():
        if scan.record_id in seen:
            continue
        seen.add(scan.record_id)
        LegalDocument.objects.using(db).filter(pk=scan.record_id).update(file=scan.file.name)
        scan.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("clusters", "0010_vsic_divisions"),
        ("attachments", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.RemoveField(model_name="legaldocument", name="file"),
    ]

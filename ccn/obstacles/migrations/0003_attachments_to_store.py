"""The obstacles' files move to the attachment store (ccn/attachments, decision 0009): every row keeps its id, file
path, name, size, description, uploader and time; the store adds the SHA-256 and the type read from the bytes.
Reversible: going back copies the obstacles' rows of the store into the recreated table."""

import hashlib

from django.core.management.color import no_style
from django.db import migrations

from ccn.core.files import sniff


def _fingerprint(field_file):
    """(sha256, sniffed type) of a stored file; ("", "application/octet-stream") when the file is missing."""
    try:
        with field_file.open("rb") as handle:
            found = sniff(handle)
            handle.seek(0)
            digest = hashlib.sha256()
            for chunk in iter(lambda: handle.read(65536), b""):
                digest.update(chunk)
    except (FileNotFoundError, OSError, ValueError):
        return "", "application/octet-stream"
    return digest.hexdigest(), found[0] if found else "application/octet-stream"


def _reset_sequence(schema_editor, model):
    """Rows were written with their ids: on PostgreSQL the id sequence must move past them."""
    with schema_editor.connection.cursor() as cursor:
        for sql in schema_editor.connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(sql)


def forward(apps, schema_editor):
    ObstacleAttachment = apps.get_model("obstacles", "ObstacleAttachment")
    Obstacle = apps.get_model("obstacles", "Obstacle")
    Attachment = apps.get_model("attachments", "Attachment")
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    record_type, _ = ContentType.objects.db_manager(db).get_or_create(app_label="obstacles", model="obstacle")
    labels = {pk: f"#{pk} {' '.join(text.split())[:80]}" for pk, text in Obstacle.objects.using(db).values_list("pk", "description")}
    rows = []
    for old in ObstacleAttachment.objects.using(db).order_by("pk").iterator():
        sha256, media_type = _fingerprint(old.file)
        rows.append(
            Attachment(
                pk=old.pk,
                record_type=record_type,
                record_id=old.obstacle_id,
                record_label=str(labels.get(old.obstacle_id, ""))[:300],
                kind="other",
                file=old.file.name,
                name=old.name,
                size=old.size,
                sha256=sha256,
                media_type=media_type,
                description=old.description,
                uploaded_by_id=old.uploaded_by_id,
                uploaded_at=old.created_at,
            )
        )
    Attachment.objects.using(db).bulk_create(rows, batch_size=500)
    if rows:
        _reset_sequence(schema_editor, Attachment)


def backward(apps, schema_editor):
    ObstacleAttachment = apps.get_model("obstacles", "ObstacleAttachment")
    Attachment = apps.get_model("attachments", "Attachment")
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    record_type = ContentType.objects.db_manager(db).filter(app_label="obstacles", model="obstacle").first()
    if record_type is None:
        return
    moved = Attachment.objects.using(db).filter(record_type=record_type, orphaned_at__isnull=True).order_by("pk")
    rows = [
        ObstacleAttachment(
            pk=a.pk,
            obstacle_id=a.record_id,
            file=a.file.name,
            name=a.name,
            size=min(a.size, 2147483647),
            description=a.description,
            uploaded_by_id=a.uploaded_by_id,
            created_at=a.uploaded_at,
        )
        for a in moved.iterator()
    ]
    ObstacleAttachment.objects.using(db).bulk_create(rows, batch_size=500)
    moved.delete()
    if rows:
        _reset_sequence(schema_editor, ObstacleAttachment)


class Migration(migrations.Migration):
    dependencies = [
        ("obstacles", "0002_action_version"),
        ("attachments", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.DeleteModel(name="ObstacleAttachment"),
    ]

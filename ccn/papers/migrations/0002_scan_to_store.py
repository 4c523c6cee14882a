"""A signed paper's scan moves to the attachment store (ccn/attachments, decision 0009), attached to the paper:
the file stays where it is stored; the store's row keeps its SHA-256 and type as the paper had them, its size, who
attached it and when. Reversible: going back puts each paper's scan back in its own fields."""

from django.db import migrations, models


def _size(field_file) -> int:
    try:
        return field_file.size
    except (FileNotFoundError, OSError, ValueError):
        return 0


def forward(apps, schema_editor):
    SignedPaper = apps.get_model("papers", "SignedPaper")
    Attachment = apps.get_model("attachments", "Attachment")
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    record_type, _ = ContentType.objects.db_manager(db).get_or_create(app_label="papers", model="signedpaper")
    for paper in SignedPaper.objects.using(db).order_by("pk").iterator():
        scan = Attachment.objects.using(db).create(
            record_type=record_type,
            record_id=paper.pk,
            record_label=f"{paper.number} ({paper.signed_on:%d/%m/%Y})"[:300],
            kind="signed_scan",
            file=paper.file.name,
            name=paper.file.name.rsplit("/", 1)[-1][:200],
            size=_size(paper.file),
            sha256=paper.sha256,
            media_type=paper.content_type,
            uploaded_by_id=paper.attached_by_id,
            uploaded_at=paper.attached_at,
        )
        SignedPaper.objects.using(db).filter(pk=paper.pk).update(scan=scan)


def backward(apps, schema_editor):
    SignedPaper = apps.get_model("papers", "SignedPaper")
    Attachment = apps.get_model("attachments", "Attachment")
    db = schema_editor.connection.alias
    for paper in SignedPaper.objects.using(db).select_related("scan").order_by("pk").iterator():
        if paper.scan is None:
            continue
        SignedPaper.objects.using(db).filter(pk=paper.pk).update(
            file=paper.scan.file.name, sha256=paper.scan.sha256, content_type=paper.scan.media_type, scan=None
        )
    ContentType = apps.get_model("contenttypes", "ContentType")
    record_type = ContentType.objects.db_manager(db).filter(app_label="papers", model="signedpaper").first()
    if record_type is not None:
        Attachment.objects.using(db).filter(record_type=record_type).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("papers", "0001_signed_paper"),
        ("attachments", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="signedpaper",
            name="scan",
            field=models.ForeignKey(
                null=True,
                on_delete=models.deletion.PROTECT,
                related_name="+",
                to="attachments.attachment",
                verbose_name="signed scan",
            ),
        ),
        migrations.RunPython(forward, backward),
        # Defaults first, so that going back can re-add the columns to existing rows before filling them.
        migrations.AlterField(
            model_name="signedpaper", name="file", field=models.FileField(default="", upload_to="signed/%Y/")
        ),
        migrations.AlterField(
            model_name="signedpaper", name="content_type", field=models.CharField(default="", max_length=60)
        ),
        migrations.AlterField(
            model_name="signedpaper", name="sha256", field=models.CharField(default="", max_length=64)
        ),
        migrations.RemoveField(model_name="signedpaper", name="file"),
        migrations.RemoveField(model_name="signedpaper", name="content_type"),
        migrations.RemoveField(model_name="signedpaper", name="sha256"),
    ]

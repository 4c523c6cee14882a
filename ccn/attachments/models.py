"""One attachment store for every record: a legal document's signed scan, a dossier's papers, an inspection's
record, a submitted report's signed form, an obstacle's photos. A row links to its record by content type and id
(decision 0009), so the store sits below the apps that use it and imports none of them."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    SIGNED_SCAN = "signed_scan", _("Signed scan")
    OTHER = "other", _("Other attachment")


def stored_path(instance, filename):
    """attachments/<year>/<generated name>: the user's file name never reaches the storage."""
    return f"attachments/{timezone.now():%Y}/{filename}"


class Attachment(models.Model):
    record_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    record_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("record_type", "record_id")
    record_label = models.CharField(_("record"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    file = models.FileField(_("file"), upload_to=stored_path, max_length=300)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64, db_index=True, editable=False)
    media_type = models.CharField(_("content type"), max_length=100, editable=False)
    description = models.CharField(_("description"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    # Set when the record was deleted: the file is kept and listed for an administrator (decision 0009).
    orphaned_at = models.DateTimeField(_("record deleted at"), null=True, blank=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        indexes = [models.Index(fields=["record_type", "record_id"], name="attachment_record")]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name

    @property
    def created_at(self):
        return self.uploaded_at

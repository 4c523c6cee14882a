"""The signed record: after a paper is signed and sealed outside the system (or signed with the digital signature
the province already uses), its scan is attached here. The scan, not the generated draft, is the legal record: the
record's page shows who signed it and when, and the exchange carries it to the national instance."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SignedPaper(models.Model):
    kind = models.CharField(_("paper"), max_length=40)
    key = models.CharField(_("record"), max_length=60)
    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("number and symbol"), max_length=60)
    signed_on = models.DateField(_("signed on"))
    signer = models.CharField(_("signed by (title and name)"), max_length=200)
    # The scan itself is in the one attachment store (ccn/attachments), as every record's files are; a replaced
    # scan stays there, attached to this paper, and the paper points to the latest.
    scan = models.ForeignKey(
        "attachments.Attachment", null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("signed scan")
    )
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("attached by")
    )
    attached_at = models.DateTimeField(_("attached at"), auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="one_signed_scan_per_paper")]
        verbose_name = _("signed paper")
        verbose_name_plural = _("signed papers")

    def __str__(self) -> str:
        return f"{self.number} ({self.signed_on:%d/%m/%Y})"

    @property
    def file(self):
        return self.scan.file

    @property
    def sha256(self) -> str:
        return self.scan.sha256

    @property
    def content_type(self) -> str:
        return self.scan.media_type

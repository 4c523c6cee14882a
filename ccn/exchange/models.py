"""The exchange between CCN instances (docs/exchange.md): what a province sent (OutgoingBatch), what a national
instance received and applied (IncomingBatch, ExchangeLink), what it holds for a person to resolve
(ExchangeConflict) and the approved Forms 03/04 received from provinces (ExchangedReport)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordKind(models.TextChoices):
    ORGANISATION = "organisation", _("Organisation")
    CLUSTER = "cluster", _("Cluster")
    TENANT_PROJECT = "tenant_project", _("Tenant project")
    REPORT = "report", _("Approved report")


class OutgoingBatch(models.Model):
    """A batch built by this instance for its national peer. Kept until acknowledged, so that a push cut half-way
    resends the same batch (same id, same sequence) and the receiver answers it from its record."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    sequence = models.PositiveIntegerField(_("sequence"), unique=True)
    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("built at"), auto_now_add=True)
    changes_until = models.DateTimeField(_("changes until"))
    record_count = models.PositiveIntegerField(_("records"), default=0)
    payload = models.TextField(editable=False)
    checksum = models.CharField(max_length=80, editable=False)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)

    class Meta:
        ordering = ["-sequence"]
        verbose_name = _("outgoing batch")
        verbose_name_plural = _("outgoing batches")

    def __str__(self) -> str:
        return f"#{self.sequence}"


class BatchStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    PARTIAL = "partial", _("Applied with refusals or held conflicts")


class IncomingBatch(models.Model):
    """A batch received and applied (whole batches only: a refused batch leaves no row)."""

    batch_id = models.UUIDField(_("batch"), unique=True)
    source_instance = models.CharField(_("source instance"), max_length=100)
    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="+")
    sequence = models.PositiveIntegerField(_("sequence"))
    format_version = models.PositiveSmallIntegerField(_("format version"))
    checksum = models.CharField(max_length=80)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("sent by")
    )
    via = models.CharField(_("received through"), max_length=10, default="api")
    status = models.CharField(_("status"), max_length=10, choices=BatchStatus.choices)
    counts = models.JSONField(_("counts"), default=dict)
    results = models.JSONField(_("results per record"), default=list)

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["source_instance", "sequence"], name="exchange_incoming_sequence"),
        ]
        verbose_name = _("incoming batch")
        verbose_name_plural = _("incoming batches")

    def __str__(self) -> str:
        return f"{self.source_instance} #{self.sequence}"


class ExchangeLink(models.Model):
    """A record received from another instance and the local record it became: what was last applied (its hash)
    and the local version after applying, so that a later change made here is seen as a conflict."""

    kind = models.CharField(_("kind"), max_length=20, choices=RecordKind.choices)
    key = models.CharField(_("key"), max_length=200)
    source_instance = models.CharField(_("source instance"), max_length=100)
    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    applied_hash = models.CharField(max_length=64)
    local_mark = models.CharField(max_length=64)
    source_changed_at = models.DateTimeField(_("changed at the source"))
    applied_at = models.DateTimeField(_("applied at"), auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="exchange_link_key")]
        verbose_name = _("exchanged record")
        verbose_name_plural = _("exchanged records")

    def __str__(self) -> str:
        return self.key


class ConflictStatus(models.TextChoices):
    HELD = "held", _("Held for review")
    TAKEN = "taken", _("Incoming version applied")
    KEPT = "kept", _("Local version kept")


class ExchangeConflict(models.Model):
    """An incoming change to a record that was also changed here since the last exchange: never applied silently."""

    link = models.ForeignKey(ExchangeLink, on_delete=models.CASCADE, related_name="conflicts")
    batch = models.ForeignKey(IncomingBatch, on_delete=models.CASCADE, related_name="conflicts")
    record = models.JSONField(_("incoming record"))
    status = models.CharField(_("status"), max_length=10, choices=ConflictStatus.choices, default=ConflictStatus.HELD)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("exchange conflict")
        verbose_name_plural = _("exchange conflicts")

    def __str__(self) -> str:
        return f"{self.link.key} ({self.status})"


class ExchangedFile(models.Model):
    """A file received with the exchange (the signed scan of an approved report), named by its SHA-256: sent once,
    before the batch whose record refers to it."""

    sha256 = models.CharField(max_length=64, unique=True)
    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="+")
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    file = models.FileField(upload_to="exchange/%Y/")
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("exchanged file")
        verbose_name_plural = _("exchanged files")

    def __str__(self) -> str:
        return self.sha256[:12]


class ExchangedReport(models.Model):
    """An approved Form 03/04 revision received from a province, with its frozen figures as approved there."""

    key = models.CharField(_("key"), max_length=200)
    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey("geo.Commune", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    form = models.CharField(_("form"), max_length=2)
    period = models.ForeignKey("reports.Period", on_delete=models.PROTECT, related_name="+")
    revision = models.PositiveSmallIntegerField(_("revision"))
    values = models.JSONField(_("figures"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.CharField(_("approved by"), max_length=200, blank=True)
    source_instance = models.CharField(_("source instance"), max_length=100)
    batch = models.ForeignKey(IncomingBatch, on_delete=models.PROTECT, related_name="reports")
    signed_number = models.CharField(_("number and symbol"), max_length=60, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signer = models.CharField(_("signed by"), max_length=200, blank=True)
    signed_scan = models.ForeignKey(
        ExchangedFile, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("signed scan")
    )

    class Meta:
        ordering = ["province__code", "-revision"]
        constraints = [models.UniqueConstraint(fields=["key", "revision"], name="exchange_report_revision")]
        verbose_name = _("exchanged report")
        verbose_name_plural = _("exchanged reports")

    def __str__(self) -> str:
        return f"{self.key} r{self.revision}"

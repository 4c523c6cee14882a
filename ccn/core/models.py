"""Base models and the change history (who changed what, when, before and after)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .states import state_label


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class ChangeAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    TRANSITION = "transition", _("State changed")
    IMPORT = "import", _("Imported")


class ChangeRecord(models.Model):
    """One change of one record: written by services in the same transaction as the change itself."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64, db_index=True)
    object_repr = models.CharField(_("record"), max_length=300)
    action = models.CharField(_("action"), max_length=20, choices=ChangeAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True)
    request_id = models.CharField(max_length=32, blank=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]
        verbose_name = _("change record")
        verbose_name_plural = _("change records")

    def __str__(self):
        return f"{self.get_action_display()} {self.object_repr} @ {self.at:%Y-%m-%d %H:%M}"

    def changed_fields(self) -> list[tuple[str, object, object]]:
        before = self.before or {}
        after = self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class CspReport(models.Model):
    """A Content-Security-Policy violation reported by a browser, counted per page, directive and blocked source
    (docs/security.md). The browser suite expects none."""

    document_uri = models.CharField(max_length=500)
    directive = models.CharField(max_length=100)
    blocked_uri = models.CharField(max_length=500)
    count = models.PositiveIntegerField(default=1)
    first_seen = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document_uri", "directive", "blocked_uri"], name="unique_csp_report")
        ]

    def __str__(self):
        return f"{self.directive} {self.blocked_uri} on {self.document_uri} ×{self.count}"


class TransitionRecord(models.Model):
    """One step of one record along its workflow (ccn/core/transitions.py): written by `run_transition` only, in
    the transaction of the step itself. The change record beside it keeps the fields before and after."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    workflow = models.CharField(_("workflow"), max_length=60)
    action = models.CharField(_("action"), max_length=40)
    from_status = models.CharField(_("from"), max_length=30, blank=True)
    to_status = models.CharField(_("to"), max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    effective_on = models.DateField(_("effective on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]
        verbose_name = _("transition record")
        verbose_name_plural = _("transition records")

    def __str__(self):
        return f"{self.workflow} {self.object_id}: {self.from_status} → {self.to_status} ({self.action})"

    def get_from_status_display(self) -> str:
        return state_label(self.workflow, self.from_status) if self.from_status else ""

    def get_to_status_display(self) -> str:
        return state_label(self.workflow, self.to_status)

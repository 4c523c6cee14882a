"""Which records carry attachments and who may add them: each app declares it in its `policy.py`,

    ATTACHABLE = {Obstacle: (ACT,)}   # the policy actions any of which lets a user attach files to the record

read here when the apps are ready (the way accounts reads the rules), so the store imports no app above it. Every
attachable model gets a `post_delete` receiver: a deleted record's files are kept and listed as orphaned for an
administrator, never deleted with it (decision 0009)."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Model
from django.db.models.signals import post_delete
from django.utils import timezone

from ccn.core.discovery import app_modules

from .models import Attachment

_ATTACHABLE: dict[type[Model], tuple[str, ...]] = {}


def register(model, actions) -> None:
    model = apps.get_model(model) if isinstance(model, str) else model
    _ATTACHABLE[model] = tuple(actions)
    post_delete.connect(_orphan, sender=model, dispatch_uid=f"ccn-attachments-orphan-{model._meta.label}")


def load() -> None:
    for module in app_modules("policy"):
        for model, actions in getattr(module, "ATTACHABLE", {}).items():
            register(model, actions)


def attachable() -> dict[type[Model], tuple[str, ...]]:
    return dict(_ATTACHABLE)


def upload_actions(model) -> tuple[str, ...] | None:
    return _ATTACHABLE.get(model)


def _orphan(sender, instance, **kwargs):
    from django.contrib.contenttypes.models import ContentType

    record_type = ContentType.objects.get_for_model(sender)
    Attachment.objects.filter(record_type=record_type, record_id=instance.pk, orphaned_at__isnull=True).update(
        orphaned_at=timezone.now()
    )

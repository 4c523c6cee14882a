"""Receiving a batch (docs/exchange.md): check it whole, then apply each record through the registry's own
services, in order, idempotently, holding conflicts for a person.

Refused whole, with nothing written: a batch whose checksum does not match its records (truncated or altered), of
a newer format version, not valid against the schema, from a province the sender may not write for, or out of
sequence. Then each record is applied in its own savepoint: created, updated, unchanged (the same content was
applied before), held (the local copy changed since the last exchange: an `ExchangeConflict`), or refused with the
reason (e.g. a cluster code that belongs to another province); a refused record leaves nothing behind. A batch
received again (same id) changes nothing and answers its first result."""

from __future__ import annotations

import base64
import hashlib

import jsonschema
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ccn.accounts import policy
from ccn.accounts.choices import PROVINCE_ROLES, Role
from ccn.accounts.scope import role_of
from ccn.core.errors import ConflictError, PermissionDeniedError, ValidationFailed
from ccn.core.files import check_upload, generated_name, max_upload_bytes
from ccn.core.transitions import SYSTEM, run_transition, set_initial_status
from ccn.geo.models import Province
from ccn.papers.services import SCAN_TYPES

from . import bundle as fmt
from .apply import HELD, MODELS, ORDER, REFUSED, Batch, apply_one, finish_acts, local_mark, tally
from .models import (
    BatchStatus,
    ConflictStatus,
    ExchangeConflict,
    ExchangedFile,
    IncomingBatch,
)
from .schema import json_schema
from .workflow import BATCH_WORKFLOW, CONFLICT_WORKFLOW

# Checks of the whole batch ------------------------------------------------------------------------------------


def check_bundle(bundle) -> None:
    """Refuse a bundle that cannot be read as a whole (nothing is written)."""
    if not isinstance(bundle, dict) or bundle.get("format") != fmt.FORMAT:
        raise ValidationFailed(_("This is not a CCN exchange file."), code="exchange_format")
    version = bundle.get("format_version")
    if isinstance(version, int) and version > fmt.FORMAT_VERSION:
        raise ValidationFailed(
            _(
                "The batch uses exchange format version %(got)s; this instance reads versions up to %(known)s. "
                "Update it first."
            )
            % {"got": version, "known": fmt.FORMAT_VERSION},
            code="exchange_version",
        )
    validator = jsonschema.Draft202012Validator(json_schema(), format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(bundle), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.absolute_path) or "/"
        raise ValidationFailed(
            _("The batch does not follow the exchange format at %(where)s: %(problem)s")
            % {"where": where, "problem": first.message[:200]},
            code="exchange_schema",
        )
    if fmt.checksum(bundle["records"]) != bundle["batch"]["checksum"]:
        raise ValidationFailed(
            _("The batch's checksum does not match its records: the file was truncated or changed on the way."),
            code="exchange_checksum",
        )
    if bundle["batch"].get("record_count", len(bundle["records"])) != len(bundle["records"]):
        raise ValidationFailed(_("The batch says it holds a different number of records."), code="exchange_checksum")


def _province_for(actor, code: str) -> Province:
    province = Province.objects.filter(code=code).first()
    if province is None:
        raise ValidationFailed(_("Unknown province code %(code)s.") % {"code": code}, code="exchange_province")
    if policy.can(actor, policy.ADD, IncomingBatch(province=province)):  # ccn/exchange/policy.py
        return province
    raise PermissionDeniedError(_("Your token may send batches only for your own province."), code="exchange_scope")


def receive_batch(
    *, actor, bundle, via: str = "api", note: str | None = None, message: str | None = None, progress=None
) -> tuple[IncomingBatch, bool]:
    """Check and apply a batch. Returns (the batch's record, whether it was already received before). `message` is
    what the change records say (default "Exchange from …, batch n"); `note` the comment of acts and figures that
    carry none (default: the message); `progress(done, total)` is called as records are applied."""
    check_bundle(bundle)
    province = _province_for(actor, bundle["source"]["province"])
    batch_id = bundle["batch"]["id"]
    instance = bundle["source"]["instance"]
    sequence = bundle["batch"]["sequence"]
    with transaction.atomic():
        Province.objects.select_for_update().get(pk=province.pk)  # one batch of a province at a time
        known = IncomingBatch.objects.filter(batch_id=batch_id).first()
        if known is not None:
            return known, True
        last = (
            IncomingBatch.objects.filter(source_instance=instance)
            .order_by("-sequence")
            .values_list("sequence", flat=True)
            .first()
            or 0
        )
        if sequence != last + 1:
            raise ConflictError(
                _("Batch %(sequence)s arrived out of order: the next batch expected from %(instance)s is %(expected)s.")
                % {"sequence": sequence, "instance": instance, "expected": last + 1},
                code="exchange_order",
            )
        row = IncomingBatch(
            batch_id=batch_id,
            source_instance=instance,
            province=province,
            sequence=sequence,
            format_version=bundle["format_version"],
            checksum=bundle["batch"]["checksum"],
            received_by=actor if getattr(actor, "pk", None) else None,
            via=via,
        )
        set_initial_status(row, BATCH_WORKFLOW, BatchStatus.APPLIED)
        row.save()
        batch = Batch(actor, row, province, note=note, message=message)
        records = sorted(bundle["records"], key=lambda r: ORDER.index(r["kind"]))
        batch.preload(records)
        for done, record in enumerate(records, start=1):
            apply_one(batch, record)
            if progress is not None and done % 50 == 0:
                progress(done, len(records))
        finish_acts(batch)
        row.results = batch.results
        row.counts = tally(batch.results)
        row.save(update_fields=["results", "counts"])
        if row.counts[HELD] or row.counts[REFUSED]:
            row = run_transition(
                row, BATCH_WORKFLOW, "hold_back", actor=actor, role=SYSTEM, lock=False, authorize=_checked
            )
    return row, False


def conflict_resolve(*, actor, conflict: ExchangeConflict, take_incoming: bool) -> ExchangeConflict:
    """A person decides a held conflict: apply the incoming version over the local one, or keep the local one (the
    next exchange of the same content is then unchanged)."""
    link = conflict.link
    if not policy.can(actor, policy.CHANGE, conflict):
        raise PermissionDeniedError(_("Only the province's officers or an administrator resolve its conflicts."))
    with transaction.atomic():
        locked = ExchangeConflict.objects.select_for_update().get(pk=conflict.pk)
        if locked.status != ConflictStatus.HELD:
            raise ConflictError(_("This conflict was already resolved."), code="conflict_resolved")
        if take_incoming:
            batch = Batch(actor, locked.batch, locked.batch.province)
            apply_one(batch, locked.record, force=True)
            finish_acts(batch)
            if batch.results and batch.results[0]["result"] == REFUSED:
                raise ValidationFailed(batch.results[0]["message"], code="exchange_refused")
        else:
            obj = MODELS[link.kind].objects.get(pk=link.object_id)
            link.applied_hash = fmt.record_hash(locked.record)
            link.local_mark = local_mark(obj)
            link.save(update_fields=["applied_hash", "local_mark", "applied_at"])

        def apply(row, transition):
            row.resolved_at = timezone.now()
            row.resolved_by = actor

        locked = run_transition(
            locked,
            CONFLICT_WORKFLOW,
            "take" if take_incoming else "keep",
            actor=actor,
            lock=False,
            authorize=_checked,  # the policy was asked above, with its own message
            apply=apply,
            update_fields=("resolved_at", "resolved_by"),
        )
    return locked


def _checked(row) -> None:
    """Scope checked by the caller before the work of the step."""


def receive_file(*, actor, sha256: str, content: bytes, province_code: str = "") -> tuple[ExchangedFile, bool]:
    """Keep a signed scan sent ahead of the batch that refers to it. Named by its SHA-256 (checked), judged by its
    bytes (a PDF or an image), within the upload limit; the same file again is answered from its record. The
    province is the sender's (a province token), or the file's bundle's when an administrator imports a file."""
    role = role_of(actor)
    if role in PROVINCE_ROLES:
        province = actor.province
    elif role == Role.ADMIN and province_code:
        province = _province_for(actor, province_code)
    else:
        raise PermissionDeniedError(_("Your token may send files only for your own province."), code="exchange_scope")
    if len(content) > max_upload_bytes():
        raise ValidationFailed(
            _("The file is larger than the %(limit)s MB limit.") % {"limit": max_upload_bytes() // 1048576},
            code="exchange_file_size",
        )
    if hashlib.sha256(content).hexdigest() != sha256:
        raise ValidationFailed(
            _("The file's SHA-256 does not match its name: it was truncated or changed on the way."),
            code="exchange_checksum",
        )
    known = ExchangedFile.objects.filter(sha256=sha256).first()
    if known is not None:
        return known, False
    upload = ContentFile(content, name="scan")
    content_type, extension = check_upload(upload, field="file")
    if content_type not in SCAN_TYPES:
        raise ValidationFailed(
            _("Only signed scans (PDF or images) travel with the exchange."), code="exchange_file_type"
        )
    row = ExchangedFile(sha256=sha256, province=province, content_type=content_type, size=len(content))
    row.file.save(generated_name(extension), upload, save=False)
    row.save()
    return row, True


def receive_file_content(*, actor, content) -> list[tuple[IncomingBatch, bool]]:
    """An exchange file carried by hand: its signed scans, then its batches in order. Also reads a bare batch or a
    list of batches."""
    if isinstance(content, dict) and content.get("format") == "ccn-exchange-file":
        province = str(content.get("province", ""))
        for item in content.get("files") or []:
            try:
                raw = base64.b64decode(item["content_base64"], validate=True)
                sha256 = str(item["sha256"])
            except (KeyError, TypeError, ValueError) as exc:
                raise ValidationFailed(_("A file in the exchange file is damaged."), code="exchange_checksum") from exc
            receive_file(actor=actor, sha256=sha256, content=raw, province_code=province)
        bundles = content.get("batches") or []
    else:
        bundles = content if isinstance(content, list) else [content]
    return [receive_batch(actor=actor, bundle=bundle, via="file") for bundle in bundles]

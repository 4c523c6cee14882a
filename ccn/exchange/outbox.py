"""Sending a province's changes (docs/exchange.md): build the next batches, keep them until acknowledged, send them
in order. A push cut half-way (network, receiver down) leaves the batch unacknowledged; the next push sends the same
batch again, and the receiver, which may or may not have applied it, answers its result either way."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ccn.accounts import policy
from ccn.core.errors import PermissionDeniedError, ValidationFailed
from ccn.geo.models import Province

from . import bundle as fmt
from .models import OutgoingBatch, RecordKind

BATCH_RECORDS = 200


def _require_sender(actor, province: Province) -> None:
    """The province's officers send its data (ccn/exchange/policy.py); a scheduled run has no actor."""
    if actor is None or policy.can(actor, policy.ADD, OutgoingBatch(province=province)):
        return
    raise PermissionDeniedError(_("Only the province's officers send its data."))


def _groups(records: list[dict]) -> list[list[dict]]:
    """Records that must travel together: each cluster with its tenant projects (an operating cluster's act needs
    its tenants); organisations before them and reports after."""
    orgs = [[r] for r in records if r["kind"] == RecordKind.ORGANISATION]
    by_cluster: dict[str, list[dict]] = {}
    for r in records:
        if r["kind"] == RecordKind.CLUSTER:
            by_cluster.setdefault(r["key"], []).insert(0, r)
        elif r["kind"] == RecordKind.TENANT_PROJECT:
            by_cluster.setdefault(r["data"]["cluster"], []).append(r)
    reports = [[r] for r in records if r["kind"] == RecordKind.REPORT]
    return orgs + list(by_cluster.values()) + reports


def _pack(groups: list[list[dict]], size: int) -> list[list[dict]]:
    batches: list[list[dict]] = []
    for group in groups:
        if batches and len(batches[-1]) + len(group) <= size:
            batches[-1].extend(group)
        else:
            batches.append(list(group))
    return batches


@transaction.atomic
def build_batches(*, actor, province: Province, size: int = BATCH_RECORDS) -> list[OutgoingBatch]:
    """The changes since the last batch built, as new batches (none when nothing changed)."""
    _require_sender(actor, province)
    last = OutgoingBatch.objects.select_for_update().order_by("-sequence").first()
    if last is not None and last.province_id != province.pk:
        raise ValidationFailed(_("This instance already sends the data of another province."))
    until = timezone.now()
    records = fmt.changed_records(province, since=last.changes_until if last else None, until=until)
    sequence = last.sequence if last else 0
    made = []
    for chunk in _pack(_groups(records), size):
        sequence += 1
        batch_id = uuid.uuid4()
        content = fmt.build_bundle(
            province=province, batch_id=str(batch_id), sequence=sequence, records=chunk, created_at=until
        )
        made.append(
            OutgoingBatch.objects.create(
                id=batch_id,
                sequence=sequence,
                province=province,
                changes_until=until,
                record_count=len(chunk),
                payload=json.dumps(content, ensure_ascii=False),
                checksum=content["batch"]["checksum"],
            )
        )
    if not made and last is not None:
        # Nothing changed: the next build starts from now.
        OutgoingBatch.objects.filter(pk=last.pk).update(changes_until=until)
    return made


@dataclass
class PushReport:
    sent: list[int] = field(default_factory=list)
    failed: int | None = None
    error: str = ""
    results: dict[int, dict] = field(default_factory=dict)


def _call(url: str, token: str, *, method: str, data: bytes, content_type: str, timeout: float) -> dict:
    request = urllib.request.Request(  # noqa: S310 - the peer's address is configured by an administrator
        url, data=data, method=method, headers={"Content-Type": content_type, "Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        return json.loads(response.read().decode())


def _send_files(base: str, token: str, payload: str, timeout: float) -> None:
    """The signed scans a batch refers to go first, each named by its SHA-256 (sent again harmlessly)."""
    for sha256, paper in fmt.signed_scans(json.loads(payload)["records"]).items():
        with paper.file.open("rb") as handle:
            content = handle.read()
        _call(
            f"{base}/api/v1/exchange/files/{sha256}",
            token,
            method="PUT",
            data=content,
            content_type=paper.content_type,
            timeout=timeout,
        )


def send_pending(*, url: str, token: str, timeout: float = 60) -> PushReport:
    """Send every unacknowledged batch in sequence order; stop at the first that fails (it is sent again next time)."""
    report = PushReport()
    base = url.rstrip("/")
    for batch in OutgoingBatch.objects.filter(acknowledged_at__isnull=True).order_by("sequence"):
        batch.attempts += 1
        batch.last_attempt_at = timezone.now()
        try:
            _send_files(base, token, batch.payload, timeout)
            body = _call(
                f"{base}/api/v1/exchange/batches",
                token,
                method="POST",
                data=batch.payload.encode(),
                content_type="application/json",
                timeout=timeout,
            )
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode(errors="replace")[:2000]
            try:
                detail = json.loads(detail).get("detail", detail)
            except ValueError:
                pass
            batch.last_error = f"HTTP {exc.code}: {detail}"
        except (OSError, ValueError) as exc:  # refused, reset, timed out, cut mid-answer
            batch.last_error = _("Connection failed: %(error)s") % {"error": exc}
        else:
            batch.last_error = ""
            batch.acknowledged_at = timezone.now()
            batch.result = body
            report.sent.append(batch.sequence)
            report.results[batch.sequence] = body
        batch.save(update_fields=["attempts", "last_attempt_at", "last_error", "acknowledged_at", "result"])
        if batch.acknowledged_at is None:
            report.failed, report.error = batch.sequence, batch.last_error
            break
    return report


def push(*, actor, province: Province, url: str, token: str, size: int = BATCH_RECORDS) -> PushReport:
    """Build the batches of what changed, then send everything not yet acknowledged."""
    build_batches(actor=actor, province=province, size=size)
    return send_pending(url=url, token=token)


FILE_FORMAT = "ccn-exchange-file"


def export_pending(*, actor, province: Province) -> dict:
    """Where there is no network: build the batches of what changed and hand every unacknowledged one over as a
    file (in sequence order), with the signed scans they refer to. They count as sent; the receiver's import page
    shows its result per record."""
    build_batches(actor=actor, province=province)
    bundles, files = [], {}
    now = timezone.now()
    for batch in OutgoingBatch.objects.filter(acknowledged_at__isnull=True).order_by("sequence"):
        bundle = json.loads(batch.payload)
        bundles.append(bundle)
        for sha256, paper in fmt.signed_scans(bundle["records"]).items():
            with paper.file.open("rb") as handle:
                files[sha256] = {
                    "sha256": sha256,
                    "content_type": paper.content_type,
                    "content_base64": base64.b64encode(handle.read()).decode(),
                }
        batch.acknowledged_at, batch.result = now, {"via": "file"}
        batch.save(update_fields=["acknowledged_at", "result"])
    return {"format": FILE_FORMAT, "province": province.code, "files": list(files.values()), "batches": bundles}

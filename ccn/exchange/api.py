"""API of the exchange between instances (under /api/v1/exchange/): the published JSON Schema of the format, and
batches pushed by a province's machine token (docs/exchange.md)."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Any

from ninja import Body, Router, Schema, Status

from ccn.core.api import ErrorOut, api_user
from ccn.core.files import max_upload_bytes

from . import selectors, services
from .schema import json_schema

router = Router(tags=["exchange"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class RecordResultOut(Schema):
    kind: str
    key: str
    result: str  # created, updated, unchanged, held, refused
    message: str = ""


class BatchOut(Schema):
    batch_id: uuid.UUID
    source_instance: str
    province: str
    sequence: int
    received_at: datetime.datetime
    status: str
    replayed: bool  # true when this batch had been received before: nothing was applied again
    counts: dict[str, int]
    results: list[RecordResultOut]


def _out(batch, replayed: bool) -> dict:
    return {
        "batch_id": batch.batch_id,
        "source_instance": batch.source_instance,
        "province": batch.province.code,
        "sequence": batch.sequence,
        "received_at": batch.received_at,
        "status": batch.status,
        "replayed": replayed,
        "counts": batch.counts,
        "results": batch.results,
    }


@router.get("/schema/1", response={200: dict[str, Any]}, auth=None, operation_id="exchange_schema")
def schema(request):
    """The JSON Schema of exchange format version 1."""
    return json_schema()


@router.post("/batches", response={200: BatchOut, 201: BatchOut, **ERRORS}, operation_id="exchange_receive")
def receive(request, bundle: Body[dict[str, Any]]):
    """Apply a batch sent by a province (its officers' or machine token). Sending the same batch again answers 200
    with its first result and changes nothing; a batch out of sequence is refused with 409."""
    user = api_user(request, required=True)
    batch, replayed = services.receive_batch(actor=user, bundle=bundle)
    return Status(200 if replayed else 201, _out(batch, replayed))


class FileOut(Schema):
    sha256: str
    content_type: str
    size: int
    received: bool  # false when this file had been received before


@router.put("/files/{sha256}", response={200: FileOut, 201: FileOut, **ERRORS}, operation_id="exchange_file")
def file_put(request, sha256: str):
    """Send a signed scan before the batch that refers to it: the raw bytes (PDF or image) as the body, named by
    their SHA-256. Sending the same file again answers 200."""
    user = api_user(request, required=True)
    content = request.read(max_upload_bytes() + 1)
    row, created = services.receive_file(actor=user, sha256=sha256.lower(), content=content)
    out = {"sha256": row.sha256, "content_type": row.content_type, "size": row.size, "received": created}
    return Status(201 if created else 200, out)


@router.get("/batches/{batch_id}", response={200: BatchOut, **ERRORS}, operation_id="exchange_batch")
def batch_get(request, batch_id: uuid.UUID):
    user = api_user(request, required=True)
    return _out(selectors.incoming_batch_get(user, batch_id), True)


class ProvinceExchangeOut(Schema):
    province: str
    name: str
    state: str  # current, late, never
    last_received_at: datetime.datetime | None
    batches: int
    last_sequence: int | None
    conflicts_held: int


@router.get("/provinces", response={200: list[ProvinceExchangeOut], **ERRORS}, operation_id="exchange_provinces")
def provinces(request):
    """Each province in the caller's scope: its last batch and whether it is current, late or never exchanged."""
    user = api_user(request, required=True)
    selectors.require_exchange_reader(user)
    return [
        {
            "province": row["province"].code,
            "name": row["province"].name,
            "state": row["state"],
            "last_received_at": row["stat"]["last"] if row["stat"] else None,
            "batches": row["stat"]["batches"] if row["stat"] else 0,
            "last_sequence": row["stat"]["last_sequence"] if row["stat"] else None,
            "conflicts_held": row["held"],
        }
        for row in selectors.province_status(user)
    ]


class DifferenceOut(Schema):
    code: str
    exchanged: Decimal | None
    live: Decimal | None


class NationalRowOut(Schema):
    province: str
    revision: int | None
    approved_at: datetime.datetime | None
    approved_by: str
    source_instance: str
    signed_number: str
    signed_on: datetime.date | None
    signer: str
    signed_scan_sha256: str | None  # the legal record: the scan of the signed, sealed cover letter
    exchanged: dict[str, Decimal | None]
    live: dict[str, Decimal | None]
    differences: list[DifferenceOut]


@router.get("/national", response={200: list[NationalRowOut], **ERRORS}, operation_id="exchange_national")
def national(request, period_kind: str, year: int):
    """Per province, the Form 04 it approved and sent beside the live compilation here, and where they differ."""
    user = api_user(request, required=True)
    period = selectors.period_get(period_kind, year)
    rows = []
    for row in selectors.national_comparison(user, period):
        report = row["report"]
        rows.append(
            {
                "province": row["province"].code,
                "revision": report.revision if report else None,
                "approved_at": report.approved_at if report else None,
                "approved_by": report.approved_by if report else "",
                "source_instance": report.source_instance if report else "",
                "signed_number": report.signed_number if report else "",
                "signed_on": report.signed_on if report else None,
                "signer": report.signer if report else "",
                "signed_scan_sha256": report.signed_scan.sha256 if report and report.signed_scan else None,
                "exchanged": row["exchanged"],
                "live": row["live"],
                "differences": row["differences"],
            }
        )
    return rows

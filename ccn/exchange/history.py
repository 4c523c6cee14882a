"""A province's history imported from one workbook (docs/import.md, "A province's history"): the sheets are read
into exchange records (workbook.py) and applied by the exchange's own receiver (services.receive_batch), so each
cluster is created as it stood at its first act and every later act, dated figure, document and project status goes
through the registry's services with its own date and document, every guard checked as of that date. A dry run
applies everything and rolls it back; a commit writes all records or none."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from ccn.accounts import policy
from ccn.accounts.choices import Role
from ccn.core.errors import PermissionDeniedError
from ccn.geo.models import Province

from . import bundle as fmt
from . import services, workbook
from .models import IncomingBatch

IMPORT_ROLES = (Role.ADMIN, Role.PROVINCE_EDITOR, Role.PROVINCE_APPROVER)
BACKGROUND_ROWS = 1000  # a commit of a workbook with more rows than this runs in the background


def source_name(province: Province) -> str:
    """The source the history imports of a province are numbered under (their batches and record links)."""
    return f"history-{province.code}"


@dataclass
class HistoryResult:
    rows: int = 0
    records: int = 0
    problems: list[dict] = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    preview: dict = field(default_factory=dict)
    committed: bool = False
    batch: IncomingBatch | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


class _Rollback(Exception):
    pass


def may_import(user, province: Province) -> bool:
    return policy.can(user, policy.ADD, IncomingBatch(province=province))


def history_import(
    *, actor, province: Province, upload, filename: str = "", commit: bool = False, progress=None
) -> HistoryResult:
    """Read the workbook and apply its records; every problem of every sheet and row in `problems` (the cells that
    cannot be read, then what the registry's rules refuse). Nothing stays written unless `commit` and no problem."""
    if not may_import(actor, province):
        raise PermissionDeniedError(_("Only the province's officers import its history."))
    reading = workbook.read(upload, province_code=province.code, filename=filename)
    result = HistoryResult(
        rows=reading.rows,
        records=len(reading.records),
        problems=[p.as_dict() for p in reading.problems],
        preview=reading.preview,
    )
    if not reading.records:
        return result
    source = source_name(province)
    label = _("History import from %(file)s") % {"file": filename or _("a workbook")}
    try:
        with transaction.atomic():
            last = IncomingBatch.objects.filter(source_instance=source).order_by("-sequence").first()
            bundle = fmt.build_bundle(
                province=province,
                batch_id=str(uuid.uuid4()),
                sequence=(last.sequence if last else 0) + 1,
                records=reading.records,
                created_at=datetime.datetime.now(datetime.UTC),
            )
            bundle["source"]["instance"] = source
            row, _replayed = services.receive_batch(
                actor=actor, bundle=bundle, via="history", note="", message=label, progress=progress
            )
            refused = {item["key"] for item in row.results if item["result"] in (services.REFUSED, services.HELD)}
            for item in row.results:
                if item.get("refers_to") in refused:
                    continue  # it waits for a record refused here, whose own row lists the problem
                if item["result"] in (services.REFUSED, services.HELD):
                    sheet, number = reading.origin.get(item["key"], ("", None))
                    message = item["message"] or _(
                        "Changed here since it was last imported: resolve it on the exchange page first."
                    )
                    result.problems.append({"sheet": sheet, "row": number, "column": "", "message": message})
            result.counts = row.counts
            if not commit or result.problems:
                raise _Rollback
            result.committed = True
            result.batch = row
    except _Rollback:
        pass
    return result

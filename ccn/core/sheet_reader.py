"""Bounded reading of uploaded spreadsheets (XLSX and CSV), called by the import engine.

A small file can expand enormously (a 97 KB workbook holding a 100 MB shared string; a zip bomb; an XML entity
bomb). Before any row is read the archive's members are checked against limits on their uncompressed size, the
XML is parsed by defusedxml (openpyxl uses it when installed: no entities, no external references), and while
rows are read the cell length, the row count and the time spent are bounded. Every refusal is a 422 with a
message in the user's language; nothing is imported. Limits are in docs/security.md.
"""

from __future__ import annotations

import csv
import io
import time
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _

from .errors import ValidationFailed

MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
MAX_MEMBER_BYTES = 50 * 1024 * 1024  # one part of the workbook, uncompressed
MAX_SHARED_STRINGS_BYTES = 25 * 1024 * 1024  # the shared-string table is held in memory whole
MAX_UNCOMPRESSED_BYTES = 120 * 1024 * 1024  # all parts together
MAX_READ_SECONDS = 20.0


def SpreadsheetRefused(message: str, reason: str):  # noqa: N802 - builds the import engine's refusal
    """The import engine's FileRefused (a 422 `file_refused`), so callers catch one kind of refusal."""
    from .importing import FileRefused

    return FileRefused(message, field_errors={"file": [reason]})


def _too_big() -> SpreadsheetRefused:
    return SpreadsheetRefused(
        _("The workbook expands to more data than an import may hold; split it into smaller files."),
        _("Too large when unpacked."),
    )


def _long_cell(row: int) -> SpreadsheetRefused:
    return SpreadsheetRefused(
        _("Row %(row)s has a cell longer than %(n)s characters.") % {"row": row, "n": f"{MAX_CELL_CHARS:,}"},
        _("A cell is too long."),
    )


def _too_many_rows(max_rows: int) -> SpreadsheetRefused:
    return SpreadsheetRefused(
        _("The sheet has more than %(n)s rows; split it into smaller files.") % {"n": max_rows}, _("Too many rows.")
    )


def _too_slow() -> SpreadsheetRefused:
    return SpreadsheetRefused(
        _("The file takes too long to read; split it into smaller files."), _("Too slow to read.")
    )


def _unreadable() -> SpreadsheetRefused:
    return SpreadsheetRefused(
        _("The file is not a spreadsheet. Upload an Excel workbook (.xlsx) or a CSV file."), _("Not a spreadsheet.")
    )


def check_archive(data: bytes) -> None:
    """Refuse a workbook whose parts declare more uncompressed data than the limits, before unpacking any.
    (Python's zip reader never returns more than a part declares, so the declared sizes bound what is read.)"""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _unreadable()
    total = 0
    for info in members:
        limit = MAX_SHARED_STRINGS_BYTES if info.filename.lower().endswith("sharedstrings.xml") else MAX_MEMBER_BYTES
        if info.file_size > limit:
            raise _too_big()
        total += info.file_size
    if total > MAX_UNCOMPRESSED_BYTES or len(members) > 10_000:
        raise _too_big()


def _deadline() -> float:
    return time.monotonic() + float(getattr(settings, "SPREADSHEET_READ_SECONDS", MAX_READ_SECONDS))


def _checked_row(values, number: int, deadline: float) -> list:
    if time.monotonic() > deadline:
        raise _too_slow()
    for value in values:
        if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
            raise _long_cell(number)
    return list(values)


def xlsx_sheets(data: bytes, *, max_rows: int) -> list[list[list]]:
    from openpyxl import load_workbook

    check_archive(data)
    deadline = _deadline()
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of error for a corrupt or hostile archive
        raise _unreadable()
    sheets = []
    try:
        for ws in wb.worksheets:
            rows = []
            for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
                if number > max_rows:
                    raise _too_many_rows(max_rows)
                rows.append(_checked_row(row, number, deadline))
            sheets.append(rows)
    except ValidationFailed:
        raise
    except Exception:
        raise _unreadable()
    finally:
        wb.close()
    return sheets


def csv_rows(data: bytes, *, max_rows: int) -> list[list]:
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1258 decodes nearly everything
        raise _unreadable()
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    deadline = _deadline()
    previous = csv.field_size_limit(MAX_CELL_CHARS)
    rows = []
    try:
        reader = csv.reader(io.StringIO(text), dialect)
        number = 0
        while True:
            number += 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error:
                raise _long_cell(number)
            if number > max_rows:
                raise _too_many_rows(max_rows)
            rows.append(_checked_row(row, number, deadline))
    finally:
        csv.field_size_limit(previous)
    return rows


def read_sheets(fmt: str, data: bytes, *, max_rows: int) -> list[list[list]]:
    """Every sheet's rows (lists of cell values) of an uploaded file already sniffed as "xlsx" or "csv"."""
    return xlsx_sheets(data, max_rows=max_rows) if fmt == "xlsx" else [csv_rows(data, max_rows=max_rows)]

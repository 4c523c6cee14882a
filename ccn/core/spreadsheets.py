"""Safe spreadsheet output (no formula injection) and tolerant reading of XLSX/CSV uploads."""

from __future__ import annotations

import csv
import datetime
import decimal
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from openpyxl import Workbook

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A value safe to write into a spreadsheet: text that could be read as a formula gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


def xlsx_response(
    filename: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    *,
    title: str = "",
    notes: Sequence[str] = (),
    sheet_name: str = "data",
) -> HttpResponse:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_name[:31])
    for line in ([title] if title else []) + list(notes):
        ws.append([safe_cell(line)])
    if title or notes:
        ws.append([])
    ws.append([safe_cell(h) for h in headers])
    for row in rows:
        ws.append([safe_cell(v) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    response = HttpResponse(
        buf.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(filename: str, headers: Sequence[str], rows: Iterable[Sequence], *, notes: Sequence[str] = ()):
    """UTF-8 with a byte-order mark, which Excel needs to show Vietnamese correctly."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    for line in notes:
        writer.writerow([safe_cell(line)])
    writer.writerow([safe_cell(h) for h in headers])
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    response = HttpResponse("\ufeff" + buf.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return safe_cell(value)

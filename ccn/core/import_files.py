"""Reading an import file: size and format checks, XLSX sheets (with their hidden rows, merged cells and formulas)
and CSV text (UTF-8 with or without a byte-order mark, or Windows-1258), the header row, and typed cells with
numbers read by the one rule of ccn/core/numbers.py (1.686,5 and 25.400 in Vietnamese form, or 1686.5)."""

from __future__ import annotations

import csv
import datetime
import io
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .errors import field_error
from .numbers import VIETNAMESE, NotANumber, read_number
from .sheet_reader import Deadline, FileRefused, check_archive, check_cell, csv_rows
from .text import fold

MAX_ROWS = 20_000
HEADER_SCAN_ROWS = 15
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # Excel 97–2003 (.xls)

TRUE_WORDS = {"1", "x", "yes", "y", "true", "co", "dung", "có", "đúng"}
FALSE_WORDS = {"0", "no", "n", "false", "khong", "sai", "không", ""}


@dataclass(frozen=True)
class Column:
    """One column of an import file. `vi` and `en` are the headers (file format, not UI text: both are always
    accepted, whatever the user's language). `choices` maps a stored value to the words accepted for it.
    `thousands_dot` reads a lone dot followed by three digits as a thousands separator (25.400 = 25 400), as
    Vietnamese writes numbers; columns such as coordinates turn it off (ccn/core/numbers.py)."""

    key: str
    vi: str
    en: str
    kind: str = "text"  # text | decimal | int | date | bool | choice | list
    required: bool = False
    maps_to: str = ""  # the service's field name, to place its per-field messages on this column
    choices: dict[str, Sequence[str]] = field(default_factory=dict)
    help_vi: str = ""
    help_en: str = ""
    max_length: int = 300
    thousands_dot: bool = True
    aliases: tuple[str, ...] = ()  # headers of earlier templates, still read

    def header(self, lang: str | None = None) -> str:
        lang = lang or get_language() or "vi"
        return self.vi if lang.startswith("vi") else self.en

    def names(self) -> set[str]:
        return {fold(self.vi), fold(self.en), fold(self.key), *(fold(a) for a in self.aliases)}


@dataclass
class Sheet:
    """The cells of one sheet (row 1 of the sheet is rows[0]) and what a spreadsheet can hide in it."""

    name: str
    rows: list[list]
    hidden_rows: set[int] = field(default_factory=set)  # sheet row numbers
    hidden_columns: set[int] = field(default_factory=set)  # 0-based cell indexes
    merged: list[tuple[int, int, int, int, str]] = field(default_factory=list)  # rows and 0-based columns, A1:B2
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, cell index) → formula, no value


# ---------------------------------------------------------------------------------------------- reading files


def _size_of(upload) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        pos = upload.tell()
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
        upload.seek(pos)
    return size


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def read_upload(upload, *, filename: str = "") -> tuple[str, bytes]:
    """Checks size and emptiness before reading; returns (format, bytes) with format "xlsx" or "csv"."""
    filename = filename or getattr(upload, "name", "") or ""
    limit = settings.MAX_UPLOAD_BYTES
    size = _size_of(upload)
    if size > limit:
        raise field_error(
            "file",
            _("The file is too large."),
            detail=_("The file is %(size)s MB; the limit is %(limit)s MB. Split it into smaller files.")
            % {"size": _mb(size), "limit": _mb(limit)},
            error=FileRefused,
        )
    if size == 0:
        raise field_error("file", _("The file is empty."), error=FileRefused)
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read()
    head = data[:8]
    if head.startswith(OLE_MAGIC):
        raise field_error(
            "file",
            _("Unsupported format."),
            detail=_(
                "This is an old Excel 97–2003 file (.xls). Save it as Excel Workbook (.xlsx) or CSV and upload again."
            ),
            error=FileRefused,
        )
    if head.startswith(XLSX_MAGIC):
        return "xlsx", data
    if filename.lower().endswith((".xlsx", ".xlsm")) or b"\x00" in data[:4096]:
        raise _not_a_spreadsheet()
    return "csv", data


def _not_a_spreadsheet() -> FileRefused:
    return field_error(
        "file",
        _("Not a spreadsheet."),
        detail=_("The file is not a spreadsheet. Upload an Excel workbook (.xlsx) or a CSV file."),
        error=FileRefused,
    )


def _too_many_rows() -> FileRefused:
    return field_error(
        "file",
        _("Too many rows."),
        detail=_("The sheet has more than %(n)s rows; split it into smaller files.") % {"n": f"{MAX_ROWS:,}"},
        error=FileRefused,
    )


def csv_sheet(data: bytes) -> Sheet:
    """CSV text in UTF-8 (with or without the byte-order mark Excel writes) or in Windows-1258, the code page of
    Vietnamese Windows, whose combining accents are recomposed (NFC) so that words compare as typed."""
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1258 decodes nearly everything
        raise _not_a_spreadsheet()
    text = unicodedata.normalize("NFC", text)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = csv_rows(text, dialect)  # fields bounded (ccn/core/sheet_reader.py)
    if len(rows) > MAX_ROWS + HEADER_SCAN_ROWS:
        raise _too_many_rows()
    return Sheet(name="CSV", rows=rows)


def _largest_sheet(data: bytes) -> int:
    """The rows of a workbook's largest sheet as the workbook records them, read without its cells."""
    from openpyxl import load_workbook

    sizes = load_workbook(io.BytesIO(data), read_only=True)
    try:
        return max((ws.max_row or 0 for ws in sizes.worksheets), default=0)
    finally:
        sizes.close()


def xlsx_sheets(data: bytes) -> list[Sheet]:
    """The visible sheets of a workbook. A formula gives the result Excel saved with it; a formula without a saved
    result (a file written by a program, never opened in Excel) is reported on its cell."""
    from openpyxl import load_workbook

    check_archive(data)  # unpacked sizes bounded before any part is read (ccn/core/sheet_reader.py)
    deadline = Deadline()  # and the time the whole reading may take
    try:
        if _largest_sheet(data) > MAX_ROWS + HEADER_SCAN_ROWS:
            raise _too_many_rows()
        wb = load_workbook(io.BytesIO(data), data_only=False)
    except FileRefused:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise _not_a_spreadsheet()
    except Exception:  # openpyxl raises various errors for corrupt archives
        raise _not_a_spreadsheet()
    results: list[Sheet] = []
    saved_values = None
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        if ws.max_row > MAX_ROWS + HEADER_SCAN_ROWS:
            raise _too_many_rows()
        sheet = Sheet(name=ws.title, rows=[])
        for number, row in enumerate(ws.iter_rows(), start=1):
            if number % 200 == 1:
                deadline.check()
            values = []
            for index, cell in enumerate(row):
                value = cell.value
                check_cell(value, row=number)
                if cell.data_type == "f":
                    sheet.formulas[(number, index)] = str(getattr(value, "text", value))
                    value = None
                values.append(value)
            sheet.rows.append(values)
        if sheet.formulas:
            saved_values = saved_values or load_workbook(io.BytesIO(data), data_only=True)
            saved = saved_values[ws.title]
            for number, index in list(sheet.formulas):
                value = saved.cell(number, index + 1).value
                if value is not None:
                    sheet.rows[number - 1][index] = value
                    del sheet.formulas[(number, index)]
        sheet.hidden_rows = {n for n, dim in ws.row_dimensions.items() if dim.hidden}
        for dim in ws.column_dimensions.values():
            if dim.hidden and dim.min:
                sheet.hidden_columns.update(range(dim.min - 1, (dim.max or dim.min)))
        for rng in ws.merged_cells.ranges:
            sheet.merged.append((rng.min_row, rng.min_col - 1, rng.max_row, rng.max_col - 1, rng.coord))
        results.append(sheet)
    if saved_values is not None:
        saved_values.close()
    return results


def rows_about(upload, *, filename: str = "") -> int:
    """About how many rows a file holds, read cheaply (a CSV's line breaks, a workbook's recorded sheet sizes) to
    decide where it is checked: in the request, or by the task worker with a progress bar. Never used as a count of
    the rows themselves; a file that cannot be sized is 0 (the reading proper says what is wrong with it)."""
    try:
        fmt, data = read_upload(upload, filename=filename)
    except FileRefused:
        return 0
    finally:
        if hasattr(upload, "seek"):
            upload.seek(0)
    if fmt == "csv":
        return max(data.count(b"\n") - 1, 0)
    try:
        check_archive(data)
        return max(_largest_sheet(data) - 1, 0)
    except Exception:  # noqa: BLE001 - a broken workbook is refused, with its reason, by the reading proper
        return 0


def read_sheets(upload, *, filename: str = "") -> list[Sheet]:
    fmt, data = read_upload(upload, filename=filename)
    return xlsx_sheets(data) if fmt == "xlsx" else [csv_sheet(data)]


# ------------------------------------------------------------------------------------------------- headers


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _header_key(value) -> str:
    return fold(str(value or "")).strip().rstrip("*").strip()


@dataclass
class Table:
    sheet: Sheet
    header_row: int  # the sheet row number of the header
    positions: dict[str, int]  # column key → cell index


def _match(sheets: Iterable[Sheet], columns: Sequence[Column]) -> Table | None:
    best: Table | None = None
    for sheet in sheets:
        for index, row in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
            positions: dict[str, int] = {}
            for cell_index, cell in enumerate(row):
                key = _header_key(cell)
                if not key:
                    continue
                for column in columns:
                    if column.key not in positions and key in column.names():
                        positions[column.key] = cell_index
                        break
            if positions and (best is None or len(positions) > len(best.positions)):
                best = Table(sheet, index + 1, positions)
    return best


def _missing(table: Table | None, columns: Sequence[Column]) -> list[Column]:
    found = table.positions if table else {}
    return [c for c in columns if c.required and c.key not in found]


def find_table(
    sheets: Sequence[Sheet], columns: Sequence[Column], *, label: str = "", others: Mapping[str, Sequence[Column]] = ()
) -> Table:
    """The sheet and header row (within the first rows) naming the most of our columns. When required columns are
    missing and the header fits another kind of file better, says so ("this looks like a tenants file")."""
    table = _match(sheets, columns)
    missing = _missing(table, columns)
    if table is not None and not missing:
        return table
    ours = len(table.positions) if table else 0
    for other_label, other_columns in dict(others).items():
        other = _match(sheets, other_columns)
        if other is not None and not _missing(other, other_columns) and len(other.positions) > ours:
            msg = _("This looks like a file of %(found)s, not of %(expected)s. Choose “%(found)s” and upload it again.")
            raise field_error(
                "kind",
                _("This looks like a file of %(found)s.") % {"found": other_label},
                detail=msg % {"found": other_label, "expected": label or _("this kind")},
                error=FileRefused,
            )
    if table is None:
        if not any(any(not _blank(c) for c in row) for sheet in sheets for row in sheet.rows):
            raise field_error("file", _("The file is empty."), error=FileRefused)
        raise field_error(
            "file",
            _("No header row."),
            detail=_("No header row found. The first row must hold the column names of the template, e.g. %(names)s.")
            % {"names": ", ".join(c.header() for c in columns[:3])},
            error=FileRefused,
        )
    message = _("The sheet lacks these columns: %(columns)s. Use the template.") % {
        "columns": "; ".join(c.header() for c in missing)
    }
    merged = [m[4] for m in table.sheet.merged if m[0] <= table.header_row <= m[2]]
    if merged:
        message += " " + _(
            "The header row has merged cells (%(cells)s): unmerge them and give each column its own name."
        ) % {"cells": ", ".join(merged[:5])}
    raise field_error("file", _("Missing columns."), detail=message, error=FileRefused)


# --------------------------------------------------------------------------------------------- parsing cells


def show_number(number: Decimal) -> str:
    """A number as the user reads it: groups of thousands and a decimal comma in Vietnamese, a point in English."""
    text = f"{number.normalize():,f}" if number == number.to_integral() else f"{number:,f}"
    if (get_language() or "vi").startswith("vi"):
        return text.replace(",", "\u202f").replace(".", ",").replace("\u202f", ".")
    return text


def parse_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    raise ValueError


_TRUE = {fold(w) for w in TRUE_WORDS}
_FALSE = {fold(w) for w in FALSE_WORDS}


def _folded_choices(column: Column) -> dict[str, str]:
    """Every accepted word of a choice column, folded, → its stored value; computed once per column (the first
    stored value that accepts a word wins, as the template lists them)."""
    cached = column.__dict__.get("_folded")
    if cached is None:
        cached = {}
        for stored, words in column.choices.items():
            cached.setdefault(fold(stored), stored)
            for word in words:
                cached.setdefault(fold(word), stored)
        object.__setattr__(column, "_folded", cached)
    return cached


def parse_cell(column: Column, value):
    """The typed value of a cell (None when blank) and a note on how it was read; raises ValueError with a user
    message when it is invalid."""
    if _blank(value):
        return None, ""
    if column.kind == "text":
        text = str(value).strip()
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        if len(text) > column.max_length:
            raise ValueError(_("at most %(n)s characters") % {"n": column.max_length})
        return text, ""
    if column.kind in ("decimal", "int"):
        try:
            reading = read_number(value, thousands=VIETNAMESE if column.thousands_dot else None)
        except NotANumber:
            what = (
                _("“%(value)s” is not a number") if column.kind == "decimal" else _("“%(value)s” is not a whole number")
            )
            raise ValueError(what % {"value": short(value)})
        if column.kind == "int":
            if reading.value != reading.value.to_integral_value():
                raise ValueError(_("“%(value)s” is not a whole number") % {"value": short(value)})
            return int(reading.value), reading.note
        return reading.value, reading.note
    if column.kind == "date":
        try:
            return parse_date(value), ""
        except ValueError:
            raise ValueError(_("“%(value)s” is not a date (write dd/mm/yyyy)") % {"value": short(value)})
    if column.kind == "bool":
        if isinstance(value, bool):
            return value, ""
        word = fold(str(value)).strip()
        if word in _TRUE:
            return True, ""
        if word in _FALSE:
            return False, ""
        raise ValueError(_("“%(value)s” is not yes/no (write có or không)") % {"value": short(value)})
    if column.kind == "choice":
        stored = _folded_choices(column).get(fold(str(value)))
        if stored is not None:
            return stored, ""
        allowed = ", ".join(words[0] if words else stored for stored, words in column.choices.items())
        raise ValueError(_("“%(value)s” is not one of: %(allowed)s") % {"value": short(value), "allowed": allowed})
    if column.kind == "list":
        parts = [p.strip() for p in str(value).replace(",", ";").split(";")]
        return [p[:-2] if p.endswith(".0") else p for p in parts if p], ""
    raise ValueError(column.kind)  # pragma: no cover - a programming error in a column definition


def short(value) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "…"

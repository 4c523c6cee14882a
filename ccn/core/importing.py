"""Generic tabular import: reads an XLSX or CSV upload with Vietnamese or English headers, checks every row and
reports every bad row with its reason at once, then writes all rows or none.

An app describes its file with `Column`s and gives an `apply(values, row=...)` function that calls its services
(which validate and record history). `run_import` runs every row in its own savepoint inside one transaction:
a refused row is rolled back and reported, and the whole transaction is rolled back at the end when it was a dry
run or when any row was refused. The dry run therefore reports exactly what the commit would do.
"""

from __future__ import annotations

import csv
import datetime
import io
import uuid
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .errors import DomainError, ValidationFailed
from .middleware import current_request_id
from .sheet_reader import read_sheets
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
    accepted, whatever the user's language). `choices` maps a stored value to the words accepted for it."""

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

    def header(self, lang: str | None = None) -> str:
        lang = lang or get_language() or "vi"
        return self.vi if lang.startswith("vi") else self.en

    def names(self) -> set[str]:
        return {fold(self.vi), fold(self.en), fold(self.key)}


@dataclass
class RowProblem:
    row: int  # the row number as the user sees it in the spreadsheet (1-based, header included)
    column: str
    message: str


@dataclass
class ImportResult:
    filename: str
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    dry_run: bool = True
    committed: bool = False
    request_id: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def bad_rows(self) -> int:
        return len({p.row for p in self.problems})


class FileRefused(ValidationFailed):
    """The file as a whole cannot be read (size, format, empty, missing columns): nothing is checked further."""

    code = "file_refused"


# ---------------------------------------------------------------------------------------------- reading files


def _size_of(upload) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        pos = upload.tell()
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
        upload.seek(pos)
    return size


def read_upload(upload, *, filename: str = "") -> tuple[str, bytes]:
    """Checks size and emptiness before reading; returns (format, bytes) with format "xlsx" or "csv"."""
    filename = filename or getattr(upload, "name", "") or ""
    limit = settings.MAX_UPLOAD_BYTES
    size = _size_of(upload)
    if size > limit:
        raise FileRefused(
            _("The file is %(size)s MB; the limit is %(limit)s MB. Split it into smaller files.")
            % {"size": _mb(size), "limit": _mb(limit)},
            field_errors={"file": [_("The file is too large.")]},
        )
    if size == 0:
        raise FileRefused(_("The file is empty."), field_errors={"file": [_("The file is empty.")]})
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read()
    head = data[:8]
    lower = filename.lower()
    if head.startswith(OLE_MAGIC):
        raise FileRefused(
            _("This is an old Excel 97–2003 file (.xls). Save it as Excel Workbook (.xlsx) or CSV and upload again."),
            field_errors={"file": [_("Unsupported format.")]},
        )
    if head.startswith(XLSX_MAGIC):
        return "xlsx", data
    if lower.endswith((".xlsx", ".xlsm")):
        raise _not_a_spreadsheet()
    if b"\x00" in data[:4096]:
        raise _not_a_spreadsheet()
    return "csv", data


def _not_a_spreadsheet() -> FileRefused:
    return FileRefused(
        _("The file is not a spreadsheet. Upload an Excel workbook (.xlsx) or a CSV file."),
        field_errors={"file": [_("Not a spreadsheet.")]},
    )


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def _csv_rows(data: bytes) -> list[list]:
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1258 decodes nearly everything
        raise _not_a_spreadsheet()
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect)]


def _xlsx_sheets(data: bytes) -> list[list[list]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise _not_a_spreadsheet()
    except Exception:  # openpyxl raises various errors for corrupt archives
        raise _not_a_spreadsheet()
    sheets = []
    try:
        for ws in wb.worksheets:
            rows = []
            for n, row in enumerate(ws.iter_rows(values_only=True)):
                if n > MAX_ROWS + HEADER_SCAN_ROWS:
                    raise FileRefused(
                        _("The sheet has more than %(n)s rows; split it into smaller files.") % {"n": MAX_ROWS},
                        field_errors={"file": [_("Too many rows.")]},
                    )
                rows.append(list(row))
            sheets.append(rows)
    finally:
        wb.close()
    return sheets


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _header_key(value) -> str:
    text = fold(str(value or "")).strip()
    return text.rstrip("*").strip()


def find_table(sheets: Iterable[list[list]], columns: Sequence[Column]) -> tuple[int, dict[str, int], list[list]]:
    """The first sheet whose header row (within its first rows) names the most of our columns. Returns
    (header row index, column key → cell index, rows). Refuses the file when required columns are missing."""
    best = None
    for rows in sheets:
        for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
            positions: dict[str, int] = {}
            for cell_index, cell in enumerate(row):
                key = _header_key(cell)
                if not key:
                    continue
                for column in columns:
                    if column.key not in positions and key in column.names():
                        positions[column.key] = cell_index
                        break
            if positions and (best is None or len(positions) > len(best[1])):
                best = (index, positions, rows)
    if best is None:
        if not any(any(not _blank(c) for c in row) for rows in sheets for row in rows):
            raise FileRefused(_("The file is empty."), field_errors={"file": [_("The file is empty.")]})
        raise FileRefused(
            _("No header row found. The first row must hold the column names of the template, e.g. %(names)s.")
            % {"names": ", ".join(c.header() for c in columns[:3])},
            field_errors={"file": [_("No header row.")]},
        )
    index, positions, rows = best
    missing = [c.header() for c in columns if c.required and c.key not in positions]
    if missing:
        raise FileRefused(
            _("The sheet lacks these columns: %(columns)s. Use the template.") % {"columns": "; ".join(missing)},
            field_errors={"file": [_("Missing columns.")]},
        )
    return index, positions, rows


# --------------------------------------------------------------------------------------------- parsing cells


def parse_decimal(value) -> Decimal:
    """A number from a cell: numeric cells as they are; text with a decimal comma (1,5) or point (1.5) and
    optional thousands separators (1.234,5 or 1,234.5)."""
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        raise ValueError
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif text.count(",") == 1:
        text = text.replace(",", ".")
    elif text.count(",") > 1:
        text = text.replace(",", "")
    elif text.count(".") > 1:
        text = text.replace(".", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError
    if not number.is_finite():
        raise ValueError
    return number


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


def parse_cell(column: Column, value):
    """The typed value of a cell, None when blank; raises ValueError with a user message when it is invalid."""
    if _blank(value):
        return None
    if column.kind == "text":
        text = str(value).strip()
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        if len(text) > column.max_length:
            raise ValueError(_("at most %(n)s characters") % {"n": column.max_length})
        return text
    if column.kind == "decimal":
        try:
            return parse_decimal(value)
        except ValueError:
            raise ValueError(_("“%(value)s” is not a number") % {"value": _short(value)})
    if column.kind == "int":
        try:
            number = parse_decimal(value)
        except ValueError:
            raise ValueError(_("“%(value)s” is not a whole number") % {"value": _short(value)})
        if number != number.to_integral_value():
            raise ValueError(_("“%(value)s” is not a whole number") % {"value": _short(value)})
        return int(number)
    if column.kind == "date":
        try:
            return parse_date(value)
        except ValueError:
            raise ValueError(_("“%(value)s” is not a date (write dd/mm/yyyy)") % {"value": _short(value)})
    if column.kind == "bool":
        word = fold(str(value)).strip()
        if isinstance(value, bool):
            return value
        if word in {fold(w) for w in TRUE_WORDS}:
            return True
        if word in {fold(w) for w in FALSE_WORDS}:
            return False
        raise ValueError(_("“%(value)s” is not yes/no (write có or không)") % {"value": _short(value)})
    if column.kind == "choice":
        word = fold(str(value))
        for stored, words in column.choices.items():
            if word == fold(stored) or word in {fold(w) for w in words}:
                return stored
        allowed = ", ".join(words[0] if words else stored for stored, words in column.choices.items())
        raise ValueError(_("“%(value)s” is not one of: %(allowed)s") % {"value": _short(value), "allowed": allowed})
    if column.kind == "list":
        parts = [p.strip() for p in str(value).replace(",", ";").split(";")]
        return [p[:-2] if p.endswith(".0") else p for p in parts if p]
    raise ValueError(column.kind)  # pragma: no cover - a programming error in a column definition


def _short(value) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "…"


# ------------------------------------------------------------------------------------------------- running


@dataclass
class Importer:
    """What an app supplies: its columns, the key that identifies a row's record (to refuse a file that names
    the same record twice), and `apply(values, row=...)` which writes one row through the app's services and
    returns "created", "updated" or "unchanged" (or raises a DomainError with per-field messages)."""

    columns: Sequence[Column]
    apply: Callable[..., str]
    key: Callable[[dict], tuple] | None = None
    finish: Callable[[ImportResult], None] | None = None  # runs in the transaction after a successful commit


def read_rows(upload, columns: Sequence[Column], *, filename: str = "") -> list[tuple[int, dict, list[RowProblem]]]:
    """Every data row as (row number, typed values by column key, cell problems). File-level problems raise."""
    fmt, data = read_upload(upload, filename=filename)
    sheets = read_sheets(fmt, data, max_rows=MAX_ROWS + HEADER_SCAN_ROWS + 1)
    header_index, positions, rows = find_table(sheets, columns)
    result = []
    by_key = {c.key: c for c in columns}
    for offset, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        cells = {key: (row[pos] if pos < len(row) else None) for key, pos in positions.items()}
        if all(_blank(v) for v in cells.values()):
            continue
        values: dict = {}
        problems: list[RowProblem] = []
        for key, raw in cells.items():
            column = by_key[key]
            try:
                values[key] = parse_cell(column, raw)
            except ValueError as exc:
                problems.append(RowProblem(offset, column.header(), str(exc)))
                continue
            if column.required and values[key] in (None, "", []):
                problems.append(RowProblem(offset, column.header(), _("required")))
        result.append((offset, values, problems))
    if len(result) > MAX_ROWS:
        raise FileRefused(
            _("The sheet has more than %(n)s rows; split it into smaller files.") % {"n": MAX_ROWS},
            field_errors={"file": [_("Too many rows.")]},
        )
    if not result:
        raise FileRefused(_("The file has column names but no data rows."), field_errors={"file": [_("No data rows.")]})
    return result


def run_import(
    importer: Importer,
    upload,
    *,
    filename: str = "",
    commit: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Check (and, with `commit`, write) every row. Nothing is written unless `commit` and every row is valid."""
    filename = filename or getattr(upload, "name", "") or ""
    rows = read_rows(upload, importer.columns, filename=filename)
    result = ImportResult(filename=filename, total=len(rows), dry_run=not commit)
    headers = {c.key: c.header() for c in importer.columns}
    field_to_header = {(c.maps_to or c.key): c.header() for c in importer.columns}
    own_request_id = current_request_id.get() is None
    token = current_request_id.set(uuid.uuid4().hex) if own_request_id else None
    result.request_id = current_request_id.get() or ""
    seen: dict[tuple, int] = {}
    try:
        with transaction.atomic():
            for done, (number, values, problems) in enumerate(rows, start=1):
                if not problems and importer.key is not None:
                    key = importer.key(values)
                    if key in seen:
                        problems = [
                            RowProblem(number, "", _("This row repeats row %(row)s.") % {"row": seen[key]}),
                        ]
                    else:
                        seen[key] = number
                if problems:
                    result.problems.extend(problems)
                else:
                    try:
                        with transaction.atomic():
                            outcome = importer.apply(values, row=number)
                    except DomainError as exc:
                        result.problems.extend(_row_problems(number, exc, field_to_header, headers))
                    else:
                        setattr(result, outcome, getattr(result, outcome) + 1)
                if progress is not None:
                    progress(done, len(rows))
            if commit and result.ok:
                if importer.finish is not None:
                    importer.finish(result)
                result.committed = True
            else:
                transaction.set_rollback(True)
    finally:
        if token is not None:
            current_request_id.reset(token)
    return result


def _row_problems(number: int, exc: DomainError, field_to_header: dict, headers: dict) -> list[RowProblem]:
    if not exc.field_errors:
        return [RowProblem(number, "", exc.message)]
    problems = []
    for name, messages in exc.field_errors.items():
        column = field_to_header.get(name) or headers.get(name) or ""
        for message in messages:
            problems.append(RowProblem(number, column, message))
    return problems


# ------------------------------------------------------------------------------------------------- templates


def _kind_label(kind: str) -> str:
    labels = {
        "text": _("text"),
        "decimal": _("number (decimal comma or point)"),
        "int": _("whole number"),
        "date": _("date dd/mm/yyyy"),
        "bool": _("yes / no (có / không)"),
        "choice": _("one of:"),
        "list": _("list separated by ;"),
    }
    return labels.get(kind, kind)


def template_workbook(columns: Sequence[Column], *, title: str, example: Sequence | None = None) -> bytes:
    """An XLSX template in the active language: the data sheet with the header row (and an optional example
    row), and an instructions sheet that says what each column takes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from .spreadsheets import safe_cell

    lang = get_language() or "vi"
    vi = lang.startswith("vi")
    headers = [c.header(lang) + (" *" if c.required else "") for c in columns]
    wb = Workbook()
    ws = wb.active
    ws.title = _("data")[:31]
    ws.append([safe_cell(h) for h in headers])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    if example:
        ws.append([safe_cell(v) for v in example])
    for index, header in enumerate(headers, start=1):
        ws.column_dimensions[ws.cell(1, index).column_letter].width = max(12, min(40, len(header) + 2))
    guide = wb.create_sheet(_("instructions")[:31])
    guide.append([safe_cell(title)])
    guide.append(
        [
            _(
                "Fill one record per row in the data sheet and keep the header row. Columns marked * are required. "
                "Headers may be in Vietnamese or English. Importing the same file again updates records and never "
                "duplicates them."
            )
        ]
    )
    guide.append([])
    guide.append([_("Column"), _("Type"), _("Required"), _("Notes")])
    for c in columns:
        note = c.help_vi if vi else c.help_en
        if c.kind == "choice":
            words = "; ".join((w[0] if vi else w[-1]) if w else k for k, w in c.choices.items())
            note = f"{note} {words}".strip()
        guide.append(
            [safe_cell(v) for v in (c.header(lang), _kind_label(c.kind), _("yes") if c.required else "", note)]
        )
    guide.column_dimensions["A"].width = 36
    guide.column_dimensions["B"].width = 30
    guide.column_dimensions["D"].width = 80
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

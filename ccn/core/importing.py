"""Generic tabular import: reads an XLSX or CSV upload with Vietnamese or English headers, checks every cell of
every row and reports every problem at once (with the values as read, how ambiguous numbers were read, and
plausibility warnings), then writes all rows or none.

An app describes its file with `Column`s and gives either `apply(values, row=...)`, which writes one row through
its services (each row in its own savepoint), or `apply_all(rows)`, which checks every row against data read once
up front and writes them in bulk with one history batch. Both run inside one transaction that is rolled back at the
end of a dry run or when any row was refused, so the dry run reports exactly what the commit would do.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from .errors import DomainError, field_error
from .import_files import (  # noqa: F401 - the engine's public names
    HEADER_SCAN_ROWS,
    MAX_ROWS,
    Column,
    FileRefused,
    Sheet,
    Table,
    find_table,
    parse_cell,
    parse_date,
    read_sheets,
    show_number,
)
from .import_templates import template_workbook  # noqa: F401
from .middleware import current_request_id

PREVIEW_ROWS = 200
MAX_NOTES = 500


@dataclass
class RowProblem:
    row: int  # the row number as the user sees it in the spreadsheet (1-based, header included)
    column: str
    message: str


@dataclass
class PreviewRow:
    row: int
    cells: list[str]
    bad: bool = False


@dataclass
class ImportResult:
    filename: str
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)  # plausibility and sheet layout: never block
    notes: list[RowProblem] = field(default_factory=list)  # how ambiguous cells were read
    headers: list[str] = field(default_factory=list)
    preview: list[PreviewRow] = field(default_factory=list)
    sheet: str = ""
    dry_run: bool = True
    committed: bool = False
    cancelled: bool = False
    request_id: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict:
        """The result as JSON-ready data (a check made by the task worker keeps it on its job)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> ImportResult:
        """The result `as_dict` gave, whole again: problems, warnings, notes and the preview rows."""
        lists = {
            "problems": [RowProblem(**p) for p in data.get("problems", [])],
            "warnings": [RowProblem(**p) for p in data.get("warnings", [])],
            "notes": [RowProblem(**p) for p in data.get("notes", [])],
            "preview": [PreviewRow(**r) for r in data.get("preview", [])],
        }
        return cls(**{**data, **lists})

    @property
    def bad_rows(self) -> int:
        return len({p.row for p in self.problems})


@dataclass
class Row:
    number: int
    values: dict
    problems: list[RowProblem] = field(default_factory=list)


class Cancelled(Exception):
    """Raised by a progress callback to stop an import before it commits; nothing is written."""


@dataclass
class Importer:
    """What an app supplies: its columns, the key that identifies a row's record (to refuse a file that names
    the same record twice), and either `apply(values, row=...)` which writes one row through the app's services
    and returns "created", "updated" or "unchanged" (or raises a DomainError with per-field messages), or
    `apply_all(rows, progress)` which returns {row number: outcome or DomainError} for every row given.
    `review(values)` gives plausibility warnings of a row as (column key, message); `after()` warnings once every
    row is applied (still inside the transaction)."""

    columns: Sequence[Column]
    apply: Callable[..., str] | None = None
    key: Callable[[dict], tuple] | None = None
    finish: Callable[[ImportResult], None] | None = None  # runs in the transaction after a successful commit
    apply_all: Callable[..., dict] | None = None
    review: Callable[[dict], list[tuple[str, str]]] | None = None
    after: Callable[[], list[RowProblem]] | None = None
    label: str = ""  # what the file holds, e.g. "tenant projects"
    others: Mapping[str, Sequence[Column]] = field(default_factory=dict)  # other kinds, to recognise a wrong file


def display(value) -> str:
    """A typed cell as the preview shows it."""
    if value is None or value == []:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Decimal):
        return show_number(value)
    if isinstance(value, int):
        return show_number(Decimal(value))
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def _ranges(numbers: Sequence[int]) -> str:
    numbers = sorted(numbers)
    parts: list[str] = []
    start = prev = None
    for n in numbers + [None]:
        if start is not None and (n is None or n != prev + 1):
            parts.append(str(start) if start == prev else f"{start}–{prev}")
            start = None
        if n is not None and start is None:
            start = n
        prev = n
    return ", ".join(parts[:10]) + ("…" if len(parts) > 10 else "")


def read_table(table: Table, columns: Sequence[Column], result: ImportResult) -> list[Row]:
    """Every data row with its typed values and cell problems; the sheet's layout traps become warnings (hidden
    rows and columns, merged cells filled down) or problems (merged across columns, formulas without a result)."""
    sheet = table.sheet
    by_key = {c.key: c for c in columns}
    index_to_column = {pos: by_key[key] for key, pos in table.positions.items()}
    cells_of = {number: list(values) for number, values in enumerate(sheet.rows, start=1)}
    cell_problems: dict[int, list[RowProblem]] = {}
    for min_row, min_col, max_row, max_col, coord in sheet.merged:
        if max_row <= table.header_row:
            continue
        used = [index_to_column[i] for i in range(min_col, max_col + 1) if i in index_to_column]
        if not used:
            continue
        if min_col == max_col:
            value = cells_of.get(min_row, [None] * (min_col + 1))[min_col]
            for number in range(max(min_row, table.header_row + 1), max_row + 1):
                row = cells_of.setdefault(number, [])
                row.extend([None] * (min_col + 1 - len(row)))
                row[min_col] = value
            result.warnings.append(
                RowProblem(
                    min_row,
                    used[0].header(),
                    _("The cells %(cells)s are merged; their value was used for each of their rows.")
                    % {"cells": coord},
                )
            )
        else:
            for number in range(max(min_row, table.header_row + 1), max_row + 1):
                cell_problems.setdefault(number, []).append(
                    RowProblem(
                        number,
                        used[0].header(),
                        _("The cells %(cells)s are merged across columns; unmerge them and give each column its value.")
                        % {"cells": coord},
                    )
                )
    for (number, index), formula in sheet.formulas.items():
        if number > table.header_row and index in index_to_column:
            cell_problems.setdefault(number, []).append(
                RowProblem(
                    number,
                    index_to_column[index].header(),
                    _(
                        "The cell holds the formula %(formula)s without a saved result. Open the file in Excel or "
                        "LibreOffice and save it, or paste the values instead of the formula."
                    )
                    % {"formula": formula[:40]},
                )
            )
    hidden = sorted(n for n in sheet.hidden_rows if n > table.header_row and n in cells_of)
    if hidden:
        result.warnings.append(
            RowProblem(
                hidden[0],
                "",
                _("Rows %(rows)s are hidden in the sheet; they are imported like the others. Delete them if not.")
                % {"rows": _ranges(hidden)},
            )
        )
    for key, pos in table.positions.items():
        if pos in sheet.hidden_columns:
            result.warnings.append(
                RowProblem(
                    table.header_row,
                    by_key[key].header(),
                    _("This column is hidden in the sheet; it is imported like the others."),
                )
            )
    rows: list[Row] = []
    last = max(cells_of) if cells_of else 0
    for number in range(table.header_row + 1, last + 1):
        raw = cells_of.get(number, [])
        cells = {key: (raw[pos] if pos < len(raw) else None) for key, pos in table.positions.items()}
        problems = list(cell_problems.get(number, []))
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells.values()) and not problems:
            continue
        values: dict = {}
        for key, value in cells.items():
            column = by_key[key]
            try:
                values[key], note = parse_cell(column, value)
            except ValueError as exc:
                problems.append(RowProblem(number, column.header(), str(exc)))
                continue
            if note and len(result.notes) < MAX_NOTES:
                result.notes.append(RowProblem(number, column.header(), note))
            if column.required and values[key] in (None, "", []):
                problems.append(RowProblem(number, column.header(), _("required")))
        rows.append(Row(number, values, problems))
    if len(rows) > MAX_ROWS:
        raise field_error(
            "file",
            _("Too many rows."),
            detail=_("The sheet has more than %(n)s rows; split it into smaller files.") % {"n": f"{MAX_ROWS:,}"},
            error=FileRefused,
        )
    if not rows:
        raise field_error(
            "file", _("No data rows."), detail=_("The file has column names but no data rows."), error=FileRefused
        )
    return rows


def read_rows(upload, columns: Sequence[Column], *, filename: str = "") -> list[tuple[int, dict, list[RowProblem]]]:
    """Every data row as (row number, typed values by column key, cell problems). File-level problems raise."""
    table = find_table(read_sheets(upload, filename=filename), columns)
    rows = read_table(table, columns, ImportResult(filename=filename))
    return [(r.number, r.values, r.problems) for r in rows]


def run_import(
    importer: Importer,
    upload,
    *,
    filename: str = "",
    commit: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Check (and, with `commit`, write) every row. Nothing is written unless `commit` and every row is valid.
    `progress(done, total)` may raise `Cancelled` to stop before the commit (the result says `cancelled`); a job's
    progress (with `phase`) is told when the rows' checking starts, and a bulk importer tells it when writing does."""
    filename = filename or getattr(upload, "name", "") or ""
    columns = importer.columns
    table = find_table(read_sheets(upload, filename=filename), columns, label=importer.label, others=importer.others)
    result = ImportResult(filename=filename, dry_run=not commit, sheet=table.sheet.name)
    rows = read_table(table, columns, result)
    result.total = len(rows)
    headers = {c.key: c.header() for c in columns}
    shown = [c for c in columns if c.key in table.positions]
    result.headers = [c.header() for c in shown]
    field_to_header = {(c.maps_to or c.key): c.header() for c in columns}
    own_request_id = current_request_id.get() is None
    token = current_request_id.set(uuid.uuid4().hex) if own_request_id else None
    result.request_id = current_request_id.get() or ""
    seen: dict[tuple, int] = {}
    valid: list[Row] = []
    for row in rows:
        if not row.problems and importer.key is not None:
            key = importer.key(row.values)
            if key in seen:
                row.problems.append(RowProblem(row.number, "", _("This row repeats row %(row)s.") % {"row": seen[key]}))
            else:
                seen[key] = row.number
        if importer.review is not None and not row.problems:
            for key, message in importer.review(row.values):
                result.warnings.append(RowProblem(row.number, headers.get(key, ""), message))
        if row.problems:
            result.problems.extend(row.problems)
        else:
            valid.append(row)
    if progress is not None and hasattr(progress, "phase"):
        progress.phase("checking")
    try:
        with transaction.atomic():
            if importer.apply_all is not None:
                outcomes = importer.apply_all([(r.number, r.values) for r in valid], progress=progress)
            else:
                outcomes = {}
                for done, row in enumerate(valid, start=1):
                    try:
                        with transaction.atomic():
                            outcomes[row.number] = importer.apply(row.values, row=row.number)
                    except DomainError as exc:
                        outcomes[row.number] = exc
                    if progress is not None:
                        progress(done, len(valid))
            for number, outcome in outcomes.items():
                if isinstance(outcome, DomainError):
                    result.problems.extend(_row_problems(number, outcome, field_to_header, headers))
                else:
                    setattr(result, outcome, getattr(result, outcome) + 1)
            if importer.after is not None:
                result.warnings.extend(importer.after())
            if commit and result.ok:
                if importer.finish is not None:
                    importer.finish(result)
                result.committed = True
            else:
                transaction.set_rollback(True)
    except Cancelled:
        result.cancelled = True
    finally:
        if token is not None:
            current_request_id.reset(token)
    result.problems.sort(key=lambda p: p.row)
    result.warnings.sort(key=lambda p: p.row)
    bad = {p.row for p in result.problems}
    result.preview = [
        PreviewRow(r.number, [display(r.values.get(c.key)) for c in shown], r.number in bad)
        for r in rows[:PREVIEW_ROWS]
    ]
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

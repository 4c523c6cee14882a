"""Bounds on reading uploaded spreadsheets, called by the import engine (ccn/core/import_files.py) before it
parses anything.

A small file can expand enormously (a 97 KB workbook holding a 100 MB shared string took 22 s and 1 GB; a zip
bomb; an XML entity bomb). `check_archive` refuses a workbook whose parts declare more uncompressed data than the
limits before any part is unpacked (Python's zip reader never returns more than a part declares, so the declared
sizes bound what is read); the XML is parsed by defusedxml (openpyxl uses it when installed: no entities, no
external references). `csv_rows` caps a CSV field at Excel's cell limit instead of failing deep in the csv module
(a field over 131,072 characters gave a 500). Refusals are the engine's FileRefused (422 `file_refused`) with a
message in the user's language. Limits are in docs/security.md.
"""

from __future__ import annotations

import csv
import io
import time
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _

from .errors import ValidationFailed, field_error

MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
MAX_MEMBER_BYTES = 50 * 1024 * 1024  # one part of the workbook, uncompressed
MAX_SHARED_STRINGS_BYTES = 25 * 1024 * 1024  # the shared-string table is held in memory whole
MAX_UNCOMPRESSED_BYTES = 120 * 1024 * 1024  # all parts together
MAX_MEMBERS = 10_000


class FileRefused(ValidationFailed):
    """The file as a whole cannot be read (size, format, empty, missing columns): nothing is checked further."""

    code = "file_refused"


def _refused(message: str, reason: str):
    return field_error("file", reason, detail=message, error=FileRefused)


def _too_big():
    return _refused(
        _("The workbook expands to more data than an import may hold; split it into smaller files."),
        _("Too large when unpacked."),
    )


class Deadline:
    """The time a workbook may take to read (`IMPORT_READ_SECONDS`): the reader checks it between rows, so a file
    that is slow to read for any reason is refused (422) instead of holding a worker."""

    def __init__(self, seconds: float | None = None):
        limit = settings.IMPORT_READ_SECONDS if seconds is None else seconds
        self.seconds = limit
        self.ends = time.monotonic() + limit

    def check(self) -> None:
        if time.monotonic() > self.ends:
            raise _refused(
                _("Reading the workbook took longer than %(n)s seconds; split it into smaller files.")
                % {"n": self.seconds},
                _("Too slow to read."),
            )


def check_cell(value, *, row: int) -> None:
    """A text cell longer than Excel's own limit is refused (it is no cell Excel wrote)."""
    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
        raise _refused(
            _("Row %(row)s has a cell longer than %(n)s characters, more than a spreadsheet cell can hold.")
            % {"row": row, "n": f"{MAX_CELL_CHARS:,}"},
            _("A cell is too long."),
        )


def check_archive(data: bytes) -> None:
    """Refuse a workbook whose parts declare more uncompressed data than the limits, before unpacking any."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not an archive: the engine's own reader says so in its words
    total = 0
    for info in members:
        limit = MAX_SHARED_STRINGS_BYTES if info.filename.lower().endswith("sharedstrings.xml") else MAX_MEMBER_BYTES
        if info.file_size > limit:
            raise _too_big()
        total += info.file_size
    if total > MAX_UNCOMPRESSED_BYTES or len(members) > MAX_MEMBERS:
        raise _too_big()


def csv_rows(text: str, dialect) -> list[list[str]]:
    """Every row of CSV text, each field at most MAX_CELL_CHARS characters."""
    previous = csv.field_size_limit(MAX_CELL_CHARS)
    rows: list[list[str]] = []
    try:
        reader = csv.reader(io.StringIO(text), dialect)
        while True:
            try:
                rows.append(next(reader))
            except StopIteration:
                break
            except csv.Error:
                raise _refused(
                    _("Row %(row)s has a cell longer than %(n)s characters.")
                    % {"row": len(rows) + 1, "n": f"{MAX_CELL_CHARS:,}"},
                    _("A cell is too long."),
                )
    finally:
        csv.field_size_limit(previous)
    return rows

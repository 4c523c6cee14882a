"""Import templates: the data sheet with its header, one example row and drop-down lists (Excel data validation)
for codes and states; an instructions sheet; and reference sheets (e.g. the province's cluster codes and
communes) whose codes also feed the drop-downs."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .import_files import Column
from .spreadsheets import safe_cell

LIST_ROWS = 5000  # rows of the data sheet that carry the drop-downs


def _kind_label(kind: str) -> str:
    labels = {
        "text": _("text"),
        "decimal": _("number (1.686,5 or 1686.5)"),
        "int": _("whole number"),
        "date": _("date dd/mm/yyyy"),
        "bool": _("yes / no (có / không)"),
        "choice": _("one of:"),
        "list": _("list separated by ;"),
    }
    return labels.get(kind, kind)


def _sheet_title(title: str) -> str:
    """Excel refuses / \\ ? * : [ ] in sheet names and more than 31 characters."""
    for char in "/\\?*:[]":
        title = title.replace(char, "-")
    return title[:31]


def _choice_words(column: Column, vi: bool) -> list[str]:
    return [(w[0] if vi else w[-1]) if w else k for k, w in column.choices.items()]


def template_workbook(
    columns: Sequence[Column],
    *,
    title: str,
    example: Mapping[str, object] | Sequence | None = None,
    references: Sequence[tuple[str, Sequence[str], Sequence[Sequence]]] = (),
    lists: Mapping[str, tuple[int, int]] | None = None,
) -> bytes:
    """An XLSX template in the active language. `example` is one example row (by column key or in column order);
    `references` are extra sheets (title, headers, rows); `lists` maps a column key to (reference sheet index,
    column index) whose values become that column's drop-down."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    lang = get_language() or "vi"
    vi = lang.startswith("vi")
    headers = [c.header(lang) + (" *" if c.required else "") for c in columns]
    wb = Workbook()
    ws = wb.active
    ws.title = _sheet_title(_("data"))
    ws.append([safe_cell(h) for h in headers])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    if example:
        row = [example.get(c.key) for c in columns] if isinstance(example, Mapping) else list(example)
        ws.append([safe_cell(v) for v in row])
    for index, header in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(index)].width = max(12, min(40, len(header) + 2))

    guide = wb.create_sheet(_sheet_title(_("instructions")))
    ref_sheets = []
    for ref_title, ref_headers, ref_rows in references:
        ref = wb.create_sheet(_sheet_title(ref_title))
        ref.append([safe_cell(h) for h in ref_headers])
        for cell in ref[1]:
            cell.font = Font(bold=True)
        for ref_row in ref_rows:
            ref.append([safe_cell(v) for v in ref_row])
        for index in range(1, len(ref_headers) + 1):
            ref.column_dimensions[get_column_letter(index)].width = 30
        ref_sheets.append((ref, len(ref_rows)))
    choices = wb.create_sheet("lists")
    choices.sheet_state = "hidden"
    list_column = 0
    for index, column in enumerate(columns, start=1):
        source = None
        if column.kind in ("choice", "bool"):
            words = _choice_words(column, vi) if column.kind == "choice" else [_("yes"), _("no")]
            list_column += 1
            letter = get_column_letter(list_column)
            for n, word in enumerate(words, start=1):
                choices.cell(n, list_column, safe_cell(word))
            source = f"{quote_sheetname('lists')}!${letter}$1:${letter}${len(words)}"
        elif lists and column.key in lists:
            sheet_index, ref_column = lists[column.key]
            ref, count = ref_sheets[sheet_index]
            if count:
                letter = get_column_letter(ref_column + 1)
                source = f"{quote_sheetname(ref.title)}!${letter}$2:${letter}${count + 1}"
        if source is None:
            continue
        dv = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=True)
        dv.errorTitle = column.header(lang)[:32]
        dv.error = _("Choose a value from the list.")
        letter = get_column_letter(index)
        dv.add(f"{letter}2:{letter}{LIST_ROWS}")
        ws.add_data_validation(dv)

    guide.append([safe_cell(title)])
    guide.append(
        [
            _(
                "Fill one record per row in the data sheet and keep the header row; the second row is an example to "
                "replace. Columns marked * are required. Headers may be in Vietnamese or English. Numbers may be "
                "written 1.686,5 or 1686.5. Importing the same file again updates records and never duplicates them."
            )
        ]
    )
    guide.append([])
    guide.append([_("Column"), _("Type"), _("Required"), _("Notes")])
    for c in columns:
        note = c.help_vi if vi else c.help_en
        if c.kind == "choice":
            note = f"{note} {'; '.join(_choice_words(c, vi))}".strip()
        guide.append(
            [safe_cell(v) for v in (c.header(lang), _kind_label(c.kind), _("yes") if c.required else "", note)]
        )
    guide.column_dimensions["A"].width = 36
    guide.column_dimensions["B"].width = 30
    guide.column_dimensions["D"].width = 80
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

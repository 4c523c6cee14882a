"""The default paper templates, drawn in the administrative document format of Decree 30/2020/NĐ-CP.

Each template is a .docx file with Jinja placeholders (`{{ number }}`, `{%p for … %}`) that an administrator can
open in Word or LibreOffice and adjust; `manage.py papers_templates` writes these defaults into `ccn/papers/docx/`.
The frame follows Decree 30/2020, Appendix I, Part I: A4 (II.1), margins top/bottom 20–25 mm, left 30–35 mm,
right 15–20 mm (II.2); Times New Roman (II.1); the national emblem line in capitals, bold, 12–13 pt and the motto
bold, 13–14 pt, underlined by a line as long as itself (III.1); the parent and issuing bodies, the latter bold
(III.2); "Số:" number and symbol (III.3); place and date in italics (III.4); the document's kind and summary
(III.5); the signer's authority and name in bold (III.8); "Nơi nhận:" in bold italics, 12 pt, recipients in 11 pt
(III.9).
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

FONT = "Times New Roman"
CENTER = WD_ALIGN_PARAGRAPH.CENTER
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY


def _new_document():
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(0)
    return doc


def _para(container, text="", *, size=14, bold=False, italic=False, align=None, space_after=0, indent_first=None):
    paragraph = container.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(space_after)
    if indent_first is not None:
        paragraph.paragraph_format.first_line_indent = Mm(indent_first)
    if text:
        run = paragraph.add_run(text)
        run.font.size, run.bold, run.italic = Pt(size), bold, italic
    return paragraph


def _rule(cell, *, indent_mm: float):
    """A short centred line under a heading (the line under the issuing body and under the motto)."""
    paragraph = cell.add_paragraph()
    paragraph.paragraph_format.left_indent = Mm(indent_mm)
    paragraph.paragraph_format.right_indent = Mm(indent_mm)
    paragraph.paragraph_format.space_after = Pt(6)
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    paragraph._p.get_or_add_pPr().append(border)
    run = paragraph.add_run("")
    run.font.size = Pt(2)


def _widths(table, widths_mm):
    """Column widths that Word and LibreOffice both honour: the grid's and every cell's."""
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)


def _two_columns(doc, widths_mm=(70, 95)):
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _widths(table, widths_mm)
    for cell in table.rows[0].cells:
        cell.paragraphs[0].paragraph_format.space_after = Pt(0)
    return table.rows[0].cells


def _first(cell, text, **kwargs):
    """Write into the cell's first (empty) paragraph instead of adding one below it."""
    paragraph = cell.paragraphs[0]
    paragraph.alignment = kwargs.pop("align", CENTER)
    run = paragraph.add_run(text)
    run.font.size = Pt(kwargs.pop("size", 13))
    run.bold = kwargs.pop("bold", False)
    run.italic = kwargs.pop("italic", False)
    return paragraph


def header(doc, *, with_subject: bool):
    """Issuing body and number on the left, the national emblem line, motto, place and date on the right."""
    left, right = _two_columns(doc)
    _first(left, "{%p for line in parent_lines %}", size=13)
    _para(left, "{{ line }}", size=13, align=CENTER)
    _para(left, "{%p endfor %}", size=13)
    _para(left, "{%p for line in body_lines %}", size=13)
    _para(left, "{{ line }}", size=13, bold=True, align=CENTER)
    _para(left, "{%p endfor %}", size=13)
    _rule(left, indent_mm=20)
    _para(left, "Số: {{ number }}", size=13, align=CENTER)
    if with_subject:
        _para(left, "V/v {{ subject }}", size=12, align=CENTER)
    _first(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True)
    _para(right, "Độc lập - Tự do - Hạnh phúc", size=13, bold=True, align=CENTER)
    _rule(right, indent_mm=22)
    _para(right, "{{ place_date }}", size=14, italic=True, align=CENTER)
    _para(doc, "", space_after=6)


def title(doc, kind: str, summary: str):
    _para(doc, kind, size=14, bold=True, align=CENTER)
    _para(doc, summary, size=14, bold=True, align=CENTER, space_after=12)


def body_paragraphs(doc, variable: str = "body"):
    """One paragraph per item of a list in the context: the records' own text, justified, first line indented."""
    _para(doc, "{%p for text in " + variable + " %}")
    _para(doc, "{{ text }}", align=JUSTIFY, indent_first=10, space_after=6)
    _para(doc, "{%p endfor %}")


def figures_table(doc):
    """A bordered table of the figures the paper quotes: label, unit, value (and its note)."""
    table = doc.add_table(rows=4, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, ("TT", "Chỉ tiêu", "Đơn vị tính", "Kết quả"), strict=True):
        _first(cell, text, size=12, bold=True)
    # docxtpl replaces a row holding a {%tr %} tag by the tag itself: the loop opens and closes in rows of its own
    _first(table.rows[1].cells[0], "{%tr for row in figures %}", size=12)
    cells = table.rows[2].cells
    _first(cells[0], "{{ row.code }}", size=12)
    _first(cells[1], "{{ row.label }}", size=12, align=WD_ALIGN_PARAGRAPH.LEFT)
    _first(cells[2], "{{ row.unit }}", size=12)
    _first(cells[3], "{{ row.value }}", size=12, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _first(table.rows[3].cells[0], "{%tr endfor %}", size=12)
    _widths(table, (12, 95, 25, 33))
    _para(doc, "", space_after=6)


def footer(doc, *, recipients: bool = True):
    """ "Nơi nhận" on the left, the signer's authority and name on the right."""
    _para(doc, "", space_after=6)
    left, right = _two_columns(doc, widths_mm=(80, 85))
    if recipients:
        _first(left, "Nơi nhận:", size=12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
        _para(left, "{%p for r in recipients %}", size=11)
        _para(left, "- {{ r }};", size=11)
        _para(left, "{%p endfor %}", size=11)
        _para(left, "- Lưu: {{ archive }}.", size=11)
    else:
        _first(left, "", size=11)
    _first(right, "{%p for line in signer_authority %}", size=14)
    _para(right, "{{ line }}", size=14, bold=True, align=CENTER)
    _para(right, "{%p endfor %}", size=14)
    for _ in range(5):
        _para(right, "")
    _para(right, "{{ signer_name }}", size=14, bold=True, align=CENTER)


def cover_letter(doc):
    """Công văn gửi báo cáo định kỳ (Form 03/04) to the next level."""
    header(doc, with_subject=True)
    _para(doc, "Kính gửi: {{ addressee }}.", align=CENTER, space_after=12)
    body_paragraphs(doc, "intro")
    figures_table(doc)
    body_paragraphs(doc, "closing")
    footer(doc)


def decision(doc):
    """Quyết định thành lập / mở rộng cụm công nghiệp (Mẫu 02, Circular 14/2024 Appendix II)."""
    header(doc, with_subject=False)
    title(doc, "QUYẾT ĐỊNH", "{{ summary }}")
    _para(doc, "{{ issuer_title }}", bold=True, align=CENTER, space_after=12)
    body_paragraphs(doc, "grounds")
    _para(doc, "QUYẾT ĐỊNH:", bold=True, align=CENTER, space_after=6)
    body_paragraphs(doc, "articles")
    footer(doc)


def minutes(doc):
    """Biên bản (a council's or a meeting's minutes) and Kết luận (an inspection's conclusion)."""
    header(doc, with_subject=False)
    title(doc, "{{ kind }}", "{{ summary }}")
    body_paragraphs(doc, "body")
    footer(doc, recipients=True)


#: template file name → the function that draws it
TEMPLATES = {
    "cover_letter.docx": cover_letter,
    "decision.docx": decision,
    "minutes.docx": minutes,
}


def write_default_templates(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, draw in TEMPLATES.items():
        doc = _new_document()
        draw(doc)
        path = directory / name
        doc.save(path)
        written.append(path)
    return written

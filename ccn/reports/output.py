"""The official layout of Forms 01–04 (Appendix I of Circular 14/2024/TT-BCT) as one structure, written as XLSX,
as a printable page and as PDF, and the national table of the 34 provinces as XLSX. The official layout is in
Vietnamese whatever the user's language."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import HttpResponse
from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from ccn.accounts.choices import Role
from ccn.core.spreadsheets import safe_cell
from ccn.core.spreadsheets import xlsx_response as generic

from . import selectors
from .choices import COMPILED_FORMS, Form, PeriodKind
from .models import Report, Revision

TITLES = {
    Form.F01: "TÌNH HÌNH HOẠT ĐỘNG CỦA DỰ ÁN ĐẦU TƯ TRONG CỤM CÔNG NGHIỆP",
    Form.F02: "TÌNH HÌNH HOẠT ĐỘNG CỦA DỰ ÁN ĐẦU TƯ XÂY DỰNG HẠ TẦNG KỸ THUẬT CỤM CÔNG NGHIỆP",
    Form.F03: "TỔNG HỢP TÌNH HÌNH CỤM CÔNG NGHIỆP TRÊN ĐỊA BÀN CẤP HUYỆN",
    Form.F04: "TỔNG HỢP TÌNH HÌNH CỤM CÔNG NGHIỆP TRÊN ĐỊA BÀN CẤP TỈNH",
}
SECTIONS = {
    "I": "Phương án phát triển cụm công nghiệp",
    "II": "Thành lập, đầu tư xây dựng hạ tầng kỹ thuật cụm công nghiệp",
    "III": "Hoạt động của các cụm công nghiệp",
}
SIGNATURES = {
    Form.F01: ("NGƯỜI ĐẠI DIỆN THEO PHÁP LUẬT", "(Ký, ghi rõ họ tên, đóng dấu)"),
    Form.F02: ("NGƯỜI ĐẠI DIỆN THEO PHÁP LUẬT", "(Ký, ghi rõ họ tên, đóng dấu)"),
    Form.F03: ("TM. ỦY BAN NHÂN DÂN", "(Ký, ghi rõ họ tên, đóng dấu)"),
    Form.F04: ("GIÁM ĐỐC SỞ CÔNG THƯƠNG", "(Ký, ghi rõ họ tên, đóng dấu)"),
}
RESULT_HEADER = {False: "Kết quả", True: "Kết quả (Luỹ kế đến thời điểm báo cáo)"}
COLUMNS = ("TT", "Chỉ tiêu", "Đơn vị tính")


@dataclass
class Layout:
    form_no: str
    title: str
    header: list[tuple[str, str]]
    columns: list[str]
    rows: list[dict] = field(default_factory=list)
    place_date: str = ""
    signature: tuple[str, str] = ("", "")
    signer: str = ""
    # Forms 03/04: "n/m cụm chưa có số liệu" per figure that lacks data, printed as footnotes (PDF) and cell
    # comments plus footnotes (XLSX)
    footnotes: list[str] = field(default_factory=list)


def _fmt_date(day) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def _number(value: Decimal | None, value_type: str):
    if value is None:
        return None
    if value_type in ("integer", "flag") or value == value.to_integral():
        return int(value)
    return float(value.quantize(Decimal("0.001")).normalize())


def _receiver(report: Report) -> str:
    province = report.province.name
    commune = ""
    if report.cluster_id:
        first = report.cluster.communes.order_by("code").first()
        commune = first.name if first else ""
    if report.form == Form.F01:
        return f"Cơ quan thống kê; Ủy ban nhân dân {commune}".strip()
    if report.form == Form.F02:
        return f"Cơ quan thống kê; Ủy ban nhân dân {commune}; Sở Công Thương {province}"
    if report.form == Form.F03:
        return f"Ủy ban nhân dân {province}; Sở Công Thương {province}"
    return f"Ủy ban nhân dân {province}; Bộ Công Thương"


def _sender(report: Report) -> str:
    if report.form == Form.F01:
        return report.project.enterprise.name
    if report.form == Form.F02:
        return report.cluster.investor.name if report.cluster.investor_id else report.cluster.name
    if report.form == Form.F03:
        return f"Ủy ban nhân dân {report.commune.name}"
    return f"Sở Công Thương {report.province.name}"


def layout(report: Report, revision: Revision | None = None) -> Layout:
    revision = revision or report.current
    period = report.period
    kind = "6 tháng năm" if period.kind == PeriodKind.HALF_YEAR else "năm"
    deadline = selectors.deadline_for(report.form, period)
    title = TITLES[report.form]
    if report.form == Form.F03:
        rule = selectors.deadline_rule(Form.F03, period)
        if rule and rule.compiler_role == Role.COMMUNE_OFFICER:
            title = title.replace("CẤP HUYỆN", "CẤP XÃ")
    header = [
        ("Đơn vị gửi báo cáo", _sender(report)),
        ("Đơn vị nhận báo cáo", _receiver(report)),
        (
            "Kỳ báo cáo",
            f"{kind} {period.year} (số liệu từ {_fmt_date(period.starts_on)} đến {_fmt_date(period.ends_on)})",
        ),
        ("Thời hạn gửi báo cáo", f"trước ngày {_fmt_date(deadline)}" if deadline else "—"),
    ]
    if report.form == Form.F01:
        sector = report.project.sector_ref
        header.append(("Tên dự án", report.project.name))
        header.append(("Ngành nghề sản xuất kinh doanh", sector.label if sector else "—"))
        header.append(("Cụm công nghiệp", report.cluster.name))
    if report.form == Form.F02:
        header.append(("Cụm công nghiệp", report.cluster.name))
    compiled = report.form in COMPILED_FORMS
    compilation = revision.compilation or {}
    if compiled:
        header.append(("Số liệu tính đến ngày", _fmt_date(period.ends_on)))
    missing = compilation.get("missing", {}) if compiled else {}
    out = Layout(
        form_no=f"Biểu số {report.form}",
        title=title,
        header=header,
        columns=[*COLUMNS, RESULT_HEADER[compiled], "Ghi chú"],
        signature=SIGNATURES[report.form],
    )
    notes = revision.notes or {}
    section = None
    for ind in selectors.indicators_for(report.form):
        if ind.section and ind.section != section:
            section = ind.section
            out.rows.append({"section": True, "no": section, "label": SECTIONS[section]})
        gap = missing.get(ind.code)
        mark = ""
        if gap and gap[0]:
            unit = "dự án" if ind.code in ("23", "24", "25") else "cụm"
            out.footnotes.append(
                f"({len(out.footnotes) + 1}) Chỉ tiêu {ind.code}: {gap[0]}/{gap[1]} {unit} chưa có số liệu, "
                "không được tính (không coi là 0)."
            )
            mark = f"({len(out.footnotes)})"
        out.rows.append(
            {
                "section": False,
                "no": ind.code,
                "label": ind.label_vi,
                "unit": ind.unit,
                "value": _number(getattr(revision, ind.column), ind.value_type),
                "note": " ".join(x for x in (notes.get(ind.code, ""), mark) if x),
                "mark": mark,
                "missing": gap if gap and gap[0] else None,
                "sub": "." in ind.code,
            }
        )
    day = revision.submitted_at
    place = report.province.name.replace("Tỉnh ", "").replace("Thành phố ", "")
    if day is not None:
        from django.utils import timezone

        day = timezone.localtime(day)
        out.place_date = f"{place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"
    else:
        out.place_date = f"{place}, ngày ..... tháng ..... năm ......"
    # Form 04 is signed by the Director (or the deputy) who approved it, not by the officer who drafted it; the
    # other forms by the person who submitted them.
    signer = revision.accepted_by if report.form == Form.F04 else revision.submitted_by
    out.signer = (signer.get_full_name() or signer.username) if signer else ""
    return out


THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def xlsx_bytes(lay: Layout) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = lay.form_no.replace("Biểu số ", "Bieu ")
    widths = (7, 70, 22, 22, 28)
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.append([safe_cell(lay.form_no)])
    ws["A1"].font = Font(bold=True, italic=True)
    ws.append([safe_cell(lay.title)])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=5)
    ws["A2"].font = Font(bold=True, size=13)
    ws["A2"].alignment = Alignment(horizontal="center", wrap_text=True)
    ws.row_dimensions[2].height = 34
    for label, value in lay.header:
        ws.append([safe_cell(f"{label}: {value}")])
        r = ws.max_row
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=5)
    ws.append([])
    ws.append([safe_cell(c) for c in lay.columns])
    head_row = ws.max_row
    ws.print_title_rows = f"{head_row}:{head_row + 1}"  # the header row repeats on every printed page
    ws.append([f"({n})" for n in range(1, 6)])
    for r in (head_row, head_row + 1):
        for c in range(1, 6):
            cell = ws.cell(row=r, column=c)
            cell.font = Font(bold=True, italic=(r != head_row))
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = BOX
    for row in lay.rows:
        if row["section"]:
            ws.append([row["no"], safe_cell(row["label"]), None, None, None])
            r = ws.max_row
            ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=5)
            for c in range(1, 6):
                ws.cell(row=r, column=c).font = Font(bold=True)
                ws.cell(row=r, column=c).border = BOX
            continue
        ws.append([row["no"], safe_cell(row["label"]), safe_cell(row["unit"]), row["value"], safe_cell(row["note"])])
        r = ws.max_row
        ws.row_dimensions[r].height = _row_height(row["label"], widths[1], row["note"], widths[4])
        for c in range(1, 6):
            cell = ws.cell(row=r, column=c)
            cell.border = BOX
            cell.alignment = Alignment(
                vertical="center", wrap_text=c in (2, 5), horizontal="center" if c in (1, 3) else None
            )
            if row["sub"] and c == 2:
                cell.font = Font(italic=True)
        ws.cell(row=r, column=4).number_format = "#,##0.###"
        if row.get("missing"):
            n, m = row["missing"]
            ws.cell(row=r, column=4).comment = Comment(f"{n}/{m} cụm chưa có số liệu (không tính)", "CCN")
    for note in lay.footnotes:
        ws.append([safe_cell(note)])
        r = ws.max_row
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=5)
        ws.cell(row=r, column=1).font = Font(italic=True, size=10)
        ws.cell(row=r, column=1).alignment = Alignment(wrap_text=True)
    ws.append([])
    ws.append([None, None, None, safe_cell(lay.place_date)])
    ws.cell(row=ws.max_row, column=4).font = Font(italic=True)
    ws.append([None, None, None, safe_cell(lay.signature[0])])
    ws.cell(row=ws.max_row, column=4).font = Font(bold=True)
    ws.append([None, None, None, safe_cell(lay.signature[1])])
    ws.cell(row=ws.max_row, column=4).font = Font(italic=True)
    ws.append([])
    ws.append([None, None, None, safe_cell(lay.signer)])
    _print_on_a4(ws)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _row_height(label: str, label_width: int, note: str, note_width: int) -> float:
    """Height (points) of a table row whose label and note wrap: spreadsheet programs do not size wrapped rows
    themselves on opening, and a fixed height would print the text cut off."""
    lines = max(
        1,
        math.ceil(len(label or "") * 1.1 / label_width),
        math.ceil(len(note or "") * 1.1 / note_width),
    )
    return 15.0 * lines + 2


def _print_on_a4(ws, *, landscape: bool = False) -> None:
    """A4, fit to one page width (any number of pages tall): `fitToPage` must be on for the fit to apply."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def filename(report: Report, ext: str) -> str:
    return f"bieu-{report.form}-{report.period.kind}-{report.period.year}-{report.pk}.{ext}"


def xlsx_response(report: Report, revision: Revision | None = None) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(layout(report, revision)), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename(report, "xlsx")}"'
    return response


def print_html(report: Report, revision: Revision | None = None, *, request=None) -> str:
    return render_to_string(
        "reports/print.html",
        {"lay": layout(report, revision), "report": report, "pdf": request is None},
        request=request,
    )


def pdf_response(report: Report, revision: Revision | None = None) -> HttpResponse:
    from weasyprint import HTML

    pdf = HTML(string=print_html(report, revision)).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename(report, "pdf")}"'
    return response


def national_xlsx(period, rows, indicators, *, live: bool, total: dict | None = None) -> HttpResponse:
    headers = ["Mã tỉnh", "Tỉnh, thành phố", "Trạng thái Biểu 04"] + [
        f"({i.code}) {i.label_vi} ({i.unit})" for i in indicators
    ]
    body = []
    for row in rows:
        state = row["report"].get_status_display() if row["report"] else "Chưa lập"
        body.append(
            [row["province"].code, row["province"].name, str(state)]
            + [_number(row["figures"].get(i.code), i.value_type) for i in indicators]
        )
    if total is not None:
        body.append(
            ["", "CẢ NƯỚC", f"{total['provinces']} tỉnh, thành phố"]
            + [_number(total["figures"].get(i.code), i.value_type) for i in indicators]
        )
    kind = "6 tháng năm" if period.kind == PeriodKind.HALF_YEAR else "năm"
    source = "tổng hợp trực tiếp (chưa phê duyệt)" if live else "số liệu Biểu 04 đã phê duyệt"
    return generic(
        f"bang-toan-quoc-{period.kind}-{period.year}.xlsx",
        headers,
        body,
        title="TỔNG HỢP TÌNH HÌNH CỤM CÔNG NGHIỆP CÁC TỈNH, THÀNH PHỐ",
        notes=[f"Kỳ báo cáo: {kind} {period.year}", f"Nguồn: {source}"],
        sheet_name="toan-quoc",
    )

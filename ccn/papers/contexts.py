"""What each official paper says, filled from the records: the cover letter of Forms 03/04, the establishment or
expansion decision (Mẫu 02 content), the minutes of an investor-selection council, an inspection's conclusion and
the minutes of a review meeting. The frame (emblem line, bodies, signature) is the template's; the words that come
from the records are built here, in Vietnamese.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from ccn.clusters.models import Sector
from ccn.reports.selectors import indicators_for

from .admin_format import (
    commune_people_committee,
    commune_words,
    department_lines,
    figure,
    long_date,
    number_line,
    place_date,
    province_people_committee,
    province_words,
)

DECREE_32 = "Nghị định số 32/2024/NĐ-CP ngày 15 tháng 3 năm 2024 của Chính phủ về quản lý, phát triển cụm công nghiệp"
CIRCULAR_14 = (
    "Thông tư số 14/2024/TT-BCT ngày 15 tháng 8 năm 2024 của Bộ trưởng Bộ Công Thương "
    "(được sửa đổi, bổ sung bởi Thông tư số 38/2025/TT-BCT)"
)
#: the indicators a cover letter quotes; the whole form travels with it
COVER_LETTER_CODES = ("1", "2", "3", "4", "5", "15", "16", "17", "18", "19", "20", "25", "27")


@dataclass
class Signing:
    """What the officer chooses when preparing the paper: its number, who signs and to whom it goes."""

    number: str = ""
    authority: list[str] = field(default_factory=list)
    signer_name: str = ""
    recipients: list[str] = field(default_factory=list)
    day: datetime.date | None = None


@dataclass
class Paper:
    template: str
    context: dict
    filename: str
    defaults: Signing


AUTHORITIES = {
    # Decree 30/2020, Appendix I, Part I, III.8: who signs for whom
    "director": ["GIÁM ĐỐC"],
    "deputy_director": ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"],
    "chairman": ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
    "vice_chairman": ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
    "council_chair": ["CHỦ TỊCH HỘI ĐỒNG"],
    "meeting_chair": ["CHỦ TRÌ CUỘC HỌP"],
    "team_lead": ["TRƯỞNG ĐOÀN KIỂM TRA"],
}


def _frame(*, parent, body, number, symbol, place, signing: Signing, archive: str) -> dict:
    day = signing.day or timezone.localdate()
    return {
        "parent_lines": parent,
        "body_lines": body,
        "number": number_line(signing.number or number, symbol),
        "place_date": place_date(place, day),
        "recipients": [r.strip().rstrip(";") for r in signing.recipients if r.strip()],
        "archive": archive,
        "signer_authority": signing.authority,
        "signer_name": signing.signer_name,
    }


def cluster_title(name: str) -> str:
    """ "Cụm công nghiệp Diên Phú" whether the registry's name starts with the words or not."""
    return name if name.lower().startswith("cụm công nghiệp") else f"Cụm công nghiệp {name}"


def _period_words(period) -> str:
    return f"6 tháng đầu năm {period.year}" if period.kind == "half_year" else f"năm {period.year}"


def _person(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def cover_letter(report, revision, signing: Signing | None = None) -> Paper:
    """Công văn sending Form 03 (commune → Department) or Form 04 (Department → Ministry)."""

    province = report.province
    period_words = _period_words(report.period)
    if report.form == "04":
        parent, body = department_lines(province)
        sender, addressee, place = f"Sở Công Thương {province_words(province)}", "Bộ Công Thương", province.short_name
        symbol, area_words = "SCT-QLCN", f"địa bàn {province_words(province)}"
        defaults = Signing(
            authority=AUTHORITIES["director"],
            signer_name=_person(revision.accepted_by) if revision else "",
            recipients=["Như trên", f"UBND {province_words(province)} (để báo cáo)", "Giám đốc Sở"],
        )
    else:
        commune = report.commune
        parent, body = [], commune_people_committee(commune)
        sender, addressee, place = (
            f"UBND {commune_words(commune)}",
            f"Sở Công Thương {province_words(province)}",
            commune.short_name,
        )
        symbol, area_words = "UBND-KT", f"địa bàn {commune_words(commune)}"
        defaults = Signing(
            authority=AUTHORITIES["vice_chairman"],
            signer_name=_person(revision.submitted_by) if revision else "",
            recipients=["Như trên", f"UBND {province_words(province)}", "Chi cục Thống kê"],
        )
    signing = _with_defaults(signing, defaults)
    values = revision.values() if revision else {}
    indicators = {i.code: i for i in indicators_for(report.form)}
    rows, missing = [], []
    for code in COVER_LETTER_CODES:
        indicator = indicators.get(code)
        if indicator is None:
            continue
        value = values.get(code)
        if value is None:
            missing.append(code)
        rows.append(
            {
                "code": code,
                "label": indicator.label_vi,
                "unit": indicator.unit,
                "value": figure(value, digits=0 if indicator.unit in ("Cụm", "Dự án", "Người") else 2),
            }
        )
    intro = [
        f"Thực hiện {CIRCULAR_14} quy định chế độ báo cáo định kỳ về cụm công nghiệp, {sender} báo cáo tình hình "
        f"cụm công nghiệp {period_words} trên {area_words} (Biểu số {report.form} kèm theo), với một số chỉ tiêu "
        "chính như sau:"
    ]
    closing = []
    if missing:
        closing.append(
            "Các chỉ tiêu chưa có số liệu (không tính là 0): " + ", ".join(missing) + ". "
            f"{sender} sẽ cập nhật khi có số liệu."
        )
    closing.append(f"{sender} kính gửi {addressee} tổng hợp, theo dõi./.")
    context = {
        **_frame(
            parent=parent,
            body=body,
            number="",
            symbol=symbol,
            place=place,
            signing=signing,
            archive="VT, QLCN" if report.form == "04" else "VT",
        ),
        "subject": f"báo cáo tình hình cụm công nghiệp {period_words}",
        "addressee": addressee,
        "intro": intro,
        "figures": rows,
        "closing": closing,
    }
    return Paper("cover_letter.docx", context, f"cong-van-bieu-{report.form}-{report.period.year}", defaults)


def decision(dossier, signing: Signing | None = None) -> Paper:
    """Quyết định thành lập / mở rộng cụm công nghiệp with the content of Mẫu 02 (Circular 14/2024, Appendix II),
    from a decided dossier."""
    content = dossier.decision or {}
    province = dossier.province
    expansion = dossier.kind == "expansion"
    verb = "mở rộng" if expansion else "thành lập"
    defaults = Signing(
        number=content.get("number", ""),
        authority=AUTHORITIES["vice_chairman"],
        recipients=[
            "Bộ Công Thương",
            "Thường trực UBND tỉnh",
            "Các Sở: Công Thương, Tài chính, Nông nghiệp và Môi trường, Xây dựng",
            f"UBND {commune_words(dossier.commune)}",
            content.get("investor", ""),
        ],
        day=dossier.decided_on,
    )
    signing = _with_defaults(signing, defaults)
    appraisal = dossier.appraisal_ref or "báo cáo thẩm định"
    grounds = [
        "Căn cứ Luật Tổ chức chính quyền địa phương;",
        f"Căn cứ {DECREE_32};",
        f"Căn cứ {CIRCULAR_14};",
        f"Theo đề nghị của Giám đốc Sở Công Thương tại {appraisal}"
        + (f" ngày {dossier.appraised_on:%d/%m/%Y}." if dossier.appraised_on else "."),
    ]
    capital = figure(content.get("capital_bn"), "tỷ đồng")
    name = cluster_title(content.get("name", dossier.cluster.name))
    commune, investor = commune_words(dossier.commune), content.get("investor", "chủ đầu tư")
    articles = [
        f"Điều 1. {verb.capitalize()} {name} với các nội dung sau:",
        f"1. Tên cụm công nghiệp: {name}.",
        f"2. Diện tích: {figure(content.get('area_ha'), 'ha')}.",
        f"3. Vị trí: {content.get('location', '')}.",
        "4. Ngành, nghề hoạt động chính: " + (_sector_words(content.get("sectors") or []) or "chưa xác định") + ".",
        f"5. Chủ đầu tư xây dựng hạ tầng kỹ thuật: {content.get('investor', '')}.",
        f"6. Quy mô đầu tư: {content.get('scale') or 'theo dự án được phê duyệt'}.",
        f"7. Tổng vốn đầu tư dự kiến: {capital}; nguồn vốn: {content.get('capital_sources') or 'chưa xác định'}.",
        f"8. Tiến độ thực hiện: {content.get('schedule') or 'theo dự án được phê duyệt'}.",
        f"9. Ưu đãi, hỗ trợ: {content.get('incentives') or 'theo quy định của pháp luật'}.",
        "Điều 2. Tổ chức thực hiện: Sở Công Thương chủ trì, phối hợp với các sở, ngành, "
        f"UBND {commune} hướng dẫn, kiểm tra chủ đầu tư thực hiện dự án đầu tư xây dựng hạ tầng kỹ thuật theo quy "
        f"định tại {DECREE_32}.",
        "Điều 3. Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng UBND tỉnh, Giám đốc các Sở, ngành có "
        f"liên quan, Chủ tịch UBND {commune} và {investor} chịu trách nhiệm thi hành Quyết định này./.",
    ]
    committee = province_people_committee(province)
    context = {
        **_frame(
            parent=[],
            body=committee,
            number=content.get("number", ""),
            symbol="QĐ-UBND",
            place=province.short_name,
            signing=signing,
            archive="VT, KT",
        ),
        "summary": f"Về việc {verb} {name}",
        "issuer_title": " ".join(committee),
        "grounds": grounds,
        "articles": articles,
    }
    return Paper("decision.docx", context, f"quyet-dinh-{verb.replace(' ', '-')}-{dossier.code}", defaults)


def selection_minutes(selection, signing: Signing | None = None) -> Paper:
    """Biên bản họp Hội đồng lựa chọn chủ đầu tư xây dựng hạ tầng kỹ thuật (Decree 32/2024, Art. 13(2))."""
    dossier = selection.dossier
    province, cluster = dossier.province, dossier.cluster
    members = list(selection.members.select_related("user"))
    chair = next((m for m in members if m.role == "chair"), None)
    defaults = Signing(
        authority=AUTHORITIES["council_chair"],
        signer_name=_person(chair.user) if chair else "",
        recipients=["Các thành viên Hội đồng", "Sở Công Thương"],
        day=selection.meeting_on,
    )
    signing = _with_defaults(signing, defaults)
    result = selection.result or {}
    ranking = result.get("ranking") or []
    winner = next((r for r in ranking if r.get("application_id") == result.get("winner_application_id")), None)
    role_words = {"chair": "Chủ tịch Hội đồng", "vice_chair": "Phó Chủ tịch Hội đồng", "member": "Thành viên"}
    body = [
        (f"Hôm nay, {long_date(selection.meeting_on)}, " if selection.meeting_on else "Hôm nay, ")
        + f"Hội đồng lựa chọn chủ đầu tư xây dựng hạ tầng kỹ thuật {cluster_title(cluster.name)}"
        + (f" (thành lập theo {selection.council_ref})" if selection.council_ref else "")
        + " họp để chấm điểm các hồ sơ đề nghị làm chủ đầu tư.",
        "Thành phần Hội đồng:",
        *[
            f"- {_person(m.user)}, {m.title or ''} — {role_words.get(m.role, m.role)}".replace(",  —", " —")
            for m in members
        ],
        "Kết quả chấm điểm (điểm bình quân của các thành viên; đạt từ "
        f"{result.get('qualifying_score', '50')} điểm trở lên):",
        *[
            f"{i}. {r['applicant']}: {figure(r['average'])} điểm" + ("" if r.get("qualifies") else " (không đạt)")
            for i, r in enumerate(ranking, 1)
        ],
        (
            f"Hội đồng thống nhất đề xuất {winner['applicant']} làm chủ đầu tư xây dựng hạ tầng kỹ thuật Cụm công "
            f"nghiệp {cluster.name}."
            if winner
            else "Không có tổ chức nào đạt số điểm tối thiểu; Hội đồng không đề xuất chủ đầu tư."
        ),
        *([f"Ý kiến tại cuộc họp: {selection.minutes}"] if selection.minutes else []),
        "Biên bản được lập và thông qua tại cuộc họp./.",
    ]
    context = {
        **_frame(
            parent=department_lines(province)[0],
            body=["HỘI ĐỒNG LỰA CHỌN CHỦ ĐẦU TƯ"],
            number="",
            symbol="BB-HĐ",
            place=province.short_name,
            signing=signing,
            archive="VT, hồ sơ " + dossier.code,
        ),
        "kind": "BIÊN BẢN",
        "summary": f"Họp Hội đồng lựa chọn chủ đầu tư xây dựng hạ tầng kỹ thuật {cluster_title(cluster.name)}",
        "body": body,
    }
    return Paper("minutes.docx", context, f"bien-ban-hoi-dong-{dossier.code}", defaults)


def inspection_conclusion(inspection, signing: Signing | None = None) -> Paper:
    """Kết luận kiểm tra of an inspection in a cluster (Decree 32/2024, Art. 24)."""
    province = inspection.province
    target = inspection.tenant_project or inspection.cluster
    defaults = Signing(
        authority=AUTHORITIES["director"],
        recipients=[str(target), f"UBND {province_words(province)} (để báo cáo)"],
        day=inspection.conducted_on,
    )
    signing = _with_defaults(signing, defaults)
    findings = list(inspection.findings.all())
    violations = [f for f in findings if f.is_violation]
    body = [
        (
            f"Thực hiện {inspection.plan.title}"
            + (f" ({inspection.plan.approved_ref})" if inspection.plan.approved_ref else "")
            + ", "
        )
        if inspection.plan
        else ""
    ]
    body[0] += (
        f"{inspection.agency} đã kiểm tra {inspection.subject or 'việc chấp hành quy định của pháp luật'} tại "
        f"{target}" + (f" {long_date(inspection.conducted_on)}." if inspection.conducted_on else ".")
    )
    if inspection.summary:
        body.append(f"Tóm tắt biên bản kiểm tra: {inspection.summary}")
    body.append("Kết quả kiểm tra:")
    for i, finding in enumerate(findings, 1):
        verdict = "vi phạm" if finding.is_violation else "chấp hành đúng quy định"
        basis = f" (căn cứ {finding.legal_basis})" if finding.legal_basis else ""
        body.append(f"{i}. {finding.get_area_display()}: {finding.description} — {verdict}{basis}.")
    if not findings:
        body.append("Không ghi nhận nội dung nào.")
    body.append(
        f"Kết luận: có {len(violations)} nội dung vi phạm; yêu cầu khắc phục trong thời hạn được giao và báo cáo "
        "kết quả về Sở Công Thương./."
        if violations
        else "Kết luận: chưa phát hiện vi phạm./."
    )
    context = _department_record(province, signing, symbol="KL-SCT", kind="KẾT LUẬN KIỂM TRA", summary=f"Tại {target}")
    context["body"] = body
    return Paper("minutes.docx", context, f"ket-luan-kiem-tra-{inspection.pk}", defaults)


def meeting_minutes(meeting, pack: dict, signing: Signing | None = None) -> Paper:
    """Biên bản of a province's review meeting on the obstacles (giao ban), with the pack's figures."""
    province = meeting.province
    defaults = Signing(
        authority=AUTHORITIES["meeting_chair"],
        signer_name=meeting.chair,
        recipients=["Các cơ quan có tên tại biên bản", f"UBND {province_words(province)} (để báo cáo)"],
        day=meeting.held_on,
    )
    signing = _with_defaults(signing, defaults)
    body = [
        f"Hôm nay, {long_date(meeting.held_on)}, Sở Công Thương {province_words(province)} tổ chức cuộc họp "
        f"“{meeting.title}”" + (f" do {meeting.chair} chủ trì." if meeting.chair else "."),
        f"Số khó khăn, vướng mắc đang xử lý: {pack['total']}, trong đó quá hạn: {pack['overdue']}.",
    ]
    for group in pack["groups"]:
        body.append(f"{group['agency'].name}: {len(group['items'])} nội dung, quá hạn {group['overdue']}.")
        for item in group["items"]:
            late = f", quá hạn {item.overdue_days} ngày" if item.overdue_days else ""
            summary = item.description if len(item.description) <= 200 else item.description[:199] + "…"
            body.append(
                f"- {item.get_category_display()}: {summary} ({item.cluster.name}; hạn {item.deadline:%d/%m/%Y}{late})."
            )
    body.append("Kết luận của chủ trì: " + (meeting.minutes or "chưa ghi."))
    body.append("Biên bản kết thúc vào cùng ngày./.")
    context = _department_record(province, signing, symbol="BB-SCT", kind="BIÊN BẢN", summary=meeting.title)
    context["body"] = body
    return Paper("minutes.docx", context, f"bien-ban-giao-ban-{meeting.held_on:%Y%m%d}", defaults)


def _department_record(province, signing: Signing, *, symbol: str, kind: str, summary: str) -> dict:
    """The frame of a record the Department draws up (conclusion, minutes): its bodies, number and title."""
    parent, body_lines = department_lines(province)
    frame = _frame(
        parent=parent,
        body=body_lines,
        number="",
        symbol=symbol,
        place=province.short_name,
        signing=signing,
        archive="VT, QLCN",
    )
    return {**frame, "kind": kind, "summary": summary}


def _sector_words(codes: list[str]) -> str:
    """VSIC codes as the decision names them: "1080 – Sản xuất thức ăn gia súc…" (the code alone if unknown)."""

    names = dict(Sector.objects.filter(code__in=codes).values_list("code", "name"))
    return "; ".join(f"{code} – {names[code]}" if code in names else code for code in codes)


def _with_defaults(signing: Signing | None, defaults: Signing) -> Signing:
    if signing is None:
        return defaults
    return Signing(
        number=signing.number or defaults.number,
        authority=signing.authority or defaults.authority,
        signer_name=signing.signer_name or defaults.signer_name,
        recipients=signing.recipients or defaults.recipients,
        day=signing.day or defaults.day,
    )

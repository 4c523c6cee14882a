"""The time limits of Decree 32/2024/NĐ-CP, Art. 10, and the public agencies' calendar for 2024–2027 as data.

Holidays: Labour Code 2019 (Bộ luật Lao động số 45/2019/QH14), Art. 112 (1 Jan; Tết 5 days; Hùng Kings 10/3 lunar;
30 Apr; 1 May; 2 Sep and one day before or after). A holiday on a weekly rest day gives a compensatory day off on
the next working day (Art. 111(3)). Swaps of working days for civil servants follow each year's notice approved by
the Prime Minister. Days of 2027 that depend on that notice or on the lunar calendar are entered as unconfirmed
and must be checked when the notice is issued. Administrators edit all of it (admin or the calendar page)."""

import datetime

from django.db import migrations

D32 = "Nghị định 32/2024/NĐ-CP, Điều 10"
LIMITS = [
    # step, value, unit, source
    ("announce", 5, "working_days", f"{D32} khoản 1: thông báo trong 05 ngày làm việc kể từ ngày nhận văn bản đầu tiên"),
    ("window", 15, "calendar_days", f"{D32} khoản 1: nhận hồ sơ trong vòng 15 ngày kể từ ngày ra thông báo"),
    ("send", 5, "working_days", f"{D32} khoản 2: gửi Sở Công Thương trong 05 ngày làm việc sau khi kết thúc nhận hồ sơ"),
    ("appraise", 25, "calendar_days", f"{D32} khoản 3: thẩm định trong 25 ngày; thời gian bổ sung hồ sơ không tính"),
    ("decide", 7, "working_days", f"{D32} khoản 4: UBND tỉnh quyết định trong 07 ngày làm việc"),
]

LC = "Bộ luật Lao động 2019, Điều 112"
LC_COMP = "Bộ luật Lao động 2019, Điều 111 khoản 3 (nghỉ bù)"
PLAN = "phương án nghỉ của cán bộ, công chức, viên chức năm {year} được Thủ tướng Chính phủ đồng ý"
NEW_YEAR = "Tết Dương lịch"
HUNG = "Giỗ Tổ Hùng Vương (10/3 âm lịch)"
LIB = "Ngày Chiến thắng (30/4)"
LABOUR = "Ngày Quốc tế lao động (1/5)"
NATIONAL = "Quốc khánh (2/9)"
NATIONAL_EXTRA = "Quốc khánh (ngày nghỉ liền kề 2/9)"


def d(y, m, day):
    return datetime.date(y, m, day)


DAYS = [
    # date, kind, name, source, confirmed
    (d(2024, 1, 1), "holiday", NEW_YEAR, LC, True),
    *[(d(2024, 2, x), "holiday", "Tết Nguyên đán Giáp Thìn", f"{LC}; {PLAN.format(year=2024)}", True) for x in (8, 9, 12, 13, 14)],
    (d(2024, 4, 18), "holiday", HUNG, LC, True),
    (d(2024, 4, 29), "day_off", "Nghỉ hoán đổi dịp 30/4–1/5 (làm bù thứ Bảy 04/5/2024)", PLAN.format(year=2024), True),
    (d(2024, 4, 30), "holiday", LIB, LC, True),
    (d(2024, 5, 1), "holiday", LABOUR, LC, True),
    (d(2024, 5, 4), "working_day", "Làm bù cho ngày 29/4/2024", PLAN.format(year=2024), True),
    (d(2024, 9, 2), "holiday", NATIONAL, LC, True),
    (d(2024, 9, 3), "holiday", NATIONAL_EXTRA, f"{LC}; {PLAN.format(year=2024)}", True),
    (d(2025, 1, 1), "holiday", NEW_YEAR, LC, True),
    (d(2025, 1, 27), "day_off", "Nghỉ hoán đổi dịp Tết Ất Tỵ (làm bù thứ Bảy 08/02/2025)", PLAN.format(year=2025), True),
    *[(d(2025, 1, x), "holiday", "Tết Nguyên đán Ất Tỵ", f"{LC}; {PLAN.format(year=2025)}", True) for x in (28, 29, 30, 31)],
    (d(2025, 2, 8), "working_day", "Làm bù cho ngày 27/01/2025", PLAN.format(year=2025), True),
    (d(2025, 4, 7), "holiday", HUNG, LC, True),
    (d(2025, 4, 26), "working_day", "Làm bù cho ngày 02/5/2025", PLAN.format(year=2025), True),
    (d(2025, 4, 30), "holiday", LIB, LC, True),
    (d(2025, 5, 1), "holiday", LABOUR, LC, True),
    (d(2025, 5, 2), "day_off", "Nghỉ hoán đổi dịp 30/4–1/5 (làm bù thứ Bảy 26/4/2025)", PLAN.format(year=2025), True),
    (d(2025, 9, 1), "holiday", NATIONAL_EXTRA, f"{LC}; {PLAN.format(year=2025)}", True),
    (d(2025, 9, 2), "holiday", NATIONAL, LC, True),
    (d(2026, 1, 1), "holiday", NEW_YEAR, LC, True),
    (d(2026, 1, 2), "day_off", "Nghỉ hoán đổi dịp Tết Dương lịch (làm bù thứ Bảy 10/01/2026)",
     "Văn bản 12729/VPCP-KGVX ngày 25/12/2025", True),
    (d(2026, 1, 10), "working_day", "Làm bù cho ngày 02/01/2026", "Văn bản 12729/VPCP-KGVX ngày 25/12/2025", True),
    *[(d(2026, 2, x), "holiday", "Tết Nguyên đán Bính Ngọ", f"{LC}; {PLAN.format(year=2026)}", True) for x in (16, 17, 18, 19, 20)],
    (d(2026, 4, 27), "day_off", "Nghỉ bù Giỗ Tổ Hùng Vương (26/4/2026 là Chủ nhật)", LC_COMP, True),
    (d(2026, 4, 30), "holiday", LIB, LC, True),
    (d(2026, 5, 1), "holiday", LABOUR, LC, True),
    (d(2026, 9, 1), "holiday", NATIONAL_EXTRA, f"{LC}; {PLAN.format(year=2026)} (kiểm tra ngày hoán đổi 31/8 nếu có)",
     False),
    (d(2026, 9, 2), "holiday", NATIONAL, LC, True),
    (d(2027, 1, 1), "holiday", NEW_YEAR, LC, True),
    *[(d(2027, 2, x), "holiday", "Tết Nguyên đán Đinh Mùi (dự kiến)", f"{LC}; chờ phương án năm 2027", False)
      for x in (5, 8, 9)],
    *[(d(2027, 2, x), "day_off", "Nghỉ bù Tết Đinh Mùi (dự kiến: mùng 1, mùng 2 trùng thứ Bảy, Chủ nhật)",
       f"{LC_COMP}; chờ phương án năm 2027", False) for x in (10, 11)],
    (d(2027, 4, 16), "holiday", f"{HUNG} (dự kiến theo âm lịch)", LC, False),
    (d(2027, 4, 30), "holiday", LIB, LC, True),
    (d(2027, 5, 3), "day_off", "Nghỉ bù Ngày Quốc tế lao động (1/5/2027 là thứ Bảy)", LC_COMP, True),
    (d(2027, 9, 2), "holiday", NATIONAL, LC, True),
    (d(2027, 9, 3), "holiday", f"{NATIONAL_EXTRA} (dự kiến)", f"{LC}; chờ phương án năm 2027", False),
]


def load(apps, schema_editor):
    TimeLimit = apps.get_model("procedures", "TimeLimit")
    CalendarDay = apps.get_model("procedures", "CalendarDay")
    for step, value, unit, source in LIMITS:
        TimeLimit.objects.get_or_create(
            step=step,
            effective_from=datetime.date(2024, 5, 1),
            defaults={"value": value, "unit": unit, "legal_source": source},
        )
    for date, kind, name, source, confirmed in DAYS:
        CalendarDay.objects.get_or_create(
            date=date, defaults={"kind": kind, "name": name, "legal_source": source, "confirmed": confirmed}
        )


class Migration(migrations.Migration):
    dependencies = [("procedures", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

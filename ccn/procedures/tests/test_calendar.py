"""Time-limit arithmetic: working days, public holidays and swaps held as data, pauses, dated rules."""

import datetime

import pytest

from ccn.core.errors import ConflictError, PermissionDeniedError
from ccn.procedures import calendar as cal
from ccn.procedures import services
from ccn.procedures.models import CalendarDay, TimeLimit

D = datetime.date
pytestmark = pytest.mark.django_db


def test_seeded_calendar_is_consistent():
    days = list(CalendarDay.objects.all())
    years = {d.date.year for d in days}
    assert years == {2024, 2025, 2026, 2027}
    for day in days:
        # A worked weekend day is a Saturday or Sunday; a day off is a weekday (else it would change nothing).
        assert (day.kind == "working_day") == (day.date.weekday() >= 5), day
        assert day.legal_source
    tet_2026 = [d.date for d in days if d.date.year == 2026 and "Bính Ngọ" in d.name]
    assert tet_2026 == [D(2026, 2, x) for x in (16, 17, 18, 19, 20)]
    assert CalendarDay.objects.filter(date=D(2025, 9, 2), kind="holiday").exists()  # 2/9 National Day
    assert CalendarDay.objects.filter(date=D(2025, 9, 1), kind="holiday").exists()  # and the day before


def test_working_days_skip_weekends_and_tet():
    # Thursday 12/02/2026: Friday 13 counts, then Tết 16–20 and two weekends do not.
    assert cal.due_date(D(2026, 2, 12), 5, "working_days") == D(2026, 2, 26)
    assert cal.units_between(D(2026, 2, 12), D(2026, 2, 23), "working_days") == 2


def test_start_day_is_not_counted():
    # Monday + 1 working day = Tuesday; Friday + 1 working day = Monday.
    assert cal.due_date(D(2026, 3, 2), 1, "working_days") == D(2026, 3, 3)
    assert cal.due_date(D(2026, 3, 6), 1, "working_days") == D(2026, 3, 9)


def test_swapped_saturday_is_a_working_day_and_swapped_friday_is_not():
    # 02/01/2026 (Friday) was given off in exchange for Saturday 10/01/2026.
    assert cal.due_date(D(2025, 12, 31), 1, "working_days") == D(2026, 1, 5)  # 1/1 holiday, 2/1 off, weekend
    assert cal.due_date(D(2026, 1, 9), 1, "working_days") == D(2026, 1, 10)


def test_compensatory_day_after_a_holiday_on_sunday():
    # Hùng Kings 2026 fell on Sunday 26/4: Monday 27/4 is off, then 30/4 and 1/5 are holidays.
    assert cal.due_date(D(2026, 4, 24), 2, "working_days") == D(2026, 4, 29)
    assert cal.due_date(D(2026, 4, 24), 3, "working_days") == D(2026, 5, 4)


def test_calendar_days_ending_on_a_day_off_move_to_the_next_working_day():
    assert cal.due_date(D(2026, 3, 4), 15, "calendar_days") == D(2026, 3, 19)  # Thursday: stays
    assert cal.due_date(D(2026, 3, 6), 15, "calendar_days") == D(2026, 3, 23)  # Saturday 21 → Monday 23
    # 25 days from 06/04/2026 end on Friday 01/05, a holiday: the limit ends on Monday 04/05.
    assert cal.due_date(D(2026, 4, 6), 25, "calendar_days") == D(2026, 5, 4)


def test_pause_is_not_counted_and_an_open_pause_stops_the_clock():
    start = D(2026, 3, 20)
    assert cal.due_date(start, 25, "calendar_days") == D(2026, 4, 14)
    # Corrections requested 25/03, received 30/03: five days do not count → 19/04 (Sunday) → Monday 20/04.
    assert cal.due_date(start, 25, "calendar_days", [(D(2026, 3, 25), D(2026, 3, 30))]) == D(2026, 4, 20)
    assert cal.due_date(start, 25, "calendar_days", [(D(2026, 3, 25), None)]) is None
    assert cal.units_between(start, D(2026, 4, 1), "calendar_days", [(D(2026, 3, 25), D(2026, 3, 30))]) == 7
    # Working days and pauses combine: 4 and 5 March do not count.
    assert cal.due_date(D(2026, 3, 2), 5, "working_days", [(D(2026, 3, 3), D(2026, 3, 5))]) == D(2026, 3, 11)


def test_rule_in_force_on_the_day_the_step_starts():
    TimeLimit.objects.filter(step="appraise").update(effective_to=D(2026, 9, 14))
    TimeLimit.objects.create(
        step="appraise",
        value=20,
        unit="working_days",
        effective_from=D(2026, 9, 15),
        legal_source="Quy định sửa đổi (thử nghiệm)",
    )
    before = cal.time_limit_on("appraise", D(2026, 9, 14))
    after = cal.time_limit_on("appraise", D(2026, 9, 15))
    assert (before.value, before.unit) == (25, "calendar_days")
    assert (after.value, after.unit) == (20, "working_days")
    # 25 days from 14/09 → 09/10 (Friday); 20 working days from 15/09 → 13/10 (Tuesday).
    assert cal.due_date(D(2026, 9, 14), before.value, before.unit) == D(2026, 10, 9)
    assert cal.due_date(D(2026, 9, 15), after.value, after.unit) == D(2026, 10, 13)


def test_no_rule_recorded_is_a_clear_refusal():
    with pytest.raises(ConflictError, match="No time limit"):
        cal.time_limit_on("appraise", D(2023, 1, 1))


def test_editing_the_calendar_recomputes_open_due_dates(users):
    from .factories import planned_cluster, receive

    dossier = receive(users, planned_cluster(), received_on=D(2026, 3, 2))
    step = dossier.steps.get(step="announce")
    assert step.due_on == D(2026, 3, 9)
    services.calendar_day_save(
        actor=users["admin"], date=D(2026, 3, 5), kind="day_off", name="Ngày nghỉ thử", legal_source="Thử"
    )
    step.refresh_from_db()
    assert step.due_on == D(2026, 3, 10)
    with pytest.raises(PermissionDeniedError):
        services.calendar_day_save(
            actor=users["editor"], date=D(2026, 3, 6), kind="day_off", name="x", legal_source="x"
        )


def test_overlapping_time_limits_are_refused(users):
    rule = TimeLimit(step="decide", value=5, unit="working_days", effective_from=D(2026, 9, 15), legal_source="x")
    from ccn.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed, match="overlaps"):
        services.time_limit_save(actor=users["admin"], rule=rule)
    TimeLimit.objects.filter(step="decide").update(effective_to=D(2026, 9, 14))
    services.time_limit_save(actor=users["admin"], rule=rule)
    assert cal.time_limit_on("decide", D(2026, 9, 15)).value == 5

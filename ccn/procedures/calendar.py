"""Legal time-limit arithmetic: working days (Monday–Friday less public holidays and swapped days off, plus
weekend days worked in exchange), calendar days, pauses that do not count, and the rule in force on a date.

How a time limit is counted (Civil Code 2015, Arts. 147–148):
- the day of the event that starts the clock is not counted; counting begins the next day;
- a limit in working days counts only working days; a limit in days counts every day, but when its last day is
  not a working day it ends on the next working day;
- a pause (waiting for the applicant's corrections) runs from the day the request is sent to the day the
  corrections arrive: the days after the request up to and including the day of receipt are not counted.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from ccn.core.errors import ConflictError

from .choices import DayKind, LimitUnit, Step
from .models import CalendarDay, TimeLimit

ONE_DAY = datetime.timedelta(days=1)
HORIZON = datetime.timedelta(days=800)


class WorkCalendar:
    """The calendar of public agencies between two dates, read in one query."""

    def __init__(self, start: datetime.date, end: datetime.date):
        self.start, self.end = start, end
        rows = CalendarDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "kind")
        self.days_off = {d for d, kind in rows if kind in (DayKind.HOLIDAY, DayKind.DAY_OFF)}
        self.extra_working = {d for d, kind in rows if kind == DayKind.WORKING_DAY}

    @classmethod
    def around(cls, day: datetime.date, *, later: datetime.date | None = None) -> WorkCalendar:
        return cls(day - datetime.timedelta(days=7), max(day, later or day) + HORIZON)

    def is_working_day(self, day: datetime.date) -> bool:
        if not (self.start <= day <= self.end):
            # Outside the loaded range the pattern is still right; holidays there are simply unknown.
            return day.weekday() < 5
        if day in self.extra_working:
            return True
        return day.weekday() < 5 and day not in self.days_off

    def next_working_day(self, day: datetime.date) -> datetime.date:
        while not self.is_working_day(day):
            day += ONE_DAY
        return day


Pause = tuple[datetime.date, datetime.date | None]


def _paused(day: datetime.date, pauses: Iterable[Pause]) -> bool:
    for start, end in pauses:
        if day > start and (end is None or day <= end):
            return True
    return False


def _counts(cal: WorkCalendar, day: datetime.date, unit: str, pauses) -> bool:
    if _paused(day, pauses):
        return False
    return unit == LimitUnit.CALENDAR_DAYS or cal.is_working_day(day)


def due_date(
    start: datetime.date, limit: int, unit: str, pauses: Iterable[Pause] = (), *, cal: WorkCalendar | None = None
) -> datetime.date | None:
    """The last day of a limit of `limit` units counted from the day after `start`; None while a pause is open
    (the clock is stopped and the end cannot be known)."""
    pauses = list(pauses)
    if any(end is None for _s, end in pauses):
        return None
    last_pause = max((end for _s, end in pauses), default=start)
    cal = cal or WorkCalendar.around(start, later=last_pause)
    day, counted = start, 0
    while counted < limit:
        day += ONE_DAY
        if _counts(cal, day, unit, pauses):
            counted += 1
    if unit == LimitUnit.CALENDAR_DAYS:
        day = cal.next_working_day(day)
    return day


def units_between(
    start: datetime.date,
    end: datetime.date,
    unit: str,
    pauses: Iterable[Pause] = (),
    *,
    cal: WorkCalendar | None = None,
) -> int:
    """The units used from the day after `start` up to and including `end` (0 when `end` is not after `start`)."""
    pauses = list(pauses)
    if end <= start:
        return 0
    cal = cal or WorkCalendar(start, end)
    day, counted = start, 0
    while day < end:
        day += ONE_DAY
        if _counts(cal, day, unit, pauses):
            counted += 1
    return counted


def time_limit_on(step: str, on: datetime.date) -> TimeLimit:
    """The time limit of `step` in force on `on`; a clear refusal when none is recorded for that date."""
    rule = (
        TimeLimit.objects.filter(step=step, effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .order_by("-effective_from")
        .first()
    )
    if rule is None:
        raise ConflictError(
            _("No time limit is recorded for “%(step)s” on %(day)s; an administrator must enter the rule in force.")
            % {"step": Step(step).label, "day": on.strftime("%d/%m/%Y")},
            code="no_time_limit",
        )
    return rule


@dataclass
class Clock:
    """A step's clock as the dossier page shows it."""

    step: str
    label: str
    started_on: datetime.date
    limit: int
    unit: str
    unit_label: str
    source: str
    due_on: datetime.date | None
    completed_on: datetime.date | None
    used: int
    left: int
    paused_now: bool
    late_reason: str
    today: datetime.date

    @property
    def state(self) -> str:
        if self.completed_on and self.completed_on > self.today:
            return "running"  # a fixed period (the application window) still open
        if self.completed_on:
            return "late" if self.due_on and self.completed_on > self.due_on else "done"
        if self.paused_now:
            return "paused"
        return "overdue" if self.left < 0 or (self.due_on and self.today > self.due_on) else "running"

    @property
    def overdue_by(self) -> int:
        return max(0, -self.left)

    @property
    def percent(self) -> int:
        return max(0, min(100, round(100 * self.used / self.limit))) if self.limit else 0


def clocks_for(dossier, *, today: datetime.date) -> list[Clock]:
    """The clocks of every started step of a dossier: two queries (steps and pauses) plus one for the calendar."""

    steps = list(dossier.steps.select_related("rule").order_by("started_on", "id"))
    if not steps:
        return []
    pauses_by_step: dict[str, list[Pause]] = {}
    for p in dossier.pauses.all():
        pauses_by_step.setdefault(p.step, []).append((p.started_on, p.ended_on))
    first = min(s.started_on for s in steps)
    last = max([today] + [s.due_on or today for s in steps] + [s.completed_on or today for s in steps])
    cal = WorkCalendar(first - datetime.timedelta(days=7), last + HORIZON)
    result = []
    for s in steps:
        pauses = pauses_by_step.get(s.step, [])
        end = min(s.completed_on, today) if s.completed_on else today
        used = units_between(s.started_on, end, s.limit_unit, pauses, cal=cal)
        if s.due_on is None:
            left = s.limit_value - used
        elif s.due_on >= end:
            left = units_between(end, s.due_on, s.limit_unit, pauses, cal=cal)
        else:
            left = -units_between(s.due_on, end, s.limit_unit, pauses, cal=cal)
        result.append(
            Clock(
                step=s.step,
                label=str(Step(s.step).label),
                started_on=s.started_on,
                limit=s.limit_value,
                unit=s.limit_unit,
                unit_label=str(LimitUnit(s.limit_unit).label),
                source=s.rule.legal_source,
                due_on=s.due_on,
                completed_on=s.completed_on,
                used=used,
                left=left,
                paused_now=any(e is None for _st, e in pauses) and not s.completed_on,
                late_reason=s.late_reason,
                today=today,
            )
        )
    return result

"""Legal data of the procedures: the working-day calendar, time limits and the occupancy scope setting."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from ccn.accounts import policy
from ccn.core.errors import (
    PermissionDeniedError,
    field_error,
)
from ccn.core.history import record_change, snapshot
from ccn.core.models import ChangeAction

from ..choices import (
    AreaScope,
)
from ..models import (
    CalendarDay,
    OccupancyScopeSetting,
    TimeLimit,
)
from .common import _clean, _d, _user, recompute_open_due_dates


def _admin_only(actor):
    if not policy.may(actor, policy.CHANGE, CalendarDay):
        raise PermissionDeniedError(_("Only an administrator edits the legal calendar and time limits."))


@transaction.atomic
def calendar_day_save(*, actor, date: datetime.date, kind: str, name: str, legal_source: str, confirmed=True):
    """Add or change a day of the calendar; open clocks are recomputed so due dates follow the calendar."""
    _admin_only(actor)
    day = CalendarDay.objects.filter(date=date).first() or CalendarDay(date=date)
    before = snapshot(day) if day.pk else None
    day.kind, day.name, day.legal_source, day.confirmed = (
        kind,
        (name or "").strip(),
        (legal_source or "").strip(),
        confirmed,
    )
    _clean(day)
    day.save()
    record_change(
        actor=actor,
        obj=day,
        action=ChangeAction.UPDATE if before else ChangeAction.CREATE,
        before=before,
        after=snapshot(day),
    )
    recompute_open_due_dates()
    return day


@transaction.atomic
def calendar_day_delete(*, actor, day: CalendarDay) -> None:
    _admin_only(actor)
    record_change(actor=actor, obj=day, action=ChangeAction.DELETE, before=snapshot(day))
    day.delete()
    recompute_open_due_dates()


@transaction.atomic
def time_limit_save(*, actor, rule: TimeLimit) -> TimeLimit:
    """Enter a time limit as dated data (e.g. a later decree's). Steps already started keep the rule in force on
    the day they started."""
    _admin_only(actor)
    before = snapshot(TimeLimit.objects.get(pk=rule.pk)) if rule.pk else None
    overlapping = TimeLimit.objects.filter(step=rule.step).exclude(pk=rule.pk)
    end = rule.effective_to or datetime.date.max
    for other in overlapping:
        other_end = other.effective_to or datetime.date.max
        if other.effective_from <= end and rule.effective_from <= other_end:
            raise field_error(
                "effective_from",
                _("This period overlaps the rule in force from %(day)s (%(source)s): end that one first.")
                % {"day": _d(other.effective_from), "source": other.legal_source},
            )
    _clean(rule)
    rule.save()
    record_change(
        actor=actor,
        obj=rule,
        action=ChangeAction.UPDATE if before else ChangeAction.CREATE,
        before=before,
        after=snapshot(rule),
    )
    return rule


@transaction.atomic
def occupancy_scope_set(*, actor, province, scope: str, effective_from: datetime.date, document: str = ""):
    """The province's choice of the area of the occupancy test (Decree 139/2025), from a date."""
    if not policy.can(actor, policy.CHANGE, OccupancyScopeSetting(province=province)):
        raise PermissionDeniedError(_("Only the province sets how the occupancy test applies."))
    if scope not in AreaScope.values:
        raise field_error("scope", _("Choose the area of the test."))
    if effective_from is None:
        raise field_error("effective_from", _("Give the date from which it applies."))
    if OccupancyScopeSetting.objects.filter(province=province, effective_from=effective_from).exists():
        raise field_error("effective_from", _("A setting already starts on this date."))
    setting = OccupancyScopeSetting.objects.create(
        province=province,
        scope=scope,
        effective_from=effective_from,
        document=(document or "").strip(),
        created_by=_user(actor),
    )
    record_change(actor=actor, obj=setting, action=ChangeAction.CREATE, after=snapshot(setting))
    return setting

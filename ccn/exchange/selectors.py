"""Reads of the exchange, in the reader's scope: batches, conflicts, each province's freshness, and the national
table of exchanged Form 04s beside the live compilation."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ccn.accounts import policy
from ccn.accounts.choices import Role
from ccn.accounts.scope import role_of
from ccn.core.errors import NotFoundError, PermissionDeniedError
from ccn.geo.models import Province
from ccn.reports.choices import Form
from ccn.reports.compile import compile_national
from ccn.reports.models import INDICATOR_CODES, Period

from .models import ConflictStatus, ExchangeConflict, ExchangedFile, ExchangedReport, IncomingBatch, OutgoingBatch

NATIONAL_ROLES = (Role.ADMIN, Role.MINISTRY_VIEWER)
HEADLINE = ("1", "15", "18", "20")  # clusters in the plan, operating clusters, leased land, tenant projects


def may_see_exchange(user) -> bool:
    """The Ministry, administrators and the provinces' officers (ccn/exchange/policy.py)."""
    return policy.may(user, policy.VIEW, OutgoingBatch)


def require_exchange_reader(user) -> None:
    if not may_see_exchange(user):
        raise PermissionDeniedError(_("The exchange is for the Ministry and the provinces' officers."))


def incoming_batches(user):
    return IncomingBatch.objects.filter(policy.scope_q(user, IncomingBatch)).select_related("province", "received_by")


def incoming_batch_get(user, batch_id) -> IncomingBatch:
    batch = incoming_batches(user).filter(batch_id=batch_id).first()
    if batch is None:
        raise NotFoundError(_("No such batch in your scope."))
    return batch


def outgoing_batches(user):
    return OutgoingBatch.objects.filter(policy.scope_q(user, OutgoingBatch)).select_related("province")


def held_conflicts(user):
    return (
        ExchangeConflict.objects.filter(status=ConflictStatus.HELD)
        .filter(policy.scope_q(user, ExchangeConflict))
        .select_related("link", "batch")
    )


def conflict_get(user, pk: int) -> ExchangeConflict:
    conflict = ExchangeConflict.objects.filter(policy.scope_q(user, ExchangeConflict), pk=pk).first()
    if conflict is None:
        raise NotFoundError(_("No such conflict in your scope."))
    return conflict


def late_after() -> datetime.timedelta:
    return datetime.timedelta(days=settings.CCN_EXCHANGE_LATE_DAYS)


def province_status(user) -> list[dict]:
    """One row per province in scope: its last batch, what it held or refused, and whether it is current (a batch
    within CCN_EXCHANGE_LATE_DAYS), late, or never exchanged."""
    stats = {
        row["province"]: row
        for row in IncomingBatch.objects.values("province").annotate(
            last=Max("received_at"),
            batches=Count("pk"),
            last_sequence=Max("sequence"),
        )
    }
    held = dict(
        ExchangeConflict.objects.filter(status=ConflictStatus.HELD)
        .values_list("link__province")
        .annotate(n=Count("pk"))
        .values_list("link__province", "n")
    )
    now = timezone.now()
    rows = []
    provinces = Province.objects.order_by("code")
    if role_of(user) not in NATIONAL_ROLES:
        provinces = provinces.filter(pk=user.province_id if may_see_exchange(user) else None)
    for province in provinces:
        stat = stats.get(province.pk)
        if stat is None:
            state = "never"
        elif now - stat["last"] > late_after():
            state = "late"
        else:
            state = "current"
        rows.append({"province": province, "stat": stat, "held": held.get(province.pk, 0), "state": state})
    # The late first (they need a call), then the current, then those never exchanged; by code within each.
    order = {"late": 0, "current": 1, "never": 2}
    return sorted(rows, key=lambda r: (order[r["state"]], r["province"].code))


def exchanged_file(user, sha256: str):
    return ExchangedFile.objects.filter(policy.scope_q(user, ExchangedFile), sha256=sha256).first()


def period_get(kind: str, year: int) -> Period:
    period = Period.objects.filter(kind=kind, year=year).first()
    if period is None:
        raise NotFoundError(_("No reporting period %(kind)s %(year)s.") % {"kind": kind, "year": year})
    return period


def exchanged_form04(period: Period) -> dict[int, ExchangedReport]:
    """The latest exchanged revision of each province's Form 04 for the period."""
    latest: dict[int, ExchangedReport] = {}
    reports = ExchangedReport.objects.filter(form=Form.F04, period=period).select_related("signed_scan")
    for report in reports.order_by("province_id", "-revision"):
        latest.setdefault(report.province_id, report)
    return latest


def _dec(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def national_comparison(user, period: Period) -> list[dict]:
    """Per province: the exchanged Form 04 (as approved there), the live compilation here, and the indicators on
    which the two differ (a missing figure on either side is a difference, never a zero)."""
    if role_of(user) not in NATIONAL_ROLES:
        raise PermissionDeniedError(_("The national comparison is for the Ministry."))
    exchanged = exchanged_form04(period)
    live = compile_national(period)
    rows = []
    for province in Province.objects.order_by("code"):
        report = exchanged.get(province.pk)
        ours = live.get(province.pk, {})
        theirs = {code: _dec(v) for code, v in (report.values if report else {}).items()}
        differences = []
        if report is not None:
            for code in INDICATOR_CODES:
                a, b = theirs.get(code), ours.get(code)
                if (a is None) != (b is None) or (a is not None and b is not None and a != b):
                    differences.append({"code": code, "exchanged": a, "live": b})
        rows.append(
            {
                "province": province,
                "report": report,
                "exchanged": theirs,
                "live": ours,
                "differences": differences,
                "headline": [theirs.get(code) for code in HEADLINE],
            }
        )
    # Provinces that sent their Form 04 first.
    return sorted(rows, key=lambda r: (r["report"] is None, r["province"].code))

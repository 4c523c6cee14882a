"""Reads of the signed papers: the scan of a paper, and the approved reports and decisions still without one after
CCN_SIGNED_SCAN_DAYS days (listed on the home page of the province's officers)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import CharField, Exists, OuterRef
from django.db.models.functions import Cast
from django.utils import timezone

from ccn.accounts import policy
from ccn.procedures.models import Dossier
from ccn.reports.choices import Form, ReportStatus
from ccn.reports.models import Report

from .models import SignedPaper


def signed_for(kind: str, key) -> SignedPaper | None:
    return SignedPaper.objects.filter(kind=kind, key=str(key)).select_related("attached_by", "scan").first()


def _signed(kind: str, key_field: str):
    return Exists(SignedPaper.objects.filter(kind=kind, key=Cast(OuterRef(key_field), CharField())))


def unsigned_overdue(user, today: datetime.date | None = None) -> dict[str, list]:
    """Approved Forms 04 and decided dossiers of the user's province whose signed scan is still missing
    CCN_SIGNED_SCAN_DAYS days after approval or decision."""
    if not policy.may(user, policy.ADD, SignedPaper):  # those who attach signed scans (ccn/papers/policy.py)
        return {"reports": [], "decisions": []}
    today = today or timezone.localdate()
    limit = today - datetime.timedelta(days=settings.CCN_SIGNED_SCAN_DAYS)
    reports = Report.objects.filter(
        form=Form.F04, status=ReportStatus.ACCEPTED, current__accepted_at__date__lte=limit
    ).annotate(signed=_signed("report-letter", "pk"))
    dossiers = Dossier.objects.filter(decided_on__lte=limit, decision__isnull=False).annotate(
        signed=_signed("decision", "code")
    )
    reports = reports.filter(policy.scope_q(user, Report))
    dossiers = dossiers.filter(policy.scope_q(user, Dossier))
    return {
        "reports": list(
            reports.filter(signed=False).select_related("period", "current").order_by("current__accepted_at")
        ),
        "decisions": list(dossiers.filter(signed=False).order_by("decided_on")),
    }

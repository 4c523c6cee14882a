"""Content-Security-Policy violation reports: browsers POST them to /csp-report/ (the policy's `report-uri`); each
is logged and counted per page, directive and blocked source (CspReport). Administrators read the counts as JSON
at the same address; the browser suite checks there are none after visiting pages (docs/security.md)."""

from __future__ import annotations

import json
import logging

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from . import throttle
from .models import CspReport

logger = logging.getLogger("ccn.csp")
MAX_BODY = 64 * 1024
REPORTS_PER_ADDRESS = 200  # per hour: a page with a broken policy reports often; a flood is dropped


def _reports(body: bytes) -> list[dict]:
    """`application/csp-report` ({"csp-report": {...}}) and the Reporting API's list of {"type", "body"}."""
    data = json.loads(body.decode("utf-8"))
    if isinstance(data, dict) and isinstance(data.get("csp-report"), dict):
        report = data["csp-report"]
        return [
            {
                "document": report.get("document-uri", ""),
                "directive": report.get("effective-directive") or report.get("violated-directive", ""),
                "blocked": report.get("blocked-uri", ""),
            }
        ]
    if isinstance(data, list):
        return [
            {
                "document": item["body"].get("documentURL", ""),
                "directive": item["body"].get("effectiveDirective", ""),
                "blocked": item["body"].get("blockedURL", ""),
            }
            for item in data
            if isinstance(item, dict) and item.get("type") == "csp-violation" and isinstance(item.get("body"), dict)
        ]
    return []


def _count(report: dict) -> None:
    key = {
        "document_uri": str(report["document"])[:500],
        "directive": str(report["directive"])[:100],
        "blocked_uri": str(report["blocked"])[:500],
    }
    logger.warning("CSP violation: %(directive)s blocked %(blocked_uri)s on %(document_uri)s", key)
    if not CspReport.objects.filter(**key).update(count=F("count") + 1):
        try:
            with transaction.atomic():
                CspReport.objects.create(**key)
        except IntegrityError:
            CspReport.objects.filter(**key).update(count=F("count") + 1)


@csrf_exempt
def csp_report(request):
    if request.method == "GET":
        user = request.user
        if not (user.is_authenticated and (user.is_superuser or user.role == "admin")):
            return JsonResponse(
                {"detail": _("Only administrators read the reports."), "code": "permission_denied"}, status=403
            )
        rows = CspReport.objects.order_by("-last_seen")
        # counted before the list is read: a report arriving between the two is in the list, never counted without
        # it (rows are only ever added)
        count = rows.aggregate(n=Sum("count"))["n"] or 0
        recent = list(rows.values("document_uri", "directive", "blocked_uri", "count")[:50])
        return JsonResponse({"count": count, "recent": recent})
    if request.method != "POST":
        return HttpResponse(status=405)
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY:
        return HttpResponse(status=413)
    if not throttle.claim("csp-report", request.META.get("REMOTE_ADDR", ""), limit=REPORTS_PER_ADDRESS, window=3600):
        return HttpResponse(status=204)
    try:
        reports = _reports(request.body)
    except (ValueError, UnicodeDecodeError, KeyError, AttributeError):
        return HttpResponse(status=400)
    for report in reports[:20]:
        _count(report)
    return HttpResponse(status=204)

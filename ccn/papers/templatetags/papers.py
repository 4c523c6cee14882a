"""`{% signed_paper "report-letter" report.pk %}` on a record's page: who signed its paper and when, with the scan,
or that the signed scan is still to attach. A template library, so the record's app does not import this one."""

from django import template
from django.conf import settings

from ccn.papers.selectors import signed_for, unsigned_overdue

register = template.Library()


@register.inclusion_tag("papers/signed_badge.html")
def signed_paper(kind, key):
    return {"signed": signed_for(kind, key), "kind": kind, "key": str(key)}


@register.inclusion_tag("papers/unsigned_section.html", takes_context=True)
def unsigned_papers(context):
    """The data-quality page's list of approved Forms 04 and decisions still without their signed scan after
    CCN_SIGNED_SCAN_DAYS days, for the page's reader."""
    missing = unsigned_overdue(context["request"].user)
    count = len(missing["reports"]) + len(missing["decisions"])
    return {"missing": missing, "count": count, "days": settings.CCN_SIGNED_SCAN_DAYS}

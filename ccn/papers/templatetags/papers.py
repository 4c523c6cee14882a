"""`{% signed_paper "report-letter" report.pk %}` on a record's page: who signed its paper and when, with the scan,
or that the signed scan is still to attach. A template library, so the record's app does not import this one."""

from django import template

from ccn.papers.selectors import signed_for

register = template.Library()


@register.inclusion_tag("papers/signed_badge.html")
def signed_paper(kind, key):
    return {"signed": signed_for(kind, key), "kind": kind, "key": str(key)}

"""Template filters for the domain's numbers: hectares, percentages, status badges."""

import uuid

from django import template
from django.utils.html import format_html

from ccn.core.text import number

register = template.Library()


@register.filter
def num(value, digits=1):
    """A number in the active language's format: 1.686,5 (vi) or 1,686.5 (en); empty stays empty."""
    return number(value, digits)


@register.filter
def ha(value):
    if value is None or value == "":
        return "—"
    return f"{num(value, 2)} ha"


@register.filter
def pct(value, digits=1):
    if value is None or value == "":
        return "—"
    return f"{num(value, digits)} %"


@register.simple_tag
def badge(label, colour):
    return format_html('<span class="badge badge-{}">{}</span>', colour, label)


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs):
    """The current query string with some parameters replaced (for sorting and paging links)."""
    params = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + params.urlencode() if params else "?"


@register.simple_tag(takes_context=True)
def page_query(context, page, number):
    """The current query string turned to page `number` of `page`: under its own parameter when the view named one
    (`page.param`, for a second pager on one page), else under `page`."""
    return query_with(context, **{getattr(page, "param", "page"): number})


@register.simple_tag
def form_token():
    """A hidden token that makes a double-submitted form take effect once (ccn/core/idempotency.py)."""
    return format_html('<input type="hidden" name="form_token" value="{}">', uuid.uuid4().hex)

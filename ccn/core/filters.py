"""One filter declaration per list (docs/decisions/0008-filters.md).

A list's filters are declared once, as a django-filter FilterSet in the app's `filters.py`. From it come:

- the page's filter form (`filterset.form`, rendered by the list template);
- the API's query parameters: `query_schema(FilterSet, ...)` builds the django-ninja Schema of the endpoint, so the
  OpenAPI document lists every filter with its type and bounds, and `schema.filter_data()` hands the validated
  values back to the FilterSet;
- the OGC collection's query parameters (`ccn/maps/ogc.py` accepts the FilterSet's names and reports its errors);
- the exports' filter (they pass the list page's query string through the same FilterSet).

A value that does not validate (an unknown province code, a number out of range) matches nothing, and the page's
form says why: a list never silently drops a filter the user asked for.
"""

from __future__ import annotations

import datetime
import enum
from decimal import Decimal
from typing import Any

import django_filters as df
from django import forms
from ninja import Field, Schema
from pydantic import create_model

from .api import MAX_OFFSET
from .text import search_terms


class FilterSet(df.FilterSet):
    """A list's filters. `user` (or the request's user) is there for filters whose choices depend on who asks.
    `shown`: the filters the page's form shows, in its order (None: all); the others are still read from the query
    string and kept in the form as hidden inputs (links name them, the API documents them)."""

    shown: tuple[str, ...] | None = None

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, user=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.user = user if user is not None else getattr(request, "user", None)

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            if self.shown is not None:
                hidden = [name for name in form.fields if name not in self.shown]
                for name in hidden:
                    form.fields[name].widget = forms.HiddenInput()
                form.fields = {name: form.fields[name] for name in (*self.shown, *hidden)}
            self.adapt_form(form)
        return self._form

    def adapt_form(self, form) -> None:
        """Narrow what the page's form offers (choices that depend on the user): override."""

    def filter_queryset(self, queryset):
        if self.form.errors:
            return queryset.none()
        return super().filter_queryset(queryset)

    def first_error(self) -> tuple[str, str] | None:
        """(parameter, message) of the first value that does not validate, for APIs that refuse bad input."""
        for name, errors in self.form.errors.items():
            return name, str(errors[0])
        return None


def api(filter_: df.Filter, type_: Any = None, *, default: Any = None, **constraints) -> df.Filter:
    """Give a filter the API type (and pydantic bounds such as ge/le) its query parameter is documented with, where
    the one inferred from the form field is not the right one (a yes/no select that the API takes as a boolean);
    `default`: a parameter that is not optional but has this default (documented as such)."""
    if type_ is not None:
        filter_.api_type = type_
    filter_.api_default = default
    filter_.api_constraints = constraints
    return filter_


class EnumFilter(df.ChoiceFilter):
    """A choice among a TextChoices: the form offers its labels, the API documents the enum by name."""

    def __init__(self, *args, enum: type[enum.Enum], **kwargs):
        kwargs.setdefault("choices", enum.choices)
        super().__init__(*args, **kwargs)
        self.enum = enum


def _api_type(filter_: df.Filter):
    if getattr(filter_, "api_type", None) is not None:
        return filter_.api_type
    if isinstance(filter_, EnumFilter):
        return filter_.enum
    if isinstance(filter_, df.ModelChoiceFilter):
        return str if filter_.extra.get("to_field_name") else int
    if isinstance(filter_, df.NumberFilter):
        return Decimal
    if isinstance(filter_, df.DateFilter):
        return datetime.date
    if isinstance(filter_, df.BooleanFilter):
        return bool
    return str


def _api_constraints(filter_: df.Filter) -> dict:
    constraints = {}
    if filter_.extra.get("min_value") is not None:
        constraints["ge"] = filter_.extra["min_value"]
    if filter_.extra.get("max_value") is not None:
        constraints["le"] = filter_.extra["max_value"]
    if filter_.extra.get("max_length") is not None:
        constraints["max_length"] = filter_.extra["max_length"]
    constraints.update(getattr(filter_, "api_constraints", {}))
    return constraints


def page_fields(*, limit: int = 50, max_limit: int = 500, bounded: bool = True) -> dict:
    """The `limit` and `offset` parameters of a paged list (`bounded=False`: documented without bounds, as some
    older endpoints are; `paginate` clamps them all the same)."""
    if not bounded:
        return {"limit": (int, limit), "offset": (int, 0)}
    return {
        "limit": (int, Field(limit, ge=1, le=max_limit)),
        "offset": (int, Field(0, ge=0, le=MAX_OFFSET)),
    }


class FilterQuery(Schema):
    """Base of the query schemas `query_schema` builds."""

    def filter_data(self) -> dict:
        """The FilterSet's data from the validated parameters: the values its form fields take."""
        data = {}
        for name, filter_ in self._filterset.base_filters.items():
            value = getattr(self, name)
            if value is None or value == "":
                continue
            if isinstance(value, bool):
                # A yes/no filter reads true/false (a checkbox reads any other text as yes); a select of 1/0, 1/0.
                if isinstance(filter_, df.BooleanFilter):
                    value = "true" if value else "false"
                else:
                    value = "1" if value else "0"
            elif isinstance(value, enum.Enum):
                value = value.value
            data[name] = value if isinstance(value, list) else str(value)
        return data


def query_schema(filterset_class: type[FilterSet], name: str, *, before: dict | None = None, **extra) -> type:
    """The django-ninja query Schema of a list endpoint: one optional parameter per filter of `filterset_class`
    (typed from its form field, bounds included), then `extra` (sorting, paging: name=(type, default)); `before`
    are parameters the endpoint documents ahead of the filters."""
    fields: dict[str, Any] = dict(before or {})
    for filter_name, filter_ in filterset_class.base_filters.items():
        constraints = _api_constraints(filter_)
        type_ = _api_type(filter_)
        default = getattr(filter_, "api_default", None)
        if default is None:
            type_, default = type_ | None, None
        fields[filter_name] = (type_, Field(default, **constraints) if constraints else default)
    fields.update(extra)
    schema = create_model(name, __base__=FilterQuery, **fields)
    schema._filterset = filterset_class
    return schema


def narrow_choices(field: forms.ModelChoiceField, queryset) -> None:
    """Offer only `queryset` in a select while still accepting any value of the field's own queryset (the commune
    select lists the communes of one province; the API accepts any commune's code)."""
    field.widget.choices = forms.ModelChoiceField(
        queryset, empty_label=field.empty_label, to_field_name=field.to_field_name
    ).choices


class SearchFilter(df.CharFilter):
    """Free-text search: every term (accents and case folded, ccn.core.text.search_terms) must match one of
    `lookups`."""

    def __init__(self, *args, lookups: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.lookups = lookups

    def filter(self, qs, value):
        from django.db.models import Q

        for term in search_terms(value):
            match = Q()
            for lookup in self.lookups:
                match |= Q(**{lookup: term})
            qs = qs.filter(match)
        return qs

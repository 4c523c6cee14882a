"""Choice labels read from one dict per field: `get_<field>_display()` of every CCN model.

Django's own `get_<field>_display()` rebuilds a hashable copy of the field's choices on each call: a tenant list's
status badges spent more time there than in everything else a row shows. The method installed here builds the
value → label dict once per field (on first use, so that the labels stay lazy and follow the active language) and
answers as Django does: the label of the value, else the value itself. Fields whose choices are computed (a
callable) keep Django's method."""

from __future__ import annotations

from functools import partialmethod
from inspect import getattr_static

from django.utils.encoding import force_str


def install(models) -> None:
    for model in models:
        for field in model._meta.concrete_fields:
            name = f"get_{field.name}_display"
            # Django's method is a partialmethod; a model that writes its own keeps it
            if isinstance(field.choices, (list, tuple)) and isinstance(
                getattr_static(model, name, None), partialmethod
            ):
                setattr(model, name, _display(field))


def _display(field):
    labels: dict = {}

    def display(self):
        if not labels:
            labels.update((value, label) for value, label in field.flatchoices)
        value = getattr(self, field.attname)
        try:
            label = labels.get(value, value)
        except TypeError:  # an unhashable value is no choice's
            label = value
        return force_str(label, strings_only=True)

    display.__name__ = f"get_{field.name}_display"
    return display

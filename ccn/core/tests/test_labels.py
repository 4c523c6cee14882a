"""`get_<field>_display()` of every CCN model (ccn/core/labels.py) answers as Django's own method: the label of each
choice in the active language, an unknown value as it is, an empty one as it is."""

from django.apps import apps
from django.db.models import Model
from django.utils import translation

from ccn.core import labels


def _models():
    return [m for m in apps.get_models() if m.__module__.startswith("ccn.")]


def test_every_choice_field_answers_as_djangos_method_in_both_languages():
    checked = 0
    for model in _models():
        for field in model._meta.concrete_fields:
            if not isinstance(field.choices, (list, tuple)):
                continue
            method = getattr(model, f"get_{field.name}_display")
            values = [value for value, _label in field.flatchoices] + ["no-such-choice", None]
            for language in ("vi", "en"):
                with translation.override(language):
                    for value in values:
                        obj = model.__new__(model)
                        obj.__dict__[field.attname] = value
                        assert method(obj) == Model._get_FIELD_display(obj, field), (model, field.name, value)
                        checked += 1
    assert checked > 500  # every model's statuses, kinds, roles and units


def test_every_choice_field_reads_its_labels_from_one_dict():
    for model in _models():
        for field in model._meta.concrete_fields:
            if isinstance(field.choices, (list, tuple)):
                assert getattr(model, f"get_{field.name}_display").__module__ == labels.__name__, (model, field.name)

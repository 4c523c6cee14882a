"""Small helpers every app's services share."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .errors import ValidationFailed, validation_from_django


def actor_or_none(actor):
    """The acting user to store on a record: None for the public (anonymous) or a missing actor."""
    return actor if getattr(actor, "is_authenticated", False) else None


def full_clean_or_fail(obj, exclude=None) -> None:
    """Run the model's validation (fields and constraints) and turn its errors into a 422 with per-field messages."""
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise validation_from_django(exc)


def refuse_unknown(data: dict, allowed: Iterable[str]) -> None:
    """Refuse (422) input naming fields the service does not write, listing them."""
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationFailed(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})

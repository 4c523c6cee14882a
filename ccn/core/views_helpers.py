"""Helpers the views of every app share: apply a service's refusal to a form, map domain errors to HTTP."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404

from .errors import DomainError, NotFoundError, PermissionDeniedError


def apply_error(request, form, exc: DomainError) -> None:
    """Show a service's refusal on the form: per-field messages inline, the rest at the top."""
    if isinstance(exc, NotFoundError):
        raise Http404(exc.message)
    if isinstance(exc, PermissionDeniedError):
        raise PermissionDenied(exc.message)
    placed = False
    for field, errors in exc.field_errors.items():
        for error in errors:
            if form is not None and field in form.fields:
                form.add_error(field, error)
                placed = True
            elif form is not None and field == "__all__":
                form.add_error(None, error)
                placed = True
    if not placed:
        messages.error(request, exc.message)


def get_or_404(fn, *args, **kwargs):
    """Call a selector or a policy check; its NotFoundError becomes a 404 page, its PermissionDeniedError a 403
    page with the same message."""
    try:
        return fn(*args, **kwargs)
    except NotFoundError as exc:
        raise Http404(exc.message)
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message)


or_http = get_or_404

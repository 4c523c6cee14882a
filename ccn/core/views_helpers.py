"""Helpers the views of every app share: apply a service's refusal to a form, map domain errors to HTTP."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

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


def run_service(request, form, call, success):
    """Call a service (`call()`); on a refusal (DomainError) show it on the form (apply_error) and return None,
    else flash `success` (a message, or a function of the result giving one) and return the result (True when
    the service returns nothing)."""
    try:
        result = call()
    except DomainError as exc:
        apply_error(request, form, exc)
        return None
    messages.success(request, success(result) if callable(success) else success)
    return result if result is not None else True


def form_action(request, form, call, *, success, then):
    """The form-action view's POST: when the request is a POST and `form` is valid, run the service through
    run_service and redirect to `then` (a URL, or a function of the result giving one). Returns the redirect, or
    None when the page is to be shown (again) with the form and its errors:

        done = form_action(request, form, lambda: services.thing_update(...), success=_("Saved."), then=url)
        return done or render(request, "app/form.html", {"form": form})
    """
    if request.method != "POST" or not form.is_valid():
        return None
    result = run_service(request, form, call, success)
    if result is None:
        return None
    return redirect(then(result) if callable(then) else then)


# A record's id no address of the site holds: reversed once in its place, then replaced by each record's.
_ID_PLACEHOLDER = 987654321987


def with_urls(name: str, records: list, *, attr: str = "url") -> list:
    """Each record with `attr` set to `reverse(name, args=[record.pk])`, for a list's rows: Django reverses an
    address in 40–80 µs, so the address is reversed once with a placeholder id and each row's id written in."""
    pattern = reverse(name, args=[_ID_PLACEHOLDER])
    for record in records:
        setattr(record, attr, pattern.replace(str(_ID_PLACEHOLDER), str(int(record.pk))))
    return records

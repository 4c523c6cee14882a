"""Helpers shared by the pages of the four parts: who may see procedures and the form page."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from ccn.core.views_helpers import run_service

from .. import selectors

PAGE_SIZE = 50


def procedures_user(view):
    """Signed-in users of the roles that take part in procedures; investors, tenants and the public may not."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not selectors.can_see_procedures(request.user):
            raise PermissionDenied(_("Your role does not take part in these procedures."))
        return view(request, *args, **kwargs)

    return wrapper


def _back_url(back) -> str:
    """Where "Cancel" goes: a URL, a URL name, or a dossier."""

    if hasattr(back, "code"):
        return reverse("procedures:dossier", kwargs={"code": back.code})
    return back if back.startswith("/") else reverse(back)


def _form_page(request, *, title, form, back, intro="", submit=None):
    return render(
        request,
        "procedures/form.html",
        {"title": title, "form": form, "back": _back_url(back), "intro": intro, "submit": submit or _("Confirm")},
    )


_run = run_service

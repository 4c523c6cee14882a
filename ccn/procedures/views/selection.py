"""Pages of investor selection."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ccn.accounts.choices import PROVINCE_LEADERS, PROVINCE_ROLES
from ccn.accounts.models import User
from ccn.core.views_helpers import get_or_404

from .. import forms as f
from .. import selectors, services
from ..choices import CRITERION_MAX, Criterion, RoundStatus
from .common import _form_page, _run, procedures_user


def _council_candidates(dossier):
    roles = [*PROVINCE_ROLES, *PROVINCE_LEADERS]  # the chair is a People's Committee member (Decree 32, Art. 13)
    return User.objects.filter(province_id=dossier.province_id, role__in=roles, is_active=True).order_by(
        "last_name", "username"
    )


@procedures_user
@require_http_methods(["GET", "POST"])
def selection(request, code):
    dossier = get_or_404(selectors.dossier_get, user=request.user, code=code)
    user = request.user
    sel = getattr(dossier, "selection", None)
    if sel is None:
        if not services.is_department_of(user, dossier.province_id):
            raise Http404(_("No selection for this dossier yet."))
        form = f.SelectionOpenForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            if _run(
                request,
                form,
                lambda: services.selection_open(
                    actor=user, dossier=dossier, council_ref=form.cleaned_data["council_ref"]
                ),
                _("Selection opened: add the council members."),
            ):
                return redirect("procedures:selection", code=code)
        return _form_page(request, title=_("Open the investor selection"), form=form, back=dossier)
    applications = dossier.applications.select_related("applicant")
    is_department = services.is_department_of(user, dossier.province_id)
    member = sel.members.filter(user=user).first() if user.is_authenticated else None
    scored = set(sel.sheets.filter(member=member).values_list("application_id", flat=True)) if member else set()
    to_score = [a for a in applications if a.pk not in scored]
    member_form = f.MemberForm(users=_council_candidates(dossier), prefix="m")
    score_form = f.ScoreForm(
        applications=applications, prefix="s", initial={"application": to_score[0].pk} if to_score else None
    )
    close_form = f.SelectionCloseForm(
        applications=applications, prefix="c", initial={"meeting_on": timezone.localdate()}
    )
    if request.method == "POST":
        which = request.POST.get("form")
        if which == "member" and is_department:
            member_form = f.MemberForm(request.POST, users=_council_candidates(dossier), prefix="m")
            if member_form.is_valid() and _run(
                request,
                member_form,
                lambda: services.council_member_add(actor=user, selection=sel, **member_form.cleaned_data),
                _("Member added."),
            ):
                return redirect("procedures:selection", code=code)
        elif which == "score" and member:
            score_form = f.ScoreForm(request.POST, applications=applications, prefix="s")
            if score_form.is_valid() and _run(
                request,
                score_form,
                lambda: services.score_submit(
                    actor=user,
                    selection=sel,
                    application=score_form.cleaned_data["application"],
                    scores=score_form.scores(),
                    comment=score_form.cleaned_data["comment"],
                ),
                _("Scores recorded."),
            ):
                return redirect("procedures:selection", code=code)
        elif which == "close" and is_department:
            close_form = f.SelectionCloseForm(request.POST, applications=applications, prefix="c")
            if close_form.is_valid() and _run(
                request,
                close_form,
                lambda: services.selection_close(actor=user, selection=sel, **close_form.cleaned_data),
                _("Selection closed."),
            ):
                return redirect("procedures:selection", code=code)
        else:
            raise PermissionDenied(_("You may not do this."))
    return render(
        request,
        "procedures/selection.html",
        {
            "dossier": dossier,
            "selection": sel,
            "members": sel.members.select_related("user"),
            "sheets": sel.sheets.select_related("member__user", "application__applicant"),
            "results": selectors.selection_results(sel),
            "applications": applications,
            "criteria": [(c.value, c.label, CRITERION_MAX[c]) for c in Criterion],
            "is_open": sel.status == RoundStatus.OPEN,
            "is_department": is_department,
            "member": member,
            "to_score": to_score,
            "member_form": member_form,
            "score_form": score_form,
            "close_form": close_form,
            "winner": dossier.selected_application,
        },
    )

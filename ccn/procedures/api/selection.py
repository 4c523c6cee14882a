"""API of investor selection."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Status

from ccn.accounts.models import User
from ccn.core.errors import NotFoundError, field_error

from .. import selectors, services
from ..models import Application
from .base import ERRORS, _key, _user, _writer, router
from .schemas_selection import ProcedureMemberIn, ScoreIn, SelectionCloseIn, SelectionOpenIn, SelectionOut


def _selection_out(dossier) -> dict:
    sel = dossier.selection
    return {
        "status": sel.status,
        "council_ref": sel.council_ref,
        "meeting_on": sel.meeting_on,
        "minutes": sel.minutes,
        "members": [
            {"username": m.user.username, "role": m.role, "title": m.title} for m in sel.members.select_related("user")
        ],
        "results": selectors.selection_results(sel),
        "selected_application_id": dossier.selected_application_id,
        "selected_applicant": dossier.selected_application.applicant.name if dossier.selected_application_id else None,
    }


def _selection(user, code):
    dossier = selectors.dossier_get(user=user, code=_key(code))
    if not hasattr(dossier, "selection"):
        raise NotFoundError(_("No selection for this dossier yet."))
    return dossier


@router.get(
    "/dossiers/{code}/selection", response={200: SelectionOut, **ERRORS}, operation_id="procedures_selection_get"
)
def selection_get(request, code: str):
    user = _user(request)
    return Status(200, _selection_out(_selection(user, code)))


@router.post(
    "/dossiers/{code}/selection", response={201: SelectionOut, **ERRORS}, operation_id="procedures_selection_open"
)
def selection_open(request, code: str, payload: SelectionOpenIn):
    user = _writer(request)
    dossier = selectors.dossier_get(user=user, code=_key(code))
    services.selection_open(actor=user, dossier=dossier, council_ref=payload.council_ref)
    return Status(201, _selection_out(selectors.dossier_get(user=user, code=_key(code))))


@router.post(
    "/dossiers/{code}/selection/members",
    response={200: SelectionOut, **ERRORS},
    operation_id="procedures_selection_member_add",
)
def selection_member_add(request, code: str, payload: ProcedureMemberIn):
    user = _writer(request)
    dossier = _selection(user, code)
    member = User.objects.filter(username=payload.username).first()
    if member is None:
        raise field_error("username", _("Unknown user."))
    services.council_member_add(
        actor=user, selection=dossier.selection, user=member, role=payload.role, title=payload.title
    )
    return Status(200, _selection_out(dossier))


@router.post(
    "/dossiers/{code}/selection/scores",
    response={201: SelectionOut, **ERRORS},
    operation_id="procedures_selection_score",
)
def selection_score(request, code: str, payload: ScoreIn):
    """A council member scores one applicant once; each criterion within its legal maximum."""
    user = _writer(request)
    dossier = _selection(user, code)
    application = Application.objects.filter(pk=payload.application_id, dossier=dossier).first()
    if application is None:
        raise field_error("application_id", _("This applicant is not in this dossier."))
    scores = payload.dict(exclude={"application_id", "comment"})
    services.score_submit(
        actor=user, selection=dossier.selection, application=application, scores=scores, comment=payload.comment
    )
    return Status(201, _selection_out(dossier))


@router.post(
    "/dossiers/{code}/selection/close",
    response={200: SelectionOut, **ERRORS},
    operation_id="procedures_selection_close",
)
def selection_close(request, code: str, payload: SelectionCloseIn):
    user = _writer(request)
    dossier = _selection(user, code)
    services.selection_close(
        actor=user,
        selection=dossier.selection,
        meeting_on=payload.meeting_on,
        minutes=payload.minutes,
        chair_proposal=payload.chair_proposal_application_id,
    )
    return Status(200, _selection_out(selectors.dossier_get(user=user, code=_key(code))))

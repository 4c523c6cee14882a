"""Investor selection: the round, its council, score sheets and the result."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from ccn.accounts import policy
from ccn.accounts.choices import Role
from ccn.accounts.scope import role_of
from ccn.core.errors import (
    ConflictError,
    PermissionDeniedError,
    field_error,
)
from ccn.core.history import record_change, snapshot, versioned_update
from ccn.core.models import ChangeAction
from ccn.core.transitions import run_transition

from ..choices import (
    CRITERION_MAX,
    CouncilRole,
    Criterion,
    DossierStatus,
    RoundStatus,
)
from ..models import (
    Application,
    CouncilMember,
    Dossier,
    ScoreSheet,
    SelectionRound,
)
from ..policy import SIT
from ..selectors import selection_results
from ..workflow import SELECTION_WORKFLOW
from .common import _not_future, _user, is_department_of
from .dossiers import _lock


def _selection_dossier_open(selection: SelectionRound):
    if selection.status != RoundStatus.OPEN:
        raise ConflictError(_("The selection is closed."), code="selection_closed")


@transaction.atomic
def selection_open(*, actor, dossier: Dossier, council_ref: str = "") -> SelectionRound:
    """The council is set up during the appraisal (Art. 10(3) and 13(2))."""
    dossier = _lock(dossier)
    if not is_department_of(actor, dossier.province_id):
        raise PermissionDeniedError(_("Only the Department organises the selection."))
    if dossier.status not in (DossierStatus.IN_APPRAISAL, DossierStatus.AWAITING_CORRECTIONS):
        raise ConflictError(_("The selection takes place during the appraisal."))
    if hasattr(dossier, "selection"):
        raise ConflictError(_("This dossier already has a selection."))
    if not dossier.applications.exists():
        raise ConflictError(_("There is no applicant to score."))
    selection = SelectionRound.objects.create(dossier=dossier, council_ref=(council_ref or "").strip())
    record_change(actor=actor, obj=selection, action=ChangeAction.CREATE, after=snapshot(selection))
    return selection


@transaction.atomic
def council_member_add(*, actor, selection: SelectionRound, user, role: str, title: str = "") -> CouncilMember:
    dossier = selection.dossier
    if not is_department_of(actor, dossier.province_id):
        raise PermissionDeniedError(_("Only the Department organises the selection."))
    _selection_dossier_open(selection)
    if role not in CouncilRole.values:
        raise field_error("role", _("Choose the role in the council."))
    if user is None or role_of(user) == Role.ADMIN or not policy.can(user, SIT, dossier):
        raise field_error("user", _("Council members are officials of the province with an account in their province."))
    if role == CouncilRole.CHAIR and selection.members.filter(role=CouncilRole.CHAIR).exists():
        raise field_error("role", _("The council already has a chair."))
    if selection.members.filter(user=user).exists():
        raise field_error("user", _("This person is already on the council."))
    member = CouncilMember.objects.create(selection=selection, user=user, role=role, title=(title or "").strip())
    record_change(actor=actor, obj=member, action=ChangeAction.CREATE, after=snapshot(member))
    return member


def _score(value, criterion: str) -> Decimal:
    label = Criterion(criterion).label
    try:
        score = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise field_error(criterion, _("%(criterion)s: give a number of points.") % {"criterion": label})
    if not score.is_finite() or score < 0:
        raise field_error(criterion, _("%(criterion)s: points cannot be negative.") % {"criterion": label})
    maximum = CRITERION_MAX[criterion]
    if score > maximum:
        raise field_error(
            criterion,
            _("%(criterion)s: at most %(max)s points; %(given)s given.")
            % {"criterion": label, "max": maximum, "given": score.normalize()},
            code="score_above_maximum",
        )
    if score != score.quantize(Decimal("0.01")):
        raise field_error(criterion, _("%(criterion)s: at most two decimals.") % {"criterion": label})
    return score


@transaction.atomic
def score_submit(*, actor, selection: SelectionRound, application: Application, scores: dict, comment: str = ""):
    """A council member scores one applicant once, on every criterion, each within its legal maximum."""
    selection = SelectionRound.objects.select_for_update().get(pk=selection.pk)
    member = selection.members.filter(user=actor).first() if getattr(actor, "is_authenticated", False) else None
    if member is None:
        raise PermissionDeniedError(_("Only members of this council score the applicants."))
    _selection_dossier_open(selection)
    if application.dossier_id != selection.dossier_id:
        raise field_error("application", _("This applicant is not in this dossier."))
    values = {c: _score(scores.get(c), c) for c in Criterion.values}
    if ScoreSheet.objects.filter(member=member, application=application).exists():
        raise ConflictError(
            _("You have already scored %(applicant)s; a score cannot be given twice.")
            % {"applicant": application.applicant.name},
            code="already_scored",
        )
    sheet = ScoreSheet.objects.create(
        selection=selection, member=member, application=application, comment=(comment or "").strip(), **values
    )
    record_change(actor=actor, obj=sheet, action=ChangeAction.CREATE, after=snapshot(sheet))
    return sheet


@transaction.atomic
def selection_close(
    *, actor, selection: SelectionRound, meeting_on: datetime.date, minutes: str, chair_proposal=None
) -> SelectionRound:
    """Close the scoring: each applicant's score is the average of the members' totals; 50 qualifies; the highest
    wins; a tie at the top goes to the applicant the chair proposes (Art. 13(2)); with no qualifier there is no
    investor and the appraisal cannot be favourable."""

    selection = SelectionRound.objects.select_for_update().select_related("dossier").get(pk=selection.pk)
    dossier = Dossier.objects.select_for_update().get(pk=selection.dossier_id)
    if not is_department_of(actor, dossier.province_id):
        raise PermissionDeniedError(_("Only the Department organises the selection."))
    _selection_dossier_open(selection)
    _not_future("meeting_on", meeting_on, _("The date of the council meeting"))
    if not (minutes or "").strip():
        raise field_error("minutes", _("Enter the minutes of the council meeting."))
    members = list(selection.members.select_related("user"))
    if not members:
        raise ConflictError(_("The council has no members."))
    if not any(m.role == CouncilRole.CHAIR for m in members):
        raise ConflictError(_("The council needs a chair (a leader of the provincial People's Committee)."))
    applications = list(dossier.applications.select_related("applicant"))
    scored = set(selection.sheets.values_list("member_id", "application_id"))
    missing = [f"{m} → {a.applicant.name}" for m in members for a in applications if (m.pk, a.pk) not in scored]
    if missing:
        raise ConflictError(
            _("Some members have not scored every applicant: %(missing)s.") % {"missing": "; ".join(missing)},
            code="scores_missing",
        )
    results = selection_results(selection)
    qualifying = [r for r in results if r["qualifies"]]
    winner_id = None
    tie = []
    if qualifying:
        top = qualifying[0]["average"]
        tie = [r["application_id"] for r in qualifying if r["average"] == top]
        if len(tie) == 1:
            winner_id = tie[0]
        else:
            proposal_id = getattr(chair_proposal, "pk", chair_proposal)
            if proposal_id not in tie:
                names = ", ".join(r["applicant"] for r in qualifying if r["application_id"] in tie)
                raise field_error(
                    "chair_proposal",
                    _("%(names)s share the highest score: record which one the chair of the council proposes.")
                    % {"names": names},
                    code="tie",
                )
            winner_id = proposal_id
            selection.chair_proposal_id = proposal_id

    def apply(locked, transition):
        locked.meeting_on = meeting_on
        locked.minutes = minutes.strip()
        locked.closed_by = _user(actor)
        locked.result = {
            "ranking": [
                {
                    **r,
                    "average": str(r["average"]),
                    "criteria": {k: str(v) for k, v in r["criteria"].items()},
                }
                for r in results
            ],
            "winner_application_id": winner_id,
            "tie": tie if len(tie) > 1 else [],
            "qualifying_score": "50",
        }

    selection = run_transition(
        selection,
        SELECTION_WORKFLOW,
        "close",
        actor=actor,
        lock=False,
        authorize=lambda row: None,  # the Department of the dossier's province, checked above
        effective_on=meeting_on,
        apply=apply,
        message="",
        history_action=ChangeAction.UPDATE,
    )
    versioned_update(  # the dossier, locked above, names the investor selected
        dossier,
        actor=actor,
        lock=False,
        apply=lambda locked: setattr(locked, "selected_application_id", winner_id),
        update_fields=("selected_application",),
    )
    return selection

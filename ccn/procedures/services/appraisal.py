"""Appraisal and decision of a dossier: checks, appraisal, decision (which acts on the cluster), refusal, withdrawal."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from ccn.clusters.choices import DocumentKind
from ccn.clusters.services import cluster_transition, cluster_update, document_add
from ccn.core.errors import (
    ConflictError,
    PermissionDeniedError,
    ValidationFailed,
    field_error,
)
from ccn.core.history import versioned_update
from ccn.core.services import refuse_unknown

from ..checks import run_checks
from ..choices import (
    Conclusion,
    DossierKind,
    RoundStatus,
    Step,
)
from ..models import (
    Dossier,
    DossierStep,
)
from .common import (
    _check_action,
    _complete_step,
    _d,
    _move,
    _not_future,
    _start_step,
    is_department_of,
    is_province_approver_of,
)
from .dossiers import _lock


def _applicants(dossier: Dossier) -> int:
    return dossier.applications.count()


@transaction.atomic
def dossier_run_checks(*, actor, dossier: Dossier, on: datetime.date) -> dict:
    """Compute the Art. 8 checks on `on` and keep the result with the dossier."""

    def check(locked):
        if not (is_department_of(actor, locked.province_id) or is_province_approver_of(actor, locked.province_id)):
            raise PermissionDeniedError(_("Only the Department or the province runs the checks."))
        _not_future("on", on, _("The date of the checks"))

    def apply(locked):
        result = run_checks(
            cluster=locked.cluster,
            kind=locked.kind,
            on=on,
            area=locked.proposed_area_ha,
            applicants=_applicants(locked),
        )
        locked.checks, locked.checks_on, locked.checks_passed = result, on, result["passed"]

    return versioned_update(dossier, actor=actor, check=check, apply=apply).checks


@transaction.atomic
def dossier_appraise(
    *,
    actor,
    dossier: Dossier,
    appraised_on: datetime.date,
    conclusion: str,
    appraisal_ref: str = "",
    notes: str = "",
    late_reason: str = "",
    expected_version: int | None = None,
) -> Dossier:
    """The Department's appraisal: the checks are computed on its date and kept; a favourable conclusion needs the
    checks passed and an investor selected by the council."""
    dossier = _lock(dossier)
    _check_action(actor, dossier, "appraise", expected_version)
    _not_future("appraised_on", appraised_on, _("The date of the appraisal"))
    if conclusion not in Conclusion.values:
        raise field_error("conclusion", _("Choose the conclusion of the appraisal."))
    last = dossier.pauses.filter(step=Step.APPRAISE, ended_on__isnull=False).order_by("-ended_on").first()
    if last and appraised_on < last.ended_on:
        raise field_error(
            "appraised_on",
            _("The appraisal cannot be dated before the corrections were received (%(day)s).")
            % {"day": _d(last.ended_on)},
        )
    result = run_checks(
        cluster=dossier.cluster,
        kind=dossier.kind,
        on=appraised_on,
        area=dossier.proposed_area_ha,
        applicants=_applicants(dossier),
    )
    if conclusion == Conclusion.FAVOURABLE:
        if not result["passed"]:
            raise ConflictError(
                _(
                    "The conditions of Decree 32/2024, Art. 8 are not met on %(day)s: "
                    "the appraisal cannot be favourable."
                )
                % {"day": _d(appraised_on)},
                code="checks_failed",
            )
        selection = getattr(dossier, "selection", None)
        if selection is None or selection.status != RoundStatus.CLOSED:
            raise ConflictError(
                _("The council must score the applicants and close the selection before a favourable appraisal."),
                code="selection_open",
            )
        if dossier.selected_application_id is None:
            raise ConflictError(
                _("No applicant reached %(score)s points: the appraisal cannot be favourable.") % {"score": 50},
                code="no_investor",
            )
    _complete_step(dossier, Step.APPRAISE, appraised_on, late_reason, "appraised_on")
    _start_step(dossier, Step.DECIDE, appraised_on)
    dossier.appraised_on = appraised_on
    dossier.conclusion = conclusion
    dossier.appraisal_ref = (appraisal_ref or "").strip()
    dossier.appraisal_notes = (notes or "").strip()
    dossier.checks, dossier.checks_on, dossier.checks_passed = result, appraised_on, result["passed"]
    return _move(actor, dossier, "appraise", dossier.appraisal_ref)


DECISION_FIELDS = (
    "number",
    "issuer",
    "name",
    "area_ha",
    "location",
    "sectors",
    "scale",
    "capital_bn",
    "capital_sources",
    "schedule",
    "incentives",
)


def _decision_content(dossier: Dossier, decision: dict) -> dict:
    refuse_unknown(decision, DECISION_FIELDS)
    errors: dict[str, list[str]] = {}
    for field in ("number", "issuer", "name", "location"):
        if not str(decision.get(field) or "").strip():
            errors[field] = [_("Required.")]
    try:
        area = Decimal(str(decision.get("area_ha")))
        if area <= 0:
            raise InvalidOperation
    except (InvalidOperation, TypeError, ValueError):
        errors["area_ha"] = [_("Give the area in hectares.")]
        area = None
    capital = decision.get("capital_bn")
    if capital not in (None, ""):
        try:
            capital = Decimal(str(capital))
        except InvalidOperation:
            errors["capital_bn"] = [_("Give the capital in VND billion.")]
    if errors:
        first = next(iter(errors.items()))
        raise ValidationFailed(f"{first[0]}: {first[1][0]}", field_errors=errors)
    applicant = dossier.selected_application.applicant
    return {
        "number": decision["number"].strip(),
        "issuer": decision["issuer"].strip(),
        "name": decision["name"].strip(),
        "area_ha": str(area),
        "location": decision["location"].strip(),
        "sectors": [str(s).strip() for s in decision.get("sectors") or [] if str(s).strip()],
        "investor_id": applicant.pk,
        "investor": applicant.name,
        "scale": (decision.get("scale") or "").strip(),
        "capital_bn": None if capital in (None, "") else str(capital),
        "capital_sources": (decision.get("capital_sources") or "").strip(),
        "schedule": (decision.get("schedule") or "").strip(),
        "incentives": (decision.get("incentives") or "").strip(),
    }


@transaction.atomic
def dossier_decide(
    *,
    actor,
    dossier: Dossier,
    decided_on: datetime.date,
    decision: dict,
    late_reason: str = "",
    expected_version: int | None = None,
) -> Dossier:
    """The province decides (Form 02 content). The decision becomes the cluster's establishment or expansion
    document and moves its lifecycle through the registry's own services."""

    dossier = _lock(dossier)
    _check_action(actor, dossier, "decide", expected_version)
    _not_future("decided_on", decided_on, _("The date of the decision"))
    if decided_on < dossier.appraised_on:
        raise field_error(
            "decided_on",
            _("The decision is dated %(day)s, before the appraisal of %(appraised)s.")
            % {"day": _d(decided_on), "appraised": _d(dossier.appraised_on)},
            code="decision_before_appraisal",
        )
    if dossier.conclusion != Conclusion.FAVOURABLE or dossier.selected_application_id is None:
        raise ConflictError(_("The appraisal proposed a refusal: record a refusal instead."), code="unfavourable")
    content = _decision_content(dossier, decision)
    _complete_step(dossier, Step.DECIDE, decided_on, late_reason, "decided_on")
    cluster = dossier.cluster
    update = {"area_established_ha": Decimal(content["area_ha"]), "investor": dossier.selected_application.applicant}
    if content["name"] != cluster.name:
        update["name"] = content["name"]
    cluster = cluster_update(
        actor=actor,
        cluster=cluster,
        data=update,
        sectors=content["sectors"] or None,
        message=_("Decision %(number)s") % {"number": content["number"]},
    )
    expansion = dossier.kind == DossierKind.EXPANSION
    document = document_add(
        actor=actor,
        cluster=cluster,
        kind=DocumentKind.EXPANDED if expansion else DocumentKind.ESTABLISHED,
        number=content["number"],
        issued_on=decided_on,
        issuer=content["issuer"],
        title=(_("Expansion of %(name)s") if expansion else _("Establishment of %(name)s")) % {"name": content["name"]},
    )
    cluster_transition(
        actor=actor,
        cluster=cluster,
        action="start_expansion" if expansion else "establish",
        effective_on=decided_on,
        document=document,
        comment=_("Dossier %(code)s") % {"code": dossier.code},
    )
    dossier.decided_on = decided_on
    dossier.decision = content
    dossier.decision_document = document
    return _move(actor, dossier, "decide", content["number"])


@transaction.atomic
def dossier_refuse(
    *,
    actor,
    dossier: Dossier,
    refused_on: datetime.date,
    reason: str,
    late_reason: str = "",
    expected_version: int | None = None,
) -> Dossier:
    dossier = _lock(dossier)
    _check_action(actor, dossier, "refuse", expected_version)
    _not_future("refused_on", refused_on, _("The date of the refusal"))
    if refused_on < dossier.appraised_on:
        raise field_error(
            "refused_on",
            _("The refusal is dated %(day)s, before the appraisal of %(appraised)s.")
            % {"day": _d(refused_on), "appraised": _d(dossier.appraised_on)},
        )
    if not (reason or "").strip():
        raise field_error("reason", _("Give the reason for the refusal."))
    _complete_step(dossier, Step.DECIDE, refused_on, late_reason, "refused_on")
    dossier.decided_on = refused_on
    dossier.refusal_reason = reason.strip()
    return _move(actor, dossier, "refuse", reason.strip()[:200])


@transaction.atomic
def dossier_withdraw(
    *, actor, dossier: Dossier, on: datetime.date, reason: str, expected_version: int | None = None
) -> Dossier:
    dossier = _lock(dossier)
    _check_action(actor, dossier, "withdraw", expected_version)
    _not_future("on", on, _("The date of the withdrawal"))
    if not (reason or "").strip():
        raise field_error("reason", _("Give the reason for the withdrawal."))
    DossierStep.objects.filter(dossier=dossier, completed_on__isnull=True).update(completed_on=on)
    dossier.refusal_reason = reason.strip()
    return _move(actor, dossier, "withdraw", reason.strip()[:200])

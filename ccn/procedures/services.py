"""Writes of the procedures app. Each service runs in one transaction, checks role and scope, validates, records
the change history, and is the only code that writes a `status`."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ccn.accounts.choices import PROVINCE_ROLES, Role
from ccn.accounts.scope import role_of
from ccn.clusters.choices import OPERATING_STATES, ClusterStatus, DocumentKind
from ccn.clusters.models import Cluster, Organisation
from ccn.core.errors import (
    ConflictError,
    PermissionDeniedError,
    ValidationFailed,
)
from ccn.core.history import record_change, snapshot
from ccn.core.models import ChangeAction
from ccn.core.services import actor_or_none, full_clean_or_fail

from . import calendar as cal
from .checks import run_checks
from .choices import (
    CRITERION_MAX,
    AreaScope,
    Conclusion,
    CorrectionStatus,
    CouncilRole,
    Criterion,
    DossierKind,
    DossierStatus,
    InspectionStatus,
    RelocationStatus,
    RoundStatus,
    Step,
)
from .models import (
    Application,
    CalendarDay,
    Correction,
    CouncilMember,
    Dossier,
    DossierPause,
    DossierStep,
    Finding,
    Inspection,
    InspectionPlan,
    OccupancyScopeSetting,
    RelocationFacility,
    ScoreSheet,
    SelectionRound,
    TimeLimit,
)
from .workflow import DOSSIER_WORKFLOW, RELOCATION_WORKFLOW


def _d(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


_user = actor_or_none


def _fail(field: str, message: str, code: str | None = None):
    raise ValidationFailed(message, field_errors={field: [message]}, code=code)


def _not_future(field: str, day: datetime.date | None, label: str):
    if day is None:
        _fail(field, _("Give the date: %(what)s.") % {"what": label})
    if day > timezone.localdate():
        _fail(field, _("%(what)s cannot be in the future.") % {"what": label})


_clean = full_clean_or_fail


# ---------------------------------------------------------------- who may act


def is_commune_officer_of(user, commune_id) -> bool:
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    return role == Role.COMMUNE_OFFICER and user.communes.filter(pk=commune_id).exists()


def is_department_of(user, province_id) -> bool:
    role = role_of(user)
    return role == Role.ADMIN or (role == Role.PROVINCE_EDITOR and user.province_id == province_id)


def is_province_approver_of(user, province_id) -> bool:
    role = role_of(user)
    return role == Role.ADMIN or (role == Role.PROVINCE_APPROVER and user.province_id == province_id)


def may_act(user, dossier: Dossier, action: str) -> bool:
    """Whether `user` may run `action` on `dossier` now (role, scope and state), for showing buttons."""
    transition = DOSSIER_WORKFLOW.transitions.get(action)
    if transition is None or dossier.status not in transition.sources or role_of(user) not in transition.roles:
        return False
    if action == "withdraw":
        return is_commune_officer_of(user, dossier.commune_id) or is_department_of(user, dossier.province_id)
    if action in ("announce", "send"):
        return is_commune_officer_of(user, dossier.commune_id)
    if action in ("decide", "refuse"):
        return is_province_approver_of(user, dossier.province_id)
    return is_department_of(user, dossier.province_id)


def _check_action(actor, dossier: Dossier, action: str):
    DOSSIER_WORKFLOW.check(action, state=dossier.status, role=role_of(actor))
    if not may_act(actor, dossier, action):
        raise PermissionDeniedError(_("This dossier is outside your scope."))


def _move(actor, dossier: Dossier, action: str, message: str = "") -> Dossier:
    """The only writer of a dossier's status: checks the workflow table, writes, records history."""
    before = snapshot(dossier)
    transition = DOSSIER_WORKFLOW.check(action, state=dossier.status, role=role_of(actor))
    dossier.status = transition.target
    dossier.version += 1
    dossier.save()
    record_change(
        actor=actor,
        obj=dossier,
        action=ChangeAction.TRANSITION,
        before=before,
        after=snapshot(dossier),
        message=f"{transition.label} {message}".strip(),
    )
    return dossier


# ---------------------------------------------------------------- clocks


def _pauses(dossier: Dossier, step: str):
    return [(p.started_on, p.ended_on) for p in dossier.pauses.filter(step=step)]


def _start_step(dossier: Dossier, step: str, started_on: datetime.date) -> DossierStep:
    rule = cal.time_limit_on(step, started_on)
    due = cal.due_date(started_on, rule.value, rule.unit, _pauses(dossier, step))
    return DossierStep.objects.create(
        dossier=dossier,
        step=step,
        started_on=started_on,
        rule=rule,
        limit_value=rule.value,
        limit_unit=rule.unit,
        due_on=due,
    )


def _refresh_due(step: DossierStep) -> None:
    step.due_on = cal.due_date(step.started_on, step.limit_value, step.limit_unit, _pauses(step.dossier, step.step))
    step.save(update_fields=["due_on"])


def _complete_step(dossier: Dossier, step: str, on: datetime.date, late_reason: str, field: str) -> DossierStep:
    s = dossier.steps.get(step=step)
    if on < s.started_on:
        _fail(field, _("The date cannot be before the step began (%(day)s).") % {"day": _d(s.started_on)})
    late_reason = (late_reason or "").strip()
    if s.due_on and on > s.due_on and not late_reason:
        msg = _(
            "“%(step)s” is dated %(day)s, after its time limit of %(limit)s %(unit)s ended on %(due)s: "
            "record the reason for the delay."
        ) % {
            "step": Step(step).label,
            "day": _d(on),
            "limit": s.limit_value,
            "unit": s.get_limit_unit_display(),
            "due": _d(s.due_on),
        }
        raise ValidationFailed(msg, field_errors={"late_reason": [msg]}, code="late_without_reason")
    s.completed_on = on
    s.late_reason = late_reason
    s.save(update_fields=["completed_on", "late_reason"])
    return s


def recompute_open_due_dates() -> int:
    """After the calendar changes: every open step's due date again (a few hundred rows at most)."""
    n = 0
    for step in DossierStep.objects.filter(completed_on__isnull=True).select_related("dossier"):
        _refresh_due(step)
        n += 1
    return n


# ---------------------------------------------------------------- dossiers


def _next_code(province, year: int) -> str:
    prefix = f"HS-{province.code}-{year}-"
    n = Dossier.objects.filter(code__startswith=prefix).count() + 1
    while Dossier.objects.filter(code=f"{prefix}{n:04d}").exists():
        n += 1
    return f"{prefix}{n:04d}"


APPLICATION_FIELDS = (
    "applicant",
    "received_on",
    "project",
    "proposed_area_ha",
    "estimated_capital_bn",
    "capital_sources",
    "schedule",
    "attachments",
)


def _application_create(actor, dossier: Dossier, data: dict) -> Application:
    unknown = set(data) - set(APPLICATION_FIELDS)
    if unknown:
        raise ValidationFailed(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    received_on = data.get("received_on")
    _not_future("received_on", received_on, _("The date the application was received"))
    if received_on < dossier.first_received_on:
        _fail(
            "received_on",
            _("An application cannot be dated before the first one (%(day)s).")
            % {"day": _d(dossier.first_received_on)},
        )
    if dossier.window_closes_on and received_on > dossier.window_closes_on:
        _fail(
            "received_on",
            _("Applications were accepted until %(day)s; this one arrived after the window closed.")
            % {"day": _d(dossier.window_closes_on)},
            code="window_closed",
        )
    applicant = data.get("applicant")
    if not isinstance(applicant, Organisation):
        _fail("applicant", _("Choose the applicant organisation."))
    if dossier.applications.filter(applicant=applicant).exists():
        _fail("applicant", _("This organisation has already applied in this dossier."))
    application = Application(dossier=dossier, created_by=_user(actor), **data)
    application.attachments = (application.attachments or "").strip()
    _clean(application)
    application.save()
    record_change(actor=actor, obj=application, action=ChangeAction.CREATE, after=snapshot(application))
    return application


@transaction.atomic
def dossier_receive(
    *, actor, cluster: Cluster, kind: str, commune, application: dict, proposed_area_ha=None
) -> Dossier:
    """The commune receives the first application (Form 01) for a cluster: the dossier opens and the 5-working-day
    clock to announce it starts."""
    if kind not in DossierKind.values:
        _fail("kind", _("Choose establishment or expansion."))
    if commune is None or not cluster.communes.filter(pk=commune.pk).exists():
        _fail("commune", _("The receiving commune must be one of the cluster's communes."))
    if not is_commune_officer_of(actor, commune.pk):
        raise PermissionDeniedError(_("Only an officer of the cluster's commune receives applications."))
    needed = ClusterStatus.PLANNED if kind == DossierKind.ESTABLISHMENT else ClusterStatus.OPERATING
    if cluster.status != needed:
        msg = (
            _("Only a cluster in the plan that is not yet established can be established; this one is “%(state)s”.")
            if kind == DossierKind.ESTABLISHMENT
            else _("Only an operating cluster can be expanded; this one is “%(state)s”.")
        ) % {"state": cluster.get_status_display()}
        raise ConflictError(msg, code="cluster_state")
    open_dossier = cluster.dossiers.exclude(
        status__in=(DossierStatus.DECIDED, DossierStatus.REFUSED, DossierStatus.WITHDRAWN)
    ).first()
    if open_dossier:
        raise ConflictError(
            _("Dossier %(code)s for this cluster is still open: add the application to it.")
            % {"code": open_dossier.code},
            code="dossier_open",
        )
    received_on = application.get("received_on")
    _not_future("received_on", received_on, _("The date the application was received"))
    dossier = Dossier(
        code=_next_code(cluster.province, received_on.year),
        kind=kind,
        cluster=cluster,
        province=cluster.province,
        commune=commune,
        first_received_on=received_on,
        proposed_area_ha=proposed_area_ha
        if proposed_area_ha is not None
        else application.get("proposed_area_ha")
        or (cluster.area_planned_ha if kind == DossierKind.ESTABLISHMENT else None),
        created_by=_user(actor),
    )
    _clean(dossier)
    try:
        with transaction.atomic():
            dossier.save()
    except IntegrityError:
        raise ConflictError(_("Another dossier was opened at the same moment; try again."), code="dossier_code")
    _start_step(dossier, Step.ANNOUNCE, received_on)
    _application_create(actor, dossier, application)
    record_change(actor=actor, obj=dossier, action=ChangeAction.CREATE, after=snapshot(dossier))
    return dossier


@transaction.atomic
def application_add(*, actor, dossier: Dossier, data: dict) -> Application:
    """A competing application (Form 01), accepted until the window closes."""
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if not is_commune_officer_of(actor, dossier.commune_id):
        raise PermissionDeniedError(_("Only an officer of the receiving commune records applications."))
    if dossier.status not in (DossierStatus.RECEIVED, DossierStatus.ANNOUNCED):
        raise ConflictError(_("Applications are no longer accepted: the dossier has been sent to the Department."))
    return _application_create(actor, dossier, data)


def _lock(dossier: Dossier) -> Dossier:
    return Dossier.objects.select_for_update().get(pk=dossier.pk)


@transaction.atomic
def dossier_announce(
    *, actor, dossier: Dossier, announced_on: datetime.date, announcement_ref: str = "", late_reason: str = ""
) -> Dossier:
    """The commune announces receipt; the window for competing applications runs from that day."""
    dossier = _lock(dossier)
    _check_action(actor, dossier, "announce")
    _not_future("announced_on", announced_on, _("The date of the announcement"))
    _complete_step(dossier, Step.ANNOUNCE, announced_on, late_reason, "announced_on")
    window = cal.time_limit_on(Step.WINDOW, announced_on)
    closes_on = cal.due_date(announced_on, window.value, window.unit)
    DossierStep.objects.create(
        dossier=dossier,
        step=Step.WINDOW,
        started_on=announced_on,
        rule=window,
        limit_value=window.value,
        limit_unit=window.unit,
        due_on=closes_on,
        completed_on=closes_on,  # a fixed period: it ends on its own
    )
    _start_step(dossier, Step.SEND, closes_on)
    dossier.announced_on = announced_on
    dossier.announcement_ref = (announcement_ref or "").strip()
    dossier.window_closes_on = closes_on
    return _move(actor, dossier, "announce", dossier.announcement_ref)


@transaction.atomic
def dossier_send(
    *,
    actor,
    dossier: Dossier,
    sent_on: datetime.date,
    department_received_on: datetime.date | None = None,
    late_reason: str = "",
) -> Dossier:
    """The commune sends the dossier to the Department after the window closes; the appraisal clock starts the day
    the Department receives the complete dossier."""
    dossier = _lock(dossier)
    _check_action(actor, dossier, "send")
    _not_future("sent_on", sent_on, _("The date the dossier was sent"))
    if sent_on <= dossier.window_closes_on:
        _fail(
            "sent_on",
            _("Applications are accepted until %(day)s: the dossier can be sent from the next day.")
            % {"day": _d(dossier.window_closes_on)},
        )
    if not dossier.applications.exists():
        raise ConflictError(_("The dossier has no application to send."))
    received = department_received_on or sent_on
    if received < sent_on:
        _fail("department_received_on", _("The Department cannot receive the dossier before it was sent."))
    _not_future("department_received_on", received, _("The date the Department received the dossier"))
    _complete_step(dossier, Step.SEND, sent_on, late_reason, "sent_on")
    _start_step(dossier, Step.APPRAISE, received)
    dossier.sent_on = sent_on
    dossier.department_received_on = received
    return _move(actor, dossier, "send")


@transaction.atomic
def dossier_request_corrections(
    *, actor, dossier: Dossier, requested_on: datetime.date, reason: str, request_ref: str = ""
) -> DossierPause:
    """The Department asks for corrections: the appraisal clock stops until they arrive."""
    dossier = _lock(dossier)
    _check_action(actor, dossier, "request_corrections")
    _not_future("requested_on", requested_on, _("The date of the request"))
    if not (reason or "").strip():
        _fail("reason", _("Say what must be corrected."))
    step = dossier.steps.get(step=Step.APPRAISE)
    last = dossier.pauses.filter(step=Step.APPRAISE).order_by("-ended_on").first()
    floor = max(step.started_on, last.ended_on if last else step.started_on)
    if requested_on < floor:
        _fail("requested_on", _("The request cannot be dated before %(day)s.") % {"day": _d(floor)})
    pause = DossierPause(
        dossier=dossier, step=Step.APPRAISE, started_on=requested_on, reason=reason.strip(), request_ref=request_ref
    )
    _clean(pause)
    pause.save()
    _refresh_due(step)
    _move(actor, dossier, "request_corrections", reason.strip()[:200])
    return pause


@transaction.atomic
def dossier_receive_corrections(*, actor, dossier: Dossier, received_on: datetime.date) -> Dossier:
    dossier = _lock(dossier)
    _check_action(actor, dossier, "receive_corrections")
    _not_future("received_on", received_on, _("The date the corrections were received"))
    pause = dossier.pauses.get(step=Step.APPRAISE, ended_on__isnull=True)
    if received_on < pause.started_on:
        _fail(
            "received_on",
            _("Corrections cannot be received before they were requested (%(day)s).") % {"day": _d(pause.started_on)},
        )
    pause.ended_on = received_on
    pause.save(update_fields=["ended_on"])
    _refresh_due(dossier.steps.get(step=Step.APPRAISE))
    return _move(actor, dossier, "receive_corrections")


def _applicants(dossier: Dossier) -> int:
    return dossier.applications.count()


@transaction.atomic
def dossier_run_checks(*, actor, dossier: Dossier, on: datetime.date) -> dict:
    """Compute the Art. 8 checks on `on` and keep the result with the dossier."""
    dossier = _lock(dossier)
    if not (is_department_of(actor, dossier.province_id) or is_province_approver_of(actor, dossier.province_id)):
        raise PermissionDeniedError(_("Only the Department or the province runs the checks."))
    _not_future("on", on, _("The date of the checks"))
    result = run_checks(
        cluster=dossier.cluster,
        kind=dossier.kind,
        on=on,
        area=dossier.proposed_area_ha,
        applicants=_applicants(dossier),
    )
    before = snapshot(dossier)
    dossier.checks, dossier.checks_on, dossier.checks_passed = result, on, result["passed"]
    dossier.version += 1
    dossier.save()
    record_change(actor=actor, obj=dossier, action=ChangeAction.UPDATE, before=before, after=snapshot(dossier))
    return result


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
) -> Dossier:
    """The Department's appraisal: the checks are computed on its date and kept; a favourable conclusion needs the
    checks passed and an investor selected by the council."""
    dossier = _lock(dossier)
    _check_action(actor, dossier, "appraise")
    _not_future("appraised_on", appraised_on, _("The date of the appraisal"))
    if conclusion not in Conclusion.values:
        _fail("conclusion", _("Choose the conclusion of the appraisal."))
    last = dossier.pauses.filter(step=Step.APPRAISE, ended_on__isnull=False).order_by("-ended_on").first()
    if last and appraised_on < last.ended_on:
        _fail(
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
    unknown = set(decision) - set(DECISION_FIELDS)
    if unknown:
        raise ValidationFailed(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
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
    *, actor, dossier: Dossier, decided_on: datetime.date, decision: dict, late_reason: str = ""
) -> Dossier:
    """The province decides (Form 02 content). The decision becomes the cluster's establishment or expansion
    document and moves its lifecycle through the registry's own services."""
    from ccn.clusters.services import cluster_transition, cluster_update, document_add

    dossier = _lock(dossier)
    _check_action(actor, dossier, "decide")
    _not_future("decided_on", decided_on, _("The date of the decision"))
    if decided_on < dossier.appraised_on:
        _fail(
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
    *, actor, dossier: Dossier, refused_on: datetime.date, reason: str, late_reason: str = ""
) -> Dossier:
    dossier = _lock(dossier)
    _check_action(actor, dossier, "refuse")
    _not_future("refused_on", refused_on, _("The date of the refusal"))
    if refused_on < dossier.appraised_on:
        _fail(
            "refused_on",
            _("The refusal is dated %(day)s, before the appraisal of %(appraised)s.")
            % {"day": _d(refused_on), "appraised": _d(dossier.appraised_on)},
        )
    if not (reason or "").strip():
        _fail("reason", _("Give the reason for the refusal."))
    _complete_step(dossier, Step.DECIDE, refused_on, late_reason, "refused_on")
    dossier.decided_on = refused_on
    dossier.refusal_reason = reason.strip()
    return _move(actor, dossier, "refuse", reason.strip()[:200])


@transaction.atomic
def dossier_withdraw(*, actor, dossier: Dossier, on: datetime.date, reason: str) -> Dossier:
    dossier = _lock(dossier)
    _check_action(actor, dossier, "withdraw")
    _not_future("on", on, _("The date of the withdrawal"))
    if not (reason or "").strip():
        _fail("reason", _("Give the reason for the withdrawal."))
    DossierStep.objects.filter(dossier=dossier, completed_on__isnull=True).update(completed_on=on)
    dossier.refusal_reason = reason.strip()
    return _move(actor, dossier, "withdraw", reason.strip()[:200])


# ---------------------------------------------------------------- investor selection


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
        _fail("role", _("Choose the role in the council."))
    if user is None or role_of(user) not in PROVINCE_ROLES or user.province_id != dossier.province_id:
        _fail("user", _("Council members are officials of the province with an account in their province."))
    if role == CouncilRole.CHAIR and selection.members.filter(role=CouncilRole.CHAIR).exists():
        _fail("role", _("The council already has a chair."))
    if selection.members.filter(user=user).exists():
        _fail("user", _("This person is already on the council."))
    member = CouncilMember.objects.create(selection=selection, user=user, role=role, title=(title or "").strip())
    record_change(actor=actor, obj=member, action=ChangeAction.CREATE, after=snapshot(member))
    return member


def _score(value, criterion: str) -> Decimal:
    label = Criterion(criterion).label
    try:
        score = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        _fail(criterion, _("%(criterion)s: give a number of points.") % {"criterion": label})
    if not score.is_finite() or score < 0:
        _fail(criterion, _("%(criterion)s: points cannot be negative.") % {"criterion": label})
    maximum = CRITERION_MAX[criterion]
    if score > maximum:
        _fail(
            criterion,
            _("%(criterion)s: at most %(max)s points; %(given)s given.")
            % {"criterion": label, "max": maximum, "given": score.normalize()},
            code="score_above_maximum",
        )
    if score != score.quantize(Decimal("0.01")):
        _fail(criterion, _("%(criterion)s: at most two decimals.") % {"criterion": label})
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
        _fail("application", _("This applicant is not in this dossier."))
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
    from .selectors import selection_results

    selection = SelectionRound.objects.select_for_update().select_related("dossier").get(pk=selection.pk)
    dossier = Dossier.objects.select_for_update().get(pk=selection.dossier_id)
    if not is_department_of(actor, dossier.province_id):
        raise PermissionDeniedError(_("Only the Department organises the selection."))
    _selection_dossier_open(selection)
    _not_future("meeting_on", meeting_on, _("The date of the council meeting"))
    if not (minutes or "").strip():
        _fail("minutes", _("Enter the minutes of the council meeting."))
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
                _fail(
                    "chair_proposal",
                    _("%(names)s share the highest score: record which one the chair of the council proposes.")
                    % {"names": names},
                    code="tie",
                )
            winner_id = proposal_id
            selection.chair_proposal_id = proposal_id
    before = snapshot(selection)
    selection.meeting_on = meeting_on
    selection.minutes = minutes.strip()
    selection.status = RoundStatus.CLOSED
    selection.closed_by = _user(actor)
    selection.result = {
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
    selection.save()
    record_change(actor=actor, obj=selection, action=ChangeAction.UPDATE, before=before, after=snapshot(selection))
    dossier.selected_application_id = winner_id
    dossier.version += 1
    dossier.save(update_fields=["selected_application", "version", "updated_at"])
    return selection


# ---------------------------------------------------------------- inspections


@transaction.atomic
def inspection_plan_create(*, actor, province, year: int, title: str, approved_ref: str = "", approved_on=None):
    if not is_department_of(actor, province.pk):
        raise PermissionDeniedError(_("Only the Department plans inspections in its province."))
    if InspectionPlan.objects.filter(province=province, year=year).exists():
        _fail("year", _("This province already has an inspection plan for this year."))
    plan = InspectionPlan(
        province=province,
        year=year,
        title=(title or "").strip(),
        approved_ref=(approved_ref or "").strip(),
        approved_on=approved_on,
        created_by=_user(actor),
    )
    _clean(plan)
    plan.save()
    record_change(actor=actor, obj=plan, action=ChangeAction.CREATE, after=snapshot(plan))
    return plan


@transaction.atomic
def inspection_create(
    *,
    actor,
    cluster: Cluster,
    planned_on: datetime.date,
    agency: str,
    tenant_project=None,
    plan: InspectionPlan | None = None,
    subject: str = "",
    suspicion: str = "",
) -> Inspection:
    """Plan an inspection. A tenant is inspected at most once a year unless a violation is suspected (Decree
    32/2024, Art. 24(2)): a second one in the same year is refused until the suspicion is stated."""
    if not is_department_of(actor, cluster.province_id):
        raise PermissionDeniedError(_("Only the Department plans inspections in its province."))
    if planned_on is None:
        _fail("planned_on", _("Give the planned date."))
    if tenant_project is not None and tenant_project.cluster_id != cluster.pk:
        _fail("tenant_project", _("This tenant project is not in this cluster."))
    if plan is not None and (plan.province_id != cluster.province_id or plan.year != planned_on.year):
        _fail("plan", _("The plan must be the province's plan for the year of the inspection."))
    suspicion = (suspicion or "").strip()
    enterprise_id = tenant_project.enterprise_id if tenant_project is not None else None
    if enterprise_id:
        Organisation.objects.select_for_update().filter(pk=enterprise_id).first()
        from .selectors import enterprise_inspections_in_year

        earlier = list(enterprise_inspections_in_year(enterprise_id=enterprise_id, year=planned_on.year)[:3])
        if earlier and not suspicion:
            msg = _(
                "%(tenant)s already has an inspection in %(year)s (%(dates)s). A tenant is inspected at most once "
                "a year unless a violation is suspected (Decree 32/2024, Art. 24(2)): state the suspected violation "
                "to plan another."
            ) % {
                "tenant": tenant_project.enterprise.name,
                "year": planned_on.year,
                "dates": ", ".join(_d(i.planned_on) for i in earlier),
            }
            raise ValidationFailed(msg, field_errors={"suspicion": [msg]}, code="second_inspection")
    inspection = Inspection(
        province_id=cluster.province_id,
        plan=plan,
        cluster=cluster,
        tenant_project=tenant_project,
        enterprise_id=enterprise_id,
        planned_on=planned_on,
        agency=(agency or "").strip(),
        subject=(subject or "").strip(),
        suspicion=suspicion,
        created_by=_user(actor),
    )
    _clean(inspection)
    inspection.save()
    record_change(actor=actor, obj=inspection, action=ChangeAction.CREATE, after=snapshot(inspection))
    return inspection


def _inspection_writer(actor, inspection: Inspection):
    if not is_department_of(actor, inspection.province_id):
        raise PermissionDeniedError(_("Only the Department records inspections in its province."))


@transaction.atomic
def inspection_record(*, actor, inspection: Inspection, conducted_on: datetime.date, summary: str = "") -> Inspection:
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    _inspection_writer(actor, inspection)
    if inspection.status != InspectionStatus.PLANNED:
        raise ConflictError(_("This inspection has already been recorded."))
    _not_future("conducted_on", conducted_on, _("The date of the inspection"))
    before = snapshot(inspection)
    inspection.conducted_on = conducted_on
    inspection.summary = (summary or "").strip()
    inspection.status = InspectionStatus.CONDUCTED
    inspection.save()
    record_change(
        actor=actor, obj=inspection, action=ChangeAction.TRANSITION, before=before, after=snapshot(inspection)
    )
    return inspection


@transaction.atomic
def finding_add(
    *, actor, inspection: Inspection, area: str, description: str, is_violation: bool = False, legal_basis: str = ""
) -> Finding:
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    _inspection_writer(actor, inspection)
    if inspection.status != InspectionStatus.CONDUCTED:
        raise ConflictError(_("Findings are recorded once the inspection has been conducted and before it is closed."))
    finding = Finding(
        inspection=inspection,
        area=area,
        description=(description or "").strip(),
        is_violation=bool(is_violation),
        legal_basis=(legal_basis or "").strip(),
        created_by=_user(actor),
    )
    _clean(finding)
    finding.save()
    record_change(actor=actor, obj=finding, action=ChangeAction.CREATE, after=snapshot(finding))
    return finding


@transaction.atomic
def correction_add(*, actor, finding: Finding, action: str, deadline: datetime.date) -> Correction:
    inspection = Inspection.objects.get(pk=finding.inspection_id)
    _inspection_writer(actor, inspection)
    if inspection.status == InspectionStatus.CLOSED:
        raise ConflictError(_("The inspection is closed."))
    if deadline is None or deadline < inspection.conducted_on:
        _fail(
            "deadline",
            _("The deadline cannot be before the inspection (%(day)s).") % {"day": _d(inspection.conducted_on)},
        )
    correction = Correction(finding=finding, action=(action or "").strip(), deadline=deadline)
    _clean(correction)
    correction.save()
    record_change(actor=actor, obj=correction, action=ChangeAction.CREATE, after=snapshot(correction))
    return correction


@transaction.atomic
def correction_follow_up(*, actor, correction: Correction, follow_up: str, done_on: datetime.date | None = None):
    correction = Correction.objects.select_for_update().select_related("finding__inspection").get(pk=correction.pk)
    _inspection_writer(actor, correction.finding.inspection)
    if correction.status == CorrectionStatus.DONE:
        raise ConflictError(_("This correction is already recorded as done."))
    before = snapshot(correction)
    note = (follow_up or "").strip()
    if note:
        stamp = timezone.localdate().strftime("%d/%m/%Y")
        correction.follow_up = f"{correction.follow_up}\n{stamp}: {note}".strip()
    if done_on is not None:
        _not_future("done_on", done_on, _("The date the correction was made"))
        if done_on < correction.finding.inspection.conducted_on:
            _fail("done_on", _("The correction cannot be done before the inspection."))
        correction.done_on = done_on
        correction.status = CorrectionStatus.DONE
    elif not note:
        _fail("follow_up", _("Write the follow-up or give the date the correction was made."))
    correction.save()
    record_change(actor=actor, obj=correction, action=ChangeAction.UPDATE, before=before, after=snapshot(correction))
    return correction


@transaction.atomic
def inspection_close(*, actor, inspection: Inspection) -> Inspection:
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    _inspection_writer(actor, inspection)
    if inspection.status != InspectionStatus.CONDUCTED:
        raise ConflictError(_("Only a conducted inspection can be closed."))
    open_count = Correction.objects.filter(finding__inspection=inspection, status=CorrectionStatus.OPEN).count()
    if open_count:
        raise ConflictError(
            _("%(n)s required correction(s) are still open: follow them up before closing.") % {"n": open_count}
        )
    before = snapshot(inspection)
    inspection.status = InspectionStatus.CLOSED
    inspection.save()
    record_change(
        actor=actor, obj=inspection, action=ChangeAction.TRANSITION, before=before, after=snapshot(inspection)
    )
    return inspection


def obstacles_available() -> bool:
    try:
        from ccn.obstacles import services as obstacle_services
    except ImportError:
        return False
    return hasattr(obstacle_services, "obstacle_create")


# The obstacle category a finding of each area of law opens by default (the officer may choose another).
OBSTACLE_CATEGORY = {
    "planning": "planning",
    "investment": "investment_procedure",
    "construction": "other",
    "land_use": "site_clearance",
    "environment": "wastewater_environment",
}


@transaction.atomic
def finding_open_obstacle(
    *, actor, finding: Finding, agency, deadline: datetime.date, category: str = "", description: str = ""
):
    """Open an obstacle in the obstacles register from an inspection finding (the register's own service checks
    who may raise it, the agency and the deadline), and keep the link on the finding."""
    finding = Finding.objects.select_for_update().select_related("inspection__cluster").get(pk=finding.pk)
    _inspection_writer(actor, finding.inspection)
    if finding.obstacle_id:
        raise ConflictError(_("An obstacle has already been opened from this finding."))
    if not obstacles_available():
        raise ConflictError(_("The obstacles register is not available."), code="obstacles_unavailable")
    from ccn.obstacles.services import obstacle_create

    inspection = finding.inspection
    obstacle = obstacle_create(
        actor=actor,
        cluster=inspection.cluster,
        category=category or OBSTACLE_CATEGORY.get(finding.area, "other"),
        description=(description or "").strip() or finding.description,
        agency=agency,
        deadline=deadline,
        tenant_project=inspection.tenant_project,
        source=_("Inspection of %(day)s: finding on %(area)s")
        % {"day": _d(inspection.conducted_on or inspection.planned_on), "area": finding.get_area_display()},
    )
    before = snapshot(finding)
    finding.obstacle = obstacle
    finding.save(update_fields=["obstacle", "updated_at"])
    record_change(actor=actor, obj=finding, action=ChangeAction.UPDATE, before=before, after=snapshot(finding))
    return obstacle


# ---------------------------------------------------------------- relocation

FACILITY_FIELDS = (
    "commune",
    "name",
    "kind",
    "current_location",
    "sector",
    "pollution_concern",
    "land_needed_ha",
    "target_cluster",
    "deadline",
    "notes",
    "is_sample",
)


def _may_write_facility(user, province_id, commune_id) -> bool:
    return is_department_of(user, province_id) or (
        role_of(user) == Role.COMMUNE_OFFICER and is_commune_officer_of(user, commune_id)
    )


def check_target_cluster(cluster: Cluster, *, province_id: int, land_needed=None) -> None:
    """A facility can only be sent to an operating cluster of its province that has vacant land (enough of it when
    the land needed is known)."""
    from ccn.clusters.selectors import with_land_figures

    if cluster.province_id != province_id:
        _fail("target_cluster", _("The target cluster must be in the facility's province."))
    if cluster.status not in OPERATING_STATES:
        _fail(
            "target_cluster",
            _("%(cluster)s is not operating (“%(state)s”): a facility can only move into an operating cluster.")
            % {"cluster": cluster.name, "state": cluster.get_status_display()},
            code="cluster_not_operating",
        )
    vacant = with_land_figures(Cluster.objects.filter(pk=cluster.pk)).values_list("vacant_land_ha", flat=True)[0]
    if vacant is None or vacant <= 0:
        _fail(
            "target_cluster",
            _("%(cluster)s has no vacant industrial land recorded (land ready to lease minus land leased).")
            % {"cluster": cluster.name},
            code="no_vacant_land",
        )
    if land_needed and vacant < land_needed:
        _fail(
            "target_cluster",
            _("%(cluster)s has %(vacant)s ha vacant; the facility needs %(needed)s ha.")
            % {"cluster": cluster.name, "vacant": Decimal(vacant).quantize(Decimal("0.01")), "needed": land_needed},
            code="not_enough_land",
        )


@transaction.atomic
def relocation_create(*, actor, province, data: dict) -> RelocationFacility:
    unknown = set(data) - set(FACILITY_FIELDS)
    if unknown:
        raise ValidationFailed(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    commune = data.get("commune")
    if commune is None or commune.province_id != province.pk:
        _fail("commune", _("Choose a commune of the province."))
    if not _may_write_facility(actor, province.pk, commune.pk):
        raise PermissionDeniedError(_("You may not record facilities in this commune."))
    facility = RelocationFacility(province=province, created_by=_user(actor), status_since=timezone.localdate(), **data)
    _clean(facility)
    if facility.target_cluster is not None:
        check_target_cluster(facility.target_cluster, province_id=province.pk, land_needed=facility.land_needed_ha)
    facility.save()
    record_change(actor=actor, obj=facility, action=ChangeAction.CREATE, after=snapshot(facility))
    return facility


@transaction.atomic
def relocation_update(*, actor, facility: RelocationFacility, data: dict) -> RelocationFacility:
    facility = RelocationFacility.objects.select_for_update().get(pk=facility.pk)
    if not _may_write_facility(actor, facility.province_id, facility.commune_id):
        raise PermissionDeniedError(_("You may not edit this facility."))
    unknown = set(data) - set(FACILITY_FIELDS)
    if unknown:
        raise ValidationFailed(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    before = snapshot(facility)
    target_before = facility.target_cluster_id
    for key, value in data.items():
        setattr(facility, key, value)
    if facility.commune.province_id != facility.province_id:
        _fail("commune", _("Choose a commune of the province."))
    _clean(facility)
    if facility.target_cluster is not None and facility.target_cluster_id != target_before:
        check_target_cluster(
            facility.target_cluster, province_id=facility.province_id, land_needed=facility.land_needed_ha
        )
    if facility.target_cluster is None and facility.status in (RelocationStatus.LAND_ALLOCATED, RelocationStatus.MOVED):
        _fail("target_cluster", _("Land has been allocated: the target cluster cannot be removed."))
    facility.version += 1
    facility.save()
    record_change(actor=actor, obj=facility, action=ChangeAction.UPDATE, before=before, after=snapshot(facility))
    return facility


@transaction.atomic
def relocation_transition(
    *, actor, facility: RelocationFacility, action: str, on: datetime.date, target_cluster: Cluster | None = None
) -> RelocationFacility:
    """identified → agreed → land allocated → moved; land can only be allocated in an operating cluster with
    vacant land."""
    facility = RelocationFacility.objects.select_for_update().get(pk=facility.pk)
    if not _may_write_facility(actor, facility.province_id, facility.commune_id):
        raise PermissionDeniedError(_("You may not change this facility."))
    transition = RELOCATION_WORKFLOW.check(action, state=facility.status, role=role_of(actor))
    _not_future("on", on, _("The date"))
    if facility.status_since and on < facility.status_since:
        _fail(
            "on", _("The date cannot be before the current state began (%(day)s).") % {"day": _d(facility.status_since)}
        )
    before = snapshot(facility)
    if target_cluster is not None and target_cluster.pk != facility.target_cluster_id:
        check_target_cluster(target_cluster, province_id=facility.province_id, land_needed=facility.land_needed_ha)
        facility.target_cluster = target_cluster
    if action == "allocate_land":
        if facility.target_cluster is None:
            _fail("target_cluster", _("Choose the cluster where the land is allocated."))
        if target_cluster is None:
            check_target_cluster(
                facility.target_cluster, province_id=facility.province_id, land_needed=facility.land_needed_ha
            )
    facility.status = transition.target
    facility.status_since = on
    facility.version += 1
    facility.save()
    record_change(
        actor=actor,
        obj=facility,
        action=ChangeAction.TRANSITION,
        before=before,
        after=snapshot(facility),
        message=str(transition.label),
    )
    return facility


# ---------------------------------------------------------------- legal data (calendar, time limits, settings)


def _admin_only(actor):
    if role_of(actor) != Role.ADMIN:
        raise PermissionDeniedError(_("Only an administrator edits the legal calendar and time limits."))


@transaction.atomic
def calendar_day_save(*, actor, date: datetime.date, kind: str, name: str, legal_source: str, confirmed=True):
    """Add or change a day of the calendar; open clocks are recomputed so due dates follow the calendar."""
    _admin_only(actor)
    day = CalendarDay.objects.filter(date=date).first() or CalendarDay(date=date)
    before = snapshot(day) if day.pk else None
    day.kind, day.name, day.legal_source, day.confirmed = (
        kind,
        (name or "").strip(),
        (legal_source or "").strip(),
        confirmed,
    )
    _clean(day)
    day.save()
    record_change(
        actor=actor,
        obj=day,
        action=ChangeAction.UPDATE if before else ChangeAction.CREATE,
        before=before,
        after=snapshot(day),
    )
    recompute_open_due_dates()
    return day


@transaction.atomic
def calendar_day_delete(*, actor, day: CalendarDay) -> None:
    _admin_only(actor)
    record_change(actor=actor, obj=day, action=ChangeAction.DELETE, before=snapshot(day))
    day.delete()
    recompute_open_due_dates()


@transaction.atomic
def time_limit_save(*, actor, rule: TimeLimit) -> TimeLimit:
    """Enter a time limit as dated data (e.g. a later decree's). Steps already started keep the rule in force on
    the day they started."""
    _admin_only(actor)
    before = snapshot(TimeLimit.objects.get(pk=rule.pk)) if rule.pk else None
    overlapping = TimeLimit.objects.filter(step=rule.step).exclude(pk=rule.pk)
    end = rule.effective_to or datetime.date.max
    for other in overlapping:
        other_end = other.effective_to or datetime.date.max
        if other.effective_from <= end and rule.effective_from <= other_end:
            _fail(
                "effective_from",
                _("This period overlaps the rule in force from %(day)s (%(source)s): end that one first.")
                % {"day": _d(other.effective_from), "source": other.legal_source},
            )
    _clean(rule)
    rule.save()
    record_change(
        actor=actor,
        obj=rule,
        action=ChangeAction.UPDATE if before else ChangeAction.CREATE,
        before=before,
        after=snapshot(rule),
    )
    return rule


@transaction.atomic
def occupancy_scope_set(*, actor, province, scope: str, effective_from: datetime.date, document: str = ""):
    """The province's choice of the area of the occupancy test (Decree 139/2025), from a date."""
    if not (is_province_approver_of(actor, province.pk) or is_department_of(actor, province.pk)):
        raise PermissionDeniedError(_("Only the province sets how the occupancy test applies."))
    if scope not in AreaScope.values:
        _fail("scope", _("Choose the area of the test."))
    if effective_from is None:
        _fail("effective_from", _("Give the date from which it applies."))
    if OccupancyScopeSetting.objects.filter(province=province, effective_from=effective_from).exists():
        _fail("effective_from", _("A setting already starts on this date."))
    setting = OccupancyScopeSetting.objects.create(
        province=province,
        scope=scope,
        effective_from=effective_from,
        document=(document or "").strip(),
        created_by=_user(actor),
    )
    record_change(actor=actor, obj=setting, action=ChangeAction.CREATE, after=snapshot(setting))
    return setting

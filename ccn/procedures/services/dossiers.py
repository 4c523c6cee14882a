"""Establishment and expansion dossiers: receipt, applications, announcement, sending, corrections."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ccn.clusters.choices import ClusterStatus
from ccn.clusters.models import Cluster, Organisation
from ccn.core.errors import (
    ConflictError,
    PermissionDeniedError,
    field_error,
)
from ccn.core.history import record_change, snapshot
from ccn.core.models import ChangeAction
from ccn.core.services import refuse_unknown

from .. import calendar as cal
from ..choices import (
    DossierKind,
    DossierStatus,
    Step,
)
from ..models import (
    APPLICATION_FIELDS,
    Application,
    Dossier,
    DossierPause,
    DossierStep,
)
from .common import (
    _check_action,
    _clean,
    _complete_step,
    _d,
    _move,
    _not_future,
    _refresh_due,
    _start_step,
    _user,
    is_commune_officer_of,
)


def _next_code(province, year: int) -> str:
    prefix = f"HS-{province.code}-{year}-"
    n = Dossier.objects.filter(code__startswith=prefix).count() + 1
    while Dossier.objects.filter(code=f"{prefix}{n:04d}").exists():
        n += 1
    return f"{prefix}{n:04d}"


def _application_create(actor, dossier: Dossier, data: dict) -> Application:
    refuse_unknown(data, APPLICATION_FIELDS)
    received_on = data.get("received_on")
    _not_future("received_on", received_on, _("The date the application was received"))
    if received_on < dossier.first_received_on:
        raise field_error(
            "received_on",
            _("An application cannot be dated before the first one (%(day)s).")
            % {"day": _d(dossier.first_received_on)},
        )
    if dossier.window_closes_on and received_on > dossier.window_closes_on:
        raise field_error(
            "received_on",
            _("Applications were accepted until %(day)s; this one arrived after the window closed.")
            % {"day": _d(dossier.window_closes_on)},
            code="window_closed",
        )
    applicant = data.get("applicant")
    if not isinstance(applicant, Organisation):
        raise field_error("applicant", _("Choose the applicant organisation."))
    if dossier.applications.filter(applicant=applicant).exists():
        raise field_error("applicant", _("This organisation has already applied in this dossier."))
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
        raise field_error("kind", _("Choose establishment or expansion."))
    if commune is None or not cluster.communes.filter(pk=commune.pk).exists():
        raise field_error("commune", _("The receiving commune must be one of the cluster's communes."))
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
    *,
    actor,
    dossier: Dossier,
    announced_on: datetime.date,
    announcement_ref: str = "",
    late_reason: str = "",
    expected_version: int | None = None,
) -> Dossier:
    """The commune announces receipt; the window for competing applications runs from that day."""
    dossier = _lock(dossier)
    _check_action(actor, dossier, "announce", expected_version)
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
    expected_version: int | None = None,
) -> Dossier:
    """The commune sends the dossier to the Department after the window closes; the appraisal clock starts the day
    the Department receives the complete dossier."""
    dossier = _lock(dossier)
    _check_action(actor, dossier, "send", expected_version)
    _not_future("sent_on", sent_on, _("The date the dossier was sent"))
    if sent_on <= dossier.window_closes_on:
        raise field_error(
            "sent_on",
            _("Applications are accepted until %(day)s: the dossier can be sent from the next day.")
            % {"day": _d(dossier.window_closes_on)},
        )
    if not dossier.applications.exists():
        raise ConflictError(_("The dossier has no application to send."))
    received = department_received_on or sent_on
    if received < sent_on:
        raise field_error("department_received_on", _("The Department cannot receive the dossier before it was sent."))
    _not_future("department_received_on", received, _("The date the Department received the dossier"))
    _complete_step(dossier, Step.SEND, sent_on, late_reason, "sent_on")
    _start_step(dossier, Step.APPRAISE, received)
    dossier.sent_on = sent_on
    dossier.department_received_on = received
    return _move(actor, dossier, "send")


@transaction.atomic
def dossier_request_corrections(
    *,
    actor,
    dossier: Dossier,
    requested_on: datetime.date,
    reason: str,
    request_ref: str = "",
    expected_version: int | None = None,
) -> DossierPause:
    """The Department asks for corrections: the appraisal clock stops until they arrive."""
    dossier = _lock(dossier)
    _check_action(actor, dossier, "request_corrections", expected_version)
    _not_future("requested_on", requested_on, _("The date of the request"))
    if not (reason or "").strip():
        raise field_error("reason", _("Say what must be corrected."))
    step = dossier.steps.get(step=Step.APPRAISE)
    last = dossier.pauses.filter(step=Step.APPRAISE).order_by("-ended_on").first()
    floor = max(step.started_on, last.ended_on if last else step.started_on)
    if requested_on < floor:
        raise field_error("requested_on", _("The request cannot be dated before %(day)s.") % {"day": _d(floor)})
    pause = DossierPause(
        dossier=dossier, step=Step.APPRAISE, started_on=requested_on, reason=reason.strip(), request_ref=request_ref
    )
    _clean(pause)
    pause.save()
    _refresh_due(step)
    _move(actor, dossier, "request_corrections", reason.strip()[:200])
    return pause


@transaction.atomic
def dossier_receive_corrections(
    *, actor, dossier: Dossier, received_on: datetime.date, expected_version: int | None = None
) -> Dossier:
    dossier = _lock(dossier)
    _check_action(actor, dossier, "receive_corrections", expected_version)
    _not_future("received_on", received_on, _("The date the corrections were received"))
    pause = dossier.pauses.get(step=Step.APPRAISE, ended_on__isnull=True)
    if received_on < pause.started_on:
        raise field_error(
            "received_on",
            _("Corrections cannot be received before they were requested (%(day)s).") % {"day": _d(pause.started_on)},
        )
    pause.ended_on = received_on
    pause.save(update_fields=["ended_on"])
    _refresh_due(dossier.steps.get(step=Step.APPRAISE))
    return _move(actor, dossier, "receive_corrections")

"""Objects of the procedures turned into the schemas' dictionaries."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from ccn.clusters.models import Cluster, Organisation
from ccn.core.errors import NotFoundError, field_error

from .. import selectors
from ..calendar import clocks_for
from ..models import Application
from .base import _key
from .schemas_dossiers import ApplicationIn


def _dossier_out(d) -> dict:
    return {
        "code": d.code,
        "kind": d.kind,
        "status": d.status,
        "version": d.version,
        "cluster": d.cluster.code,
        "cluster_name": d.cluster.name,
        "province": d.province.code,
        "commune": d.commune.code,
        "proposed_area_ha": d.proposed_area_ha,
        "first_received_on": d.first_received_on,
        "announced_on": d.announced_on,
        "window_closes_on": d.window_closes_on,
        "sent_on": d.sent_on,
        "department_received_on": d.department_received_on,
        "appraised_on": d.appraised_on,
        "conclusion": d.conclusion,
        "decided_on": d.decided_on,
        "selected_applicant": d.selected_application.applicant.name if d.selected_application_id else None,
    }


def _application_out(a: Application) -> dict:
    return {
        "id": a.pk,
        "applicant_id": a.applicant_id,
        "applicant": a.applicant.name,
        "received_on": a.received_on,
        "project": a.project,
        "proposed_area_ha": a.proposed_area_ha,
        "estimated_capital_bn": a.estimated_capital_bn,
        "capital_sources": a.capital_sources,
        "schedule": a.schedule,
        "attachments": a.attachment_list(),
    }


def _detail(user, code):
    d = selectors.dossier_get(user=user, code=_key(code))
    clocks = [
        {
            "step": c.step,
            "label": c.label,
            "started_on": c.started_on,
            "limit": c.limit,
            "unit": c.unit,
            "due_on": c.due_on,
            "completed_on": c.completed_on,
            "used": c.used,
            "left": c.left,
            "state": c.state,
            "legal_source": c.source,
            "late_reason": c.late_reason,
        }
        for c in clocks_for(d, today=timezone.localdate())
    ]
    return {
        **_dossier_out(d),
        "applications": [_application_out(a) for a in d.applications.select_related("applicant")],
        "clocks": clocks,
        "checks": d.checks,
        "checks_passed": d.checks_passed,
        "decision": d.decision,
        "refusal_reason": d.refusal_reason,
    }


def _organisation(pk) -> Organisation:
    org = Organisation.objects.filter(pk=pk).first()
    if org is None:
        raise field_error("applicant_id", _("Unknown organisation."))
    return org


def _application_data(payload: ApplicationIn) -> dict:
    data = payload.dict(exclude={"applicant_id", "attachments"})
    data["applicant"] = _organisation(payload.applicant_id)
    data["attachments"] = "\n".join(a.strip() for a in payload.attachments if a.strip())
    return data


def _cluster(user, code) -> Cluster:
    cluster = Cluster.objects.visible_to(user).filter(code=code).first()
    if cluster is None:
        raise NotFoundError(_("No such cluster, or you may not see it."))
    return cluster

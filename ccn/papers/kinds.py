"""The papers the system produces: for each, how its record is found within the user's scope, who may issue it,
what it says and where the record lives. One table, so a new paper is one row."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ccn.accounts.choices import PROVINCE_ROLES, Role
from ccn.accounts.scope import role_of
from ccn.core.errors import ConflictError, NotFoundError, PermissionDeniedError
from ccn.obstacles.selectors import meeting_get, meeting_pack, previous_meeting
from ccn.procedures.selectors import dossier_get, inspection_get
from ccn.reports.selectors import report_get

from . import contexts

DEPARTMENT = (Role.ADMIN, *PROVINCE_ROLES)


@dataclass(frozen=True)
class PaperKind:
    title: str
    load: Callable  # (user, key) -> record, within the user's scope
    build: Callable  # (user, record, signing) -> contexts.Paper
    back: Callable  # record -> URL of the record's page
    issuers: Callable  # record -> roles that may issue it
    province: Callable  # record -> the province whose record it is (scope of the signed scan)


def _report(user, key):
    report = report_get(user=user, pk=int(key))
    if report.form not in ("03", "04"):
        raise NotFoundError(_("Only Forms 03 and 04 go out with a cover letter."))
    return report


def _dossier(user, key):
    dossier = dossier_get(user=user, code=key)
    if not dossier.decision:
        raise ConflictError(_("The dossier has no decision yet: record the decision first."), code="not_decided")
    return dossier


def _selection(user, key):
    dossier = dossier_get(user=user, code=key)
    selection = getattr(dossier, "selection", None)
    if selection is None or selection.status != "closed":
        raise ConflictError(
            _("The council has not closed its scoring yet: the minutes follow the closing."), code="not_closed"
        )
    return selection


def _inspection(user, key):
    inspection = inspection_get(user=user, pk=int(key))
    if inspection.conducted_on is None:
        raise ConflictError(_("The inspection has not been conducted yet."), code="not_conducted")
    return inspection


def _meeting(user, key):
    return meeting_get(user=user, pk=int(key))


def _meeting_paper(user, meeting, signing):
    previous = previous_meeting(meeting)
    pack = meeting_pack(
        user=user, province=meeting.province, on=meeting.held_on, since=previous.held_on if previous else None
    )
    return contexts.meeting_minutes(meeting, pack, signing)


KINDS: dict[str, PaperKind] = {
    "report-letter": PaperKind(
        title=gettext_lazy("Cover letter of the report"),
        load=_report,
        build=lambda user, report, signing: contexts.cover_letter(report, report.current, signing),
        back=lambda report: reverse("reports:detail", args=[report.pk]),
        issuers=lambda report: DEPARTMENT if report.form == "04" else (*DEPARTMENT, Role.COMMUNE_OFFICER),
        province=lambda report: report.province_id,
    ),
    "decision": PaperKind(
        title=gettext_lazy("Establishment or expansion decision"),
        load=_dossier,
        build=lambda user, dossier, signing: contexts.decision(dossier, signing),
        back=lambda dossier: reverse("procedures:dossier", args=[dossier.code]),
        issuers=lambda dossier: DEPARTMENT,
        province=lambda dossier: dossier.province_id,
    ),
    "selection-minutes": PaperKind(
        title=gettext_lazy("Minutes of the selection council"),
        load=_selection,
        build=lambda user, selection, signing: contexts.selection_minutes(selection, signing),
        back=lambda selection: reverse("procedures:selection", args=[selection.dossier.code]),
        issuers=lambda selection: DEPARTMENT,
        province=lambda selection: selection.dossier.province_id,
    ),
    "inspection-conclusion": PaperKind(
        title=gettext_lazy("Inspection conclusion"),
        load=_inspection,
        build=lambda user, inspection, signing: contexts.inspection_conclusion(inspection, signing),
        back=lambda inspection: reverse("procedures:inspection", args=[inspection.pk]),
        issuers=lambda inspection: DEPARTMENT,
        province=lambda inspection: inspection.province_id,
    ),
    "meeting-minutes": PaperKind(
        title=gettext_lazy("Minutes of the review meeting"),
        load=_meeting,
        build=_meeting_paper,
        back=lambda meeting: reverse("obstacles:meeting", args=[meeting.pk]),
        issuers=lambda meeting: DEPARTMENT,
        province=lambda meeting: meeting.province_id,
    ),
}


def paper_kind(slug: str) -> PaperKind:
    kind = KINDS.get(slug)
    if kind is None:
        raise NotFoundError(_("No such paper."))
    return kind


def load_for_issue(user, slug: str, key: str):
    """The record behind a paper, refused (never named) when the user may not issue it."""
    kind = paper_kind(slug)
    try:
        record = kind.load(user, key)
    except ValueError as exc:
        raise NotFoundError(_("No such paper.")) from exc
    if role_of(user) not in kind.issuers(record):
        raise PermissionDeniedError(_("Your role may not issue this paper; ask the Department's officer in charge."))
    return kind, record


def load_for_read(user, slug: str, key: str):
    """The record behind a paper when the user may see it (its signed scan is read by whoever sees the record)."""
    kind = paper_kind(slug)
    try:
        return kind, kind.load(user, key)
    except ValueError as exc:
        raise NotFoundError(_("No such paper.")) from exc

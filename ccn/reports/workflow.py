"""The workflow of each form: which action moves a report from which states to which, and which roles may
run it. Scope (whose report it is) and the four-eyes rule (nobody decides on a report they submitted) are
checked by the transition service. docs/reports.md holds the same table for readers."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ccn.accounts.choices import Role
from ccn.core.transitions import Transition, Workflow

from .choices import Form
from .choices import ReportStatus as S

PROVINCE = (Role.PROVINCE_EDITOR, Role.PROVINCE_APPROVER)
STATE_LABELS = dict(S.choices)

SUBMIT = _("Submit")
ACCEPT = _("Accept")
APPROVE = _("Approve")
RETURN = _("Return for correction")
CORRECT = _("Correct (new revision)")


def _table(name: str, *, reporters, deciders, accept_label=ACCEPT, final_on_submit=False) -> Workflow:
    corrections_from = (S.SUBMITTED,) if final_on_submit else (S.ACCEPTED,)
    rows = [
        Transition("submit", (S.DRAFT, S.RETURNED), S.SUBMITTED, (Role.ADMIN, *reporters), SUBMIT),
        Transition("return", (S.SUBMITTED,), S.RETURNED, (Role.ADMIN, *deciders), RETURN),
        Transition("correct", corrections_from, S.DRAFT, (Role.ADMIN, *reporters), CORRECT),
    ]
    if not final_on_submit:
        rows.append(Transition("accept", (S.SUBMITTED,), S.ACCEPTED, (Role.ADMIN, *deciders), accept_label))
    return Workflow(rows, state_labels=STATE_LABELS, name=name, initial=(S.DRAFT,))


WORKFLOWS = {
    # Form 01 goes to the commune's People's Committee (and the statistics office): the commune officer may
    # accept it, as may the province.
    Form.F01: _table("report_01", reporters=(Role.TENANT,), deciders=(*PROVINCE, Role.COMMUNE_OFFICER)),
    Form.F02: _table("report_02", reporters=(Role.INVESTOR,), deciders=PROVINCE),
    # Form 03 is the commune's own summary: final once submitted; the province may send it back.
    Form.F03: _table(
        "report_03", reporters=(Role.COMMUNE_OFFICER, Role.PROVINCE_EDITOR), deciders=PROVINCE, final_on_submit=True
    ),
    # Form 04 is the Department's report: its approver or one of its leaders approves it.
    Form.F04: _table(
        "report_04",
        reporters=PROVINCE,
        deciders=(Role.PROVINCE_APPROVER, Role.DEPARTMENT_LEADER),
        accept_label=APPROVE,
    ),
}


def workflow_for(form: str) -> Workflow:
    return WORKFLOWS[form]

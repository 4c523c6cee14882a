"""The status of a tenant project: which action moves it from which statuses to which, and who may do it.
docs/land-and-tenants.md shows this table; `tenant_project_transition` is the only code that writes `status`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from ccn.accounts.choices import Role
from ccn.core.transitions import Transition, Workflow

from .choices import ProjectStatus as S

# Who keeps a cluster's tenant list: the province's officers and the cluster's infrastructure investor.
TENANT_EDITORS = (Role.ADMIN, Role.PROVINCE_EDITOR, Role.PROVINCE_APPROVER, Role.INVESTOR)

PROJECT_WORKFLOW = Workflow(
    [
        Transition(
            "start_construction",
            (S.REGISTERED, S.SUSPENDED),
            S.UNDER_CONSTRUCTION,
            TENANT_EDITORS,
            label=gettext_lazy("Start construction"),
        ),
        Transition(
            "start_operation",
            (S.REGISTERED, S.UNDER_CONSTRUCTION, S.SUSPENDED),
            S.OPERATING,
            TENANT_EDITORS,
            label=gettext_lazy("Start operation"),
        ),
        Transition(
            "suspend",
            (S.REGISTERED, S.UNDER_CONSTRUCTION, S.OPERATING),
            S.SUSPENDED,
            TENANT_EDITORS,
            label=gettext_lazy("Suspend"),
        ),
        Transition(
            "stop",
            (S.REGISTERED, S.UNDER_CONSTRUCTION, S.OPERATING, S.SUSPENDED),
            S.STOPPED,
            TENANT_EDITORS,
            label=gettext_lazy("Stop (hand the land back)"),
        ),
        Transition("reopen", (S.STOPPED,), S.REGISTERED, TENANT_EDITORS, label=gettext_lazy("Register again")),
    ],
    state_labels=dict(S.choices),
    name="tenant_project",
)


def action_to(source: str, target: str) -> str | None:
    """The action that moves a project from `source` to `target` (imports give the new status, not the action)."""
    for transition in PROJECT_WORKFLOW.transitions.values():
        if source in transition.sources and transition.target == target:
            return transition.action
    return None

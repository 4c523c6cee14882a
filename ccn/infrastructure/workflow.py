"""The states of an infrastructure component's works and of the central wastewater plant. Both are recorded
as the keepers report them (the province's officers and the cluster's investor), so a state may be corrected
back: each action names the state it records, from any other. docs/workflows/infrastructure.md is generated
from these tables."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from ccn.accounts.choices import Role
from ccn.core.transitions import Transition, Workflow

from .choices import ComponentStatus as C
from .choices import PlantStatus as P

KEEPERS = (Role.ADMIN, Role.PROVINCE_EDITOR, Role.PROVINCE_APPROVER, Role.INVESTOR)


def _from_any(states, target) -> tuple[str, ...]:
    return tuple(s for s in states if s != target)


COMPONENT_STEPS = [
    Transition("reset", _from_any(C.values, C.NOT_STARTED), C.NOT_STARTED, KEEPERS, gettext_lazy("Not started")),
    Transition("start", _from_any(C.values, C.IN_PROGRESS), C.IN_PROGRESS, KEEPERS, gettext_lazy("Works under way")),
    Transition("complete", _from_any(C.values, C.COMPLETED), C.COMPLETED, KEEPERS, gettext_lazy("Works completed")),
]
COMPONENT_WORKFLOW = Workflow(COMPONENT_STEPS, state_labels=dict(C.choices), name="infrastructure_component")

PLANT_STEPS = [
    Transition("none", _from_any(P.values, P.NONE), P.NONE, KEEPERS, gettext_lazy("No plant")),
    Transition("plan", _from_any(P.values, P.PLANNED), P.PLANNED, KEEPERS, gettext_lazy("Plant planned")),
    Transition(
        "build",
        _from_any(P.values, P.UNDER_CONSTRUCTION),
        P.UNDER_CONSTRUCTION,
        KEEPERS,
        gettext_lazy("Plant under construction"),
    ),
    Transition("operate", _from_any(P.values, P.OPERATING), P.OPERATING, KEEPERS, gettext_lazy("Plant operating")),
]
PLANT_WORKFLOW = Workflow(PLANT_STEPS, state_labels=dict(P.choices), name="wastewater_plant")


def action_to(workflow: Workflow, target: str) -> str:
    """The action that records `target` (every state has exactly one)."""
    return next(t.action for t in workflow.transitions.values() if t.target == target)

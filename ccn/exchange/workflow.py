"""The states of an incoming batch and of a conflict held for review. docs/workflows/exchange.md is generated from
these tables."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from ccn.accounts.choices import Role
from ccn.core.transitions import SYSTEM, Transition, Workflow

from .models import BatchStatus as B
from .models import ConflictStatus as C

# A batch is applied whole; the application marks it partial when some of its records were refused or held.
BATCH_STEPS = [
    Transition(
        "hold_back", (B.APPLIED,), B.PARTIAL, (SYSTEM,), gettext_lazy("Some records refused or held for review")
    ),
]
BATCH_WORKFLOW = Workflow(BATCH_STEPS, state_labels=dict(B.choices), name="incoming_batch", initial=(B.APPLIED,))

# A held conflict is decided by the province's officers (or an administrator): take the incoming version or keep
# the local one.
DECIDERS = (Role.ADMIN, Role.PROVINCE_EDITOR, Role.PROVINCE_APPROVER)
CONFLICT_STEPS = [
    Transition("take", (C.HELD,), C.TAKEN, DECIDERS, gettext_lazy("Apply the incoming version")),
    Transition("keep", (C.HELD,), C.KEPT, DECIDERS, gettext_lazy("Keep the local version")),
]
CONFLICT_WORKFLOW = Workflow(CONFLICT_STEPS, state_labels=dict(C.choices), name="exchange_conflict", initial=(C.HELD,))

"""The transition helper: a workflow is a table of actions (allowed sources, target, permission, guards).

Every app's `workflow.py` declares its table with `Transition` rows; its transition service calls
`Workflow.check` and is the only code that writes the `status` field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .errors import ConflictError, PermissionDeniedError


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...]
    label: str = ""
    needs_document: bool = False
    document_kinds: tuple[str, ...] = ()
    guards: tuple[Callable, ...] = field(default=())


class Workflow:
    def __init__(self, transitions: Iterable[Transition], *, state_labels: dict[str, str]):
        self.transitions = {t.action: t for t in transitions}
        self.state_labels = state_labels

    def get(self, action: str) -> Transition:
        try:
            return self.transitions[action]
        except KeyError:
            raise ConflictError(_("Unknown action “%(action)s”.") % {"action": action}, code="unknown_action")

    def allowed_actions(self, state: str, role: str | None) -> list[Transition]:
        return [t for t in self.transitions.values() if state in t.sources and role in t.roles]

    def check(self, action: str, *, state: str, role: str | None) -> Transition:
        """Return the transition if `action` may run from `state` by `role`; raise a clear error if not."""
        transition = self.get(action)
        if state not in transition.sources:
            raise ConflictError(
                _("“%(action)s” is not allowed while the state is “%(state)s”.")
                % {"action": transition.label or action, "state": self.state_labels.get(state, state)},
                code="transition_not_allowed",
            )
        if role not in transition.roles:
            raise PermissionDeniedError(
                _("Your role may not perform “%(action)s”.") % {"action": transition.label or action}
            )
        return transition

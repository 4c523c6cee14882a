"""The state labels of every workflow by its name, filled as the workflows are declared (ccn/core/transitions.py),
so a TransitionRecord can show its states in the user's language without knowing the app that wrote it."""

from __future__ import annotations

STATE_LABELS: dict[str, dict[str, str]] = {}


def state_label(workflow: str, status: str) -> str:
    return STATE_LABELS.get(workflow, {}).get(status, status)

"""Renders every app's workflow table (its `workflow.py`) as Markdown, so docs/workflows/ never drifts from code."""

import importlib
import pkgutil
from pathlib import Path

from django.utils import translation

import ccn
from ccn.core.transitions import Workflow

DOCS = Path(__file__).resolve().parent.parent.parent / "docs" / "workflows"


def workflows() -> dict[str, list[tuple[str, Workflow]]]:
    found: dict[str, list[tuple[str, Workflow]]] = {}
    for app in sorted(m.name for m in pkgutil.iter_modules(ccn.__path__)):
        try:
            module = importlib.import_module(f"ccn.{app}.workflow")
        except ModuleNotFoundError:
            continue
        for name, value in vars(module).items():
            if isinstance(value, Workflow):
                found.setdefault(app, []).append((name, value))
            elif isinstance(value, dict) and value and all(isinstance(v, Workflow) for v in value.values()):
                # A table of workflows (e.g. one per report form): each under its own name.
                for key, wf in value.items():
                    found.setdefault(app, []).append((f"{name}[{key}] ({wf.name})", wf))
    return found


def _guard_doc(guard) -> str:
    return (guard.__doc__ or guard.__name__).strip().splitlines()[0]


def render(app: str, items: list[tuple[str, Workflow]]) -> str:
    with translation.override("en"):
        lines = [
            f"# Workflows of `ccn.{app}`",
            "",
            f"Generated from `ccn/{app}/workflow.py` by `manage.py workflow_docs`; do not edit by hand.",
            "",
        ]
        for name, wf in items:
            lines += [
                f"## {name}",
                "",
                "| action | label | from | to | roles | document | guards |",
                "|---|---|---|---|---|---|---|",
            ]
            for t in wf.transitions.values():
                doc = ", ".join(t.document_kinds) if t.needs_document else "—"
                guards = "; ".join(_guard_doc(g) for g in t.guards) or "—"
                lines.append(
                    f"| `{t.action}` | {t.label} | {', '.join(f'`{s}`' for s in t.sources)} | `{t.target}` | "
                    f"{', '.join(t.roles)} | {doc} | {guards} |"
                )
            lines.append("")
            lines += ["States:", ""] + [f"- `{k}`: {v}" for k, v in wf.state_labels.items()] + [""]
    return "\n".join(lines)


def expected_files() -> dict[Path, str]:
    return {DOCS / f"{app}.md": render(app, items) for app, items in workflows().items()}

"""Only the transition engine writes a status (docs/decisions/0007-transition-engine.md): outside
ccn/core/transitions.py no code assigns `.status` on a model that has a workflow table, nor writes `status=` through
a queryset's update(); a new record gets its first status from `set_initial_status`. Every model with a `status`
field has a workflow naming its states."""

import ast
from pathlib import Path

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

from ccn.core.workflow_docs import workflows

ROOT = Path(__file__).resolve().parent.parent / "ccn"
ENGINE = ROOT / "core" / "transitions.py"
# Statuses that are not a record's workflow, with the reason.
NOT_WORKFLOWS = {
    # A background job's queue state is the worker's bookkeeping, claimed and released by conditional UPDATEs so
    # that two workers never run one job (ccn/jobs/services.py); no person moves it.
    "jobs.Job",
}
# Code whose `.status` writes are not a workflow's: the job queue (above), the refusal raised by an input parser.
NOT_MODELS = {ROOT / "jobs", ROOT / "core" / "inputs.py"}


def _sources():
    for path in sorted(ROOT.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts or path == ENGINE:
            continue
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _status_writes(tree):
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            if isinstance(target, ast.Attribute) and target.attr == "status":
                yield node.lineno, "assigns .status"
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("update", "bulk_update")
            and any(k.arg == "status" for k in node.keywords)
        ):
            yield node.lineno, "updates status="


def test_no_code_outside_the_engine_writes_a_status():
    found = []
    for path, tree in _sources():
        if any(path == p or p in path.parents for p in NOT_MODELS):
            continue
        for line, what in _status_writes(tree):
            found.append(f"{path.relative_to(ROOT.parent)}:{line}: {what}")
    assert found == [], "status written outside ccn/core/transitions.py:\n" + "\n".join(found)


def test_the_scan_catches_an_assignment():
    tree = ast.parse("def f(obj):\n    obj.status = 'x'\n    Model.objects.filter(pk=1).update(status='y')\n")
    assert [w for _l, w in _status_writes(tree)] == ["assigns .status", "updates status="]


def test_every_status_has_a_workflow():
    declared = {tuple(sorted(wf.state_labels)) for items in workflows().values() for _name, wf in items}
    missing = []
    for model in apps.get_models():
        if not model.__module__.startswith("ccn.") or model._meta.label in NOT_WORKFLOWS:
            continue
        try:
            field = model._meta.get_field("status")
        except FieldDoesNotExist:
            continue
        states = tuple(sorted(v for v, _label in field.choices or ()))
        if states not in declared:
            missing.append(model._meta.label)
    assert missing == [], f"models with a status but no workflow table: {missing}"

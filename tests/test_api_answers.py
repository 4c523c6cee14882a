"""One way to answer in the API (docs/architecture.md, "Rules that hold everywhere"): an operation returns
`Status(code, body)`; the `(code, body)` tuple django-ninja deprecates is neither written nor accepted."""

import ast
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def tuple_returns(source: str) -> list[int]:
    """Lines where a function registered on a router (`@router.get(…)`, `@api.post(…)`…) returns a tuple."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef) and any(
            isinstance(d, ast.Call)
            and isinstance(d.func, ast.Attribute)
            and ast.unparse(d.func.value) in {"router", "api"}
            for d in node.decorator_list
        ):
            found += [n.lineno for n in ast.walk(node) if isinstance(n, ast.Return) and isinstance(n.value, ast.Tuple)]
    return found


def test_no_operation_returns_a_status_tuple():
    found = {
        str(path.relative_to(ROOT)): lines
        for path in sorted((ROOT / "ccn").rglob("*.py"))
        if "tests" not in path.parts and (lines := tuple_returns(path.read_text(encoding="utf-8")))
    }
    assert found == {}, "return Status(code, body)"


def test_the_check_finds_a_tuple_in_an_operation_only():
    source = (
        "@router.get('/a', response={200: A})\n"
        "def a(request):\n"
        "    if request.x:\n"
        "        return Status(200, {})\n"
        "    return 200, {}\n\n"
        "def helper():\n"
        "    return 1, 2\n"
    )
    assert tuple_returns(source) == [5]


def test_the_suite_fails_on_ninjas_deprecated_tuple():
    """pyproject.toml turns ninja's warning into an error, so a tuple a check misses still fails its test."""
    with pytest.raises(DeprecationWarning):
        warnings.warn(
            "Returning tuple (status_code, response) is deprecated. Use Status(status_code, response) instead.",
            DeprecationWarning,
            stacklevel=1,
        )

"""The shape of the code base (docs/architecture.md, "Layers"): no module grows past 600 lines, no import of the
project hides inside a function to get around a cycle or a layer, and the layering contract has no exception
besides the tests'."""

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 600


def _modules():
    """The project's modules, without migrations, tests and the data folders' build scripts."""
    for path in sorted((ROOT / "ccn").rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "migrations" in parts or "tests" in parts or "data" in parts:
            continue
        yield path


def _imports_in_functions(tree: ast.AST):
    """Imports of the project (`ccn…` or relative) whose enclosing scope is a function."""

    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                yield from visit(child, True)
            elif isinstance(child, ast.ClassDef):
                yield from visit(child, False)
            else:
                if in_function and _imports_project(child):
                    yield child
                yield from visit(child, in_function)

    return visit(tree, False)


def _imports_project(node) -> bool:
    if isinstance(node, ast.ImportFrom):
        return node.level > 0 or (node.module or "").split(".")[0] == "ccn"
    if isinstance(node, ast.Import):
        return any(alias.name.split(".")[0] == "ccn" for alias in node.names)
    return False


def lazy_imports_without_reason(source: str) -> list[int]:
    """Line numbers of imports inside functions that carry no `# lazy: <reason>` comment on their line (or the
    comment line just above)."""
    lines = source.splitlines()
    bad = []
    for node in _imports_in_functions(ast.parse(source)):
        own = lines[node.lineno - 1]
        above = lines[node.lineno - 2].strip() if node.lineno > 1 else ""
        if "# lazy:" not in own and not above.startswith("# lazy:"):
            bad.append(node.lineno)
    return bad


def test_no_module_is_longer_than_600_lines():
    long = {
        str(path.relative_to(ROOT)): n
        for path in _modules()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}, f"split these by meaning (docs/architecture.md): {long}"


def test_no_import_of_the_project_hides_in_a_function_without_its_reason():
    found = {
        str(path.relative_to(ROOT)): lines
        for path in _modules()
        if (lines := lazy_imports_without_reason(path.read_text(encoding="utf-8")))
    }
    assert found == {}, (
        "move these imports to the top of the module; a cycle is removed by moving the shared piece down a layer or "
        f"by a registry filled at AppConfig.ready() (docs/architecture.md, 'Layers'): {found}"
    )


def test_the_check_finds_a_hidden_import_and_accepts_a_reasoned_one():
    source = (
        "from ccn.core import errors\n"
        "import json\n\n"
        "def f():\n"
        "    import json\n"
        "    from ccn.clusters.models import Cluster\n"
        "    from . import selectors\n"
        "    from .models import TenantProject  # lazy: models load once apps are ready\n"
        "    # lazy: the same, said above\n"
        "    import ccn.geo.models\n\n"
        "class C:\n"
        "    from ccn.core import text\n\n"
        "    def m(self):\n"
        "        g = lambda: __import__('x')\n"
        "        from ccn.geo import crs\n"
    )
    assert lazy_imports_without_reason(source) == [6, 7, 17]


def test_the_layers_contract_has_no_exception_but_the_tests():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    (contract,) = [c for c in config["contracts"] if c["type"] == "layers"]
    assert contract["ignore_imports"] == ["ccn.**.tests.** -> ccn.**"]
    assert contract["layers"][-1] == "ccn.core" and contract["layers"][0] == "ccn.home"

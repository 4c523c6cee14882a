"""Every app keeps the same files for the same job (docs/architecture.md, "Each app keeps the same files"): tables
in models.py, writes in services, routers in api, filters in filters.py, workflows in workflow.py, forms in forms.py,
menus in nav.py, cluster-page sections in panels.py, tests in tests/. An app that departs from it is listed here with
its reason."""

import ast
from pathlib import Path

from django.apps import apps

from ccn.core.menus import NAV_APPS
from ccn.core.panels import PANEL_APPS

ROOT = Path(__file__).resolve().parents[1]
CCN = ROOT / "ccn"
APPS = sorted(p.name for p in CCN.iterdir() if (p / "apps.py").exists())

# Apps with tables but no services: nobody writes them through a page or the API.
WITHOUT_SERVICES = {
    "geo": "provinces and communes are reference data loaded by its management commands (load_admin_units)",
}
# Apps with tables but no policy.py: no row of theirs is scoped by role.
WITHOUT_POLICY = {
    "core": "change and transition records are written by other apps' services and read in those apps' scope",
    "geo": "provinces and communes are public reference data",
    "jobs": "a job is read by the user who started it only (jobs/selectors.recent_jobs)",
}
# Apps whose templates are not all under templates/<app>/.
TEMPLATES_ELSEWHERE = {
    "maps": "the map pages kept their template names (templates/geo/) when they moved out of geo",
}
# Modules that read, parse or render: none of them writes a row.
READING_MODULES = {"views", "api", "selectors", "forms", "filters", "nav", "panels", "schemas", "policy"}
WRITING_CALLS = {
    "save",
    "delete",
    "create",
    "update",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
}


def _has(app: str, name: str) -> bool:
    return (CCN / app / f"{name}.py").exists() or (CCN / app / name / "__init__.py").exists()


def _modules():
    """(app, kind, path) of every module outside migrations and tests; `kind` is the module's name, or its
    package's for modules in a package named by a job (views/, api/, services/)."""
    for path in sorted(CCN.rglob("*.py")):
        parts = path.relative_to(CCN).parts
        if "migrations" in parts or "tests" in parts:
            continue
        package = parts[1] if len(parts) > 2 else None
        kind = package if package in {"views", "api", "services", "forms"} else path.stem
        yield parts[0], kind, path


def _classes(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ClassDef):
            yield node, {ast.unparse(base).split(".")[-1] for base in node.bases}


def _chain(node) -> list[str]:
    """The names along a call chain: `Cluster.objects.filter(x=1).update` → [Cluster, objects, filter, update]."""
    names = []
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        else:
            if isinstance(node, ast.Name):
                names.append(node.id)
            return names[::-1]


def writes_in(source: str) -> list[int]:
    """Lines that write rows: `.save()`, `.delete()` on anything but a router, and create/update/bulk calls on a
    manager or a queryset (`x.objects…`, `….filter(…)…`, `…_set…`); `dict.update` is not one."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        chain = _chain(node.func)
        attr = node.func.attr
        if attr in {"save", "delete"} and chain[0] not in {"router", "api"}:
            lines.append(node.lineno)
        elif attr in WRITING_CALLS and (
            {"objects", "filter", "exclude", "all"} & set(chain[:-1]) or any(n.endswith("_set") for n in chain)
        ):
            lines.append(node.lineno)
    return lines


def test_every_table_is_declared_in_its_apps_models_module():
    elsewhere = {
        model._meta.label: model.__module__
        for model in apps.get_models()
        if model.__module__.startswith("ccn.")
        and model.__module__ != f"{apps.get_containing_app_config(model.__module__).name}.models"
    }
    assert elsewhere == {}


def test_every_app_with_tables_has_its_services_and_policy():
    with_tables = [app for app in APPS if _has(app, "models")]
    assert {a for a in with_tables if not _has(a, "services")} == set(WITHOUT_SERVICES)
    assert {a for a in with_tables if not _has(a, "policy")} == set(WITHOUT_POLICY)


def test_every_app_with_pages_has_its_views_and_templates():
    with_pages = [app for app in APPS if _has(app, "urls")]
    assert [a for a in with_pages if not _has(a, "views")] == []
    assert {a for a in with_pages if not (CCN / a / "templates" / a).is_dir()} == set(TEMPLATES_ELSEWHERE)


def test_each_job_is_in_the_module_named_for_it():
    misplaced = []
    for app, kind, path in _modules():
        where = str(path.relative_to(ROOT))
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        if kind not in {"api"} and any(
            isinstance(n, ast.Call) and _chain(n.func)[-1:] == ["Router"] for n in ast.walk(tree)
        ):
            misplaced.append((where, "an API router outside api"))
        if kind != "workflow" and app != "core" and "Transition(" in source:
            misplaced.append((where, "a workflow table outside workflow.py"))
        for node, bases in _classes(path):
            if "FilterSet" in bases and kind != "filters":
                misplaced.append((where, f"{node.name}: a filter declaration outside filters.py"))
            if bases & {"Form", "ModelForm"} and kind not in {"forms", "filters"}:
                misplaced.append((where, f"{node.name}: a form outside forms.py"))
            if (
                bases & {"Schema", "FilterSchema"}
                and kind not in {"schemas", "api", "filters"}
                and not path.stem.startswith("schemas")
            ):
                misplaced.append((where, f"{node.name}: an API schema outside schemas.py, api or filters.py"))
    assert misplaced == []


def test_no_module_that_reads_or_renders_writes_a_row():
    found = {
        str(path.relative_to(ROOT)): lines
        for _app, kind, path in _modules()
        if kind in READING_MODULES and (lines := writes_in(path.read_text(encoding="utf-8")))
    }
    assert found == {}, "writes belong in the app's services (docs/architecture.md, 'Only services write')"


def test_the_write_check_tells_a_write_from_a_dict_update():
    source = (
        "def f(request, cluster, data):\n"
        "    data.update(x=1)\n"
        "    cluster.save()\n"
        "    Cluster.objects.filter(pk=1).update(name='x')\n"
        "    cluster.tenantproject_set.create(name='y')\n"
        "    Cluster.objects.create(code='z')\n"
        "    cluster.delete()\n"
        "\n"
        "@router.delete('/x')\n"
        "def g(request):\n"
        "    return {}.get('a')\n"
    )
    assert writes_in(source) == [3, 4, 5, 6, 7]


def test_menus_and_panels_are_declared_where_core_reads_them():
    assert {a for a in APPS if _has(a, "nav")} == set(NAV_APPS)
    assert {a for a in APPS if _has(a, "panels")} - {"core"} == set(PANEL_APPS)
    for app in NAV_APPS:
        assert "ITEMS" in (CCN / app / "nav.py").read_text(encoding="utf-8"), app
    for app in PANEL_APPS:
        assert "def cluster_panels(" in (CCN / app / "panels.py").read_text(encoding="utf-8"), app


def test_tests_live_in_each_apps_tests_package():
    outside = [str(p.relative_to(ROOT)) for p in CCN.rglob("test_*.py") if "tests" not in p.relative_to(CCN).parts]
    assert outside == []
    assert [a for a in APPS if not (CCN / a / "tests" / "__init__.py").exists()] == []

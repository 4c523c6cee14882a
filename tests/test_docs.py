"""Documentation that must not drift from code: workflow tables, settings, the README's two commands."""

import re
from pathlib import Path

from ccn.core.workflow_docs import expected_files

ROOT = Path(__file__).resolve().parent.parent


def test_workflow_docs_are_generated_from_code():
    files = expected_files()
    assert files, "no workflow found"
    for path, text in files.items():
        assert path.exists(), f"{path} missing: run manage.py workflow_docs"
        assert path.read_text(encoding="utf-8") == text, f"{path} is stale: run manage.py workflow_docs"


def test_every_environment_variable_is_documented():
    settings_src = (ROOT / "config" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r"""(?:environ\.get|environ\[|env_bool|env_list)\(?\s*["']([A-Z_]+)["']""", settings_src))
    names |= set(re.findall(r"""environ\[["']([A-Z_]+)["']\]""", settings_src))
    documented = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    missing = sorted(n for n in names if f"`{n}`" not in documented)
    assert not missing, f"undocumented settings: {missing}"
    assert "DATABASE_URL" in names and "MAP_TILE_URL" in names


def test_readme_starts_with_the_two_commands():
    head = (ROOT / "README.md").read_text(encoding="utf-8")[:600]
    assert "make run" in head and "make test" in head

"""Every message has a Vietnamese translation; none is fuzzy or left empty; placeholders survive translation."""

import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(ROOT.glob("locale/vi/LC_MESSAGES/django.po")) + sorted(
    ROOT.glob("ccn/*/locale/vi/LC_MESSAGES/django.po")
)
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]")


def test_there_are_catalogues():
    assert ROOT / "locale/vi/LC_MESSAGES/django.po" in CATALOGUES


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_complete(path):
    po = polib.pofile(str(path))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated in {path}: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy in {path}: {fuzzy[:10]}"
    for entry in po.translated_entries():
        translations = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
        for text in translations:
            assert set(PLACEHOLDER.findall(entry.msgid)) == set(PLACEHOLDER.findall(text)), entry.msgid


def test_vietnamese_is_the_default_language(client, db):
    html = client.get("/").content.decode()
    assert '<html lang="vi">' in html and "Cụm công nghiệp Việt Nam" in html

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


def test_one_translation_per_message_across_catalogues():
    """Catalogues merge at run time (the site-wide one first, then apps in INSTALLED_APPS order), so two apps
    translating the same message differently means one of them silently shows the other's words. Use the same
    translation, or give the message a context (pgettext) when the meaning differs."""
    seen: dict[tuple, tuple[str, Path]] = {}
    conflicts = []
    for path in CATALOGUES:
        for entry in polib.pofile(str(path)):
            if entry.obsolete or entry.msgid_plural or not entry.msgstr:
                continue
            key = (entry.msgctxt, entry.msgid)
            if key in seen and seen[key][0] != entry.msgstr:
                conflicts.append(f"{entry.msgid!r}: {seen[key][0]!r} ({seen[key][1].parts[-5]}) ≠ {entry.msgstr!r}")
            seen.setdefault(key, (entry.msgstr, path))
    assert not conflicts, "\n".join(conflicts[:20])


def test_an_english_browser_still_gets_vietnamese_pages_until_it_switches(client, db):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert '<html lang="en">' in client.get("/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    api = client.get("/api/v1/clusters/NOPE", HTTP_ACCEPT_LANGUAGE="en").json()
    assert api["detail"] == "No such cluster, or you may not see it."

"""File inputs in the page's language: Chromium draws its own "Choose File / No file chosen" in the browser's
language, so static/js/ccn.js (enhanceFiles) draws a "Chọn tệp" button and the chosen file's name instead, with the
real input laid transparent over them. In an English browser on a Vietnamese page: the words are Vietnamese, a click
on the button lands on the input, Tab reaches it and shows the focus on the button, a screen reader names it by its
label, the chosen file's name shows, and axe-core finds no critical or serious violation."""

import pytest

from ccn.core.screens import DESKTOP, PHONE
from ccn.core.testing import axe_violations, sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_file_input_speaks_the_pages_language_and_stays_reachable(app_server, browser, size, tmp_path):
    context = browser.new_context(locale="en-US", viewport=size)
    context.set_default_timeout(15000)
    page = context.new_page()
    sign_in(page, app_server, "khanhhoa.editor")
    page.goto(app_server + "/tenants/import/")
    page.wait_for_load_state("networkidle")
    face = page.locator(".file-field .file-face")
    assert face.inner_text().split() == ["Chọn", "tệp", "Chưa", "chọn", "tệp"]
    assert face.get_attribute("aria-hidden") == "true"
    # A click on the drawn button reaches the input itself (it lies over the button, transparent).
    box = page.locator(".file-button").bounding_box()
    centre = [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2]
    assert page.evaluate("([x, y]) => document.elementFromPoint(x, y).type", centre) == "file"
    # Its accessible name is its own label; Tab from the field before reaches it and the button shows the focus.
    assert page.get_by_label("Tệp (XLSX hoặc CSV)").evaluate("el => el.type") == "file"
    page.focus("select[name=kind]")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "file"
    assert page.locator(".file-button").evaluate("el => getComputedStyle(el).outlineStyle") == "solid"
    # The chosen file's name replaces "no file chosen".
    chosen = tmp_path / "du-an-thu-cap.csv"
    chosen.write_text("Mã cụm\n", encoding="utf-8")
    page.locator("input[type=file]").set_input_files(str(chosen))
    assert page.locator(".file-name").inner_text() == "du-an-thu-cap.csv"
    assert axe_violations(page, app_server) == []
    context.close()

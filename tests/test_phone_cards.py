"""On a phone (390×844) the main lists show a card per row, each cell with its column's name beside it. A name of
two lines (“Đất công nghiệp (ha)”) makes its cell taller: no label or value of a card lies over another (their
boxes, measured in Debian's Chromium, never intersect)."""

import pytest

from ccn.core.screens import PHONE
from ccn.core.testing import sign_in

pytestmark = pytest.mark.browser

APP_SERVER_DATA = (
    ["load_sample_obstacles", "-v0"],
    ["load_sample_procedures", "-v0"],
)

# The lists whose table turns into cards on phones (class cards-on-phone; the reports list, the API tokens, the
# investors' enquiries, the wastewater alerts, the background jobs, the inspections and the addresses to confirm
# use it too but have no row in this data).
CARD_LISTS = [
    "/clusters/",
    "/tenants/",
    "/obstacles/",
    "/procedures/",
    "/plans/",
    "/clusters/organisations/",
    "/accounts/people/",
    "/procedures/relocation/",
    "/obstacles/agencies/",
    "/obstacles/overview/",
    "/obstacles/meetings/",
    "/obstacles/conferences/",
    "/procedures/overdue/",
]

# For each card, the box of every cell's label (the ::before pseudo-element, placed by its computed style whatever
# the positioning: absolute, or floated into the cell's padding) and of its value (a range over the cell's content).
BOXES = """() => Array.from(document.querySelectorAll("table.cards-on-phone tbody tr")).map((tr) => {
  const boxes = [];
  for (const td of tr.children) {
    const cell = td.getBoundingClientRect();
    const style = getComputedStyle(td);
    const label = getComputedStyle(td, "::before");
    if (label.content !== "none" && label.content !== "normal" && td.dataset.label) {
      const absolute = label.position === "absolute";
      const left = cell.left + (absolute ? parseFloat(label.left)
        : parseFloat(style.borderLeftWidth) + parseFloat(style.paddingLeft) + parseFloat(label.marginLeft));
      const top = cell.top + (absolute ? parseFloat(label.top)
        : parseFloat(style.borderTopWidth) + parseFloat(style.paddingTop) + parseFloat(label.marginTop));
      boxes.push({what: "label " + td.dataset.label, x: left, y: top,
                  w: parseFloat(label.width), h: parseFloat(label.height)});
    }
    const range = document.createRange();
    range.selectNodeContents(td);
    const value = range.getBoundingClientRect();
    if (value.width > 0 && value.height > 0) {
      boxes.push({what: "value " + (td.dataset.label || "first"), x: value.left, y: value.top,
                  w: value.width, h: value.height});
    }
  }
  return boxes;
})"""


def _overlaps(a, b) -> bool:
    """Boxes that share more than a pixel each way (anti-aliased edges touch)."""
    width = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
    height = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
    return width > 1 and height > 1


def test_no_label_or_value_of_a_phone_card_lies_over_another(app_server, browser):
    context = browser.new_context(locale="vi-VN", viewport=PHONE)
    context.set_default_timeout(15000)
    page = context.new_page()
    sign_in(page, app_server, "admin")
    two_line_labels = 0
    for path in CARD_LISTS:
        page.goto(app_server + path)
        page.wait_for_load_state("networkidle")
        cards = page.evaluate(BOXES)
        assert cards, f"{path}: no card"
        # No list is a wide table any more: the page does not scroll sideways.
        assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"], path
        for number, boxes in enumerate(cards):
            clashes = [(a["what"], b["what"]) for i, a in enumerate(boxes) for b in boxes[i + 1 :] if _overlaps(a, b)]
            assert not clashes, f"{path}, card {number + 1}: {clashes}"
            two_line_labels += sum(1 for b in boxes if b["what"].startswith("label") and b["h"] > 30)
    # The case that overlapped: labels that wrap onto a second line are there and were measured.
    assert two_line_labels > 0
    context.close()

"""The product as a new user meets it, in Debian's Chromium at desktop (1366×768) and phone (390×844) size, on the
demo data of `make run` (the sample clusters plus the synthetic dataset): axe-core finds no critical or serious
accessibility violation on the 20 main pages; each role's home lists what needs doing with links that work; the
menu is grouped and folded behind a button on phones; the map draws the provinces with no network; the portal finds
vacant land; an edited cluster's history reads in plain language; and the bad cases of issue 17 (a tenant with no
project, a 200-character name, an English browser) neither overlap nor flip the language."""

import json
import re
from urllib.parse import urlparse

import pytest

from ccn.core.screens import DESKTOP, MAIN_PAGES, MORE_PAGES, PHONE
from ccn.core.testing import axe_violations, sign_in

pytestmark = pytest.mark.browser

# The demo of `make run` (Makefile, DEMO_ARGS), on the test server's own database.
APP_SERVER_DATA = (
    ["load_sample_portal", "-v0"],
    ["load_sample_plans", "-v0"],
    ["load_sample_reports", "-v0"],
    ["load_sample_procedures", "-v0"],
    ["load_sample_obstacles", "-v0"],
    ["generate_dataset", "--if-empty", "--clusters", "150", "--tenant-projects", "1500", "--years", "2"],
)

SIZES = {"desktop": DESKTOP, "phone": PHONE}
ROLES = [
    ("khanhhoa.editor", "province editor"),
    ("khanhhoa.approver", "province leader"),
    ("bo.congthuong", "ministry"),
    ("xa.dientho", "commune officer"),
    ("investor.songcau", "infrastructure investor"),
    ("tenant.demo", "tenant"),
]


def _context(browser, size, locale="vi-VN", **kwargs):
    context = browser.new_context(locale=locale, viewport=SIZES[size], **kwargs)
    context.set_default_timeout(15000)
    return context


def _signed_in(browser, base, size, username, locale="vi-VN"):
    page = _context(browser, size, locale).new_page()
    if username:
        sign_in(page, base, username)
    return page


def _submit(page) -> dict:
    """Click the form's submit button and wait for the page the POST leads to (after any redirect) to load; the
    fields the POST carried, so a test can tell what the server was sent from what it answered."""
    with page.expect_navigation() as navigation:
        page.click("main form button[type=submit]")
    request = navigation.value.request
    while request.redirected_from is not None:
        request = request.redirected_from
    assert request.method == "POST", (request.method, request.url)
    return request.post_data_json


def _no_sideways_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("size", SIZES)
def test_axe_finds_no_critical_or_serious_violation_on_the_main_pages(app_server, browser, size):
    pages = {}
    found = []
    for name, user, path in MAIN_PAGES + MORE_PAGES:
        if user not in pages:
            pages[user] = _signed_in(browser, app_server, size, user)
        page = pages[user]
        response = page.goto(app_server + path)
        assert response.status == 200, (name, response.status)
        page.wait_for_load_state("networkidle")
        found += [(size, name, v["id"], v["impact"], v["targets"]) for v in axe_violations(page, app_server)]
    # The menu as a phone shows it: opened by its button, one group unfolded.
    page = pages["khanhhoa.editor"]
    page.goto(app_server + "/")
    if size == "phone":
        page.click(".menu-toggle")
    page.locator(".nav-menu summary").first.click()
    found += [(size, "open-menu", v["id"], v["impact"], v["targets"]) for v in axe_violations(page, app_server)]
    # A form sent empty: its errors are announced and linked to their fields.
    page.goto(app_server + "/clusters/new/")
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator(".field.has-error").count() >= 1
    found += [(size, "form-errors", v["id"], v["impact"], v["targets"]) for v in axe_violations(page, app_server)]
    for page in pages.values():
        page.context.close()
    assert len(MAIN_PAGES + MORE_PAGES) == 20
    assert found == []


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(("username", "role"), ROLES)
def test_home_lists_what_needs_doing_with_working_links(app_server, browser, size, username, role):
    page = _signed_in(browser, app_server, size, username)
    assert urlparse(page.url).path == "/"  # sign-in lands on the home page
    sections = page.locator("main .home-sections section")
    assert sections.count() >= 1, role
    links = page.eval_on_selector_all(
        "main .home-sections a[href], main .empty a[href]", "els => els.map((a) => a.getAttribute('href'))"
    )
    if username == "tenant.demo":
        # A tenant with no project yet: why, and what to do, not a page of zeros.
        empty = page.locator("main .empty").inner_text()
        assert "chưa có dự án" in empty and "/portal/" in links
        assert not re.search(r"(?<![\d,.])0(?![\d,.])", page.locator("main").inner_text())
    else:
        items = page.locator("main ul.todo li a")
        if username in ("khanhhoa.editor", "khanhhoa.approver", "bo.congthuong"):
            assert items.count() >= 1, f"the {role}'s home lists nothing to do on the demo data"
    assert links, role
    for href in dict.fromkeys(links):
        response = page.request.get(app_server + href)
        assert response.status == 200, (role, href, response.status)
    assert _no_sideways_overflow(page)
    page.context.close()


@pytest.mark.parametrize("size", SIZES)
def test_the_menu_is_grouped_and_folded_on_phones(app_server, browser, size):
    page = _signed_in(browser, app_server, size, "khanhhoa.editor")
    toggle = page.locator(".menu-toggle")
    groups = page.locator("#site-nav .nav-groups > li.nav-group")
    assert 2 <= groups.count() <= 7  # the six groups (and the home), never twenty flat entries
    menus = page.locator("#site-nav details.nav-menu")
    assert menus.count() >= 3 and page.locator("#site-nav details.nav-menu[open]").count() == 0
    if size == "phone":
        assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
        assert not page.locator("#site-nav").is_visible()
        # the folded header leaves the page's heading on the first screen
        assert page.locator("main h1").bounding_box()["y"] < 300
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true"
    else:
        assert not toggle.is_visible()
        header = page.locator(".site-header").bounding_box()
        assert header["height"] < 140  # one line of groups, not three lines of entries
    assert page.locator("#site-nav").is_visible()
    # A group opens and its link leads to its page, which is marked as the current one.
    registry = menus.filter(has=page.locator("a[href='/tenants/']"))
    registry.locator("summary").click()
    link = registry.locator("a[href='/tenants/']")
    assert link.is_visible()
    link.click()
    page.wait_for_url(re.compile(r"/tenants/$"))
    assert page.locator("#site-nav a[aria-current='page'][href='/tenants/']").count() == 1
    page.context.close()


@pytest.mark.parametrize("size", SIZES)
def test_the_map_draws_province_boundaries_with_no_network(app_server, browser, size):
    context = _context(browser, size)
    outside = []

    def only_this_server(route):
        if urlparse(route.request.url).hostname in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_this_server)
    page = context.new_page()
    for path, selector in (("/geo/map/", "#cluster-map"), ("/", "#portal-map"), ("/portal/", "#portal-map")):
        page.goto(app_server + path)
        page.locator(f"{selector}[data-provinces='34']").wait_for()  # set by basemap.js once drawn
        drawn = page.locator(f"{selector} .leaflet-provinces-pane path").count()
        assert drawn >= 34, (path, drawn)  # one shape (or more, for islands) per province
        assert page.locator(f"{selector} .leaflet-basemap-pane path").count() >= 1  # the neighbours' land
    assert outside == []
    context.close()


@pytest.mark.parametrize("size", SIZES)
def test_a_portal_search_for_vacant_land_in_the_demo_data_returns_results(app_server, browser, size):
    page = _signed_in(browser, app_server, size, None)
    page.goto(app_server + "/")
    # The landing's main action is the land search: province and the least vacant land wanted.
    form = page.locator("main form[role=search]").first
    form.locator("select[name=province]").select_option(label="Tỉnh Khánh Hòa")
    form.locator("input[name=min_vacant_ha]").fill("1,5")  # the decimal comma
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/portal/\?"))
    cards = page.locator("main .result-card h3")
    count = cards.count()
    assert count >= 1
    found = re.search(r"\d+", page.locator("#results-h").inner_text())  # "Tìm được 2 cụm công nghiệp"
    assert found and int(found.group()) >= count
    for card in page.locator("main .result-card").all():
        assert "Khánh Hòa" in card.locator(".meta").inner_text()
        vacant = card.locator("dl.mini div").first.locator("dd").inner_text()  # "12,5 ha"
        value = float(vacant.replace(" ha", "").replace(".", "").replace(",", "."))
        assert value >= 1.5, vacant
    assert _no_sideways_overflow(page)
    page.context.close()


@pytest.mark.parametrize("size", SIZES)
def test_the_history_of_an_edited_cluster_reads_in_plain_language(app_server, browser, size):
    page = _signed_in(browser, app_server, size, "khanhhoa.editor")
    area = {"desktop": "50,5", "phone": "51,25"}[size]
    page.goto(app_server + "/clusters/KHA-DIENTHO/edit/")
    page.fill("#id_area_planned_ha", area)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/clusters/KHA-DIENTHO/$"))
    latest = page.locator("ol.feed > li").first.inner_text()
    assert "khanhhoa.editor" in latest
    assert "Diện tích theo phương án" in latest and f"{area} ha" in latest
    feed = page.locator("ol.feed").inner_text()
    for internal in ("area_planned_ha", "search_key", "version", "communes: [", "updated_at"):
        assert internal not in feed
    assert _no_sideways_overflow(page)
    page.context.close()


@pytest.mark.parametrize("size", SIZES)
def test_a_200_character_cluster_name_does_not_overlap(app_server, browser, size):
    page = _signed_in(browser, app_server, size, "khanhhoa.editor")
    code = {"desktop": "KHA-DAI-D", "phone": "KHA-DAI-P"}[size]
    name = ("Cụm công nghiệp " + "Rất Dài Tên Thử Nghiệm Hiển Thị " * 7)[:200]
    assert len(name) == 200
    page.goto(app_server + "/clusters/new/")
    page.fill("#id_code", code)
    page.fill("#id_name", name)
    page.select_option("#id_communes", label="Xã Diên Thọ")
    page.fill("#id_area_planned_ha", "45,5")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(rf"/clusters/{code}/$"))
    for path in (f"/clusters/{code}/", f"/clusters/?q={code}", "/"):
        page.goto(app_server + path)
        page.wait_for_load_state("networkidle")
        assert _no_sideways_overflow(page), path
        # No element with text lies over another: the heading's box ends before what follows it.
        h1 = page.locator("main h1").bounding_box()
        after = page.locator("main h1 + *").first.bounding_box()
        assert after is None or after["y"] >= h1["y"] + h1["height"] - 1, path
    page.goto(app_server + f"/clusters/{code}/")
    assert page.locator("main h1").inner_text().startswith(name[:50])
    page.context.close()


@pytest.mark.parametrize("size", SIZES)
def test_an_english_browser_does_not_flip_an_officers_language(app_server, browser, size):
    page = _signed_in(browser, app_server, size, "khanhhoa.approver", locale="en-US")
    pages = ["/", "/clusters/", "/portal/", "/geo/map/", "/plans/dashboard/", "/reports/", "/clusters/KHA-DIENTHO/"]
    for path in pages:
        page.goto(app_server + path)
        assert page.locator("html").get_attribute("lang") == "vi", path
    # The language the officer picks is kept on every page until changed, the portal included.
    if size == "phone":
        page.click(".menu-toggle")
    page.click("button[name=language][value=en]")
    page.wait_for_load_state("networkidle")
    for path in pages:
        page.goto(app_server + path)
        assert page.locator("html").get_attribute("lang") == "en", path
    if size == "phone":
        page.click(".menu-toggle")
    page.click("button[name=language][value=vi]")
    page.wait_for_load_state("networkidle")
    page.goto(app_server + "/portal/")
    assert page.locator("html").get_attribute("lang") == "vi"
    page.context.close()


@pytest.mark.parametrize("size", SIZES)
def test_the_cluster_form_fits_the_task_in_an_english_browser(app_server, browser, size):
    page = _signed_in(browser, app_server, size, "khanhhoa.editor", locale="en-US")
    page.goto(app_server + "/clusters/new/")
    assert page.locator("html").get_attribute("lang") == "vi"
    # Fields grouped under headings, published only when the officer chooses.
    legends = page.locator("main form fieldset legend").all_inner_texts()
    assert len(legends) >= 5 and "Vị trí" in legends, legends
    assert not page.locator("#id_is_published").is_checked()
    # The 65 communes: a search box, not a Ctrl-click list.
    search = page.locator("#id_communes-ts-control")
    search.fill("dien tho")  # without diacritics
    page.locator(".ts-dropdown .option", has_text="Xã Diên Thọ").first.click()
    assert page.eval_on_selector("#id_communes", "s => Array.from(s.selectedOptions).map((o) => o.text)") == [
        "Xã Diên Thọ"
    ]
    page.keyboard.press("Escape")
    # A date as dd/mm/yyyy with a Vietnamese calendar, whatever the browser's language.
    date = page.locator("#id_land_confirmed_on")
    assert date.get_attribute("type") == "text" and date.get_attribute("placeholder") == "dd/mm/yyyy"
    date.fill("2026-06-14")  # ISO is read too, and left as typed until the calendar writes a date
    date.locator("xpath=following-sibling::button").click()
    calendar = page.locator(".date-popup .datepicker")
    assert "Tháng" in calendar.locator(".view-switch").inner_text()
    calendar.locator(".datepicker-cell.day:not(.prev):not(.next)", has_text="15").first.click()
    assert date.input_value() == "15/06/2026"  # the calendar opened on the typed date's month
    # The decimal comma is accepted, and the message speaks it back: 75,5 ha is above the 75 ha limit.
    page.fill("#id_code", f"KHA-FORM-{size[0].upper()}")
    page.fill("#id_name", f"Cụm công nghiệp Biểu Mẫu {size}")
    page.fill("#id_area_planned_ha", "75,5")
    assert page.input_value("#id_name").endswith(size)
    sent = _submit(page)
    assert (sent["code"], sent["area_planned_ha"]) == (f"KHA-FORM-{size[0].upper()}", "75,5"), sent
    errors = page.locator(".field.has-error")
    assert errors.count() == 1, (page.url, errors.all_inner_texts())
    error = errors.first.inner_text()
    assert "75,5 ha" in error and "75.5" not in error
    page.fill("#id_area_planned_ha", "45,5")
    assert _submit(page)["area_planned_ha"] == "45,5"
    assert re.search(r"/clusters/KHA-FORM-\w/$", page.url), page.url
    facts = page.locator("main").inner_text()
    assert "45,5 ha" in facts and "15/06/2026" in facts
    assert _no_sideways_overflow(page)
    public = browser.new_context(locale="vi-VN").new_page()
    assert public.goto(page.url).status == 404  # not published: the officer did not choose to
    public.context.close()
    page.context.close()


def test_the_cluster_page_map_draws_the_boundary_or_else_the_point(app_server, browser):
    page = _signed_in(browser, app_server, "desktop", "khanhhoa.editor")
    # A boundary drawn around Sông Cầu's point (12.1782 N, 108.915 E), entered as GeoJSON in the form.
    lat, lon, d = 12.1782, 108.915, 0.01
    ring = [[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]]
    page.goto(app_server + "/clusters/KHA-SONGCAU/edit/")
    page.fill("#id_boundary", json.dumps({"type": "Polygon", "coordinates": [ring]}))
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/clusters/KHA-SONGCAU/$"))
    for path in ("/clusters/KHA-SONGCAU/", "/portal/clusters/KHA-SONGCAU/"):
        page.goto(app_server + path)
        selector = "#cluster-small-map" if path.startswith("/clusters/") else "#portal-map"
        page.locator(f"{selector}[data-provinces='34'][data-drawn='boundary']").wait_for()
        assert page.locator(f"{selector} .leaflet-overlay-pane path").count() >= 1, path
    page.goto(app_server + "/clusters/KHA-DIENTHO/")
    page.locator("#cluster-small-map[data-provinces='34'][data-drawn='point']").wait_for()
    page.context.close()

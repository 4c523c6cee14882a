"""A walk-through in Chromium: Hà Nội's editor enters the 2024 targets through the API, then reads the target page
and the dashboard; charts are drawn from the app's own Chart.js, with their tables, on screen and in print."""

import pytest

pytestmark = pytest.mark.browser


DEMO_PASSWORD = "ccn-demo-2026"  # noqa: S105 - the demo users of the test server


def sign_in(page, base_url, username, password=DEMO_PASSWORD):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")


def api_post(page, base_url, path, data):
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    r = page.request.post(f"{base_url}/api/v1/plans{path}", data=data, headers={"X-CSRFToken": token})
    assert r.status == 201, r.text()
    return r.json()


def test_targets_on_track_and_at_risk_with_charts(app_server, page):
    failed = []
    page.on("requestfailed", lambda req: failed.append(req.url))
    page.on(
        "response", lambda resp: failed.append(resp.url) if resp.status >= 400 and "favicon" not in resp.url else None
    )
    sign_in(page, app_server, "hanoi.editor")
    plan = api_post(
        page,
        app_server,
        "/",
        {
            "province": "01",
            "kind": "annual",
            "number": "KH-2024",
            "title": "Kế hoạch CCN 2024",
            "issued_on": "2024-01-01",
            "issuer": "UBND thành phố Hà Nội",
            "year": 2024,
        },
    )
    opening = api_post(
        page,
        app_server,
        f"/{plan['id']}/targets",
        {
            "title": "Khánh thành 15–20 cụm",
            "indicator": "infrastructure_completed",
            "value_min": 15,
            "value_max": 20,
            "deadline": "2024-12-31",
        },
    )
    started = api_post(
        page,
        app_server,
        f"/{plan['id']}/targets",
        {"title": "Khởi công 4 cụm", "indicator": "construction_started", "value_min": 4, "deadline": "2024-12-31"},
    )

    page.goto(f"{app_server}/plans/targets/{opening['id']}/?as_of=2024-07-31")
    page.wait_for_selector("body[data-charts-ready='1']")
    assert "Có nguy cơ" in page.inner_text("h1")  # at risk
    sentence = page.inner_text(".sentence.lead")
    assert "15–20" in sentence and "31/12/2024" in sentence
    assert page.locator("#target-chart").bounding_box()["height"] > 100
    assert page.locator(".chart-table table tbody tr").count() >= 7

    page.goto(f"{app_server}/plans/targets/{started['id']}/?as_of=2024-07-31")
    assert "Đã đạt" in page.inner_text("h1")  # met: the four clusters under construction in 2024

    page.goto(f"{app_server}/plans/dashboard/?as_of=2024-07-31")
    page.wait_for_selector("body[data-charts-ready='3']")
    assert page.locator("#dashboard-map").get_attribute("data-ready") == "12"
    assert page.locator(".leaflet-interactive").count() == 12
    rows = page.locator("#targets-section tbody tr")
    assert rows.count() == 2
    assert "Có nguy cơ" in rows.nth(0).inner_text() and "Đã đạt" in rows.nth(1).inner_text()
    page.emulate_media(media="print")
    assert page.locator("#chart-stages").is_visible() and page.locator(".chart-table table").first.is_visible()
    assert not page.locator(".site-header").is_visible()
    page.emulate_media(media="screen")
    page.click("a[data-status='under_construction']")
    page.wait_for_load_state("networkidle")
    assert "status=under_construction" in page.url and "Xà Cầu" in page.inner_text("main")
    assert failed == []

"""The home page per role: what needs attention, each item linking where it is done; the public landing."""

import datetime

from django.urls import reverse


def _links(html: str) -> list[str]:
    import re

    return re.findall(r'<li class="[a-z]*"><a href="([^"]+)"', html)


def test_the_public_home_leads_with_the_land_search_figures_and_map(client, db):
    html = client.get("/").content.decode()
    assert 'role="search"' in html and f'action="{reverse("portal:search")}"' in html
    assert 'id="portal-map"' in html and "basemap.js" in html
    assert 'class="card"' in html


def test_signing_in_lands_on_the_home(client, users):
    from ccn.core.testing import PASSWORD

    response = client.post(reverse("accounts:login"), {"username": "editor", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_every_role_gets_a_home_whose_links_open(client, users):
    for key, user in users.items():
        client.force_login(user)
        response = client.get("/")
        assert response.status_code == 200, key
        html = response.content.decode()
        for url in _links(html):
            assert client.get(url).status_code == 200, (key, url)


def test_an_overdue_report_shows_late_with_days_and_opens_the_reports_page(client, users):
    from ccn.reports.models import Period

    today = datetime.date.today()
    Period.objects.get_or_create(
        kind="year",
        year=today.year - 1,
        defaults={
            "starts_on": today.replace(year=today.year - 1, month=1, day=1),
            "ends_on": today.replace(year=today.year - 1, month=12, day=31),
        },
    )
    client.force_login(users["editor"])
    html = client.get("/").content.decode()
    period = Period.objects.get(kind="year", year=today.year - 1)
    assert "Biểu 04 kỳ" in html
    assert f'href="{reverse("reports:index")}?period={period.pk}"' in html


def test_days_left_and_late_read_as_words_with_a_severity():
    from django.utils import translation

    from ccn.home.attention import _days

    today = datetime.date(2026, 3, 10)
    with translation.override("vi"):
        assert _days(datetime.date(2026, 3, 7), today) == ("chậm 3 ngày", "late")
        assert _days(datetime.date(2026, 3, 10), today) == ("hạn hôm nay", "soon")
        assert _days(datetime.date(2026, 3, 14), today) == ("còn 4 ngày", "soon")
        assert _days(datetime.date(2026, 4, 30), today) == ("còn 51 ngày", "")


def test_a_tenant_without_a_project_is_told_why_and_what_to_do(client, users):
    client.force_login(users["tenant"])
    html = client.get("/").content.decode()
    assert "chưa có dự án" in html and reverse("portal:search") in html


def test_the_ministry_sees_provinces_late_with_form_04(client, users):
    client.force_login(users["ministry"])
    html = client.get("/").content.decode()
    assert "Biểu 04" in html

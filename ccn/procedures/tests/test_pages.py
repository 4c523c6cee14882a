"""Pages: who may open them (role × page × own/other scope), forms showing the services' refusals, both languages,
the register export."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from .factories import planned_cluster, receive, select, sheet, to_appraisal

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(users):
    return receive(users, planned_cluster())


@pytest.mark.parametrize(
    "who,list_status,detail_status",
    [
        (None, 302, 302),
        ("investor", 403, 403),
        ("tenant", 403, 403),
        ("ministry", 200, 200),
        ("editor", 200, 200),
        ("approver", 200, 200),
        ("commune", 200, 200),
        ("other_editor", 200, 404),
    ],
)
def test_page_scope(client, users, dossier, who, list_status, detail_status):
    if who:
        client.force_login(users[who])
    assert client.get("/procedures/").status_code == list_status
    assert client.get(f"/procedures/dossiers/{dossier.code}/").status_code == detail_status
    for page in (
        "/procedures/inspections/",
        "/procedures/relocation/",
        "/procedures/overdue/",
        "/procedures/calendar/",
    ):
        assert client.get(page).status_code == list_status


@pytest.mark.parametrize("who,status", [("ministry", 403), ("editor", 403), ("other_editor", 404), ("commune", 200)])
def test_action_page_scope(client, users, dossier, who, status):
    client.force_login(users[who])
    assert client.get(f"/procedures/dossiers/{dossier.code}/announce/").status_code == status


def test_receiving_through_the_page(client, users):
    from ccn.clusters.tests.factories import make_org

    cluster = planned_cluster()
    org = make_org("Công ty Hạ tầng Trang")
    client.force_login(users["commune"])
    form = client.get("/procedures/dossiers/new/")
    assert cluster.code in form.content.decode()
    data = {
        "kind": "establishment",
        "cluster": cluster.code,
        "commune": cluster.communes.first().pk,
        "applicant": org.pk,
        "received_on": "2026-03-02",
        "project": "Hạ tầng",
        "estimated_capital_bn": "100",
    }
    response = client.post("/procedures/dossiers/new/", data)
    assert response.status_code == 302
    dossier = cluster.dossiers.get()
    page = client.get(response["Location"]).content.decode()
    assert dossier.code in page and 'data-step="announce"' in page
    # A date in the future is refused on the form, in Vietnamese.
    bad = client.post(f"/procedures/dossiers/{dossier.code}/announce/", {"announced_on": "2099-01-01"})
    assert bad.status_code == 200 and "không được là ngày trong tương lai" in bad.content.decode()


def test_decision_before_appraisal_shown_on_the_form(client, users):
    d = to_appraisal(users, planned_cluster())
    select(users, d, {d.applications.first().applicant.name: [sheet(10, 10, 20, 20), sheet(10, 10, 20, 20)]})
    from ccn.procedures import services

    services.dossier_appraise(actor=users["editor"], dossier=d, appraised_on=D(2026, 4, 10), conclusion="favourable")
    client.force_login(users["approver"])
    client.cookies["django_language"] = "en"
    form = client.get(f"/procedures/dossiers/{d.code}/decide/")
    assert form.status_code == 200
    data = {
        "decided_on": "2026-04-09",
        "number": "9/QĐ-UBND",
        "issuer": "UBND tỉnh",
        "name": "Cụm công nghiệp Quy hoạch",
        "area_ha": "50",
        "location": "Khánh Hòa",
    }
    response = client.post(f"/procedures/dossiers/{d.code}/decide/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "before the appraisal of 10/04/2026" in response.content.decode()
    d.refresh_from_db()
    assert d.status == "appraised"


def test_detail_shows_clocks_checks_and_selection(client, users):
    d = to_appraisal(users, planned_cluster())
    from ccn.procedures import services

    services.dossier_run_checks(actor=users["editor"], dossier=d, on=D(2026, 3, 25))
    client.force_login(users["editor"])
    html = client.get(f"/procedures/dossiers/{d.code}/").content.decode()
    for step in ("announce", "window", "send", "appraise"):
        assert f'data-step="{step}"' in html
    assert 'data-check="area_occupancy"' in html and 'data-check="in_plan"' in html
    selection = client.get(f"/procedures/dossiers/{d.code}/selection/")
    assert selection.status_code == 200


def test_register_export(client, users, dossier):
    client.force_login(users["ministry"])
    response = client.get("/procedures/dossiers.xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert any(r and r[0] == dossier.code for r in rows)
    client.force_login(users["other_editor"])
    rows = list(
        load_workbook(io.BytesIO(client.get("/procedures/dossiers.xlsx").content)).active.iter_rows(values_only=True)
    )
    assert not any(r and r[0] == dossier.code for r in rows)


def test_navigation_entries_by_role(client, users):
    client.force_login(users["editor"])
    assert 'href="/procedures/"' in client.get("/procedures/").content.decode()
    client.force_login(users["investor"])
    assert 'href="/procedures/"' not in client.get("/clusters/").content.decode()


def test_register_and_overdue_pages_do_not_grow_with_dossiers(client, users, django_assert_max_num_queries):
    from ccn.clusters.tests.factories import make_org

    for i in range(6):
        receive(users, planned_cluster(name=f"Cụm quy hoạch {i}"), org=make_org(f"Công ty {i}"))
    client.force_login(users["editor"])
    with django_assert_max_num_queries(14):
        page = client.get("/procedures/")
    assert page.content.decode().count("HS-56-2026-") >= 6
    with django_assert_max_num_queries(12):
        assert client.get("/procedures/overdue/").status_code == 200


def test_a_step_page_carries_the_version_and_refuses_a_stale_one(client, users, dossier):
    """The step's form holds the version of the dossier it showed; posted after someone else moved the dossier, it
    is refused with who changed it, and nothing is written."""
    client.force_login(users["commune"])
    page = client.get(f"/procedures/dossiers/{dossier.code}/announce/").content.decode()
    assert 'name="version"' in page and f'value="{dossier.version}"' in page
    body = {"announced_on": "2026-03-04", "version": dossier.version - 1}
    response = client.post(f"/procedures/dossiers/{dossier.code}/announce/", body)
    assert response.status_code in (200, 409)
    assert "đã thay đổi hồ sơ này" in response.content.decode()  # "… changed this record at …"
    dossier.refresh_from_db()
    assert dossier.status == "received"


@pytest.mark.parametrize("path", ["/procedures/inspections/", "/procedures/calendar/"])
def test_the_year_choice_is_written_and_sent_without_a_thousands_dot(client, users, path):
    """Vietnamese number formatting wrote 2025 as “2.025” in the year select, which the page then read as no year."""
    client.force_login(users["editor"])
    html = client.get(path, {"year": "2025"}).content.decode()
    assert '<option value="2025" selected>2025</option>' in html and "2.025" not in html

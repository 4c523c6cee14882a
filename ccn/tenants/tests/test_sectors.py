"""A tenant project's sector in VSIC 2018 or VSIC 2025 (docs/decisions/0010-vsic-editions.md): any level accepted,
read in the edition in force on the project's registration date, the name and edition returned beside the code,
an unknown code refused in Vietnamese with nothing written, and the list found by a division's prefix."""

import pytest
from django.utils import translation

from ccn.tenants.models import TenantProject

from .helpers import tax_code, xlsx_bytes
from .test_import import EN, row, run

pytestmark = pytest.mark.django_db
API = "/api/v1/tenants/projects"


def _post(client, **data):
    base = {"cluster": "KHA-TEST", "enterprise_name": "Công ty Thực phẩm", "land_leased_ha": "1"}
    return client.post(API, {**base, **data}, content_type="application/json")


def test_a_4_and_a_5_digit_vsic_2025_code_are_accepted_with_their_name(client, users, cluster):
    client.force_login(users["editor"])
    four = _post(client, tax_code=tax_code(801), name="Nhà máy bánh", sector="1079", capital_date="2026-03-02")
    assert four.status_code == 201, four.json()
    body = four.json()
    assert (body["sector"], body["sector_edition"], body["sector_name"]) == (
        "1079",
        2025,
        "Sản xuất thực phẩm khác chưa được phân vào đâu",
    )
    five = _post(client, tax_code=tax_code(802), name="Nhà máy nước mắm", sector="10203")
    assert (five.json()["sector"], five.json()["sector_edition"]) == ("10203", 2025)
    assert five.json()["sector_name"] == "Chế biến và bảo quản nước mắm"
    project = TenantProject.objects.get(name="Nhà máy nước mắm")
    assert (project.sector_id, project.sector_2025_id) == (None, "10203")
    page = client.get(f"/tenants/{project.pk}/").content.decode()
    assert "10203 – Chế biến và bảo quản nước mắm (VSIC 2025)" in page


def test_a_2018_only_division_is_kept_for_a_project_registered_in_2020_and_refused_after(client, users, cluster):
    client.force_login(users["editor"])
    old = _post(client, tax_code=tax_code(803), name="Đại lý ô tô", sector="45", capital_date="2020-06-01")
    assert old.status_code == 201, old.json()
    assert (old.json()["sector"], old.json()["sector_edition"]) == ("45", 2018)
    assert TenantProject.objects.get(name="Đại lý ô tô").sector_id == "45"
    client.cookies["django_language"] = "vi"
    new = _post(client, tax_code=tax_code(804), name="Đại lý mới", sector="45", capital_date="2026-01-10")
    assert new.status_code == 422
    assert new.json()["errors"]["sector"] == [
        "Mã ngành 45 không có trong VSIC 2025, hệ thống ngành kinh tế áp dụng vào ngày 10/01/2026; đây là mã VSIC 2018."
    ]
    assert not TenantProject.objects.filter(name="Đại lý mới").exists()


def test_an_unknown_code_is_refused_in_vietnamese_and_nothing_is_written(client, users, cluster):
    client.force_login(users["editor"])
    client.cookies["django_language"] = "vi"
    before = TenantProject.objects.count()
    response = _post(client, tax_code=tax_code(805), name="Nhà máy lạ", sector="9999")
    assert response.status_code == 422
    assert response.json()["errors"]["sector"] == [
        "Mã ngành 9999 không có trong Hệ thống ngành kinh tế Việt Nam (VSIC 2018 hoặc VSIC 2025)."
    ]
    assert TenantProject.objects.count() == before


def test_the_import_reads_the_code_in_the_edition_of_the_rows_date(users, cluster):
    data = xlsx_bytes(
        [
            EN,
            row(tax=tax_code(811), name="Xưởng A", sector="10790", capital_date="2026-02-01"),
            row(tax=tax_code(812), name="Xưởng B", sector="45", capital_date="2019-05-01"),
            row(tax=tax_code(813), name="Xưởng C", sector="9999"),
        ]
    )
    with translation.override("vi"):
        result = run(users["admin"], data, commit=False)
    messages = [p.message for p in result.problems]
    assert messages == ["Mã ngành 9999 không có trong Hệ thống ngành kinh tế Việt Nam (VSIC 2018 hoặc VSIC 2025)."]
    ok = xlsx_bytes(
        [
            EN,
            row(tax=tax_code(811), name="Xưởng A", sector="10790", capital_date="2026-02-01"),
            row(tax=tax_code(812), name="Xưởng B", sector="45", capital_date="2019-05-01"),
        ]
    )
    assert run(users["admin"], ok, commit=True).created == 2
    a, b = TenantProject.objects.get(name="Xưởng A"), TenantProject.objects.get(name="Xưởng B")
    assert (a.sector_2025_id, a.sector_id, b.sector_id, b.sector_2025_id) == ("10790", None, "45", None)


def test_a_division_finds_the_projects_with_longer_codes_under_it(client, users, cluster):
    client.force_login(users["editor"])
    for n, (name, sector) in enumerate([("Bánh", "1079"), ("Mắm", "10203"), ("Thực phẩm", "10"), ("May", "14")]):
        assert _post(client, tax_code=tax_code(820 + n), name=name, sector=sector).status_code == 201
    names = lambda q: sorted(p["name"] for p in client.get(API, {"sector": q, "limit": 100}).json()["items"])  # noqa: E731
    assert names("10") == ["Bánh", "Mắm", "Thực phẩm"]
    assert names("107") == ["Bánh"]
    assert names("C") == ["Bánh", "May", "Mắm", "Thực phẩm"]
    page = client.get("/tenants/", {"sector": "10"}).content.decode()
    assert "Bánh" in page and "Mắm" in page and "May" not in page


def test_the_api_documents_the_edition_beside_the_code(client):
    spec = client.get("/api/v1/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert {"sector", "sector_edition", "sector_name"} <= set(schemas["TenantProjectOut"]["properties"])
    assert "VSIC 2025 from then on" in schemas["TenantProjectIn"]["properties"]["sector"]["description"]
    assert "label" in schemas["SectorAnswerOut"]["required"]
    params = {p["name"] for p in spec["paths"]["/api/v1/tenants/projects"]["get"]["parameters"]}
    assert "sector" in params


def test_saving_a_code_again_without_a_date_keeps_its_edition(client, users, cluster):
    """Code "10" is a division in both editions. A project registered after 15/11/2025 holds it in VSIC 2025; clearing
    its registration date, or saving the same code back (as the edit form does), must not move it to VSIC 2018."""
    client.force_login(users["editor"])
    made = _post(client, tax_code=tax_code(811), name="Nhà máy chế biến", sector="10", capital_date="2026-03-02")
    assert (made.json()["sector"], made.json()["sector_edition"]) == ("10", 2025)
    url = f"{API}/{made.json()['id']}"
    for change in ({"capital_date": None}, {"sector": "10"}):
        version = client.get(url).json()["version"]
        r = client.patch(url, {**change, "version": version}, content_type="application/json")
        assert r.status_code == 200, r.json()
        assert (r.json()["sector"], r.json()["sector_edition"]) == ("10", 2025), change
    # a new code without a date is still read VSIC 2018 first, as every code stored before VSIC 2025
    version = client.get(url).json()["version"]
    r = client.patch(url, {"sector": "11", "version": version}, content_type="application/json")
    assert (r.json()["sector"], r.json()["sector_edition"]) == ("11", 2018)

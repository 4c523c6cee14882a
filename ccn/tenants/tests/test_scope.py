"""Who sees and edits which tenant projects, on pages and in the API (role × endpoint × own/other scope)."""

from decimal import Decimal

import pytest

from ccn.tenants import services
from ccn.tenants.models import TenantProject

from .helpers import tax_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def projects(users, cluster, other_cluster, hni_cluster):
    """One project in the investor's cluster (of the `tenant` user's enterprise), one in another investor's
    cluster, one in Hà Nội."""
    admin = users["admin"]
    tenant_org = users["tenant"].organisation
    tenant_org.tax_code = tax_code(300)
    tenant_org.save()
    own = services.tenant_project_create(
        actor=admin, cluster=cluster, enterprise=tenant_org, data={"name": "Own", "land_leased_ha": Decimal("2")}
    )
    other_ent = services.enterprise_for(actor=admin, tax_code=tax_code(400), name="Other enterprise")
    other = services.tenant_project_create(
        actor=admin, cluster=other_cluster, enterprise=other_ent, data={"name": "Other", "land_leased_ha": 1}
    )
    hni = services.tenant_project_create(
        actor=admin, cluster=hni_cluster, enterprise=other_ent, data={"name": "Hanoi", "land_leased_ha": 1}
    )
    return {"own": own, "other": other, "hni": hni}


VISIBLE = {
    "admin": {"own", "other", "hni"},
    "ministry": {"own", "other", "hni"},
    "editor": {"own", "other"},
    "approver": {"own", "other"},
    "other_editor": {"hni"},
    "investor": {"own"},
    "other_investor": {"other"},
    "tenant": {"own"},
}
EDITABLE = {
    "admin": {"own", "other", "hni"},
    "editor": {"own", "other"},
    "approver": {"own", "other"},
    "other_editor": {"hni"},
    "investor": {"own"},
    "other_investor": {"other"},
}


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_list_and_detail_scope(client, users, projects, who):
    client.force_login(users[who])
    names = {p["name"] for p in client.get("/api/v1/tenants/projects?limit=100").json()["items"]}
    assert names == {k.capitalize() if k != "hni" else "Hanoi" for k in VISIBLE[who]}
    html = client.get("/tenants/").content.decode()
    for key, project in projects.items():
        visible = key in VISIBLE[who]
        assert (f"/tenants/{project.pk}/" in html) == visible
        assert client.get(f"/tenants/{project.pk}/").status_code == (200 if visible else 404)
        assert client.get(f"/api/v1/tenants/projects/{project.pk}").status_code == (200 if visible else 404)
    exported = client.get("/tenants/export.csv").content.decode()
    assert ("Hanoi" in exported) == ("hni" in VISIBLE[who])


def test_commune_officer_sees_own_communes_only(client, users, projects, cluster):
    client.force_login(users["commune"])
    commune = users["commune"].communes.first()
    names = {p["name"] for p in client.get("/api/v1/tenants/projects").json()["items"]}
    expected = {p.name for p in TenantProject.objects.filter(cluster__communes=commune)}
    assert names == expected and "Hanoi" not in names


@pytest.mark.parametrize("who", sorted(VISIBLE) + ["commune"])
def test_edit_scope(client, users, projects, who):
    client.force_login(users[who])
    for key, project in projects.items():
        may = key in EDITABLE.get(who, set())
        response = client.patch(
            f"/api/v1/tenants/projects/{project.pk}",
            {"workers": 77, "version": project.version},
            content_type="application/json",
        )
        seen = key in VISIBLE.get(who, set()) or (who == "commune" and response.status_code != 404)
        assert response.status_code == (200 if may else (403 if seen else 404)), (key, response.content)
        page = client.get(f"/tenants/{project.pk}/edit/")
        assert page.status_code == (200 if may else (403 if seen else 404))
        project.refresh_from_db()
        assert (project.workers == 77) == may


def test_investor_edits_own_tenants_through_pages(client, users, projects, cluster):
    client.force_login(users["investor"])
    own = projects["own"]
    response = client.post(
        f"/tenants/{own.pk}/edit/",
        {"name": "Own", "currency": "VND", "land_leased_ha": "3", "workers": "50", "version": own.version},
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.workers == 50 and own.land_leased_ha == Decimal("3")
    response = client.post(f"/tenants/{own.pk}/status/", {"action": "start_operation", "effective_on": "2025-01-02"})
    own.refresh_from_db()
    assert own.status == "operating"
    form = client.get("/tenants/new/").content.decode()
    assert "KHA-TEST" in form and "KHA-OTHER" not in form
    response = client.post(
        "/tenants/new/",
        {
            "cluster": "KHA-OTHER",
            "tax_code": tax_code(500),
            "enterprise_name": "X",
            "name": "X",
            "currency": "VND",
            "status": "registered",
        },
    )
    assert response.status_code == 200 and not TenantProject.objects.filter(name="X").exists()


def test_create_page_refuses_lease_above_ready_land(client, users, cluster):
    client.force_login(users["editor"])
    response = client.post(
        "/tenants/new/",
        {
            "cluster": "KHA-TEST",
            "tax_code": tax_code(600),
            "enterprise_name": "Công ty Lớn",
            "name": "Quá lớn",
            "currency": "VND",
            "land_leased_ha": "31",
            "status": "registered",
        },
    )
    assert response.status_code == 200
    assert "ready to lease" in response.content.decode() or "sẵn sàng cho thuê" in response.content.decode()
    assert not TenantProject.objects.exists()


def test_api_create_errors(client, users, cluster):
    client.force_login(users["editor"])
    base = {"cluster": "KHA-TEST", "enterprise_name": "Công ty", "name": "P", "land_leased_ha": "1"}
    bad_tax = client.post(
        "/api/v1/tenants/projects", {**base, "tax_code": "0100109107"}, content_type="application/json"
    )
    assert bad_tax.status_code == 422 and "tax_code" in bad_tax.json()["errors"]
    lease = client.post(
        "/api/v1/tenants/projects",
        {**base, "tax_code": tax_code(700), "lease_start": "2025-02-01", "lease_end": "2025-01-01"},
        content_type="application/json",
    )
    assert lease.status_code == 422 and "lease_end" in lease.json()["errors"]
    over = client.post(
        "/api/v1/tenants/projects",
        {**base, "tax_code": tax_code(700), "land_leased_ha": "30.5"},
        content_type="application/json",
    )
    assert over.status_code == 422 and "land_leased_ha" in over.json()["errors"]
    ok = client.post(
        "/api/v1/tenants/projects",
        {**base, "tax_code": tax_code(700), "status": "operating"},
        content_type="application/json",
    )
    assert ok.status_code == 201 and ok.json()["status"] == "operating"
    pid = ok.json()["id"]
    stop = client.post(
        f"/api/v1/tenants/projects/{pid}/transitions", {"action": "stop", "version": 1}, content_type="application/json"
    )
    assert stop.status_code == 200 and stop.json()["status"] == "stopped"
    again = client.post(
        f"/api/v1/tenants/projects/{pid}/transitions", {"action": "stop", "version": 2}, content_type="application/json"
    )
    assert again.status_code == 409
    history = client.get(f"/api/v1/tenants/projects/{pid}/history").json()
    assert [h["action"] for h in history] == ["transition", "create"]
    client.force_login(users["ministry"])
    read_only = client.post(
        "/api/v1/tenants/projects", {**base, "tax_code": tax_code(800)}, content_type="application/json"
    )
    assert read_only.status_code == 403


def test_public_sees_land_of_published_clusters_only(client, users, projects, cluster):
    assert client.get("/api/v1/tenants/projects").status_code == 401
    assert client.get("/tenants/").status_code == 302
    land = client.get(f"/api/v1/tenants/clusters/{cluster.code}/land")
    assert land.status_code == 200 and Decimal(land.json()["leased_ha"]) == Decimal("2")
    assert set(land.json()) == {
        "cluster_code",
        "industrial_ha",
        "ready_ha",
        "leased_ha",
        "vacant_ha",
        "occupancy_pct",
        "confirmed_on",
        "stale",
    }
    cluster.is_published = False
    cluster.save()
    assert client.get(f"/api/v1/tenants/clusters/{cluster.code}/land").status_code == 404
    assert "Own" not in client.get(f"/clusters/{projects['other'].cluster.code}/").content.decode()


@pytest.mark.parametrize("who", sorted(VISIBLE))
def test_cluster_panel_lists_what_the_list_filtered_to_the_cluster_lists(users, projects, cluster, other_cluster, who):
    """The cluster page's panel reads its projects without the list's filter set, its queries compiled once and run
    with each cluster's id: the same rows, order, figures and totals as the list's."""
    from ccn.tenants.selectors import cluster_tenants, tenant_project_list, tenant_totals

    admin = users["admin"]
    foreign = services.enterprise_for(actor=admin, tax_code=tax_code(500), name="Foreign enterprise")
    foreign.country = "JP"
    foreign.save()
    for name in ("Beta", "Alpha"):
        services.tenant_project_create(
            actor=admin, cluster=cluster, enterprise=foreign, data={"name": name, "land_leased_ha": Decimal("1.5")}
        )

    def rows(qs):
        return [(p.pk, p.name, p.enterprise.name, p.foreign_invested, p.capital_vnd_value) for p in qs]

    for each in (cluster, other_cluster):
        listed = tenant_project_list(user=users[who], filters={"cluster": each.code}, order="name")
        panel, totals = cluster_tenants(user=users[who], cluster=each)
        assert rows(panel) == rows(listed)
        assert totals == tenant_totals(listed)
    if who == "editor":  # the case holds something: three rows in name order, one domestic
        panel, totals = cluster_tenants(user=users[who], cluster=cluster)
        assert [r[1] for r in rows(panel)] == ["Alpha", "Beta", "Own"] and totals["projects"] == 3

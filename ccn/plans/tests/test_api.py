"""The API of plans and targets through the HTTP client with JSON: creation, amendments and the plan as of a date,
bad input refused with clear messages, the scope matrix, and the dashboard's query ceiling."""

import datetime
import json

import pytest

from ccn.plans.models import Plan, PlanItem, Target

D = datetime.date
BASE = "/api/v1/plans"


def client_for(client, user):
    client.force_login(user)
    return client


def post(client, url, data):
    return client.post(url, data=json.dumps(data, default=str), content_type="application/json")


def patch(client, url, data):
    return client.patch(url, data=json.dumps(data, default=str), content_type="application/json")


@pytest.fixture
def kha_plan(users, history, client):
    c = client_for(client, users["editor"])
    r = post(
        c,
        BASE + "/",
        {
            "province": "56",
            "kind": "development",
            "number": "QH-KH",
            "title": "Phương án phát triển CCN",
            "issued_on": "2020-01-01",
            "issuer": "Thủ tướng Chính phủ",
            "declared_clusters": 14,
            "declared_area_ha": "669",
            "clusters": ["H-A", "H-B"],
        },
    )
    assert r.status_code == 201, r.content
    return Plan.objects.get(pk=r.json()["id"])


def target_payload(**kw):
    return {
        "title": "Mở 3 cụm",
        "indicator": "infrastructure_completed",
        "value_min": 3,
        "deadline": "2024-12-31",
        **kw,
    }


def test_amendment_and_plan_as_of_a_date(kha_plan, users, client):
    c = client_for(client, users["editor"])
    b_item = PlanItem.objects.get(plan=kha_plan, cluster__code="H-B")
    r = post(
        c,
        f"{BASE}/{kha_plan.pk}/amendments",
        {
            "number": "12/QĐ-UBND",
            "issued_on": "2024-07-10",
            "issuer": "UBND tỉnh",
            "summary": "add eight clusters to the plan",
            "declared_clusters": 21,
            "add": [{"name": f"Cụm mới {i}", "area_ha": "10"} for i in range(8)] + [{"cluster": "H-C"}],
            "remove": [b_item.pk],
        },
    )
    assert r.status_code == 201, r.content
    assert r.json()["seq"] == 2
    before = c.get(f"{BASE}/{kha_plan.pk}/as-of?date=2024-07-09").json()
    after = c.get(f"{BASE}/{kha_plan.pk}/as-of?date=2024-07-10").json()
    not_yet = c.get(f"{BASE}/{kha_plan.pk}/as-of?date=2019-12-31").json()
    assert before["listed_count"] == 2 and before["declared_clusters"] == 14
    assert {i["cluster_code"] for i in before["items"]} == {"H-A", "H-B"}
    assert after["listed_count"] == 10 and after["declared_clusters"] == 21
    assert after["declared_area_ha"] == "669.00"  # not restated: the earlier figure stays
    assert "H-B" not in {i["cluster_code"] for i in after["items"]}
    assert float(after["listed_area_ha"]) == 8 * 10 + 50 + 50  # eight new of 10 ha; A and C planned at 50 ha
    assert not_yet["in_force"] is False and not_yet["items"] == []


def test_amendment_cannot_predate_the_version_it_amends(kha_plan, users, client):
    c = client_for(client, users["editor"])
    r = post(
        c,
        f"{BASE}/{kha_plan.pk}/amendments",
        {"number": "1", "issued_on": "2019-01-01", "issuer": "UBND", "add": [{"name": "X"}]},
    )
    assert r.status_code == 422 and "issued_on" in r.json()["errors"]


def test_target_created_with_progress(kha_plan, users, client):
    c = client_for(client, users["editor"])
    r = post(c, f"{BASE}/{kha_plan.pk}/targets", target_payload(counts_from="2024-01-01"))
    assert r.status_code == 201, r.content
    tid = r.json()["id"]
    progress = c.get(f"{BASE}/targets/{tid}/progress?as_of=2024-06-30").json()
    assert progress["actual"] == "1" and progress["projected"] == "1" and progress["verdict"] == "at_risk"
    assert progress["trajectory"][-1] == {"on": "2024-06-30", "value": "1"}
    listing = c.get(f"{BASE}/{kha_plan.pk}/targets?as_of=2024-06-30").json()
    assert listing[0]["progress"]["pipeline"] == 1
    r = patch(c, f"{BASE}/targets/{tid}", {"value_min": 1, "version": 1})
    assert r.status_code == 200 and r.json()["value_min"] == "1.00"
    assert c.get(f"{BASE}/targets/{tid}?as_of=2024-06-30").json()["progress"]["verdict"] == "met"
    r = patch(c, f"{BASE}/targets/{tid}", {"value_min": 2, "version": 1})
    assert r.status_code == 409
    assert c.delete(f"{BASE}/targets/{tid}").status_code == 204
    assert not Target.objects.filter(pk=tid).exists()


@pytest.mark.parametrize(
    ("payload", "field", "words"),
    [
        (target_payload(deadline="2019-06-30"), "deadline", "before the plan's date"),
        (target_payload(value_min=20, value_max=15), "value_max", "minimum (20) is above its maximum (15)"),
        (
            target_payload(indicator="occupancy_pct", value_min=45, scope_kind="commune", commune="EMPTY"),
            "indicator",
            "no cluster in this scope",
        ),
        (target_payload(scope_kind="commune", commune="HNI"), "commune", "not in Tỉnh Khánh Hòa"),
        (target_payload(scope_kind="clusters", clusters=["HNI-X"]), "clusters", "not in Tỉnh Khánh Hòa"),
        (target_payload(indicator="occupancy_pct", value_min=120), "value_min", "cannot exceed 100"),
        (target_payload(indicator="no_such"), "indicator", "Unknown indicator"),
    ],
)
def test_bad_targets_are_refused_with_clear_messages(kha_plan, users, client, kha, hni, payload, field, words):
    from ccn.clusters.tests.factories import make_cluster
    from ccn.geo.models import Commune

    if payload.get("commune") == "EMPTY":
        payload["commune"] = Commune.objects.filter(province=kha).order_by("code")[1].code
    if payload.get("commune") == "HNI":
        payload["commune"] = Commune.objects.filter(province=hni).order_by("code")[0].code
    if payload.get("clusters") == ["HNI-X"]:
        make_cluster(province_code="01", code="HNI-X", name="Cụm Hà Nội")
    c = client_for(client, users["editor"])
    c.cookies["django_language"] = "en"
    r = post(c, f"{BASE}/{kha_plan.pk}/targets", payload)
    assert r.status_code == 422, r.content
    body = r.json()
    assert field in body["errors"]
    assert words.lower() in " ".join(body["errors"][field]).lower()
    assert not Target.objects.exists()


def test_bad_input_messages_in_vietnamese(kha_plan, users, client):
    c = client_for(client, users["editor"])
    c.cookies["django_language"] = "vi"
    r = post(c, f"{BASE}/{kha_plan.pk}/targets", target_payload(value_min=20, value_max=15))
    assert r.status_code == 422
    assert "20" in r.json()["errors"]["value_max"][0] and "15" in r.json()["errors"]["value_max"][0]


def test_target_on_another_province_is_refused(kha_plan, users, client):
    # Hà Nội's editor cannot see Khánh Hòa's plan; the ministry sees it but edits nothing
    c = client_for(client, users["other_editor"])
    assert post(c, f"{BASE}/{kha_plan.pk}/targets", target_payload()).status_code == 404
    c = client_for(client, users["ministry"])
    r = post(c, f"{BASE}/{kha_plan.pk}/targets", target_payload())
    # refused with what the role may do; refusals name no province or record (docs/security.md)
    assert r.status_code == 403 and "Khánh Hòa" not in r.json()["detail"]
    r = post(
        c,
        BASE + "/",
        {"province": "56", "kind": "annual", "number": "9", "title": "t", "issued_on": "2024-01-01", "issuer": "x"},
    )
    assert r.status_code == 403
    assert not Target.objects.exists()


@pytest.fixture
def targets(kha_plan, users, history, kha):
    from ccn.plans.services import target_create

    base = {"title": "t", "value_min": 1, "deadline": D(2030, 12, 31)}
    return {
        "province": target_create(
            actor=users["editor"], plan=kha_plan, data={**base, "indicator": "clusters_operating"}
        ),
        "own_cluster": target_create(
            actor=users["editor"],
            plan=kha_plan,
            data={**base, "indicator": "workers", "scope_kind": "cluster"},
            clusters=[history["F"]],
        ),
    }


MATRIX = [
    # role, plan visible, province target visible, cluster target visible, may create
    ("admin", 200, 200, 200, 201),
    ("ministry", 200, 200, 200, 403),
    ("editor", 200, 200, 200, 201),
    ("approver", 200, 200, 200, 201),
    ("other_editor", 404, 404, 404, 404),
    ("commune", 200, 404, 200, 403),
    ("investor", 404, 404, 404, 404),
]


@pytest.mark.parametrize(("role", "plan_s", "prov_s", "clus_s", "create_s"), MATRIX)
def test_scope_matrix(targets, kha_plan, users, client, role, plan_s, prov_s, clus_s, create_s):
    c = client_for(client, users[role])
    assert c.get(f"{BASE}/{kha_plan.pk}").status_code == plan_s
    assert c.get(f"{BASE}/targets/{targets['province'].pk}").status_code == prov_s
    assert c.get(f"{BASE}/targets/{targets['own_cluster'].pk}").status_code == clus_s
    assert post(c, f"{BASE}/{kha_plan.pk}/targets", target_payload()).status_code == create_s
    listed = {p["id"] for p in c.get(BASE + "/").json()["items"]}
    assert (kha_plan.pk in listed) == (plan_s == 200)
    # page twins
    assert c.get(f"/plans/{kha_plan.pk}/").status_code == plan_s
    assert c.get(f"/plans/targets/{targets['own_cluster'].pk}/").status_code == clus_s


def test_investor_sees_targets_on_own_clusters(targets, users, client, history):
    from ccn.clusters.models import Cluster

    Cluster.objects.filter(pk=history["F"].pk).update(investor=users["investor"].organisation)
    c = client_for(client, users["investor"])
    assert c.get(f"{BASE}/targets/{targets['own_cluster'].pk}").status_code == 200
    assert c.get(f"{BASE}/targets/{targets['province'].pk}").status_code == 404


def test_public_gets_nothing(targets, kha_plan, client):
    client.logout()
    assert client.get(BASE + "/").status_code == 401
    assert client.get(f"{BASE}/targets/{targets['province'].pk}/progress").status_code == 401
    assert client.get(f"{BASE}/dashboard").status_code == 401
    assert client.get("/plans/dashboard/").status_code == 302


def test_token_client_reads_and_writes(kha_plan, users, client):
    from ccn.accounts.models import ApiToken

    _token, key = ApiToken.issue(user=users["editor"], name="test")
    r = client.post(
        f"{BASE}/{kha_plan.pk}/targets",
        data=json.dumps(target_payload()),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert r.status_code == 201


def test_dashboard_api_figures_and_scope(targets, users, client, django_assert_max_num_queries):
    c = client_for(client, users["editor"])
    with django_assert_max_num_queries(45):
        r = c.get(f"{BASE}/dashboard?as_of=2024-06-30")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["province_code"] == "56"
    figures = {f["key"]: f for f in body["figures"]}
    assert figures["clusters_operating"]["value"] == "1"  # F has tenants; A's state is "operating" but it has none
    assert figures["occupancy_pct"]["value"] == "25.0"
    assert figures["workers"]["value"] == "100"
    assert figures["clusters_operating"]["list_url"].startswith("/plans/dashboard/figures/clusters_operating/")
    states = {s["status"]: s for s in body["states"]}
    assert states["under_construction"]["count"] == 1
    assert states["under_construction"]["list_url"] == "/clusters/?province=56&status=under_construction"
    assert {v["key"]: v["count"] for v in body["verdicts"]}["met"] == 2
    # the target on one cluster lists it (the dashboard reads targets' clusters apart: `with_cluster_lists`)
    assert [t["cluster_codes"] for t in body["targets"] if t["scope_kind"] == "cluster"] == [["H-F"]]
    assert c.get(f"{BASE}/dashboard?province=01").status_code == 403
    m = client_for(client, users["ministry"])
    assert m.get(f"{BASE}/dashboard?province=01&targets=false").status_code == 200


def test_dashboard_query_count_does_not_grow_with_clusters(users, client, django_assert_max_num_queries, kha):
    from ccn.clusters.tests.factories import make_cluster

    for i in range(12):
        make_cluster(code=f"Q-{i}", name=f"Cụm {i}", status="operating", industrial_land_ha=10)
    c = client_for(client, users["editor"])
    with django_assert_max_num_queries(40):
        assert c.get("/plans/dashboard/").status_code == 200


def test_commune_officer_reads_no_unpublished_cluster_name_in_the_province_plan(users, kha, client):
    """A development plan lists the province's planned clusters; an unpublished one outside the commune
    officer's communes is listed without its name or code, on the page and in the API (counted all the same)."""
    import datetime

    from ccn.clusters.tests.factories import make_cluster
    from ccn.geo.models import Commune
    from ccn.plans.models import Plan, PlanItem, PlanVersion

    other_commune = Commune.objects.filter(province=kha).exclude(pk=users["commune"].communes.get().pk).first()
    secret = make_cluster(
        code="SECRET-PLAN", name="SECRET-CLUSTER-KHA", commune_codes=[other_commune.code], is_published=False
    )
    plan = Plan.objects.create(
        province=kha, kind="development", number="1/QĐ", title="Quy hoạch", issued_on=datetime.date(2024, 1, 1)
    )
    version = PlanVersion.objects.create(
        plan=plan, seq=1, number="1/QĐ", issued_on=datetime.date(2024, 1, 1), issuer="UBND tỉnh"
    )
    PlanItem.objects.create(plan=plan, cluster=secret, name=secret.name, commune=other_commune, added_in=version)
    officer = client_for(client, users["commune"])
    page = officer.get(f"/plans/{plan.pk}/")
    api = officer.get(f"{BASE}/{plan.pk}/as-of?date=2025-01-01")
    assert page.status_code == 200 and api.status_code == 200
    for text in (page.content.decode(), api.content.decode()):
        assert "SECRET-CLUSTER-KHA" not in text and "SECRET-PLAN" not in text
    assert api.json()["listed_count"] == 1
    editor = client_for(client, users["editor"])  # in scope: the name is shown
    assert "SECRET-CLUSTER-KHA" in editor.get(f"{BASE}/{plan.pk}/as-of?date=2025-01-01").content.decode()


def test_plan_list_page_and_api_read_one_filter_declaration(kha_plan, users, client):
    """ccn/plans/filters.py: the page's selects and the API's parameters filter alike; a kind that does not exist
    matches nothing."""
    c = client_for(client, users["editor"])
    assert [p["number"] for p in c.get(BASE + "/", {"province": "56"}).json()["items"]] == ["QH-KH"]
    assert c.get(BASE + "/", {"province": "01"}).json()["count"] == 0
    assert c.get(BASE + "/", {"kind": "no-such-kind"}).json()["count"] == 0
    page = c.get("/plans/", {"province": "56", "kind": "development"}).text
    assert "QH-KH" in page and 'name="kind"' in page and 'name="province"' in page
    assert "QH-KH" not in c.get("/plans/", {"province": "01"}).text

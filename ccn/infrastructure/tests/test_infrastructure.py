"""Infrastructure progress, the central wastewater plant (standard by date) and the wastewater alerts."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from ccn.clusters.tests.factories import make_cluster
from ccn.core.errors import PermissionDeniedError, ValidationFailed
from ccn.infrastructure import services
from ccn.infrastructure.models import WastewaterPlant
from ccn.infrastructure.selectors import alert_list, cluster_infrastructure, with_alerts
from ccn.infrastructure.standards import standard_for
from ccn.tenants import services as tenant_services
from ccn.tenants.tests.helpers import tax_code

pytestmark = pytest.mark.django_db


def _tenant(actor, cluster, *, status="operating", discharge=None, seed=1):
    enterprise = tenant_services.enterprise_for(actor=actor, tax_code=tax_code(seed), name=f"Công ty {seed}")
    return tenant_services.tenant_project_create(
        actor=actor,
        cluster=cluster,
        enterprise=enterprise,
        data={"name": f"Dự án {seed}", "land_leased_ha": Decimal("1"), "wastewater_m3_day": discharge},
        initial_status=status,
    )


def test_components_and_overall_progress(users, cluster):
    editor = users["editor"]
    services.component_set(actor=editor, cluster=cluster, kind="roads", status="completed", percent_complete=100)
    services.component_set(actor=editor, cluster=cluster, kind="power", status="in_progress", percent_complete=50)
    info = cluster_infrastructure(cluster)
    assert info["overall_pct"] == Decimal("15.0")  # (100 + 50) ÷ 10 components
    assert info["disbursed_pct"] == Decimal("25.0")
    assert len(info["components"]) == 10
    for status, pct in (("completed", 90), ("not_started", 10), ("in_progress", 100), ("in_progress", 101)):
        with pytest.raises(ValidationFailed):
            services.component_set(actor=editor, cluster=cluster, kind="lighting", status=status, percent_complete=pct)
    with pytest.raises(ValidationFailed):
        services.component_set(actor=editor, cluster=cluster, kind="bridges", status="completed", percent_complete=100)
    for who in ("other_investor", "ministry", "other_editor", "commune", "tenant"):
        with pytest.raises(PermissionDeniedError):
            services.component_set(
                actor=users[who], cluster=cluster, kind="roads", status="completed", percent_complete=100
            )
    services.component_set(
        actor=users["investor"], cluster=cluster, kind="drainage", status="in_progress", percent_complete=10
    )
    assert cluster_infrastructure(cluster)["overall_pct"] == Decimal("16.0")


def test_components_form_all_or_nothing(client, users, cluster):
    client.force_login(users["investor"])
    from ccn.infrastructure.choices import ComponentKind

    data = {"form": "components", "updated_on": "2025-06-01"}
    for kind in ComponentKind.values:
        data[f"status_{kind}"] = "in_progress"
        data[f"pct_{kind}"] = "40"
    data["status_roads"] = "completed"  # 40 % is not completed: the whole form is refused
    response = client.post(f"/infrastructure/{cluster.code}/", data)
    assert response.status_code == 200
    assert cluster_infrastructure(cluster)["overall_pct"] == Decimal("0.0")
    data["pct_roads"] = "100"
    assert client.post(f"/infrastructure/{cluster.code}/", data).status_code == 302
    assert cluster_infrastructure(cluster)["overall_pct"] == Decimal("46.0")


def test_standard_follows_the_plant_and_the_date(users, cluster):
    """QCVN 40:2025/BTNMT for facilities permitted from 1/9/2025; an existing facility (permit before, or none
    recorded) stays on QCVN 40:2011/BTNMT until 31/12/2031 (Circular 06/2025/TT-BTNMT), both sides of each date."""
    editor = users["editor"]
    old, new = datetime.date(2020, 1, 1), datetime.date(2025, 9, 1)
    assert standard_for(datetime.date(2025, 8, 31)) == "QCVN 40:2011/BTNMT"
    assert standard_for(datetime.date(2025, 9, 1)) == "QCVN 40:2011/BTNMT"  # no permit date: an existing plant
    assert standard_for(datetime.date(2025, 9, 1), old) == "QCVN 40:2011/BTNMT"
    assert standard_for(datetime.date(2025, 9, 1), new) == "QCVN 40:2025/BTNMT"
    assert standard_for(datetime.date(2025, 9, 1), datetime.date(2025, 8, 31)) == "QCVN 40:2011/BTNMT"
    assert standard_for(datetime.date(2031, 12, 31), old) == "QCVN 40:2011/BTNMT"
    assert standard_for(datetime.date(2032, 1, 1), old) == "QCVN 40:2025/BTNMT"
    base = {"status": "operating", "design_capacity_m3_day": Decimal("500"), "auto_monitoring": True}
    services.plant_set(actor=editor, cluster=cluster, data=base)
    first = services.result_add(
        actor=editor, cluster=cluster, sampled_on=datetime.date(2025, 10, 1), compliant=True, document="KQ 1"
    )
    assert first.standard == "QCVN 40:2011/BTNMT"  # existing plant (no permit date), in the transition
    # a permit from 1/9/2025 would make it a new facility, leaving that result on a standard that does not apply
    with pytest.raises(ValidationFailed) as refused:
        services.plant_set(actor=editor, cluster=cluster, data={**base, "permit_issued_on": new})
    assert "permit_issued_on" in refused.value.field_errors and "06/2025/TT-BTNMT" in refused.value.message
    assert WastewaterPlant.objects.get(cluster=cluster).permit_issued_on is None
    services.plant_set(actor=editor, cluster=cluster, data={**base, "permit_issued_on": old})
    early = services.result_add(
        actor=editor,
        cluster=cluster,
        sampled_on=datetime.date(2025, 11, 1),
        compliant=True,
        document="KQ 2",
        standard="QCVN 40:2025/BTNMT",
    )
    assert early.standard == "QCVN 40:2025/BTNMT"  # an existing plant may meet the new standard early
    assert WastewaterPlant.objects.get(cluster=cluster).latest_result == early


def test_alert_follows_the_standard_that_applies_on_the_day(users, cluster):
    """A compliant existing plant on QCVN 40:2011 raises no alert until 31/12/2031 and one from 1/1/2032; a new
    plant whose result is only against QCVN 40:2011 is refused at entry; a non-compliant result is an alert."""
    editor = users["editor"]
    base = {"status": "operating", "design_capacity_m3_day": Decimal("500"), "auto_monitoring": True}
    services.plant_set(actor=editor, cluster=cluster, data={**base, "permit_issued_on": datetime.date(2020, 1, 1)})
    services.result_add(
        actor=editor, cluster=cluster, sampled_on=datetime.date(2025, 10, 1), compliant=True, document="KQ 1"
    )

    def standard_alert(day):
        return with_alerts(type(cluster).objects.filter(pk=cluster.pk), today=day).get().alert_standard

    assert standard_alert(datetime.date(2031, 12, 31)) is False
    assert standard_alert(datetime.date(2032, 1, 1)) is True
    # the page and the API show it today only when it applies today
    assert cluster_infrastructure(cluster)["alerts"]["alert_standard"] is False
    services.result_add(
        actor=editor, cluster=cluster, sampled_on=datetime.date(2025, 12, 1), compliant=False, document="KQ 2"
    )
    assert standard_alert(datetime.date(2025, 11, 30)) is False  # the result in force on a day
    assert standard_alert(datetime.date(2026, 1, 1)) is True
    assert [c.code for c in alert_list(user=editor, filters={"kind": "standard_not_met"})] == ["KHA-INFRA"]


def test_plant_bad_input(users, cluster):
    editor = users["editor"]
    tomorrow = timezone.localdate() + datetime.timedelta(days=2)
    cases = [
        ({"status": "operating"}, "design_capacity_m3_day"),
        ({"status": "planned", "auto_monitoring": True}, "status"),
        ({"status": "under_construction", "permit_issued_on": tomorrow}, "permit_issued_on"),
    ]
    for data, field in cases:
        with pytest.raises(ValidationFailed) as exc:
            services.plant_set(actor=editor, cluster=cluster, data=data)
        assert field in exc.value.field_errors, (data, exc.value.field_errors)
    # a result is not a figure of the plant: it is added as a result (services.result_add)
    with pytest.raises(ValidationFailed) as exc:
        services.plant_set(
            actor=editor,
            cluster=cluster,
            data={"status": "operating", "design_capacity_m3_day": 100, "compliant": True, "last_result_on": None},
        )
    assert "compliant" in exc.value.message and "last_result_on" in exc.value.message
    assert not WastewaterPlant.objects.exists()
    # a plant with results cannot be recorded back as not built
    services.plant_set(actor=editor, cluster=cluster, data={"status": "operating", "design_capacity_m3_day": 100})
    services.result_add(
        actor=editor, cluster=cluster, sampled_on=datetime.date(2025, 1, 1), compliant=True, document="K"
    )
    with pytest.raises(ValidationFailed) as exc:
        services.plant_set(actor=editor, cluster=cluster, data={"status": "planned"})
    assert "status" in exc.value.field_errors
    assert WastewaterPlant.objects.get(cluster=cluster).status == "operating"


def test_alerts(users, cluster):
    editor = users["editor"]
    today = timezone.localdate()
    quiet = make_cluster(code="KHA-QUIET", status="operating", industrial_land_ha=10, ready_land_ha=10)
    _tenant(editor, quiet, status="registered", seed=50)  # no operating tenant: no alert

    def alerts():
        return {c.code: (c.alert_no_plant, c.alert_capacity, c.alert_stale_result) for c in alert_list(user=editor)}

    assert alerts() == {}
    _tenant(editor, cluster, discharge=Decimal("300"), seed=1)
    _tenant(editor, cluster, discharge=Decimal("250"), seed=5)
    assert alerts() == {"KHA-INFRA": (True, False, False)}  # operating tenants, no plant
    services.plant_set(
        actor=editor, cluster=cluster, data={"status": "under_construction", "design_capacity_m3_day": 600}
    )
    assert alerts() == {"KHA-INFRA": (True, False, False)}  # a plant being built does not treat wastewater
    services.plant_set(
        actor=editor,
        cluster=cluster,
        data={"status": "operating", "design_capacity_m3_day": 500},
    )
    services.result_add(
        actor=editor, cluster=cluster, sampled_on=today - datetime.timedelta(days=366), compliant=True, document="KQ"
    )
    assert alerts() == {"KHA-INFRA": (False, True, True)}  # 500 < 300 + 250 declared; result older than a year
    services.plant_set(actor=editor, cluster=cluster, data={"status": "operating", "design_capacity_m3_day": 800})
    assert alerts() == {"KHA-INFRA": (False, False, True)}  # the plant's other figures leave its result alone
    assert [c.code for c in alert_list(user=editor, filters={"kind": "stale_result"})] == ["KHA-INFRA"]
    assert list(alert_list(user=editor, filters={"kind": "no_plant"})) == []
    assert list(alert_list(user=users["other_editor"])) == []  # Hà Nội does not see Khánh Hòa
    assert [c.code for c in alert_list(user=users["investor"])] == ["KHA-INFRA"]
    assert list(alert_list(user=users["other_investor"])) == []
    services.result_add(
        actor=editor, cluster=cluster, sampled_on=today - datetime.timedelta(days=30), compliant=True, document="KQ 2"
    )
    assert alerts() == {}  # a newer result: no longer stale; the older one stays in the plant's history
    plant = WastewaterPlant.objects.get(cluster=cluster)
    assert [r.document for r in plant.results.order_by("sampled_on")] == ["KQ", "KQ 2"]


def test_alert_query_count(users, cluster, django_assert_max_num_queries):
    for i in range(5):
        c = make_cluster(code=f"KHA-A{i}", status="operating", industrial_land_ha=10, ready_land_ha=10)
        _tenant(users["editor"], c, seed=100 + i * 7)
    with django_assert_max_num_queries(1):
        rows = list(alert_list(user=users["ministry"]))
    assert len(rows) == 5


def test_pages_and_api(client, users, cluster):
    _tenant(users["editor"], cluster, discharge=Decimal("10"), seed=1)
    client.force_login(users["editor"])
    html = client.get(f"/clusters/{cluster.code}/").content.decode()
    assert 'id="wastewater-alerts"' in html
    assert cluster.name in client.get("/infrastructure/alerts/").content.decode()
    body = client.get(f"/api/v1/infrastructure/clusters/{cluster.code}").json()
    assert body["alerts"]["no_operating_plant"] and Decimal(body["overall_progress_pct"]) == 0
    response = client.put(
        f"/api/v1/infrastructure/clusters/{cluster.code}/components/roads",
        {"status": "in_progress", "percent_complete": 60},
        content_type="application/json",
    )
    assert response.status_code == 200 and Decimal(response.json()["overall_progress_pct"]) == Decimal("6")
    plant = {"status": "operating", "design_capacity_m3_day": "100", "auto_monitoring": True}
    result = {
        "compliant": True,
        "last_result_on": (timezone.localdate() - datetime.timedelta(days=10)).isoformat(),
        "last_result_document": "Phiếu kết quả 12/2025",
    }
    url = f"/api/v1/infrastructure/clusters/{cluster.code}/wastewater-plant"
    # the plant's endpoint does not take a result: refused, naming the fields, nothing written
    response = client.put(url, {**plant, **result}, content_type="application/json")
    assert response.status_code == 422 and set(response.json()["errors"]) == set(result)
    assert not WastewaterPlant.objects.filter(cluster=cluster).exists()
    response = client.put(url, {**plant, "permit_issued_on": "2025-10-01"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["plant"]["last_result_on"] is None
    response = client.post(
        f"{url}/results",
        {"sampled_on": result["last_result_on"], "compliant": True, "document": result["last_result_document"]},
        content_type="application/json",
    )
    assert response.status_code == 201
    out = response.json()["plant"]  # the last result as the API shows it: read from the results
    assert out["standard"] == "QCVN 40:2025/BTNMT"  # permitted after 1/9/2025: new facility
    assert (out["last_result_on"], out["last_result_document"], out["compliant"]) == (
        result["last_result_on"],
        "Phiếu kết quả 12/2025",
        True,
    )
    assert response.json()["alerts"]["standard_not_met"] is False
    assert not response.json()["alerts"]["no_operating_plant"]
    bad = client.put(
        f"/api/v1/infrastructure/clusters/{cluster.code}/components/roads",
        {"status": "completed", "percent_complete": 60},
        content_type="application/json",
    )
    assert bad.status_code == 422
    alerts = client.get("/api/v1/infrastructure/alerts").json()
    assert alerts["count"] == 0  # capacity 100 ≥ 10 declared, fresh result
    client.force_login(users["other_investor"])
    assert client.get(f"/api/v1/infrastructure/clusters/{cluster.code}").status_code == 404
    assert client.get(f"/infrastructure/{cluster.code}/").status_code == 404
    client.force_login(users["ministry"])
    assert client.get(f"/api/v1/infrastructure/clusters/{cluster.code}").status_code == 200
    assert client.get(f"/infrastructure/{cluster.code}/").status_code == 403
    denied = client.put(
        f"/api/v1/infrastructure/clusters/{cluster.code}/components/roads",
        {"status": "completed", "percent_complete": 100},
        content_type="application/json",
    )
    assert denied.status_code == 403
    client.logout()
    assert client.get(f"/api/v1/infrastructure/clusters/{cluster.code}").status_code == 401
    assert 'id="infra-h"' not in client.get(f"/clusters/{cluster.code}/").content.decode()


def test_a_clusters_page_alerts_are_its_own_when_the_query_is_reused(users, cluster):
    """The page's alerts query is compiled once a day and run with each cluster's id (core.compiled): each
    cluster still gets its own alerts, equal to the alerts list's, one after the other in the same process."""
    editor = users["editor"]
    _tenant(editor, cluster, discharge=Decimal("300"), seed=1)  # operating tenant, no plant: alert
    quiet = make_cluster(code="KHA-QUIET", status="operating", industrial_land_ha=10, ready_land_ha=10)
    _tenant(editor, quiet, status="registered", seed=50)  # no operating tenant: no alert
    for c in (cluster, quiet, cluster, quiet):
        page = cluster_infrastructure(c)["alerts"]
        listed = with_alerts(type(c).objects.filter(pk=c.pk)).values(*page)[0]
        assert page == listed, c.code
    assert cluster_infrastructure(cluster)["alerts"]["alert_no_plant"] is True
    assert cluster_infrastructure(quiet)["alerts"]["alert_no_plant"] is False

"""Land accounting (industrial ≥ ready ≥ leased) and the tenant project services."""

import datetime
from decimal import Decimal

import pytest

from ccn.clusters.models import Organisation
from ccn.clusters.selectors import cluster_get, cluster_list
from ccn.clusters.services import cluster_update
from ccn.core.errors import ConflictError, PermissionDeniedError, ValidationFailed
from ccn.core.history import history_for
from ccn.core.models import ChangeAction
from ccn.tenants import services
from ccn.tenants.models import TenantProject
from ccn.tenants.selectors import cluster_land, months_before, tenant_totals

from .helpers import tax_code

pytestmark = pytest.mark.django_db


def _project(actor, cluster, *, ha, name="Nhà máy A", seed=1, status="registered", country="VN", **data):
    enterprise = services.enterprise_for(actor=actor, tax_code=tax_code(seed), name=f"Công ty {seed}", country=country)
    return services.tenant_project_create(
        actor=actor,
        cluster=cluster,
        enterprise=enterprise,
        data={"name": name, "land_leased_ha": Decimal(ha), **data},
        initial_status=status,
    )


def test_leases_within_ready_land_and_figures(users, cluster):
    editor = users["editor"]
    _project(editor, cluster, ha="12.5", seed=1)
    _project(editor, cluster, ha="7.5", name="Nhà máy B", seed=2)
    land = cluster_land(cluster_get(user=editor, code=cluster.code))
    assert land["leased_ha"] == Decimal("20")
    assert land["vacant_ha"] == Decimal("10")  # ready 30 − leased 20
    assert land["occupancy_pct"] == Decimal("50.0")  # leased 20 ÷ industrial 40
    assert land["bar"] == {"leased": 50.0, "vacant": 25.0, "unready": 25.0}


def test_lease_above_ready_land_refused_and_nothing_written(users, cluster):
    editor = users["editor"]
    _project(editor, cluster, ha="25", seed=1)
    with pytest.raises(ValidationFailed) as exc:
        _project(editor, cluster, ha="6", name="Nhà máy B", seed=2)
    assert "31" in exc.value.message and "30" in exc.value.message
    assert "land_leased_ha" in exc.value.field_errors
    assert TenantProject.objects.filter(cluster=cluster).count() == 1


def test_growing_a_lease_above_ready_land_refused(users, cluster):
    editor = users["editor"]
    project = _project(editor, cluster, ha="10", seed=1)
    with pytest.raises(ValidationFailed):
        services.tenant_project_update(actor=editor, project=project, data={"land_leased_ha": Decimal("30.01")})
    project.refresh_from_db()
    assert project.land_leased_ha == Decimal("10")


def test_lease_above_industrial_land_when_ready_unknown(users):
    from ccn.clusters.tests.factories import make_cluster

    c = make_cluster(code="KHA-NOREADY", industrial_land_ha=Decimal("20"), investor=users["investor"].organisation)
    _project(users["editor"], c, ha="20", seed=1)
    with pytest.raises(ValidationFailed) as exc:
        _project(users["editor"], c, ha="0.5", name="Nhà máy B", seed=2)
    assert "industrial land" in exc.value.message


def test_ready_land_above_industrial_land_refused(users, cluster):
    with pytest.raises(ValidationFailed) as exc:
        cluster_update(actor=users["editor"], cluster=cluster, data={"ready_land_ha": Decimal("41")})
    assert "ready_land_ha" in exc.value.field_errors or "__all__" in exc.value.field_errors
    cluster.refresh_from_db()
    assert cluster.ready_land_ha == Decimal("30")


def test_ready_land_cannot_go_below_leased(users, cluster):
    _project(users["editor"], cluster, ha="18", seed=1)
    with pytest.raises(ValidationFailed) as exc:
        cluster_update(actor=users["editor"], cluster=cluster, data={"ready_land_ha": Decimal("17")})
    assert "ready_land_ha" in exc.value.field_errors


def test_stopping_hands_land_back_and_reopening_must_fit(users, cluster):
    editor = users["editor"]
    first = _project(editor, cluster, ha="20", seed=1, status="operating")
    services.tenant_project_transition(actor=editor, project=first, action="stop")
    assert cluster_land(cluster)["leased_ha"] == Decimal("0")
    _project(editor, cluster, ha="15", name="Nhà máy B", seed=2)
    with pytest.raises(ValidationFailed):
        services.tenant_project_transition(actor=editor, project=first, action="reopen")
    first.refresh_from_db()
    assert first.status == "stopped"


def test_status_changes_recorded_and_checked(users, cluster):
    editor = users["editor"]
    project = _project(editor, cluster, ha="1", seed=1)
    day = datetime.date(2025, 3, 1)
    services.tenant_project_transition(actor=editor, project=project, action="start_operation", effective_on=day)
    project.refresh_from_db()
    assert project.status == "operating" and project.operation_started_on == day and project.status_since == day
    record = history_for(project).first()
    assert record.action == ChangeAction.TRANSITION
    assert record.before["status"] == "registered" and record.after["status"] == "operating"
    with pytest.raises(ConflictError):
        services.tenant_project_transition(actor=editor, project=project, action="reopen")
    with pytest.raises(ValidationFailed):
        services.tenant_project_update(actor=editor, project=project, data={"status": "stopped"})


def test_invalid_tax_code_refused(users, cluster):
    with pytest.raises(ValidationFailed) as exc:
        services.enterprise_for(actor=users["editor"], tax_code="0100109107", name="Sai")
    assert "check digit" in exc.value.message
    with pytest.raises(ValidationFailed):
        services.enterprise_for(actor=users["editor"], tax_code="12345", name="Sai")
    assert not Organisation.objects.filter(name="Sai").exists()


def test_lease_ending_before_it_starts_refused(users, cluster):
    with pytest.raises(ValidationFailed) as exc:
        _project(
            users["editor"],
            cluster,
            ha="1",
            seed=1,
            lease_start=datetime.date(2025, 1, 1),
            lease_end=datetime.date(2024, 12, 31),
        )
    assert "lease_end" in exc.value.field_errors
    assert not TenantProject.objects.exists()


def test_usd_capital_keeps_exchange_rate_and_foreign_investor(users, cluster):
    editor = users["editor"]
    with pytest.raises(ValidationFailed) as exc:
        _project(editor, cluster, ha="1", seed=1, capital=Decimal("2000000"), currency="USD")
    assert "exchange_rate" in exc.value.field_errors
    p = _project(
        editor,
        cluster,
        ha="1",
        seed=3,
        country="JP",
        capital=Decimal("2000000"),
        currency="USD",
        exchange_rate=Decimal("25000"),
    )
    assert p.capital_vnd == Decimal("50000000000")
    assert p.is_foreign_invested
    _project(editor, cluster, ha="1", name="Nội", seed=5, capital=Decimal("1000000000"))
    totals = tenant_totals(TenantProject.objects.filter(cluster=cluster))
    assert totals["projects"] == 2 and totals["foreign"] == 1
    assert totals["capital_vnd"] == Decimal("51000000000")


def test_same_project_twice_refused(users, cluster):
    _project(users["editor"], cluster, ha="1", seed=1)
    with pytest.raises(ValidationFailed) as exc:
        _project(users["editor"], cluster, ha="1", seed=1)
    assert "name" in exc.value.field_errors


def test_who_may_write_tenants(users, cluster, other_cluster, hni_cluster):
    _project(users["investor"], cluster, ha="1", seed=1)  # the cluster's own investor may
    for who, target in [
        ("other_investor", cluster),
        ("investor", other_cluster),
        ("other_editor", cluster),
        ("ministry", cluster),
        ("commune", cluster),
        ("tenant", cluster),
        ("editor", hni_cluster),
    ]:
        with pytest.raises(PermissionDeniedError):
            _project(users[who], target, ha="1", name=f"x-{who}", seed=7)


def test_land_figures_stale_after_six_months(users, cluster):
    from django.utils import timezone

    today = timezone.localdate()
    assert cluster_land(cluster)["stale"]  # never confirmed
    cluster_update(actor=users["editor"], cluster=cluster, data={"land_confirmed_on": today})
    cluster.refresh_from_db()
    assert not cluster_land(cluster)["stale"]
    old = months_before(today, 6) - datetime.timedelta(days=1)
    cluster_update(actor=users["editor"], cluster=cluster, data={"land_confirmed_on": old})
    cluster.refresh_from_db()
    assert cluster_land(cluster)["stale"]
    assert months_before(datetime.date(2025, 8, 31), 6) == datetime.date(2025, 2, 28)


def test_cluster_list_filters_and_sorts_by_occupancy_and_vacant(users, cluster, other_cluster):
    _project(users["editor"], cluster, ha="30", seed=1)  # 75 % occupancy, 0 ha vacant
    _project(users["editor"], other_cluster, ha="3", seed=2)  # 10 %, 17 ha vacant
    editor = users["editor"]
    codes = [c.code for c in cluster_list(user=editor, filters={"min_occupancy": 50}, order="name")]
    assert codes == ["KHA-TEST"]
    codes = [c.code for c in cluster_list(user=editor, filters={"min_vacant": 5}, order="name")]
    assert codes == ["KHA-OTHER"]
    codes = [c.code for c in cluster_list(user=editor, filters={"max_occupancy": 100}, order="-occupancy")]
    assert codes == ["KHA-TEST", "KHA-OTHER"]
    codes = [c.code for c in cluster_list(user=editor, filters={"max_occupancy": 100}, order="-vacant")]
    assert codes == ["KHA-OTHER", "KHA-TEST"]


def test_cluster_page_shows_land_panel_and_stale_warning(client, users, cluster):
    _project(users["editor"], cluster, ha="10", seed=1)
    client.force_login(users["editor"])
    html = client.get(f"/clusters/{cluster.code}/").content.decode()
    assert 'data-figure="occupancy">25' in html  # 10 ÷ 40
    assert 'data-figure="vacant">20' in html
    assert "never been confirmed" in html or "chưa từng được xác nhận" in html
    assert "Nhà máy A" in html
    client.logout()
    public = client.get(f"/clusters/{cluster.code}/").content.decode()
    assert 'data-figure="occupancy">25' in public  # published land figures are public
    assert "Nhà máy A" not in public  # the tenant list is not


def test_cluster_page_query_count(client, users, cluster, django_assert_max_num_queries):
    for i in range(6):
        _project(users["editor"], cluster, ha="1", name=f"P{i}", seed=10 + i * 3)
    client.force_login(users["editor"])
    client.get(f"/clusters/{cluster.code}/")
    with django_assert_max_num_queries(40):
        client.get(f"/clusters/{cluster.code}/")
    with django_assert_max_num_queries(12):
        client.get("/tenants/")

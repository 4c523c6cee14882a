"""The conditions of Decree 32/2024, Art. 8 computed from the registry at a date."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from ccn.clusters.models import ClusterEvent, LegalRule
from ccn.procedures import services
from ccn.procedures.checks import run_checks

from .factories import operating_cluster, planned_cluster, tenant

D = datetime.date
pytestmark = pytest.mark.django_db


def _item(result, key):
    return next(i for i in result["items"] if i["key"] == key)


def test_area_occupancy_follows_leases_at_the_date(kha):
    cluster = planned_cluster()
    neighbour = operating_cluster(industrial=40, leased=10, name="Cụm láng giềng")  # 25 % in force since always
    tenant(neighbour, 15, name="Thuê từ 2026", start=D(2026, 1, 1))
    for _ in range(2):
        operating_cluster(industrial=50, leased=0)
    # 2025: 10 of 140 ha leased (7.1 %), 130 ha unleased → fails. 2026: 25 of 140, 115 ha unleased → still fails.
    r2025 = run_checks(cluster=cluster, kind="establishment", on=D(2025, 6, 1), applicants=1)
    assert _item(r2025, "area_occupancy")["passed"] is False
    assert _item(r2025, "area_occupancy")["figures"]["unleased_ha"] == "130.00"
    tenant(neighbour, 15, name="Thuê thêm 2026", start=D(2026, 6, 1))
    r2026 = run_checks(cluster=cluster, kind="establishment", on=D(2026, 7, 1), applicants=1)
    occ = _item(r2026, "area_occupancy")["figures"]
    assert (occ["leased_ha"], occ["unleased_ha"], occ["clusters"]) == ("40.00", "100.00", 3)
    assert _item(r2026, "area_occupancy")["passed"] is True  # at most 100 ha unleased
    assert r2026["passed"] is True


def test_clusters_not_yet_established_at_the_date_do_not_count():
    cluster = planned_cluster()
    late = operating_cluster(industrial=60, leased=0, since=D(2026, 5, 1))
    for _ in range(2):
        operating_cluster(industrial=50, leased=0, since=D(2026, 5, 1))
    ClusterEvent.objects.filter(cluster=late).update(effective_on=D(2026, 5, 1))
    before = run_checks(cluster=cluster, kind="establishment", on=D(2026, 4, 30), applicants=1)
    after = run_checks(cluster=cluster, kind="establishment", on=D(2026, 5, 1), applicants=1)
    assert _item(before, "area_occupancy")["figures"]["clusters"] == 0 and before["passed"] is True
    assert _item(after, "area_occupancy")["figures"]["clusters"] == 3 and after["passed"] is False


def test_the_province_chooses_the_area_of_the_test(users, kha):
    from ccn.geo.models import Commune

    codes = list(Commune.objects.filter(province=kha).order_by("code").values_list("code", flat=True)[:2])
    cluster = planned_cluster(commune_codes=[codes[0]])
    for _ in range(3):
        operating_cluster(industrial=50, leased=0, commune_codes=[codes[1]])  # elsewhere in the province
    on = D(2026, 6, 1)
    assert run_checks(cluster=cluster, kind="establishment", on=on, applicants=1)["passed"] is False
    services.occupancy_scope_set(
        actor=users["approver"], province=kha, scope="communes", effective_from=D(2026, 5, 1), document="QĐ 5/2026"
    )
    result = run_checks(cluster=cluster, kind="establishment", on=on, applicants=1)
    figures = _item(result, "area_occupancy")["figures"]
    assert figures["scope"] == "communes" and figures["clusters"] == 0 and result["passed"] is True
    # Before the province's decision, the whole province still counts.
    assert run_checks(cluster=cluster, kind="establishment", on=D(2026, 4, 1), applicants=1)["passed"] is False


def test_planned_state_and_area_limits_at_the_date():
    cluster = planned_cluster()
    big = Decimal("80")  # the area the application proposes
    result = run_checks(cluster=cluster, kind="establishment", on=D(2026, 6, 1), applicants=1, area=big)
    assert _item(result, "in_plan")["passed"] is True
    area = _item(result, "area")
    assert area["passed"] is False and area["figures"]["max_ha"] == "75.00"
    # A later rule (entered as dated data) can change the limit from its date.
    LegalRule.objects.filter(key="area_max_ha", cluster_kind="").update(effective_to=D(2026, 9, 14))
    LegalRule.objects.create(
        key="area_max_ha", value=Decimal("100"), effective_from=D(2026, 9, 15), legal_source="Quy định thử"
    )
    assert _item(run_checks(cluster=cluster, kind="establishment", on=D(2026, 9, 15), applicants=1, area=big), "area")[
        "passed"
    ]
    assert not _item(
        run_checks(cluster=cluster, kind="establishment", on=D(2026, 9, 14), applicants=1, area=big), "area"
    )["passed"]
    before_registration = run_checks(cluster=cluster, kind="establishment", on=D(2023, 6, 1), applicants=0, area=big)
    # Entered in the registry as planned on 01/01/2024: taken as in the plan before, and said so.
    assert _item(before_registration, "in_plan")["passed"] is True
    assert _item(before_registration, "in_plan")["figures"]["registered_on"] == "2024-01-01"
    assert _item(before_registration, "applicant")["passed"] is False
    established_later = run_checks(cluster=cluster, kind="establishment", on=D(2026, 6, 1), applicants=1)
    assert _item(established_later, "in_plan")["passed"] is True
    cluster.status = "established"
    cluster.save(update_fields=["status"])
    ClusterEvent.objects.create(
        cluster=cluster, action="establish", from_status="planned", to_status="established", effective_on=D(2026, 7, 1)
    )
    assert (
        _item(run_checks(cluster=cluster, kind="establishment", on=D(2026, 7, 1), applicants=1), "in_plan")["passed"]
        is False
    )
    assert (
        _item(run_checks(cluster=cluster, kind="establishment", on=D(2026, 6, 30), applicants=1), "in_plan")["passed"]
        is True
    )
    imported = operating_cluster(industrial=10, since=D(2025, 1, 1))
    assert (
        _item(run_checks(cluster=imported, kind="establishment", on=D(2024, 6, 1), applicants=1), "in_plan")["passed"]
        is False
    )


def test_expansion_needs_occupancy_and_shared_infrastructure():
    from ccn.infrastructure.models import InfrastructureComponent, WastewaterPlant

    cluster = operating_cluster(industrial=40, leased=20)
    tenant(cluster, 6, name="Thuê sau", start=D(2026, 6, 1))
    early = run_checks(cluster=cluster, kind="expansion", on=D(2026, 5, 1), area=Decimal("70"), applicants=1)
    assert _item(early, "occupancy")["figures"]["occupancy_pct"] == "50.00"
    assert _item(early, "occupancy")["passed"] is False
    later = run_checks(cluster=cluster, kind="expansion", on=D(2026, 6, 1), area=Decimal("70"), applicants=1)
    assert _item(later, "occupancy")["passed"] is True  # 26 / 40 = 65 %
    assert _item(later, "infrastructure")["passed"] is False
    for kind in ("roads", "water_supply", "wastewater_collection"):
        InfrastructureComponent.objects.create(cluster=cluster, kind=kind, status="completed")
    WastewaterPlant.objects.create(cluster=cluster, status="under_construction")
    assert not _item(
        run_checks(cluster=cluster, kind="expansion", on=D(2026, 6, 1), area=70, applicants=1), "infrastructure"
    )["passed"]
    WastewaterPlant.objects.filter(cluster=cluster).update(status="operating")
    final = run_checks(cluster=cluster, kind="expansion", on=D(2026, 6, 1), area=Decimal("70"), applicants=1)
    assert final["passed"] is True
    too_big = run_checks(cluster=cluster, kind="expansion", on=D(2026, 6, 1), area=Decimal("80"), applicants=1)
    assert _item(too_big, "area")["passed"] is False


def test_checks_are_kept_with_the_dossier(users):
    from .factories import receive

    dossier = receive(users, planned_cluster())
    result = services.dossier_run_checks(actor=users["editor"], dossier=dossier, on=D(2026, 3, 3))
    dossier.refresh_from_db()
    assert dossier.checks == result and dossier.checks_on == D(2026, 3, 3) and dossier.checks_passed is True
    from ccn.core.errors import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        services.dossier_run_checks(actor=users["commune"], dossier=dossier, on=D(2026, 3, 3))


def test_a_lease_counts_from_when_the_project_is_in_the_cluster_as_in_form_04():
    """The leased land of the Art. 8 checks is the registry's own (ccn/clusters/leases.py, the figure of Form 04,
    indicator 19): a project with no lease start counts from the day it is known in the cluster (its investment
    registration, else the day it was entered), not as leased since always."""
    from ccn.tenants.models import TenantProject

    cluster = operating_cluster(industrial=40, leased=20)  # 20 ha leased since 1/1/2024
    undated = tenant(cluster, 10, name="Không rõ ngày thuê")  # entered today, no date of its own
    registered = tenant(cluster, 6, name="Đăng ký đầu tư 2025")
    TenantProject.objects.filter(pk=registered.pk).update(capital_date=D(2025, 3, 1))
    on = D(2025, 6, 1)
    figures = _item(run_checks(cluster=cluster, kind="expansion", on=on, area=Decimal("70"), applicants=1), "occupancy")
    assert figures["figures"]["occupancy_pct"] == "65.00"  # (20 + 6) / 40; the undated lease is not yet known then
    today = timezone.localdate()
    later = _item(
        run_checks(cluster=cluster, kind="expansion", on=today, area=Decimal("70"), applicants=1), "occupancy"
    )
    assert later["figures"]["occupancy_pct"] == "90.00"  # (20 + 6 + 10) / 40
    assert undated.lease_start is None

"""Relocation of polluting facilities into clusters: the target must be operating with vacant land; counts per
commune and per cluster in SQL for the dashboard and the cluster page."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from ccn.core.errors import PermissionDeniedError, ValidationFailed
from ccn.geo.models import Commune
from ccn.procedures import services
from ccn.procedures.selectors import relocation_counts

from .factories import operating_cluster, planned_cluster

D = datetime.date
pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _facility(users, commune, *, actor=None, **data):
    return services.relocation_create(
        actor=actor or users["editor"],
        province=commune.province,
        data={
            "commune": commune,
            "name": data.pop("name", "Cơ sở tái chế nhựa"),
            "kind": data.pop("kind", "craft_workshop"),
            "current_location": "Thôn 1",
            "pollution_concern": "Khói, nước thải",
            **data,
        },
    )


@pytest.fixture
def communes(kha):
    return list(Commune.objects.filter(province=kha).order_by("code")[:2])


def test_target_must_be_operating_with_vacant_land(users, communes):
    planned = planned_cluster()
    with pytest.raises(ValidationFailed, match="not operating") as exc:
        _facility(users, communes[0], target_cluster=planned)
    assert exc.value.code == "cluster_not_operating"
    full = operating_cluster(industrial=40, leased=40, name="Cụm đã đầy")
    with pytest.raises(ValidationFailed, match="no vacant industrial land") as exc:
        _facility(users, communes[0], target_cluster=full)
    assert exc.value.code == "no_vacant_land"
    roomy = operating_cluster(industrial=40, leased=39, name="Cụm còn 1 ha")
    with pytest.raises(ValidationFailed, match="needs 2"):
        _facility(users, communes[0], target_cluster=roomy, land_needed_ha=Decimal("2"))
    facility = _facility(users, communes[0], target_cluster=roomy, land_needed_ha=Decimal("0.5"))
    assert facility.target_cluster == roomy


def test_status_goes_forward_and_land_needs_a_target(users, communes):
    cluster = operating_cluster(industrial=40, leased=10)
    facility = _facility(users, communes[0])
    services.relocation_transition(actor=users["editor"], facility=facility, action="agree", on=TODAY)
    with pytest.raises(ValidationFailed, match="Choose the cluster"):
        services.relocation_transition(actor=users["editor"], facility=facility, action="allocate_land", on=TODAY)
    services.relocation_transition(
        actor=users["editor"], facility=facility, action="allocate_land", on=TODAY, target_cluster=cluster
    )
    from ccn.core.errors import ConflictError

    with pytest.raises(ConflictError):
        services.relocation_transition(actor=users["editor"], facility=facility, action="agree", on=TODAY)
    services.relocation_transition(actor=users["editor"], facility=facility, action="move", on=TODAY)
    facility.refresh_from_db()
    assert (facility.status, facility.status_since, facility.target_cluster) == ("moved", TODAY, cluster)


def test_commune_officer_records_only_in_own_communes(users, communes):
    _facility(users, communes[0], actor=users["commune"])
    with pytest.raises(PermissionDeniedError):
        _facility(users, communes[1], actor=users["commune"])
    with pytest.raises(PermissionDeniedError):
        _facility(users, communes[0], actor=users["ministry"])


def test_counts_per_commune_and_cluster(users, communes, django_assert_max_num_queries):
    a = operating_cluster(industrial=40, leased=10, name="Cụm A")
    b = operating_cluster(industrial=40, leased=10, name="Cụm B")
    for i in range(3):
        _facility(users, communes[0], name=f"Xưởng {i}", target_cluster=a)
    moved = _facility(users, communes[1], name="Nhà máy", target_cluster=b, deadline=D(2026, 1, 1))
    _facility(users, communes[1], name="Lò gạch", deadline=D(2026, 1, 1))
    for action in ("agree", "allocate_land", "move"):
        services.relocation_transition(actor=users["editor"], facility=moved, action=action, on=TODAY)
    with django_assert_max_num_queries(3):
        counts = relocation_counts(user=users["editor"])
    by_commune = {r["code"]: r for r in counts["by_commune"]}
    assert by_commune[communes[0].code]["total"] == 3 and by_commune[communes[0].code]["identified"] == 3
    assert by_commune[communes[1].code]["moved"] == 1 and by_commune[communes[1].code]["overdue"] == 1
    by_cluster = {r["code"]: r for r in counts["by_cluster"]}
    assert by_cluster[a.code]["total"] == 3 and by_cluster[b.code]["moved"] == 1
    assert counts["totals"]["total"] == 5
    assert relocation_counts(user=users["other_editor"])["totals"]["total"] == 0
    assert relocation_counts(user=users["ministry"], province="01")["totals"]["total"] == 0
    assert relocation_counts(user=users["ministry"], province="56")["totals"]["total"] == 5
    assert relocation_counts(user=users["commune"])["totals"]["total"] == 3
    assert relocation_counts(user=users["investor"])["totals"]["total"] == 0


def test_cluster_page_panel(users, communes, client):
    cluster = operating_cluster(industrial=40, leased=10, name="Cụm đích")
    _facility(users, communes[0], target_cluster=cluster)
    client.force_login(users["editor"])
    html = client.get(f"/clusters/{cluster.code}/").content.decode()
    assert "Procedures" in html or "Thủ tục" in html
    assert "1 in all" in html or "Tổng 1" in html
    client.logout()
    public = client.get(f"/clusters/{cluster.code}/").content.decode()
    assert "proc-panel-h" not in public


def test_sample_command_is_idempotent_and_flagged(db):
    from django.core.management import call_command

    from ccn.procedures.models import RelocationFacility

    call_command("load_sample_procedures", verbosity=0)
    call_command("load_sample_procedures", verbosity=0)
    assert RelocationFacility.objects.count() == 3
    assert not RelocationFacility.objects.filter(is_sample=False).exists()

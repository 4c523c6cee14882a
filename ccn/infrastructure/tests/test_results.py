"""Every dated compliance result of a central wastewater plant is kept; the plant's last result is the latest of
them, read, not stored; results are entered only as results (the results form, the results endpoint), not with the
plant; the migrations keep each plant's last result as a dated result."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from ccn.core.errors import ValidationFailed
from ccn.infrastructure import services
from ccn.infrastructure.models import WastewaterPlant, WastewaterResult

pytestmark = pytest.mark.django_db
day = datetime.date
OPERATING = {"status": "operating", "design_capacity_m3_day": Decimal("500"), "permit_issued_on": day(2020, 1, 1)}


def test_every_result_is_kept_and_the_plant_shows_the_latest(users, cluster):
    editor = users["editor"]
    services.plant_set(actor=editor, cluster=cluster, data=OPERATING)
    services.result_add(actor=editor, cluster=cluster, sampled_on=day(2024, 3, 1), compliant=True, document="KQ 24")
    services.result_add(actor=editor, cluster=cluster, sampled_on=day(2025, 4, 1), compliant=False, document="KQ 25")
    services.result_add(actor=editor, cluster=cluster, sampled_on=day(2023, 2, 1), compliant=True, document="KQ 23")
    plant = WastewaterPlant.objects.get(cluster=cluster)
    assert [(r.sampled_on.year, r.compliant, r.standard) for r in plant.results.order_by("sampled_on")] == [
        (2023, True, "QCVN 40:2011/BTNMT"),
        (2024, True, "QCVN 40:2011/BTNMT"),
        (2025, False, "QCVN 40:2011/BTNMT"),
    ]
    # the last result is the latest, whatever order they were entered in
    last = plant.latest_result
    assert (last.sampled_on, last.compliant, last.document) == (day(2025, 4, 1), False, "KQ 25")
    # saving the plant's other figures leaves every result alone
    services.plant_set(actor=editor, cluster=cluster, data={**OPERATING, "design_capacity_m3_day": Decimal("800")})
    plant = WastewaterPlant.objects.get(cluster=cluster)
    assert plant.results.count() == 3 and plant.latest_result.sampled_on == day(2025, 4, 1)


def test_the_plant_form_takes_no_result(client, users, cluster):
    """One way to enter a result on the page: the results form. The plant's form has no result fields, and what a
    crafted post of them carries is not written."""
    editor = users["editor"]
    client.force_login(editor)
    page = client.get(f"/infrastructure/{cluster.code}/").content.decode()
    for field in ("compliant", "last_result_on", "last_result_document", "standard"):
        assert f'name="plant-{field}"' not in page
    assert 'name="plant-permit_issued_on"' in page
    response = client.post(
        f"/infrastructure/{cluster.code}/",
        {
            "form": "plant",
            "plant-version": "0",
            "plant-status": "operating",
            "plant-design_capacity_m3_day": "500",
            "plant-last_result_on": "01/06/2024",
            "plant-compliant": "true",
            "plant-last_result_document": "KQ",
        },
    )
    assert response.status_code == 302
    plant = WastewaterPlant.objects.get(cluster=cluster)
    assert plant.design_capacity_m3_day == Decimal("500") and not plant.results.exists()
    page = client.get(f"/infrastructure/{cluster.code}/").content.decode()
    assert 'name="result-sampled_on"' in page  # the results form, once the plant is recorded


def test_bad_results_are_refused_with_nothing_written(users, cluster):
    editor = users["editor"]
    with pytest.raises(ValidationFailed) as no_plant:
        services.result_add(actor=editor, cluster=cluster, sampled_on=day(2024, 1, 1), compliant=True, document="X")
    assert "sampled_on" in no_plant.value.field_errors
    services.plant_set(actor=editor, cluster=cluster, data={"status": "planned"})
    with pytest.raises(ValidationFailed) as not_built:
        services.result_add(actor=editor, cluster=cluster, sampled_on=day(2024, 1, 1), compliant=True, document="X")
    assert "not built" in not_built.value.message
    services.plant_set(actor=editor, cluster=cluster, data={**OPERATING, "permit_issued_on": day(2025, 10, 1)})
    services.result_add(actor=editor, cluster=cluster, sampled_on=day(2025, 11, 1), compliant=True, document="KQ")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    cases = [
        ({"sampled_on": day(2025, 11, 1), "compliant": True, "document": "KQ"}, "sampled_on", "already recorded"),
        ({"sampled_on": tomorrow, "compliant": True, "document": "KQ"}, "sampled_on", "future"),
        ({"sampled_on": None, "compliant": True, "document": "KQ"}, "sampled_on", "date"),
        ({"sampled_on": day(2025, 12, 1), "compliant": None, "document": "KQ"}, "compliant", "Say whether"),
        ({"sampled_on": day(2025, 12, 1), "compliant": True, "document": " "}, "document", "document"),
        (  # a plant permitted after 1/9/2025 is judged against QCVN 40:2025 only
            {"sampled_on": day(2025, 12, 1), "compliant": True, "document": "KQ", "standard": "QCVN 40:2011/BTNMT"},
            "standard",
            "06/2025/TT-BTNMT",
        ),
    ]
    for kwargs, field, words in cases:
        with pytest.raises(ValidationFailed) as refused:
            services.result_add(actor=editor, cluster=cluster, **kwargs)
        assert field in refused.value.field_errors and words in refused.value.message, kwargs
    assert WastewaterResult.objects.count() == 1
    assert WastewaterPlant.objects.get(cluster=cluster).latest_result.sampled_on == day(2025, 11, 1)


def test_results_on_the_page_and_the_api(client, users, cluster):
    editor = users["editor"]
    client.force_login(editor)
    services.plant_set(actor=editor, cluster=cluster, data=OPERATING)
    response = client.post(
        f"/infrastructure/{cluster.code}/",
        {
            "form": "result",
            "result-sampled_on": "01/06/2024",
            "result-compliant": "true",
            "result-document": "Phiếu 06/2024",
        },
    )
    assert response.status_code == 302
    bad = client.post(
        f"/infrastructure/{cluster.code}/",
        {"form": "result", "result-sampled_on": "01/06/2024", "result-compliant": "false", "result-document": "P"},
    )
    said = bad.content.decode()  # in the page's language, English or Vietnamese
    assert bad.status_code == 200 and ("already recorded" in said or "đã được ghi nhận" in said)
    api = client.post(
        f"/api/v1/infrastructure/clusters/{cluster.code}/wastewater-plant/results",
        {"sampled_on": "2025-06-01", "compliant": False, "document": "Phiếu 06/2025"},
        content_type="application/json",
    )
    assert api.status_code == 201
    plant = api.json()["plant"]
    assert [(r["sampled_on"], r["compliant"]) for r in plant["results"]] == [
        ("2025-06-01", False),
        ("2024-06-01", True),
    ]
    assert (plant["last_result_on"], plant["compliant"]) == ("2025-06-01", False)
    again = client.post(
        f"/api/v1/infrastructure/clusters/{cluster.code}/wastewater-plant/results",
        {"sampled_on": "2025-06-01", "compliant": True, "document": "Phiếu"},
        content_type="application/json",
    )
    assert again.status_code == 422
    html = client.get(f"/clusters/{cluster.code}/").content.decode()
    table = html[html.index('id="plant-results"') :]
    assert table.index("Phiếu 06/2025") < table.index("Phiếu 06/2024")  # the history, latest first
    page = client.get(f"/infrastructure/{cluster.code}/").content.decode()
    assert 'id="plant-results"' in page and "Phiếu 06/2024" in page


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


LATEST = [("infrastructure", "0005_plant_last_result_derived")]


@pytest.mark.django_db(transaction=True)
def test_the_migrations_keep_each_plants_last_result_as_a_result(cluster):
    """0004 made each plant's stored last result its first dated result; 0005 moves a stored last result that has
    no result of its day into one, then removes the stored copy; going back fills the copy from the latest result."""
    from ccn.clusters.tests.factories import make_cluster

    bare = make_cluster(code="KHA-BARE", status="operating")
    later = make_cluster(code="KHA-LATER", status="operating")
    try:
        old_apps = _migrate([("infrastructure", "0003_versions")])
        Plant = old_apps.get_model("infrastructure", "WastewaterPlant")
        Plant.objects.create(
            cluster_id=cluster.pk,
            status="operating",
            design_capacity_m3_day=Decimal("500"),
            compliant=False,
            last_result_on=day(2024, 9, 1),
            last_result_document="KQ 09/2024",
            standard="QCVN 40:2011/BTNMT",
        )
        Plant.objects.create(cluster_id=bare.pk, status="planned")  # no result: none made up
        mid = _migrate([("infrastructure", "0004_wastewater_results")])
        Result = mid.get_model("infrastructure", "WastewaterResult")
        assert list(
            Result.objects.values_list("plant__cluster_id", "sampled_on", "compliant", "standard", "document")
        ) == [(cluster.pk, day(2024, 9, 1), False, "QCVN 40:2011/BTNMT", "KQ 09/2024")]
        # a last result stored on the plant (an earlier plant form) with no result of its day
        mid.get_model("infrastructure", "WastewaterPlant").objects.create(
            cluster_id=later.pk,
            status="operating",
            design_capacity_m3_day=Decimal("300"),
            compliant=True,
            last_result_on=day(2025, 3, 1),
            last_result_document="KQ 03/2025",
            standard="QCVN 40:2011/BTNMT",
        )
        new = _migrate(LATEST)
        rows = new.get_model("infrastructure", "WastewaterResult").objects.order_by("sampled_on")
        assert list(rows.values_list("plant__cluster_id", "sampled_on", "compliant", "document")) == [
            (cluster.pk, day(2024, 9, 1), False, "KQ 09/2024"),  # already a result: not copied twice
            (later.pk, day(2025, 3, 1), True, "KQ 03/2025"),
        ]
        Result = new.get_model("infrastructure", "WastewaterResult")
        plant = new.get_model("infrastructure", "WastewaterPlant").objects.get(cluster_id=cluster.pk)
        Result.objects.create(plant=plant, sampled_on=day(2025, 9, 1), compliant=True, standard="", document="KQ 9")
        back = _migrate([("infrastructure", "0004_wastewater_results")])
        copies = back.get_model("infrastructure", "WastewaterPlant").objects.order_by("cluster_id")
        assert list(copies.values_list("cluster_id", "last_result_on", "compliant", "last_result_document")) == [
            (cluster.pk, day(2025, 9, 1), True, "KQ 9"),  # the latest result
            (bare.pk, None, None, ""),
            (later.pk, day(2025, 3, 1), True, "KQ 03/2025"),
        ]
    finally:
        _migrate(LATEST)

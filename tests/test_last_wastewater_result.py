"""A plant's last wastewater result is read in one order (`WastewaterResult.NEWEST_FIRST`: sample date, then the
latest entered) by its three readers: the plant (`latest_result`), the plant's panel and the exchange bundle. The
database keeps one result per plant and day, so no two results of a plant tie on the date."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from ccn.clusters.tests.factories import make_cluster
from ccn.core.errors import ValidationFailed
from ccn.exchange import bundle
from ccn.infrastructure import services
from ccn.infrastructure.models import WastewaterPlant, WastewaterResult
from ccn.infrastructure.selectors import cluster_infrastructure

pytestmark = pytest.mark.django_db
day = datetime.date


def _three_readers(cluster) -> tuple:
    plant = WastewaterPlant.objects.get(cluster=cluster)
    panel = cluster_infrastructure(cluster)["results"][0]
    record = next(
        r for r in bundle.changed_records(cluster.province, since=None, until=timezone.now()) if r["kind"] == "cluster"
    )
    carried = record["data"]["plant"]
    return (
        (plant.latest_result.sampled_on, plant.latest_result.document),
        (panel.sampled_on, panel.document),
        (day.fromisoformat(carried["last_result_on"]), carried["last_result_document"]),
        [r["document"] for r in carried["results"]],
    )


def test_the_three_readers_pick_the_same_last_result(users, kha):
    cluster = make_cluster(code="KHA-LAST", status="operating")
    editor = users["editor"]
    services.plant_set(
        actor=editor, cluster=cluster, data={"status": "operating", "design_capacity_m3_day": Decimal("500")}
    )
    # entered out of date order: the newest date is not the newest entry, the newest entry not the newest date
    for sampled_on, compliant, document in [
        (day(2025, 6, 1), False, "KQ-06"),
        (day(2024, 1, 1), True, "KQ-01"),
        (day(2025, 3, 1), True, "KQ-03"),
    ]:
        services.result_add(
            actor=editor, cluster=cluster, sampled_on=sampled_on, compliant=compliant, document=document
        )
    plant_reads, panel_reads, bundle_reads, carried = _three_readers(cluster)
    assert plant_reads == panel_reads == bundle_reads == (day(2025, 6, 1), "KQ-06")
    assert carried == ["KQ-01", "KQ-03", "KQ-06"]  # the bundle carries them oldest first


def test_the_order_breaks_a_tie_on_the_date_by_the_later_entry(users, kha):
    """The tie the order breaks cannot be stored: a second result of the same plant on the same day is refused by
    the service and by the database, its outcome not written; in memory the later id sorts last, as the queries
    order it."""
    cluster = make_cluster(code="KHA-TIE", status="operating")
    plant = WastewaterPlant.objects.create(cluster=cluster, status="operating")
    first = plant.results.create(sampled_on=day(2025, 6, 1), compliant=True, document="KQ-A")
    with pytest.raises(ValidationFailed, match="01/06/2025"):  # "already recorded", in either language
        services.result_add(
            actor=users["editor"], cluster=cluster, sampled_on=first.sampled_on, compliant=False, document="KQ-B"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        plant.results.create(sampled_on=day(2025, 6, 1), compliant=False, document="KQ-B")
    assert list(plant.results.values_list("document", flat=True)) == ["KQ-A"]
    later = WastewaterResult(pk=first.pk + 1, plant=plant, sampled_on=first.sampled_on, compliant=False)
    assert sorted([later, first], key=WastewaterResult.order_key) == [first, later]
    assert WastewaterResult.NEWEST_FIRST == ("-sampled_on", "-id")

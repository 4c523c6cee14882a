"""Dated values of a cluster's figures: the value in force on a date, the columns kept on today's value,
earlier dates unchanged by later edits, and bad input refused with nothing written."""

import datetime
from decimal import Decimal

import pytest

from ccn.clusters import figures
from ccn.clusters.choices import FigureField
from ccn.clusters.models import Cluster, ClusterFigure, Organisation
from ccn.clusters.services import cluster_update
from ccn.clusters.tests.factories import make_cluster, make_org
from ccn.core.errors import PermissionDeniedError, ValidationFailed

pytestmark = pytest.mark.django_db

D = datetime.date


def test_cluster_without_dated_values_answers_every_date_from_its_columns(users):
    cluster = make_cluster(area_planned_ha=Decimal("40"), industrial_land_ha=Decimal("30"))
    assert figures.values_on(cluster, D(2020, 1, 1))["area_planned_ha"] == Decimal("40")
    assert figures.values_on(cluster, D(2020, 1, 1))["industrial_land_ha"] == Decimal("30")
    assert not ClusterFigure.objects.filter(cluster=cluster).exists()


def test_an_edit_dated_later_leaves_the_earlier_dates_alone(users):
    cluster = make_cluster(
        status="operating", status_since=D(2018, 5, 1), area_planned_ha=Decimal("40"), industrial_land_ha=Decimal("30")
    )
    cluster_update(
        actor=users["admin"],
        cluster=cluster,
        data={"industrial_land_ha": Decimal("35")},
        figures_valid_from=D(2025, 7, 1),
    )
    cluster.refresh_from_db()
    assert cluster.industrial_land_ha == Decimal("35")  # the column holds today's value
    assert figures.values_on(cluster, D(2025, 6, 30))["industrial_land_ha"] == Decimal("30")
    assert figures.values_on(cluster, D(2025, 7, 1))["industrial_land_ha"] == Decimal("35")
    # The earlier value is recorded from the start of the cluster's record, not from the day of the edit.
    baseline = ClusterFigure.objects.get(cluster=cluster, field=FigureField.INDUSTRIAL_LAND, value=Decimal("30"))
    assert baseline.valid_from == D(2018, 5, 1)
    # Before the record began nothing is known.
    assert figures.values_on(cluster, D(2010, 1, 1))["industrial_land_ha"] is None
    # The annotation on a queryset gives the same as the one-cluster reading.
    row = figures.figures_on(Cluster.objects.filter(pk=cluster.pk), D(2025, 6, 30)).get()
    assert row.as_of_industrial_land_ha == Decimal("30") and row.as_of_area_planned_ha == Decimal("40")


def test_back_dated_value_followed_by_a_later_one_keeps_the_later_on_the_cluster(users, kha):
    cluster = make_cluster(status="operating", status_since=D(2015, 1, 1), area_planned_ha=Decimal("50"))
    figures.figure_record(
        actor=users["editor"], cluster=cluster, field="area_planned_ha", value="60", valid_from=D(2024, 1, 1)
    )
    figures.figure_record(
        actor=users["editor"], cluster=cluster, field="area_planned_ha", value="45", valid_from=D(2019, 1, 1)
    )
    cluster.refresh_from_db()
    assert cluster.area_planned_ha == Decimal("60")
    assert [figures.values_on(cluster, D(y, 12, 31))["area_planned_ha"] for y in (2016, 2020, 2025)] == [
        Decimal("50"),
        Decimal("45"),
        Decimal("60"),
    ]


def test_investor_and_funding_source_are_dated_too(users):
    first, second = make_org("Nhà đầu tư Một"), make_org("Nhà đầu tư Hai")
    cluster = make_cluster(
        status="established", status_since=D(2020, 1, 1), investor=first, funding_source="enterprise"
    )
    cluster_update(
        actor=users["admin"],
        cluster=cluster,
        data={"investor": second, "funding_source": "mixed"},
        figures_valid_from=D(2026, 1, 15),
    )
    before = figures.values_on(cluster, D(2025, 12, 31))
    after = figures.values_on(cluster, D(2026, 6, 30))
    assert (before["investor_id"], before["funding_source"]) == (first.pk, "enterprise")
    assert (after["investor_id"], after["funding_source"]) == (second.pk, "mixed")


def test_bad_input_is_refused_and_nothing_written(users, hni):
    cluster = make_cluster(
        status="operating", status_since=D(2015, 1, 1), area_planned_ha=Decimal("50"), industrial_land_ha=Decimal("40")
    )
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    with pytest.raises(ValidationFailed) as exc:
        figures.figure_record(
            actor=users["editor"], cluster=cluster, field="area_planned_ha", value="55", valid_from=tomorrow
        )
    assert "tương lai" in str(exc.value)
    # Ready land above industrial land on the date is refused with the date named.
    with pytest.raises(ValidationFailed) as exc:
        figures.figure_record(
            actor=users["editor"], cluster=cluster, field="ready_land_ha", value="45", valid_from=D(2020, 1, 1)
        )
    assert "01/01/2020" in str(exc.value)
    with pytest.raises(PermissionDeniedError):
        figures.figure_record(
            actor=users["other_editor"], cluster=cluster, field="area_planned_ha", value="55", valid_from=D(2020, 1, 1)
        )
    with pytest.raises(ValidationFailed):
        figures.figure_record(
            actor=users["editor"], cluster=cluster, field="funding_source", value="lottery", valid_from=D(2020, 1, 1)
        )
    assert not ClusterFigure.objects.filter(cluster=cluster).exists()
    cluster.refresh_from_db()
    assert cluster.ready_land_ha is None and cluster.area_planned_ha == Decimal("50")


@pytest.mark.django_db
def test_state_budget_cluster_with_an_enterprise_investor_is_refused(users):
    """A state-budget cluster registered (or imported) with an investor recorded as an enterprise would count as
    enterprise-invested in Form 04 (indicators 7–8): refused with the rule and its source, nothing written."""
    firm = Organisation.objects.create(name="Công ty Hạ tầng Mới", kind="enterprise")
    with pytest.raises(ValidationFailed) as refused:
        make_cluster(code="T-BUDGET", funding_source="state_budget", investor=firm)
    assert "funding_source" in refused.value.field_errors and "7–8" in refused.value.message
    assert not Cluster.objects.filter(code="T-BUDGET").exists()
    public = Organisation.objects.create(name="Ban quản lý dự án", kind="public_unit")
    assert make_cluster(code="T-BUDGET", funding_source="state_budget", investor=public).investor_id == public.pk

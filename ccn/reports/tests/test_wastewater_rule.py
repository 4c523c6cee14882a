"""One rule for every figure of plants meeting the wastewater standard (Circular 14/2024/TT-BCT, Forms 03/04,
indicator 27; docs/reports.md): the plant operating, its result in force on the day compliant, against a standard
that applies to it on the day (`infrastructure.selectors.meets_standard_on`). Form 04, the dashboard's share, the
plan indicator and Form 02's registry check all read it, so they count the same clusters."""

import datetime
from decimal import Decimal

import pytest

from ccn.clusters.tests.factories import make_cluster, make_org
from ccn.infrastructure.models import WastewaterPlant
from ccn.plans.indicators import INDICATORS, Scope
from ccn.plans.selectors import dashboard_facts, key_figures
from ccn.reports.compile import compile_report
from ccn.reports.selectors import registry_context
from ccn.reports.services import periods_create_year
from ccn.tenants.models import TenantProject

pytestmark = pytest.mark.django_db
day = datetime.date
OLD, NEW = "QCVN 40:2011/BTNMT", "QCVN 40:2025/BTNMT"
EXISTING = day(2020, 1, 1)  # a permit before 1/9/2025: an existing facility


@pytest.fixture
def plants(kha, periods):
    """Four operating clusters of Khánh Hòa (each with a tenant project since 2023), each with a central plant and
    one result of 1/5/2026:
    W1 operating, permitted 2020 (an existing facility), compliant against QCVN 40:2011;
    W2 operating, permitted 1/10/2025 (a new facility), compliant against QCVN 40:2025;
    W3 compliant against QCVN 40:2025 but taken out of operation (recorded back as under construction);
    W4 operating, its result not compliant."""
    firm = make_org("Công ty Thuê đất")

    def cluster(code, *, status="operating", permit=EXISTING, standard=OLD, compliant=True):
        c = make_cluster(code=code, status="operating", status_since=day(2023, 1, 1), industrial_land_ha=Decimal(10))
        TenantProject.objects.create(
            cluster=c, enterprise=firm, name=f"Dự án {code}", status="operating", lease_start=day(2023, 1, 1),
            operation_started_on=day(2023, 6, 1), land_leased_ha=Decimal(1),
        )  # fmt: skip
        plant = WastewaterPlant.objects.create(
            cluster=c, status=status, permit_issued_on=permit, design_capacity_m3_day=Decimal(500)
        )
        plant.results.create(sampled_on=day(2026, 5, 1), compliant=compliant, standard=standard, document="KQ")
        return c

    return {
        "W1": cluster("KHA-W1"),
        "W2": cluster("KHA-W2", permit=day(2025, 10, 1), standard=NEW),
        "W3": cluster("KHA-W3", status="under_construction", standard=NEW),
        "W4": cluster("KHA-W4", standard=NEW, compliant=False),
    }


def _dashboard_share(scope, on):
    figures = {f["key"]: f["value"] for f in key_figures(scope, on, dashboard_facts(scope, on, [on]))}
    return figures["clusters_operating"], figures["wastewater_compliant_pct"]


def _three_counts(period, kha):
    """Indicator 27 of Form 04, the clusters the plan indicator counts, and the dashboard's count (its share of
    the operating clusters) on the period's end."""
    on = period.ends_on
    scope = Scope(province_id=kha.pk)
    form04 = compile_report(period, province_id=kha.pk).values["27"]
    members = INDICATORS["wastewater_compliant_pct"].members(scope, on)
    plan = sorted(c.code for c in members if c.value)
    operating, share = _dashboard_share(scope, on)
    assert INDICATORS["wastewater_compliant_pct"].values(scope, [on]) == [share]  # the target's figure
    return form04, plan, share * operating / 100


def test_a_plant_out_of_operation_is_not_counted_whatever_its_result(plants, periods, kha):
    form04, plan, dashboard = _three_counts(periods["annual"], kha)
    assert plan == ["KHA-W1", "KHA-W2"]  # not W3 (compliant, not operating), not W4 (not compliant)
    assert form04 == dashboard == len(plan) == 2
    # Form 02's check against the registry reads the same rule
    assert registry_context(plants["W3"], periods["annual"].ends_on)["registry_ww_ok"] == 0
    assert registry_context(plants["W2"], periods["annual"].ends_on)["registry_ww_ok"] == 1


def test_a_result_against_qcvn_40_2011_stops_counting_after_the_transition(plants, kha):
    """standards.QCVN_40_2011_TRANSITION_UNTIL: an existing plant may meet QCVN 40:2011 until 31/12/2031. The period
    ending 14/12/2031 still counts W1; the one ending 14/12/2032 does not (Circular 06/2025/TT-BTNMT)."""
    _half, annual_2031 = periods_create_year(actor=None, year=2031)
    _half, annual_2032 = periods_create_year(actor=None, year=2032)
    form04, plan, dashboard = _three_counts(annual_2031, kha)
    assert plan == ["KHA-W1", "KHA-W2"] and form04 == dashboard == 2
    form04, plan, dashboard = _three_counts(annual_2032, kha)
    assert plan == ["KHA-W2"] and form04 == dashboard == 1
    assert registry_context(plants["W1"], annual_2032.ends_on)["registry_ww_ok"] == 0

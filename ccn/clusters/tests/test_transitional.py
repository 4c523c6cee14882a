"""Clusters formed before the area limits took effect (Decree 32/2024, Art. 35(1)): an area is held to the limit in
force on the date of the establishment decision; the same area is refused for a cluster established today."""

import datetime
from decimal import Decimal

import pytest

from ccn.accounts.choices import Role
from ccn.accounts.tests.factories import make_user
from ccn.clusters import legacy
from ccn.clusters.models import Cluster, LegalDocument
from ccn.clusters.services import cluster_update
from ccn.core.errors import ValidationFailed

from .factories import make_cluster

D = Decimal
day = datetime.date


def decided(on, number="12/QĐ-UBND"):
    return {"number": number, "issued_on": on, "issuer": "UBND tỉnh"}


@pytest.mark.django_db
def test_an_80_ha_cluster_established_in_2008_is_accepted_one_established_in_2025_is_refused(kha):
    old = make_cluster(
        code="T-2008",
        status="operating",
        status_since=day(2010, 1, 1),
        area_planned_ha=D("80"),
        area_established_ha=D("80"),
        establishment=decided(day(2008, 6, 1)),
    )
    assert LegalDocument.objects.get(cluster=old).issued_on == day(2008, 6, 1)  # the legal basis, kept
    with pytest.raises(ValidationFailed) as refused:
        make_cluster(code="T-2025", area_planned_ha=D("80"), establishment=decided(day(2025, 6, 1)))
    message = refused.value.field_errors["area_planned_ha"][0]
    assert "75" in message and "Quyết định 105/2009/QĐ-TTg" in message and "05/10/2009" in message
    assert "Điều 35" in message
    assert not Cluster.objects.filter(code="T-2025").exists() and not LegalDocument.objects.filter(number="x").exists()
    # "operating since 2005" without an establishment decision is no legal basis: held to today's limit
    with pytest.raises(ValidationFailed):
        make_cluster(code="T-2005", status="operating", status_since=day(2005, 1, 1), area_planned_ha=D("90"))
    # later edits of the 2008 cluster keep its basis; enlarging it today is held to today's limit
    editor = make_user(role=Role.ADMIN, superuser=True)
    cluster_update(actor=editor, cluster=old, data={"name": "Cụm công nghiệp Cũ"})
    with pytest.raises(ValidationFailed):
        cluster_update(actor=editor, cluster=Cluster.objects.get(pk=old.pk), data={"area_established_ha": D("85")})
    assert Cluster.objects.get(pk=old.pk).area_established_ha == D("80")


@pytest.mark.django_db
def test_the_floors_of_decree_68_2017_and_the_craft_village_floor(kha):
    # 6 ha: an ordinary cluster established before Decree 68/2017 (15/7/2017) continues; after it, refused
    make_cluster(code="T-6-2016", area_planned_ha=D("6"), establishment=decided(day(2016, 3, 1)))
    with pytest.raises(ValidationFailed) as refused:
        make_cluster(code="T-6-2018", area_planned_ha=D("6"), establishment=decided(day(2018, 3, 1)))
    assert "Nghị định 68/2017/NĐ-CP" in refused.value.message
    # a craft-village cluster of 6 ha is within its 5 ha floor today, no transition needed
    make_cluster(code="T-6-CRAFT", kind="craft_village", area_planned_ha=D("6"))
    with pytest.raises(ValidationFailed):
        make_cluster(code="T-4-CRAFT", kind="craft_village", area_planned_ha=D("4"))


def test_legal_basis_names_article_35_and_the_limit(db):
    rules = legacy.area_rules()
    today = day(2026, 11, 1)
    basis = legacy.legal_basis(rules, kind="ordinary", area=D("80"), established_on=day(2008, 6, 1), today=today)
    assert "Điều 35" in basis and "105/2009" in basis and "01/06/2008" in basis
    assert legacy.legal_basis(rules, kind="ordinary", area=D("80"), established_on=day(2010, 1, 1), today=today) == ""
    assert legacy.legal_basis(rules, kind="ordinary", area=D("50"), established_on=day(2008, 1, 1), today=today) == ""
    assert legacy.legal_basis(rules, kind="craft_village", area=D("6"), established_on=None, today=today) == ""
    assert legacy.breaches(rules, kind="ordinary", area=D("6"), day=day(2016, 1, 1)) == []
    assert [b.since for b in legacy.breaches(rules, kind="ordinary", area=D("6"), day=today)] == [day(2017, 7, 15)]


@pytest.mark.django_db
def test_a_cluster_formed_before_decision_105_2009_is_registered_and_regularised_over_75_ha(kha):
    """Operating without establishment since 2005 at 80 ha: it continues and is regularised by its establishment
    decision today (Decree 32/2024, Art. 35(1), (4)(b)); the same cluster formed in 2012 is refused."""
    from ccn.clusters.services import cluster_transition

    editor = make_user(role=Role.ADMIN, superuser=True)
    pre = make_cluster(
        code="T-PRE", status="operating_unestablished", status_since=day(2005, 3, 1), area_planned_ha=D("80")
    )
    with pytest.raises(ValidationFailed) as refused:
        make_cluster(
            code="T-2012", status="operating_unestablished", status_since=day(2012, 3, 1), area_planned_ha=D("80")
        )
    assert "105/2009" in refused.value.message
    from ccn.clusters.tests.factories import make_org
    from ccn.tenants.models import TenantProject

    TenantProject.objects.create(cluster=pre, enterprise=make_org(), name="Xưởng", status="operating")
    done = cluster_transition(
        actor=editor,
        cluster=pre,
        action="regularise",
        effective_on=day(2026, 3, 1),
        new_document={"kind": "established", "number": "9/QĐ-UBND", "issued_on": day(2026, 3, 1), "issuer": "UBND"},
    )
    assert done.status == "operating"
    cluster_update(actor=editor, cluster=done, data={"name": "Cụm công nghiệp Trước 2009"})  # keeps its basis

"""The "obstacles resolved" indicator the obstacles app adds to the plans catalogue."""

import datetime

import pytest

from ccn.clusters.tests.factories import make_cluster
from ccn.obstacles.choices import Category
from ccn.obstacles.services import agency_create, obstacle_create, obstacle_transition
from ccn.plans.indicators import INDICATORS, Scope

pytestmark = pytest.mark.django_db


def test_resolved_obstacles_count_by_date_and_reopen_removes(users, kha, hni):
    cluster = make_cluster(code="KHA-OB1", actor=users["editor"])
    other = make_cluster(code="HNI-OB1", province_code="01", actor=users["admin"])
    agency = agency_create(actor=users["editor"], province=kha, name="Sở Công Thương Khánh Hòa")
    hn_agency = agency_create(actor=users["admin"], province=hni, name="Sở Công Thương Hà Nội")
    deadline = datetime.date.today() + datetime.timedelta(days=30)
    first = obstacle_create(
        actor=users["editor"],
        cluster=cluster,
        category=Category.SITE_CLEARANCE,
        description="Chưa giải phóng xong mặt bằng",
        agency=agency,
        deadline=deadline,
    )
    second = obstacle_create(
        actor=users["editor"],
        cluster=cluster,
        category=Category.SITE_CLEARANCE,
        description="Chưa có giá đất cụ thể",
        agency=agency,
        deadline=deadline,
    )
    third = obstacle_create(
        actor=users["admin"],
        cluster=other,
        category=Category.SITE_CLEARANCE,
        description="Hà Nội",
        agency=hn_agency,
        deadline=deadline,
    )
    for o in (first, second, third):
        obstacle_transition(actor=users["admin"], obstacle=o, action="start")
        obstacle_transition(actor=users["admin"], obstacle=o, action="resolve", resolution_note="Đã xong")
    indicator = INDICATORS["obstacles_resolved"]
    today = datetime.date.today()
    scope = Scope(province_id=kha.pk)
    assert indicator.compute(scope, today) == 2
    assert indicator.compute(scope, today - datetime.timedelta(days=1)) == 0
    assert indicator.compute(Scope(), today) == 3
    obstacle_transition(actor=users["admin"], obstacle=second, action="reopen", comment="Phát sinh lại")
    assert indicator.compute(scope, today) == 1

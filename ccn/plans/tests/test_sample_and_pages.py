"""The sample plans of Hà Nội and Khánh Hòa (idempotent command) and the pages: plan, target, dashboard, forms."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from ccn.plans.choices import Verdict
from ccn.plans.models import Plan, PlanItem, PlanVersion, Target
from ccn.plans.selectors import targets_progress

D = datetime.date


@pytest.fixture
def sample(db):
    call_command("load_sample_data", verbosity=0)
    call_command("load_sample_plans", verbosity=0)


def test_sample_plans_idempotent_and_verdicts(sample):
    counts = (Plan.objects.count(), PlanVersion.objects.count(), PlanItem.objects.count(), Target.objects.count())
    call_command("load_sample_plans", verbosity=0)
    assert counts == (
        Plan.objects.count(),
        PlanVersion.objects.count(),
        PlanItem.objects.count(),
        Target.objects.count(),
    )
    assert counts == (6, 3, 18, 11)
    assert Plan.objects.filter(is_sample=False).count() == 0 and Target.objects.filter(is_sample=False).count() == 0
    by_title = {p.target.title: p for p in targets_progress(Target.objects.all(), as_of=D(2024, 7, 31))}
    opening = by_title["Hoàn thành hạ tầng, khánh thành 15–20 cụm công nghiệp năm 2024"]
    # the four Hà Nội clusters under construction are the only ones that can open in 2024
    assert (opening.actual, opening.pipeline, opening.verdict) == (Decimal(0), 4, Verdict.AT_RISK)
    assert by_title["Khởi công xây dựng 20 cụm công nghiệp trong năm 2023"].verdict == Verdict.MISSED
    assert by_title["CCN Sông Cầu đạt tỷ lệ lấp đầy khoảng 45% năm 2024"].verdict == Verdict.NO_DATA
    plan_2030 = by_title["Đến năm 2030 có 159 cụm công nghiệp"]
    assert plan_2030.actual == 12 and plan_2030.verdict == Verdict.AT_RISK


def test_sample_plan_as_of_before_and_after_the_amendment(sample, client):
    from ccn.plans.selectors import plan_as_of

    plan = Plan.objects.get(province__code="01", kind="development")
    assert plan_as_of(plan, D(2024, 7, 9))["listed_count"] == 4
    state = plan_as_of(plan, D(2024, 7, 10))
    assert state["listed_count"] == 12 and state["declared_clusters"] == 159


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_pages_render_with_charts_data(sample, client, django_user_model, lang):
    from ccn.accounts.choices import Role
    from ccn.accounts.tests.factories import make_user
    from ccn.geo.models import Province

    editor = make_user(role=Role.PROVINCE_EDITOR, province=Province.objects.get(code="01"))
    client.force_login(editor)
    client.cookies["django_language"] = lang
    plan = Plan.objects.get(number="20/KH-UBND")
    r = client.get(f"/plans/{plan.pk}/?as_of=2025-06-30")
    assert r.status_code == 200 and "20/KH-UBND" in r.content.decode()
    target = plan.targets.get(indicator="infrastructure_completed")
    r = client.get(f"/plans/targets/{target.pk}/?as_of=2025-06-30")
    html = r.content.decode()
    assert r.status_code == 200 and 'id="target-chart-data"' in html and "31/12/2025" in html
    assert "plans/vendor/chart.umd.min.js" in html
    r = client.get("/plans/dashboard/?as_of=2024-07-31")
    html = r.content.decode()
    assert r.status_code == 200
    assert 'href="/clusters/?province=01&amp;status=under_construction"' in html
    assert "/plans/dashboard/figures/clusters_operating/?province=01" in html
    assert 'id="dashboard-map-data"' in html and "HNI-XACAU" in html
    r = client.get("/plans/dashboard/figures/construction_started/?province=01&as_of=2024-07-31")
    assert r.status_code == 200 and "Xà Cầu" in r.content.decode()
    assert client.get("/plans/dashboard/?province=56").status_code == 403


def test_target_form_refuses_bad_input_and_keeps_nothing(sample, client):
    from ccn.accounts.choices import Role
    from ccn.accounts.tests.factories import make_user
    from ccn.geo.models import Province

    editor = make_user(role=Role.PROVINCE_EDITOR, province=Province.objects.get(code="56"))
    client.force_login(editor)
    client.cookies["django_language"] = "en"
    plan = Plan.objects.get(province__code="56", kind="thematic")
    before = Target.objects.count()
    r = client.post(
        f"/plans/{plan.pk}/targets/new/",
        {
            "title": "x",
            "indicator": "clusters_operating",
            "scope_kind": "province",
            "value_min": "5",
            "deadline": "2023-01-01",
        },
    )
    assert r.status_code == 200 and "before the plan" in r.content.decode()
    r = client.post(
        f"/plans/{plan.pk}/targets/new/",
        {
            "title": "x",
            "indicator": "clusters_operating",
            "scope_kind": "province",
            "value_min": "20",
            "value_max": "15",
            "deadline": "2025-01-01",
        },
    )
    assert r.status_code == 200 and "above its upper bound" in r.content.decode()
    assert Target.objects.count() == before
    r = client.post(
        f"/plans/{plan.pk}/targets/new/",
        {
            "title": "Mở 2 cụm",
            "indicator": "clusters_operating",
            "scope_kind": "province",
            "value_min": "2",
            "deadline": "2025-01-01",
        },
    )
    assert r.status_code == 302 and Target.objects.count() == before + 1


def test_amendment_page(sample, client):
    from ccn.accounts.choices import Role
    from ccn.accounts.tests.factories import make_user
    from ccn.geo.models import Province

    client.force_login(make_user(role=Role.PROVINCE_EDITOR, province=Province.objects.get(code="56")))
    plan = Plan.objects.get(province__code="56", kind="development")
    r = client.post(
        f"/plans/{plan.pk}/amend/",
        {"number": "5/QĐ", "issued_on": "2025-02-01", "issuer": "UBND tỉnh", "add_names": "Cụm Mới; 12,5"},
    )
    assert r.status_code == 302
    assert PlanItem.objects.get(name="Cụm Mới").area_ha == Decimal("12.5")

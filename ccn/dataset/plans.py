"""Synthetic plans and targets of every province: a development plan (original and one amendment) listing the
province's synthetic clusters, annual plans for the last six years and their targets on the indicator catalogue.
Bulk inserts only; every plan and target is flagged sample and its number starts with SYN-."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from tqdm import tqdm

from ccn.clusters.choices import ClusterStatus
from ccn.clusters.models import Cluster
from ccn.geo.models import Province
from ccn.plans.choices import PlanKind, ScopeKind
from ccn.plans.indicators import INDICATORS
from ccn.plans.models import Plan, PlanItem, PlanVersion, Target

from . import SYNTHETIC_NOTE, SYNTHETIC_PREFIX, Context

DEVELOPMENT_ISSUED = datetime.date(2021, 6, 30)
AMENDMENT_ISSUED = datetime.date(2024, 7, 15)
FIRST_ANNUAL_YEAR = 2021
LAST_ANNUAL_YEAR = 2026
# Indicators of the annual plans' targets; counts of events get the calendar year as their period.
ANNUAL_INDICATORS = (
    ("construction_started", "Khởi công xây dựng hạ tầng %(n)s cụm công nghiệp năm %(y)s", (1, 6)),
    ("infrastructure_completed", "Hoàn thành hạ tầng %(n)s cụm công nghiệp năm %(y)s", (1, 5)),
    ("clusters_established_or_expanded", "Thành lập, mở rộng %(n)s cụm công nghiệp năm %(y)s", (1, 6)),
    ("occupancy_pct", "Tỷ lệ lấp đầy bình quân đạt %(n)s%% năm %(y)s", (40, 80)),
)


def generate(ctx: Context) -> None:
    rng = ctx.rng
    prefix = SYNTHETIC_PREFIX + ctx.batch
    clusters = ctx.made.get("clusters") or list(Cluster.objects.filter(code__startswith=prefix))
    by_province: dict[int, list[Cluster]] = {}
    for c in clusters:
        by_province.setdefault(c.province_id, []).append(c)
    provinces = [p for p in Province.objects.order_by("code") if p.pk in by_province]
    plans, versions, items, targets = 0, 0, 0, 0
    with transaction.atomic():
        dev_plans = Plan.objects.bulk_create(
            [
                Plan(
                    province_id=p.pk,
                    kind=PlanKind.DEVELOPMENT,
                    number=f"{prefix}PA-{p.code}",
                    title=f"Phương án phát triển cụm công nghiệp tỉnh/thành phố {p.name} (tổng hợp)",
                    issued_on=DEVELOPMENT_ISSUED,
                    issuer=f"UBND {p.name}",
                    horizon_year=2030,
                    source=SYNTHETIC_NOTE,
                    is_sample=True,
                )
                for p in provinces
            ]
        )
        annual = Plan.objects.bulk_create(
            [
                Plan(
                    province_id=p.pk,
                    kind=PlanKind.ANNUAL,
                    number=f"{prefix}KH-{p.code}-{year}",
                    title=f"Kế hoạch phát triển cụm công nghiệp năm {year} (tổng hợp)",
                    issued_on=datetime.date(year, 1, 15),
                    issuer=f"UBND {p.name}",
                    year=year,
                    source=SYNTHETIC_NOTE,
                    is_sample=True,
                )
                for p in provinces
                for year in range(FIRST_ANNUAL_YEAR, LAST_ANNUAL_YEAR + 1)
            ]
        )
        plans = len(dev_plans) + len(annual)
        # Ids are needed below: PostgreSQL returns them from bulk_create, SQLite too since 3.35; read back to be sure.
        dev_by_province = {p.province_id: p for p in Plan.objects.filter(number__startswith=f"{prefix}PA-").order_by()}
        new_versions = []
        for plan in dev_by_province.values():
            new_versions.append(
                PlanVersion(
                    plan_id=plan.pk,
                    seq=1,
                    number=plan.number,
                    issued_on=DEVELOPMENT_ISSUED,
                    issuer=plan.issuer,
                    summary="Phương án ban đầu (tổng hợp)",
                )
            )
            new_versions.append(
                PlanVersion(
                    plan_id=plan.pk,
                    seq=2,
                    number=f"{plan.number}-DC1",
                    issued_on=AMENDMENT_ISSUED,
                    issuer=plan.issuer,
                    summary="Điều chỉnh, bổ sung cụm công nghiệp (tổng hợp)",
                )
            )
        PlanVersion.objects.bulk_create(new_versions)
        versions = len(new_versions)
        version_of = {
            (v.plan_id, v.seq): v.pk
            for v in PlanVersion.objects.filter(plan__in=[p.pk for p in dev_by_province.values()]).order_by()
        }
        new_items, dev_targets = [], []
        for province_id, plan in tqdm(dev_by_province.items(), desc="plans"):
            area = Decimal("0")
            for c in by_province[province_id]:
                added = version_of[(plan.pk, 2 if rng.random() < 0.1 else 1)]
                removed = version_of[(plan.pk, 2)] if c.status == ClusterStatus.REMOVED_FROM_PLAN else None
                new_items.append(
                    PlanItem(
                        plan_id=plan.pk,
                        cluster_id=c.pk,
                        name=c.name,
                        area_ha=c.area_planned_ha,
                        added_in_id=added,
                        removed_in_id=removed if removed != added else None,
                    )
                )
                area += c.area_planned_ha or 0
            count = len(by_province[province_id])
            for indicator, value in (
                ("clusters_in_plan", Decimal(count + rng.randint(0, 10))),
                ("cluster_area_ha", (area * Decimal("1.1")).quantize(Decimal("1"))),
                ("occupancy_pct", Decimal(rng.randint(60, 85))),
            ):
                dev_targets.append(
                    Target(
                        plan_id=plan.pk,
                        title=f"Đến năm 2030: {INDICATORS[indicator].label} {value} (tổng hợp)",
                        indicator=indicator,
                        scope_kind=ScopeKind.PROVINCE,
                        value_min=value,
                        deadline=datetime.date(2030, 12, 31),
                        note=SYNTHETIC_NOTE,
                        is_sample=True,
                    )
                )
        PlanItem.objects.bulk_create(new_items, batch_size=2000)
        items = len(new_items)
        annual_targets = []
        for plan in Plan.objects.filter(number__startswith=f"{prefix}KH-").order_by("number"):
            for indicator, wording, (low, high) in ANNUAL_INDICATORS:
                n = rng.randint(low, high)
                ranged = indicator != "occupancy_pct" and rng.random() < 0.3
                annual_targets.append(
                    Target(
                        plan_id=plan.pk,
                        title=wording % {"n": f"{n}–{n + 2}" if ranged else n, "y": plan.year},
                        indicator=indicator,
                        scope_kind=ScopeKind.PROVINCE,
                        value_min=Decimal(n),
                        value_max=Decimal(n + 2) if ranged else None,
                        counts_from=datetime.date(plan.year, 1, 1) if INDICATORS[indicator].is_flow else None,
                        deadline=datetime.date(plan.year, 12, 31),
                        note=SYNTHETIC_NOTE,
                        is_sample=True,
                    )
                )
        Target.objects.bulk_create(dev_targets + annual_targets, batch_size=2000)
        targets = len(dev_targets) + len(annual_targets)
    ctx.made.update(plans=plans, plan_versions=versions, plan_items=items, targets=targets)

"""Synthetic clusters over the real administrative units, with investors, lifecycle history, land, tenant projects,
infrastructure and wastewater plants. Bulk inserts only; figures are consistent (leased ≤ ready ≤ industrial)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from tqdm import tqdm

from ccn.clusters.choices import LIFECYCLE_ORDER, ClusterKind, ClusterStatus
from ccn.clusters.models import Cluster, ClusterEvent, Organisation
from ccn.core import bulk
from ccn.core.text import fold
from ccn.geo.models import Commune, Province
from ccn.infrastructure.choices import ComponentKind, ComponentStatus, PlantStatus
from ccn.infrastructure.models import InfrastructureComponent, WastewaterPlant, WastewaterResult
from ccn.tenants.choices import ProjectStatus
from ccn.tenants.models import TenantProject

from . import SYNTHETIC_NOTE, SYNTHETIC_PREFIX, Context, pick

# Share of clusters in each state: most national clusters operate; the rest spread along the lifecycle.
STATE_WEIGHTS = [
    (ClusterStatus.PLANNED, 22),
    (ClusterStatus.ESTABLISHED, 8),
    (ClusterStatus.DETAILED_PLAN_APPROVED, 5),
    (ClusterStatus.INFRASTRUCTURE_APPROVED, 4),
    (ClusterStatus.LAND_CLEARANCE, 5),
    (ClusterStatus.UNDER_CONSTRUCTION, 8),
    (ClusterStatus.OPERATING, 40),
    (ClusterStatus.EXPANDING, 2),
    (ClusterStatus.OPERATING_UNESTABLISHED, 3),
    (ClusterStatus.REVOKED, 2),
    (ClusterStatus.REMOVED_FROM_PLAN, 1),
]
KIND_WEIGHTS = [(ClusterKind.ORDINARY, 80), (ClusterKind.CRAFT_VILLAGE, 12), (ClusterKind.SPECIALISED, 8)]
SECTORS = ["10", "13", "14", "16", "22", "23", "25", "26", "27", "28", "31", "32"]
FIRST_DAY = datetime.date(2016, 1, 1)
LAST_DAY = datetime.date(2026, 10, 31)
TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def _tax_code(rng) -> str:
    while True:
        digits = [rng.randint(0, 9) for _ in range(9)]
        check = 10 - sum(w * d for w, d in zip(TAX_WEIGHTS, digits, strict=True)) % 11
        if check < 10:
            return "".join(map(str, digits)) + str(check)


def _path(status: str) -> list[str]:
    """The main-line states a cluster passed through to reach `status`."""
    if status in LIFECYCLE_ORDER:
        return LIFECYCLE_ORDER[: LIFECYCLE_ORDER.index(status) + 1]
    if status == ClusterStatus.EXPANDING:
        return [*LIFECYCLE_ORDER, status]
    if status == ClusterStatus.OPERATING_UNESTABLISHED:
        return [ClusterStatus.PLANNED, status]
    if status == ClusterStatus.REVOKED:
        return [ClusterStatus.PLANNED, ClusterStatus.ESTABLISHED, status]
    return [ClusterStatus.PLANNED, status]


def generate(ctx: Context) -> None:
    rng = ctx.rng
    provinces = list(Province.objects.order_by("code"))
    communes_by_province: dict[int, list[Commune]] = {}
    for c in Commune.objects.order_by("code").only("pk", "province_id", "short_name", "lat", "lon"):
        communes_by_province.setdefault(c.province_id, []).append(c)
    with transaction.atomic():
        investors = [
            Organisation(
                name=f"Công ty CP Hạ tầng {SYNTHETIC_PREFIX}{i:04d}",
                tax_code=_tax_code(rng),
                country="VN",
                is_sample=True,
                search_key=fold(f"cong ty cp ha tang syn-{i:04d}"),
            )
            for i in range(max(1, ctx.sizes.clusters // 3))
        ]
        Organisation.objects.bulk_create(investors, batch_size=2000, ignore_conflicts=True)
        investors = list(Organisation.objects.filter(name__startswith="Công ty CP Hạ tầng SYN-").order_by("pk"))
        clusters, events_spec = [], {}
        for i in tqdm(range(ctx.sizes.clusters), desc="clusters"):
            province = provinces[i % len(provinces)] if i < len(provinces) else rng.choice(provinces)
            commune = rng.choice(communes_by_province[province.pk])
            status = pick(rng, STATE_WEIGHTS)
            kind = pick(rng, KIND_WEIGHTS)
            area = Decimal(rng.randint(500 if kind == ClusterKind.CRAFT_VILLAGE else 1000, 7500)) / 100
            industrial = (area * Decimal(rng.uniform(0.6, 0.75))).quantize(Decimal("0.01"))
            path = _path(status)
            established = ClusterStatus.ESTABLISHED in path
            built = status in (
                ClusterStatus.OPERATING,
                ClusterStatus.EXPANDING,
                ClusterStatus.OPERATING_UNESTABLISHED,
                ClusterStatus.UNDER_CONSTRUCTION,
            )
            ready = (industrial * Decimal(rng.uniform(0.5, 1.0))).quantize(Decimal("0.01")) if built else None
            lat = (commune.lat or 16) + rng.uniform(-0.02, 0.02)
            lon = (commune.lon or 106) + rng.uniform(-0.02, 0.02)
            approved = Decimal(rng.randint(100, 900)) if ClusterStatus.INFRASTRUCTURE_APPROVED in path else None
            cluster = Cluster(
                code=f"{SYNTHETIC_PREFIX}{ctx.batch}{province.code}-{i:05d}",
                name=f"Cụm công nghiệp {commune.short_name} {ctx.batch}{i} (tổng hợp)",
                kind=kind,
                province_id=province.pk,
                area_planned_ha=area,
                area_established_ha=area if established else None,
                industrial_land_ha=industrial if ClusterStatus.DETAILED_PLAN_APPROVED in path or built else None,
                ready_land_ha=ready,
                land_confirmed_on=LAST_DAY - datetime.timedelta(days=rng.randint(0, 400)),
                infra_capital_approved_bn=approved,
                infra_capital_disbursed_bn=(approved * Decimal(rng.uniform(0.2, 1))).quantize(Decimal("0.001"))
                if approved
                else None,
                investor=rng.choice(investors) if established and rng.random() < 0.85 else None,
                funding_source="enterprise" if rng.random() < 0.8 else "state_budget",
                lat=lat,
                lon=lon,
                min_lat=lat,
                max_lat=lat,
                min_lon=lon,
                max_lon=lon,
                coordinate_source="WGS84 (synthetic)",
                status=status,
                is_published=rng.random() < 0.9,
                is_sample=True,
                internal_notes=SYNTHETIC_NOTE,
                search_key=fold(f"cum cong nghiep {commune.short_name} {i} tong hop {SYNTHETIC_PREFIX}{province.code}"),
            )
            # Dates of the steps, spread between 2016 and late 2026 in order.
            span = (LAST_DAY - FIRST_DAY).days
            days = sorted(rng.sample(range(span), len(path)))
            dates = [FIRST_DAY + datetime.timedelta(days=d) for d in days]
            cluster.status_since = dates[-1]
            clusters.append(cluster)
            events_spec[cluster.code] = (commune.pk, list(zip(path, dates, strict=True)))
        Cluster.objects.bulk_create(clusters, batch_size=1000)
        clusters = list(Cluster.objects.filter(code__startswith=SYNTHETIC_PREFIX + ctx.batch).order_by("code"))
        through = Cluster.communes.through
        through.objects.bulk_create(
            [through(cluster_id=c.pk, commune_id=events_spec[c.code][0]) for c in clusters],
            batch_size=5000,
        )
        events = []
        for c in clusters:
            previous = ""
            steps = events_spec[c.code][1]
            for state, day in steps:
                events.append(
                    {
                        "cluster_id": c.pk,
                        "action": "register" if not previous else "synthetic",
                        "from_status": previous,
                        "to_status": state,
                        "effective_on": day,
                    }
                )
                previous = state
        bulk.load(ClusterEvent, events)
        ctx.made["clusters"] = clusters
        _tenants(ctx, clusters)
        _infrastructure(ctx, clusters)


def _tenants(ctx: Context, clusters) -> None:
    rng = ctx.rng
    hosting = [
        c
        for c in clusters
        if c.status in (ClusterStatus.OPERATING, ClusterStatus.EXPANDING, ClusterStatus.OPERATING_UNESTABLISHED)
    ]
    per_cluster = max(1, ctx.sizes.tenant_projects // max(1, len(hosting)))
    enterprises = [
        Organisation(
            name=f"Công ty TNHH Sản xuất {SYNTHETIC_PREFIX}{i:05d}",
            tax_code=_tax_code(rng),
            country="VN" if rng.random() < 0.8 else rng.choice(["KR", "JP", "CN", "TW", "SG"]),
            is_sample=True,
            search_key=fold(f"cong ty tnhh san xuat syn-{i:05d}"),
        )
        for i in range(max(1, ctx.sizes.tenant_projects // 2))
    ]
    Organisation.objects.bulk_create(enterprises, batch_size=5000, ignore_conflicts=True)
    enterprise_ids = list(
        Organisation.objects.filter(name__startswith="Công ty TNHH Sản xuất SYN-")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    projects = []
    made = 0
    for c in tqdm(hosting, desc="tenant projects"):
        ready = c.ready_land_ha or c.industrial_land_ha or Decimal("10")
        target = ready * Decimal(rng.uniform(0.3, 0.98))
        count = max(1, min(per_cluster + rng.randint(-5, 5), ctx.sizes.tenant_projects - made))
        share = (target / count).quantize(Decimal("0.0001"))
        for j in range(count):
            started = c.status_since - datetime.timedelta(days=rng.randint(0, 1500))
            status = pick(
                rng,
                [
                    (ProjectStatus.OPERATING, 75),
                    (ProjectStatus.UNDER_CONSTRUCTION, 10),
                    (ProjectStatus.REGISTERED, 8),
                    (ProjectStatus.SUSPENDED, 4),
                    (ProjectStatus.STOPPED, 3),
                ],
            )
            projects.append(
                {
                    "cluster_id": c.pk,
                    "enterprise_id": rng.choice(enterprise_ids),
                    "name": f"Nhà máy {c.code}-{j:03d}",
                    "sector_id": rng.choice(SECTORS),
                    "capital": Decimal(rng.randint(5, 500)),
                    "currency": "VND",
                    "exchange_rate": Decimal("1"),
                    "land_leased_ha": share,
                    "lease_start": started,
                    "lease_end": started + datetime.timedelta(days=365 * 50),
                    "status": status,
                    "workers": rng.randint(10, 800),
                    "operation_started_on": started if status == "operating" else None,
                    "wastewater_m3_day": Decimal(rng.randint(5, 200)),
                    "is_sample": True,
                }
            )
            made += 1
        if made >= ctx.sizes.tenant_projects:
            break
    bulk.load(TenantProject, projects)
    ctx.made["tenant_projects"] = made


def _infrastructure(ctx: Context, clusters) -> None:
    rng = ctx.rng
    components, plants = [], []
    results: dict[int, tuple[bool, datetime.date]] = {}  # cluster → its operating plant's result
    for c in clusters:
        if c.status in (
            ClusterStatus.PLANNED,
            ClusterStatus.REMOVED_FROM_PLAN,
            ClusterStatus.REVOKED,
            ClusterStatus.ESTABLISHED,
        ):
            continue
        done = c.status in (ClusterStatus.OPERATING, ClusterStatus.EXPANDING)
        for kind in ComponentKind.values:
            pct = 100 if done and rng.random() < 0.8 else rng.randint(0, 95)
            components.append(
                InfrastructureComponent(
                    cluster_id=c.pk,
                    kind=kind,
                    percent_complete=pct,
                    status=ComponentStatus.COMPLETED
                    if pct == 100
                    else ComponentStatus.IN_PROGRESS
                    if pct
                    else ComponentStatus.NOT_STARTED,
                )
            )
        status = pick(
            rng,
            [
                (PlantStatus.OPERATING, 45 if done else 5),
                (PlantStatus.UNDER_CONSTRUCTION, 20),
                (PlantStatus.PLANNED, 15),
                (PlantStatus.NONE, 20),
            ],
        )
        operating = status == PlantStatus.OPERATING
        plants.append(
            WastewaterPlant(
                cluster_id=c.pk,
                status=status,
                design_capacity_m3_day=Decimal(rng.randint(200, 3000)),
                auto_monitoring=operating and rng.random() < 0.7,
            )
        )
        if operating:  # its one dated compliance result (ccn/infrastructure: the figures read these)
            compliant = rng.random() < 0.75
            results[c.pk] = (compliant, LAST_DAY - datetime.timedelta(days=rng.randint(0, 500)))
    InfrastructureComponent.objects.bulk_create(components, batch_size=5000)
    WastewaterPlant.objects.bulk_create(plants, batch_size=5000)
    saved = WastewaterPlant.objects.filter(cluster_id__in=list(results), results__isnull=True)
    WastewaterResult.objects.bulk_create(
        (
            WastewaterResult(
                plant_id=pk,
                sampled_on=results[cluster_id][1],
                compliant=results[cluster_id][0],
                standard="QCVN 40:2025/BTNMT",
            )
            for pk, cluster_id in saved.values_list("pk", "cluster_id").iterator()
        ),
        batch_size=5000,
    )

"""Synthetic obstacles (vướng mắc) of the clusters: a Department of Industry and Trade agency per province and
about 5,000 obstacles over 2020–2026 in every state, a few on tenant projects, each with its "raised" event.
Bulk inserts; every obstacle is flagged sample and its agency's name says synthetic."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from ccn.clusters.choices import ClusterStatus
from ccn.clusters.models import Cluster
from ccn.obstacles.choices import AgencyKind, Category, EventKind, ObstacleStatus
from ccn.obstacles.models import Agency, Obstacle, ObstacleEvent
from ccn.tenants.models import TenantProject

from . import SYNTHETIC_PREFIX, Context, pick

STATES = [
    (ObstacleStatus.OPEN, 25),
    (ObstacleStatus.IN_PROGRESS, 25),
    (ObstacleStatus.ESCALATED, 8),
    (ObstacleStatus.RESOLVED, 27),
    (ObstacleStatus.CLOSED, 15),
]
TODAY = datetime.date(2026, 11, 1)
WORDING = {
    Category.SITE_CLEARANCE: "Chậm giải phóng mặt bằng, còn hộ dân chưa nhận bồi thường",
    Category.LAND_PRICE: "Chưa phê duyệt giá đất cụ thể để tính tiền thuê đất",
    Category.PLANNING: "Điều chỉnh quy hoạch chi tiết chưa được phê duyệt",
    Category.INVESTMENT_PROCEDURE: "Thủ tục chấp thuận chủ trương đầu tư kéo dài",
    Category.CAPITAL: "Chủ đầu tư hạ tầng thiếu vốn, giải ngân chậm",
    Category.POWER_SUPPLY: "Chưa có đường dây trung thế cấp điện đến cụm",
    Category.WASTEWATER_ENVIRONMENT: "Trạm xử lý nước thải tập trung chưa vận hành",
    Category.INVESTOR_CAPACITY: "Năng lực chủ đầu tư hạ tầng hạn chế",
    Category.OTHER: "Vướng mắc khác",
}


def generate(ctx: Context) -> None:
    rng = ctx.rng
    prefix = SYNTHETIC_PREFIX + ctx.batch
    clusters = list(
        Cluster.objects.filter(code__startswith=prefix)
        .exclude(status__in=(ClusterStatus.REMOVED_FROM_PLAN, ClusterStatus.REVOKED))
        .order_by("pk")
        .values_list("pk", "province_id")
    )
    if not clusters:
        return
    projects_by_cluster: dict[int, list[int]] = {}
    for pk, cluster_id in TenantProject.objects.filter(cluster__code__startswith=prefix).values_list(
        "pk", "cluster_id"
    ):
        projects_by_cluster.setdefault(cluster_id, []).append(pk)
    with transaction.atomic():
        provinces = sorted({p for _c, p in clusters})
        Agency.objects.bulk_create(
            [
                Agency(
                    province_id=p,
                    name=f"Sở Công Thương {prefix}{p} (tổng hợp)",
                    short_name="SCT (tổng hợp)",
                    kind=AgencyKind.DEPARTMENT,
                )
                for p in provinces
            ],
            ignore_conflicts=True,
        )
        agency_of = dict(
            Agency.objects.filter(name__startswith=f"Sở Công Thương {prefix}").values_list("province_id", "pk")
        )
        obstacles = []
        for _i in tqdm(range(ctx.sizes.obstacles), desc="obstacles"):
            cluster_id, province_id = rng.choice(clusters)
            raised = datetime.date(2020, 1, 1) + datetime.timedelta(
                days=rng.randint(0, (TODAY.replace(day=1) - datetime.date(2020, 1, 1)).days)
            )
            status = pick(rng, STATES)
            category = rng.choice(list(Category))
            project = None
            if projects_by_cluster.get(cluster_id) and rng.random() < 0.15:
                project = rng.choice(projects_by_cluster[cluster_id])
            resolved = None
            if status in (ObstacleStatus.RESOLVED, ObstacleStatus.CLOSED):
                resolved = min(TODAY, raised + datetime.timedelta(days=rng.randint(10, 400)))
            obstacles.append(
                Obstacle(
                    cluster_id=cluster_id,
                    tenant_project_id=project,
                    category=category,
                    description=f"{WORDING[category]} (tổng hợp).",
                    raised_on=raised,
                    agency_id=agency_of[province_id],
                    deadline=raised + datetime.timedelta(days=rng.choice((30, 60, 90, 180))),
                    status=status,
                    status_since=timezone.make_aware(datetime.datetime.combine(resolved or raised, datetime.time(9))),
                    resolved_on=resolved,
                    resolution_note="Đã xử lý (tổng hợp)." if resolved else "",
                    source="Dữ liệu tổng hợp",
                    is_sample=True,
                )
            )
        Obstacle.objects.bulk_create(obstacles, batch_size=2000)
        ObstacleEvent.objects.bulk_create(
            (
                ObstacleEvent(
                    obstacle_id=o.pk,
                    kind=EventKind.RAISED,
                    at=timezone.make_aware(datetime.datetime.combine(o.raised_on, datetime.time(8))),
                    to_status=ObstacleStatus.OPEN,
                    summary="Ghi nhận vướng mắc (tổng hợp)",
                )
                for o in obstacles
            ),
            batch_size=5000,
        )
    ctx.made["obstacles"] = len(obstacles)

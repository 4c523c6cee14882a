"""Reads of the registry that apply scope or aggregation. Pages and API call these, never raw querysets."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Case, Count, DecimalField, ExpressionWrapper, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from ccn.accounts import policy
from ccn.core.errors import NotFoundError

from .choices import ClusterKind, RuleKey
from .figures import occupancy_pct, occupancy_sql
from .filters import ClusterFilterSet, OrganisationFilterSet
from .models import Cluster, ClusterEvent, LegalRule, Organisation


def cluster_scope_q(user) -> Q:
    """The clusters `user` sees: the policy's rule for clusters (ccn/clusters/policy.py)."""
    return policy.scope_q(user, Cluster)


def leased_land_subquery(day: datetime.date | None = None, ref: str = "pk"):
    """Industrial land leased in the cluster `ref` at the end of `day` (today by default): the sum of the leases
    in force then (TenantProject.objects.leasing_on). 0 when nothing is leased."""
    from ccn.tenants.models import TenantProject

    day = day or timezone.localdate()
    dec = DecimalField(max_digits=12, decimal_places=4)
    return Coalesce(
        Subquery(
            TenantProject.objects.leasing_on(day)
            .filter(cluster=OuterRef(ref))
            .order_by()
            .values("cluster")
            .annotate(total=Sum("land_leased_ha"))
            .values("total"),
            output_field=dec,
        ),
        Value(Decimal("0")),
        output_field=dec,
    )


def cluster_list(*, user, filters=None, order: str = "name"):
    """Clusters visible to `user`, filtered by the list's FilterSet (`filters`: the query's data, e.g. request.GET;
    ccn/clusters/filters.py), with the figures a list shows; one query, no N+1."""
    qs = with_land_figures(Cluster.objects.filter(cluster_scope_q(user)).select_related("province", "investor"))
    if filters:
        qs = ClusterFilterSet(filters, queryset=qs, user=user).qs
    allowed = {
        "name",
        "-name",
        "code",
        "-code",
        "area",
        "-area",
        "status",
        "-status",
        "province",
        "-province",
        "updated",
        "-updated",
        "occupancy",
        "-occupancy",
        "vacant",
        "-vacant",
    }
    order = order if order in allowed else "name"
    mapping = {
        "area": "area_established_ha",
        "province": "province__code",
        "updated": "updated_at",
        "occupancy": "occupancy_raw",
        "vacant": "vacant_land_ha",
    }
    desc = order.startswith("-")
    field = mapping.get(order.lstrip("-"), order.lstrip("-"))
    key = F(field).desc(nulls_last=True) if desc else F(field).asc(nulls_last=True)
    qs = qs.order_by(key, "name", "pk")
    return qs


def with_land_figures(qs):
    """Annotate leased land (sum of the leases in force today), `occupancy_raw` (leased ÷ industrial land, %,
    unrounded: for filters and ordering only; the figure shown is `Cluster.occupancy_pct`, the one definition) and
    vacant land (ready to lease minus leased)."""
    dec = DecimalField(max_digits=14, decimal_places=4)
    qs = qs.annotate(leased_land_ha=leased_land_subquery())
    return qs.annotate(
        occupancy_raw=occupancy_sql("leased_land_ha", "industrial_land_ha"),
        vacant_land_ha=Case(
            When(
                ready_land_ha__isnull=False,
                then=ExpressionWrapper(F("ready_land_ha") - F("leased_land_ha"), output_field=dec),
            ),
            default=None,
            output_field=dec,
        ),
    )


def cluster_get(*, user, code: str) -> Cluster:
    cluster = (
        with_land_figures(Cluster.objects.filter(cluster_scope_q(user)))
        .select_related("province", "investor", "legacy_district__province", "legacy_ward", "created_by", "updated_by")
        .filter(code=code)
        .first()
    )
    if cluster is None:
        raise NotFoundError(_not_found_message())
    return cluster


def _not_found_message():
    from django.utils.translation import gettext as _

    return _("No such cluster, or you may not see it.")


def cluster_events(cluster: Cluster):
    return (
        ClusterEvent.objects.filter(cluster=cluster)
        .select_related("document", "actor")
        .order_by("-effective_on", "-id")
    )


def cluster_status_on(cluster_id: int, day: datetime.date) -> str | None:
    """The cluster's lifecycle state at the end of `day`, from its dated events (None: not yet registered)."""
    event = (
        ClusterEvent.objects.filter(cluster_id=cluster_id, effective_on__lte=day)
        .order_by("-effective_on", "-id")
        .values_list("to_status", flat=True)
        .first()
    )
    return event


def first_lifecycle_date(cluster_id: int) -> datetime.date | None:
    """The date of the cluster's first recorded lifecycle act (None: none recorded)."""
    return (
        ClusterEvent.objects.filter(cluster_id=cluster_id)
        .order_by("effective_on", "id")
        .values_list("effective_on", flat=True)
        .first()
    )


def rule_for(
    key: str, *, on: datetime.date | None = None, kind: str = "", mountainous: bool = False
) -> LegalRule | None:
    """The legal rule `key` in force on `on` for a cluster type, in a mountainous area or not: the most specific
    (`legacy.rule_in_force`, the one lookup of the rules)."""
    from .legacy import rule_in_force

    return rule_in_force(
        LegalRule.objects.filter(key=key), key, kind=kind, mountainous=mountainous, day=on or timezone.localdate()
    )


def rule_value(
    key: str, *, on: datetime.date | None = None, kind: str = "", mountainous: bool = False
) -> Decimal | None:
    """The value of the legal rule in force on `on` for a cluster type (a rule for the type beats the general one)."""
    rule = rule_for(key, on=on, kind=kind, mountainous=mountainous)
    return rule.value if rule else None


def area_limits(
    *, kind: str, on: datetime.date | None = None, mountainous: bool = False
) -> tuple[Decimal | None, Decimal | None]:
    if kind == ClusterKind.INDUSTRIAL_PARK:
        return None, None  # industrial parks follow another decree
    return (
        rule_value(RuleKey.AREA_MIN_HA, on=on, kind=kind, mountainous=mountainous),
        rule_value(RuleKey.AREA_MAX_HA, on=on, kind=kind, mountainous=mountainous),
    )


def area_day(cluster: Cluster) -> tuple[datetime.date, bool]:
    """The day whose area limits a cluster's area is held to, and whether it is the day it was established or
    formed: the date of its establishment decision, or the day it was formed when that was before Decision
    105/2009 took effect (Decree 32/2024, Art. 35(1), (4)(b)); today when neither is recorded."""
    from .figures import establishment_date
    from .legacy import DECISION_105_2009_FROM

    established_on = (
        Cluster.objects.filter(pk=cluster.pk).annotate(d=establishment_date()).values_list("d", flat=True).first()
    )
    formed = first_lifecycle_date(cluster.pk)
    if formed is not None and formed >= DECISION_105_2009_FROM:
        formed = None
    days = [d for d in (established_on, formed) if d is not None]
    return (min(days), True) if days else (timezone.localdate(), False)


def area_basis(cluster: Cluster) -> dict:
    """The legal basis of the cluster's area for its page (`legacy.area_basis` on `area_day`)."""
    from .legacy import area_basis as basis_of
    from .legacy import area_rules

    day, dated = area_day(cluster)
    text, lawful = basis_of(
        area_rules([cluster.kind]),
        kind=cluster.kind,
        kind_label=cluster.get_kind_display(),
        mountainous=cluster.mountainous_area,
        area=cluster.area_ha,
        day=day,
        today=timezone.localdate(),
    )
    return {"text": text, "lawful": lawful, "day": day, "dated": dated}


def cluster_occupancy(cluster: Cluster) -> Decimal | None:
    """Occupancy (tỷ lệ lấp đầy) of one cluster today: `figures.occupancy_pct` of its leases in force and its
    industrial land; None when industrial land is unknown."""
    leased = getattr(cluster, "leased_land_ha", None)
    if leased is None:
        leased = Cluster.objects.filter(pk=cluster.pk).annotate(x=leased_land_subquery()).values_list("x", flat=True)[0]
    return occupancy_pct(leased, cluster.industrial_land_ha)


def organisation_list(*, user, q: str = ""):
    """Organisations in the user's scope: those investing or operating in (or entered by) the user's province,
    the user's own organisation for investors and tenants, every one for the ministry."""
    qs = policy.visible(user, Organisation).order_by("name")
    return OrganisationFilterSet({"q": q}, queryset=qs).qs if q else qs


def counts_by_status(*, user):
    return dict(Cluster.objects.filter(cluster_scope_q(user)).order_by().values_list("status").annotate(n=Count("pk")))

"""Reads of the registry that apply scope or aggregation. Pages and API call these, never raw querysets."""

from __future__ import annotations

import datetime

from django.db.models import Case, Count, DecimalField, ExpressionWrapper, F, Q, When
from django.utils import timezone

from ccn.accounts import policy
from ccn.attachments.selectors import latest_scan_id
from ccn.core.compiled import compiled_list
from ccn.core.errors import NotFoundError
from ccn.geo.models import Commune

from .filters import ClusterFilterSet, OrganisationFilterSet
from .leases import leased_land_subquery
from .models import Cluster, ClusterEvent, LegalDocument, Organisation, Sector
from .occupancy import occupancy_sql


def cluster_scope_q(user) -> Q:
    """The clusters `user` sees: the policy's rule for clusters (ccn/clusters/policy.py)."""
    return policy.scope_q(user, Cluster)


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
    """One cluster with its leased land (`leased_land_ha`, from which `occupancy_pct` and the land account follow)
    and what its page and the API show beside it. Only the leased land is annotated (the list's occupancy and vacant
    land would repeat its subquery twice for filters and sorting), no user is joined (nothing shown reads them) and
    it is looked up by its code alone (no list ordering). Its SQL is compiled once per scope and day and run with
    each code (ccn/core/compiled.py): compiling it took longer than running it."""
    today = timezone.localdate()

    def build(value):
        return (
            Cluster.objects.filter(cluster_scope_q(user), code=value)
            .annotate(leased_land_ha=leased_land_subquery(today))
            # the former district and ward (a few clusters entered before July 2025) are read when shown: their
            # three joins took PostgreSQL longer to plan (~0.7 ms) than the rest of the query to run
            .select_related("province", "investor")
            .order_by()[:1]
        )

    found = compiled_list(("cluster-get", policy.scope_key(user, Cluster), today), code, build)
    if not found:
        raise NotFoundError(_not_found_message())
    return found[0]


def _not_found_message():
    from django.utils.translation import gettext as _

    return _("No such cluster, or you may not see it.")


def cluster_page_lists(cluster: Cluster, *, public: bool) -> dict[str, list]:
    """What a cluster's page lists beside its facts: its communes, sectors, legal documents (with the id of each
    one's latest signed scan; the public ones alone for the public) and, for signed-in users, its lifecycle
    events; each query compiled once and run with each cluster's id (ccn/core/compiled.py)."""

    def documents(pk):
        qs = LegalDocument.objects.filter(cluster_id=pk).annotate(scan_id=latest_scan_id(LegalDocument))
        return qs.filter(is_public=True) if public else qs

    pk = cluster.pk
    return {
        "communes": compiled_list(("cluster-communes",), pk, lambda pk: Commune.objects.filter(clusters=pk)),
        "sectors": compiled_list(("cluster-sectors",), pk, lambda pk: Sector.objects.filter(clusters=pk)),
        "documents": compiled_list(("cluster-documents", public), pk, documents),
        "events": [] if public else compiled_list(("cluster-events",), pk, lambda pk: cluster_events(pk)),
    }


def cluster_events(cluster: Cluster | int):
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


def organisation_list(*, user, q: str = ""):
    """Organisations in the user's scope: those investing or operating in (or entered by) the user's province,
    the user's own organisation for investors and tenants, every one for the ministry."""
    qs = policy.visible(user, Organisation).order_by("name")
    return OrganisationFilterSet({"q": q}, queryset=qs).qs if q else qs


def counts_by_status(*, user):
    return dict(Cluster.objects.filter(cluster_scope_q(user)).order_by().values_list("status").annotate(n=Count("pk")))

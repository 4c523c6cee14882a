"""Reads of the obstacles app that apply scope or aggregation: lists, overdue and ageing figures, what blocks a
cluster, the review-meeting pack and a user's own queue. Pages and the API call these, never raw querysets."""

from __future__ import annotations

import datetime
from itertools import groupby

from django.db.models import Count, Min, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from ccn.accounts import policy
from ccn.core.compiled import compiled_list
from ccn.core.errors import NotFoundError

from . import access
from .choices import ACTIVE_ACTION_STATES, ACTIVE_STATES, Category, ObstacleStatus
from .filters import ObstacleFilterSet
from .models import (
    Agency,
    DialogueConference,
    Obstacle,
    ObstacleAction,
    ObstacleEvent,
    Recommendation,
    ReviewMeeting,
)

AGE_BUCKETS = ((0, 30), (31, 90), (91, 180), (181, None))
GROUPINGS = {
    "agency": ("agency_id", "agency__name", "agency__province__name"),
    "category": ("category",),
    "cluster": ("cluster_id", "cluster__code", "cluster__name"),
}


def visible_obstacles(user):
    return Obstacle.objects.filter(access.obstacle_scope_q(user))


def obstacle_list(*, user, filters=None):
    """Obstacles visible to `user`, filtered by the list's FilterSet (`filters`: the query's data;
    ccn/obstacles/filters.py), most urgent deadline first."""
    qs = visible_obstacles(user).select_related("cluster__province", "agency", "tenant_project", "raised_by")
    if filters:
        qs = ObstacleFilterSet(filters, queryset=qs, user=user).qs
    return qs.order_by("deadline", "pk")


def obstacle_get(*, user, pk: int) -> Obstacle:
    obstacle = (
        visible_obstacles(user)
        .select_related("cluster__province", "agency__commune", "tenant_project", "raised_by", "updated_by")
        .filter(pk=pk)
        .first()
    )
    if obstacle is None:
        raise NotFoundError(_("No such obstacle, or you may not see it."))
    return obstacle


def obstacle_actions(obstacle):
    return obstacle.actions.select_related("owner").order_by("due_on", "pk")


def obstacle_timeline(obstacle):
    return obstacle.events.select_related("actor").order_by("-at", "-pk")


def _age_filters(on: datetime.date) -> dict:
    counts = {}
    for low, high in AGE_BUCKETS:
        q = Q(raised_on__lte=on - datetime.timedelta(days=low))
        if high is not None:
            q &= Q(raised_on__gt=on - datetime.timedelta(days=high + 1))
        counts[f"age_{low}_{high or 'plus'}"] = Count("pk", filter=q)
    return counts


def ageing(*, user, by: str = "agency", on: datetime.date | None = None, province: str = "") -> list[dict]:
    """Active obstacles grouped by agency, category or cluster: how many, how many overdue, how long open
    (age buckets in days since raised) and the oldest; all counted in SQL."""
    on = on or timezone.localdate()
    if by not in GROUPINGS:
        by = "agency"
    qs = visible_obstacles(user).filter(status__in=ACTIVE_STATES, raised_on__lte=on)
    if province:
        qs = qs.filter(cluster__province__code=province)
    rows = (
        qs.order_by()
        .values(*GROUPINGS[by])
        .annotate(
            active=Count("pk"),
            overdue=Count("pk", filter=Q(deadline__lt=on)),
            escalated=Count("pk", filter=Q(status="escalated")),
            clusters=Count("cluster", distinct=True),
            oldest_raised=Min("raised_on"),
            earliest_deadline=Min("deadline"),
            **_age_filters(on),
        )
        .order_by("-overdue", "-active", *GROUPINGS[by][1:2])
    )
    result = []
    for row in rows:
        if by == "agency":
            row["key"], row["label"] = row["agency_id"], row["agency__name"]
        elif by == "cluster":
            row["key"], row["label"] = row["cluster__code"], f"{row['cluster__name']} ({row['cluster__code']})"
        else:
            row["key"], row["label"] = row["category"], str(Category(row["category"]).label)
        row["oldest_days"] = (on - row["oldest_raised"]).days if row["oldest_raised"] else None
        row["max_days_overdue"] = (
            (on - row["earliest_deadline"]).days if row["earliest_deadline"] and row["earliest_deadline"] < on else 0
        )
        result.append(row)
    return result


def ageing_totals(*, user, on: datetime.date | None = None, province: str = "") -> dict:
    on = on or timezone.localdate()
    qs = visible_obstacles(user).filter(status__in=ACTIVE_STATES, raised_on__lte=on)
    if province:
        qs = qs.filter(cluster__province__code=province)
    return qs.aggregate(
        active=Count("pk"),
        overdue=Count("pk", filter=Q(deadline__lt=on)),
        escalated=Count("pk", filter=Q(status="escalated")),
        clusters=Count("cluster", distinct=True),
        **_age_filters(on),
    )


def clusters_blocked_by_category(*, user, province: str = "") -> list[dict]:
    """For each category, the number of distinct clusters with at least one active obstacle of it."""
    qs = visible_obstacles(user).filter(status__in=ACTIVE_STATES)
    if province:
        qs = qs.filter(cluster__province__code=province)
    rows = list(
        qs.order_by()
        .values("category")
        .annotate(clusters=Count("cluster", distinct=True), obstacles=Count("pk"))
        .order_by("-clusters", "category")
    )
    for row in rows:
        row["label"] = str(Category(row["category"]).label)
    return rows


def cluster_blockers(*, user, cluster) -> list:
    """The active obstacles of a cluster the user may see, most urgent first (compiled once per scope)."""
    return compiled_list(
        ("cluster-blockers", policy.scope_key(user, Obstacle)),
        cluster.pk,
        lambda pk: (
            visible_obstacles(user)
            .filter(cluster_id=pk, status__in=ACTIVE_STATES)
            .select_related("agency", "tenant_project")
            .annotate(open_actions=Count("actions", filter=Q(actions__status__in=ACTIVE_ACTION_STATES)))
            .order_by("deadline", "pk")
        ),
    )


def previous_meeting(meeting: ReviewMeeting) -> ReviewMeeting | None:
    return (
        ReviewMeeting.objects.filter(province_id=meeting.province_id, held_on__lt=meeting.held_on)
        .order_by("-held_on")
        .first()
    )


def meeting_pack(*, user, province, on: datetime.date, since: datetime.date | None) -> dict:
    """The pack of a review meeting on `on`: the obstacles active on that day grouped by responsible agency
    (overdue first), and what changed since the previous meeting (`since`, exclusive) up to `on`."""
    status_on = Subquery(
        ObstacleEvent.objects.filter(obstacle=OuterRef("pk"), at__date__lte=on)
        .exclude(to_status="")
        .order_by("-at", "-pk")
        .values("to_status")[:1]
    )
    base = visible_obstacles(user).filter(cluster__province=province)
    items = list(
        base.filter(raised_on__lte=on)
        .annotate(status_on=status_on)
        .filter(status_on__in=ACTIVE_STATES)
        .annotate(
            open_actions=Count("actions", filter=Q(actions__status__in=ACTIVE_ACTION_STATES), distinct=True),
            done_actions=Count("actions", filter=Q(actions__status="done"), distinct=True),
        )
        .select_related("agency", "cluster", "tenant_project")
        .order_by("agency__name", "agency_id", "deadline", "pk")
    )
    changes_qs = ObstacleEvent.objects.filter(obstacle__in=base.values("pk"), at__date__lte=on)
    if since is not None:
        changes_qs = changes_qs.filter(at__date__gt=since)
    changes = list(
        changes_qs.select_related("obstacle__agency", "obstacle__cluster", "actor").order_by(
            "obstacle__agency__name", "obstacle_id", "at", "pk"
        )
    )
    changes_by_obstacle: dict[int, list] = {}
    for event in changes:
        changes_by_obstacle.setdefault(event.obstacle_id, []).append(event)
    groups = []
    for _agency_id, group in groupby(items, key=lambda o: o.agency_id):
        rows = list(group)
        for o in rows:
            o.overdue_days = (on - o.deadline).days if o.deadline < on else 0
            o.is_new = since is None or o.raised_on > since
            o.changes = changes_by_obstacle.get(o.pk, [])
            o.status_on_label = ObstacleStatus(o.status_on).label
        rows.sort(key=lambda o: (-o.overdue_days, o.deadline, o.pk))
        groups.append(
            {
                "agency": rows[0].agency,
                "items": rows,
                "overdue": sum(1 for o in rows if o.overdue_days),
            }
        )
    groups.sort(key=lambda g: (-g["overdue"], g["agency"].name))
    active_ids = {o.pk for o in items}
    closed_since = [e for e in changes if e.obstacle_id not in active_ids]
    return {
        "on": on,
        "since": since,
        "groups": groups,
        "total": len(items),
        "overdue": sum(g["overdue"] for g in groups),
        "changes": changes,
        "changes_elsewhere": closed_since,
    }


def my_queue(*, user) -> dict:
    """What a user must act on: active obstacles assigned to their agencies (or their commune's agency) and active
    actions they own or that belong to their agencies' obstacles."""
    agencies = access.member_agency_ids(user)
    assigned_q = Q(agency_id__in=agencies)
    if getattr(user, "pk", None) and user.communes.exists():
        assigned_q |= Q(agency__commune__in=user.communes.values("pk"))
    obstacles = (
        visible_obstacles(user)
        .filter(assigned_q, status__in=ACTIVE_STATES)
        .select_related("cluster", "agency")
        .order_by("deadline", "pk")
    )
    actions = (
        ObstacleAction.objects.filter(status__in=ACTIVE_ACTION_STATES, obstacle__status__in=ACTIVE_STATES)
        .filter(Q(owner_id=user.pk) | Q(obstacle__in=obstacles.values("pk")))
        .select_related("obstacle__cluster", "obstacle__agency", "owner")
        .order_by("due_on", "pk")
    )
    return {"obstacles": obstacles, "actions": actions}


def agency_list(*, user, province=None):
    qs = Agency.objects.select_related("province", "commune").annotate(
        member_count=Count("memberships", distinct=True),
        active_count=Count("obstacles", filter=Q(obstacles__status__in=ACTIVE_STATES), distinct=True),
    )
    qs = qs.filter(policy.scope_q(user, Agency))
    if province is not None:
        qs = qs.filter(province=province)
    return qs.order_by("province__code", "kind", "name")


def agency_choices(*, province_id):
    return Agency.objects.filter(province_id=province_id, is_active=True).order_by("kind", "name")


def meeting_list(*, user):
    return ReviewMeeting.objects.filter(policy.scope_q(user, ReviewMeeting)).select_related("province")


def meeting_get(*, user, pk: int) -> ReviewMeeting:
    meeting = meeting_list(user=user).filter(pk=pk).first()
    if meeting is None:
        raise NotFoundError(_("No such review meeting, or you may not see it."))
    return meeting


def conference_list(*, user):
    return (
        DialogueConference.objects.filter(policy.scope_q(user, DialogueConference))
        .select_related("province")
        .annotate(
            received=Count("recommendations"),
            pending=Count("recommendations", filter=Q(recommendations__status="pending")),
        )
    )


def conference_get(*, user, pk: int) -> DialogueConference:
    conf = conference_list(user=user).filter(pk=pk).first()
    if conf is None:
        raise NotFoundError(_("No such dialogue conference, or you may not see it."))
    return conf


def recommendation_get(*, user, pk: int) -> Recommendation:
    rec = (
        Recommendation.objects.filter(policy.scope_q(user, Recommendation))
        .select_related("conference", "cluster", "obstacle", "organisation")
        .filter(pk=pk)
        .first()
    )
    if rec is None:
        raise NotFoundError(_("No such recommendation, or you may not see it."))
    return rec

"""Who may see and do what with obstacles: the questions the pages, API and services ask, each answered by the
scope policy's rules in ccn/obstacles/policy.py (ccn.accounts.policy)."""

from __future__ import annotations

from django.db.models import Q

from ccn.accounts import policy

from .models import Agency, AgencyMember, Obstacle
from .policy import ACT


def member_agency_ids(user):
    return AgencyMember.objects.filter(user_id=user.pk).values("agency_id")


def obstacle_scope_q(user) -> Q:
    return policy.scope_q(user, Obstacle)


def can_see_obstacles(user) -> bool:
    return policy.may(user, policy.VIEW, Obstacle)


def can_manage_province(user, province_id) -> bool:
    """Keep the province's agencies, meetings and conferences."""
    return policy.can(user, policy.CHANGE, Agency(province_id=province_id))


def can_manage(user, obstacle) -> bool:
    """Edit, reassign, escalate and close the obstacle."""
    return policy.can(user, policy.CHANGE, obstacle)


def can_act(user, obstacle) -> bool:
    """Record actions and notes, attach files, start work and mark resolved."""
    return policy.can(user, ACT, obstacle)


def can_raise(user, cluster) -> bool:
    return policy.can(user, policy.ADD, Obstacle(cluster=cluster))


def raisable_clusters_q(user) -> Q:
    """Clusters on which `user` may raise obstacles (for choice lists)."""
    return policy.parent_q(user, Obstacle, policy.ADD, "cluster")

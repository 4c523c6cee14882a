"""Who may see and do what with obstacles: the one place where roles meet the obstacles' scope.

Obstacles are never public. Province editors and approvers manage their province's obstacles; a commune officer
sees and acts on (actions, notes, start, resolve) the obstacles of clusters in their communes or assigned to
their commune's agency; an investor raises and sees obstacles on its own clusters; the ministry reads all."""

from __future__ import annotations

from django.db.models import Q

from ccn.accounts.choices import PROVINCE_ROLES, Role
from ccn.accounts.scope import role_of


def member_agency_ids(user):
    from .models import AgencyMember

    return AgencyMember.objects.filter(user_id=user.pk).values("agency_id")


def _user_commune_ids(user):
    return user.communes.values("pk")


def _cluster_in_communes_q(user, prefix: str = "cluster__") -> Q:
    from ccn.clusters.models import Cluster

    through = Cluster.communes.through.objects.filter(commune__in=_user_commune_ids(user))
    return Q(**{f"{prefix}pk__in": through.values("cluster_id")})


def commune_item_q(user) -> Q:
    """Obstacles that belong to a commune officer's communes: on a cluster there, or assigned to their agency."""
    return (
        _cluster_in_communes_q(user)
        | Q(agency_id__in=member_agency_ids(user))
        | Q(agency__commune__in=_user_commune_ids(user))
    )


def obstacle_scope_q(user) -> Q:
    role = role_of(user)
    if role in (Role.ADMIN, Role.MINISTRY_VIEWER):
        return Q()
    if role in PROVINCE_ROLES:
        return Q(cluster__province_id=user.province_id)
    if role == Role.COMMUNE_OFFICER:
        return commune_item_q(user)
    if role == Role.INVESTOR:
        return Q(cluster__investor_id=user.organisation_id)
    return Q(pk__in=[])


def can_see_obstacles(user) -> bool:
    return role_of(user) in (Role.ADMIN, Role.MINISTRY_VIEWER, *PROVINCE_ROLES, Role.COMMUNE_OFFICER, Role.INVESTOR)


def can_manage_province(user, province_id) -> bool:
    """Edit, reassign, escalate and close obstacles; keep agencies, meetings and conferences."""
    role = role_of(user)
    return role == Role.ADMIN or (role in PROVINCE_ROLES and user.province_id == province_id)


def can_manage(user, obstacle) -> bool:
    return can_manage_province(user, obstacle.cluster.province_id)


def is_commune_item(user, obstacle) -> bool:
    from .models import Obstacle

    if role_of(user) != Role.COMMUNE_OFFICER:
        return False
    return Obstacle.objects.filter(commune_item_q(user), pk=obstacle.pk).exists()


def can_act(user, obstacle) -> bool:
    """Record actions and notes, attach files, start work and mark resolved."""
    return can_manage(user, obstacle) or is_commune_item(user, obstacle)


def can_raise(user, cluster) -> bool:
    role = role_of(user)
    if role == Role.ADMIN or (role in PROVINCE_ROLES and user.province_id == cluster.province_id):
        return True
    if role == Role.COMMUNE_OFFICER:
        return cluster.communes.filter(pk__in=_user_commune_ids(user)).exists()
    if role == Role.INVESTOR:
        return cluster.investor_id is not None and cluster.investor_id == user.organisation_id
    return False


def raisable_clusters_q(user) -> Q:
    """Clusters on which `user` may raise obstacles (for choice lists)."""
    role = role_of(user)
    if role == Role.ADMIN:
        return Q()
    if role in PROVINCE_ROLES:
        return Q(province_id=user.province_id)
    if role == Role.COMMUNE_OFFICER:
        return _cluster_in_communes_q(user, prefix="")
    if role == Role.INVESTOR and user.organisation_id:
        return Q(investor_id=user.organisation_id)
    return Q(pk__in=[])


def managed_province_ids(user):
    """None means every province."""
    role = role_of(user)
    if role == Role.ADMIN:
        return None
    if role in PROVINCE_ROLES:
        return [user.province_id]
    return []


def province_read_q(user, field: str = "province_id") -> Q:
    """Review meetings and dialogue conferences: the ministry and the admin see all, province roles their province.
    A meeting pack lists every agency's items, so commune officers and investors do not see it."""
    role = role_of(user)
    if role in (Role.ADMIN, Role.MINISTRY_VIEWER):
        return Q()
    if role in PROVINCE_ROLES:
        return Q(**{field: user.province_id})
    return Q(pk__in=[])

"""The lifecycle of a cluster: which action moves it from which states to which, by whom, with which document
and under which guards. docs/workflows/cluster.md is generated from this table (manage.py workflow_docs)."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ccn.accounts.choices import Role
from ccn.core.text import number
from ccn.core.transitions import Transition, Workflow

from . import legacy
from .choices import ClusterStatus as S
from .choices import DocumentKind as D
from .choices import RuleKey
from .leases import cluster_occupancy, leases
from .legacy import DECISION_105_2009_FROM
from .models import ClusterEvent
from .rules import rule_value

EDITORS = (Role.ADMIN, Role.PROVINCE_EDITOR, Role.PROVINCE_APPROVER)
APPROVERS = (Role.ADMIN, Role.PROVINCE_APPROVER)


def guard_area_within_limits(cluster, on: datetime.date) -> str | None:
    """The cluster's area is within the legal limits for its type (and a mountainous area) in force on the date of
    the act."""
    area = cluster.area_ha
    if area is None:
        return _("Enter the cluster's area before this step.")
    if cluster.kind == "industrial_park":
        return None
    rules = legacy.area_rules()
    found = legacy.breaches(rules, kind=cluster.kind, area=area, day=on, mountainous=cluster.mountainous_area)
    if not found:
        return None
    low, high = (
        legacy.rule_in_force(rules, key, kind=cluster.kind, mountainous=cluster.mountainous_area, day=on)
        for key in (RuleKey.AREA_MIN_HA, RuleKey.AREA_MAX_HA)
    )
    message = _(
        "The area %(area)s ha is outside the legal limits of %(low)s–%(high)s ha for this type on %(day)s (%(source)s)."
    ) % {
        "area": number(area),
        "low": number(low.value if low else None),
        "high": number(high.value if high else None),
        "day": on.strftime("%d/%m/%Y"),
        "source": "; ".join(b.source for b in found),
    }
    hint = legacy.mountainous_hint(rules, kind=cluster.kind, mountainous=cluster.mountainous_area, area=area, day=on)
    return f"{message} {hint}" if hint else message


def guard_area_within_limits_when_formed(cluster, on: datetime.date) -> str | None:
    """The cluster's area is within the legal limits for its type in force on the date of the act; for a cluster
    formed before Decision 105/2009 took effect (its first lifecycle event), those in force when it was formed
    (Decree 32/2024, Art. 35(1), (4)(b))."""
    formed = (
        ClusterEvent.objects.filter(cluster=cluster).order_by("effective_on").values_list("effective_on", flat=True)
    )
    formed_on = formed.first()
    if formed_on is not None and formed_on < DECISION_105_2009_FROM:
        return guard_area_within_limits(cluster, formed_on)
    return guard_area_within_limits(cluster, on)


def guard_has_industrial_land(cluster, on) -> str | None:
    """The industrial land of the approved 1/500 plan is entered."""
    if not cluster.industrial_land_ha:
        return _("Enter the industrial land of the approved 1/500 plan first.")
    return None


def guard_has_tenant(cluster, on) -> str | None:
    """At least one tenant project that leases land (the definition of an operating cluster)."""
    if not cluster.tenant_projects.filter(status__in=leases().statuses).exists():
        return _("A cluster operates once it has at least one tenant project; register one first.")
    return None


def guard_expansion_occupancy(cluster, on) -> str | None:
    """Occupancy at least the legal minimum for expansion in force on the date."""
    needed = rule_value(RuleKey.EXPANSION_MIN_OCCUPANCY, on=on, kind=cluster.kind)
    occupancy = cluster_occupancy(cluster)
    if needed is not None and (occupancy is None or occupancy < needed):
        return _("Expansion needs an occupancy of at least %(needed)s %%; it is %(actual)s %%.") % {
            "needed": needed,
            "actual": occupancy if occupancy is not None else "—",
        }
    return None


ACTIONS = [
    Transition(
        "establish",
        (S.PLANNED,),
        S.ESTABLISHED,
        EDITORS,
        gettext_lazy("Establish"),
        True,
        (D.ESTABLISHED,),
        (guard_area_within_limits,),
    ),
    Transition(
        "record_operating_unestablished",
        (S.PLANNED,),
        S.OPERATING_UNESTABLISHED,
        EDITORS,
        gettext_lazy("Record as operating without establishment"),
        True,
        (D.OTHER, D.INCLUDED_IN_PLAN),
    ),
    Transition(
        "regularise",
        (S.OPERATING_UNESTABLISHED,),
        S.OPERATING,
        EDITORS,
        gettext_lazy("Establish (regularise)"),
        True,
        (D.ESTABLISHED,),
        (guard_area_within_limits_when_formed,),
    ),
    Transition(
        "approve_detailed_plan",
        (S.ESTABLISHED,),
        S.DETAILED_PLAN_APPROVED,
        EDITORS,
        gettext_lazy("Approve detailed plan (1/500)"),
        True,
        (D.DETAILED_PLAN_APPROVED,),
        (guard_has_industrial_land,),
    ),
    Transition(
        "approve_infrastructure",
        (S.DETAILED_PLAN_APPROVED,),
        S.INFRASTRUCTURE_APPROVED,
        EDITORS,
        gettext_lazy("Approve infrastructure project"),
        True,
        (D.INFRASTRUCTURE_APPROVED,),
    ),
    Transition(
        "start_land_clearance",
        (S.INFRASTRUCTURE_APPROVED,),
        S.LAND_CLEARANCE,
        EDITORS,
        gettext_lazy("Start land clearance"),
        True,
        (D.LAND_CLEARANCE, D.OTHER),
    ),
    Transition(
        "start_construction",
        (S.INFRASTRUCTURE_APPROVED, S.LAND_CLEARANCE),
        S.UNDER_CONSTRUCTION,
        EDITORS,
        gettext_lazy("Start construction"),
        True,
        (D.CONSTRUCTION_STARTED, D.OTHER),
    ),
    Transition(
        "start_operation",
        (S.UNDER_CONSTRUCTION,),
        S.OPERATING,
        EDITORS,
        gettext_lazy("Start operation"),
        True,
        (D.OPERATION_STARTED, D.OTHER),
        (guard_has_tenant,),
    ),
    Transition(
        "start_expansion",
        (S.OPERATING,),
        S.EXPANDING,
        EDITORS,
        gettext_lazy("Expand"),
        True,
        (D.EXPANDED,),
        (guard_expansion_occupancy,),
    ),
    Transition(
        "complete_expansion",
        (S.EXPANDING,),
        S.OPERATING,
        EDITORS,
        gettext_lazy("Complete expansion"),
        True,
        (D.OPERATION_STARTED, D.OTHER, D.EXPANDED),
    ),
    Transition(
        "revoke",
        (
            S.ESTABLISHED,
            S.DETAILED_PLAN_APPROVED,
            S.INFRASTRUCTURE_APPROVED,
            S.LAND_CLEARANCE,
            S.UNDER_CONSTRUCTION,
        ),
        S.REVOKED,
        APPROVERS,
        gettext_lazy("Revoke establishment"),
        True,
        (D.REVOKED,),
    ),
    Transition(
        "remove_from_plan",
        (S.PLANNED, S.OPERATING_UNESTABLISHED, S.REVOKED),
        S.REMOVED_FROM_PLAN,
        APPROVERS,
        gettext_lazy("Remove from plan"),
        True,
        (D.REMOVED_FROM_PLAN,),
    ),
]

CLUSTER_WORKFLOW = Workflow(ACTIONS, state_labels=dict(S.choices), name="cluster")

"""The legal rules in force on a day (`LegalRule`: key, value, in force from/until, legal source): a check reads
the rule in force on the date of the act (docs/architecture.md, "Rules that hold everywhere")."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from .choices import ClusterKind, RuleKey
from .models import LegalRule


def rule_value(key: str, *, on: datetime.date | None = None, kind: str = "") -> Decimal | None:
    """The legal rule in force on `on` for a cluster type (a rule for the type beats the general one)."""
    on = on or timezone.localdate()
    rules = (
        LegalRule.objects.filter(key=key, effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .filter(Q(cluster_kind=kind) | Q(cluster_kind=""))
        .order_by("-cluster_kind", "-effective_from")
    )
    rule = rules.first()
    return rule.value if rule else None


def area_limits(*, kind: str, on: datetime.date | None = None) -> tuple[Decimal | None, Decimal | None]:
    if kind == ClusterKind.INDUSTRIAL_PARK:
        return None, None  # industrial parks follow another decree
    return rule_value(RuleKey.AREA_MIN_HA, on=on, kind=kind), rule_value(RuleKey.AREA_MAX_HA, on=on, kind=kind)

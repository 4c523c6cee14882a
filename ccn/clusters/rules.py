"""The legal rules in force on a day (`LegalRule`: key, value, in force from/until, legal source; the lookup is
`legacy.rule_in_force`) and the legal basis of a cluster's area: a check reads the rule in force on the date of the
act (docs/architecture.md, "Rules that hold everywhere")."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from ccn.core.compiled import compiled_list

from .choices import ClusterKind, RuleKey
from .figures import establishment_date, first_lifecycle_subquery
from .legacy import DECISION_105_2009_FROM, area_rules_query, rule_in_force
from .legacy import area_basis as basis_of
from .models import Cluster, LegalRule


def rule_for(
    key: str, *, on: datetime.date | None = None, kind: str = "", mountainous: bool = False
) -> LegalRule | None:
    """The legal rule `key` in force on `on` for a cluster type, in a mountainous area or not: the most specific
    (`legacy.rule_in_force`, the one lookup of the rules)."""
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
    105/2009 took effect (Decree 32/2024, Art. 35(1), (4)(b)); today when neither is recorded. One query, compiled
    once (ccn/core/compiled.py)."""
    found = compiled_list(
        ("area-day",),
        cluster.pk,
        lambda pk: Cluster.objects.filter(pk=pk).values(
            established_on=establishment_date(), formed=first_lifecycle_subquery()
        ),
    )
    established_on, formed = (found[0]["established_on"], found[0]["formed"]) if found else (None, None)
    if formed is not None and formed >= DECISION_105_2009_FROM:
        formed = None
    days = [d for d in (established_on, formed) if d is not None]
    return (min(days), True) if days else (timezone.localdate(), False)


def area_basis(cluster: Cluster) -> dict:
    """The legal basis of the cluster's area for its page (`legacy.area_basis` on `area_day`)."""
    day, dated = area_day(cluster)
    text, lawful = basis_of(
        compiled_list(("area-rules",), cluster.kind, lambda kind: area_rules_query([kind])),
        kind=cluster.kind,
        kind_label=cluster.get_kind_display(),
        mountainous=cluster.mountainous_area,
        area=cluster.area_ha,
        day=day,
        today=timezone.localdate(),
    )
    return {"text": text, "lawful": lawful, "day": day, "dated": dated}

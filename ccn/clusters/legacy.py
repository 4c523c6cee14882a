"""Clusters formed before the area limits took effect (Decree 32/2024/NĐ-CP, Art. 35): which limit an area is held
to, the legal basis on which a cluster outside today's limits continues, and the clusters formed before Decision
105/2009/QĐ-TTg still to regularise by the deadline of Art. 35(4)(b) (docs/reports.md, "Transitional clusters").

The limits themselves are dated rows of `LegalRule` (loaded by migration 0006): at most 75 ha from 5 October 2009
(Decision 105/2009/QĐ-TTg took effect), at least 10 ha — 5 ha for craft-village clusters — from 15 July 2017 (Decree
68/2017/NĐ-CP), restated by Decree 32/2024 from 1 May 2024. An area is held to the limits in force on the date of
the cluster's establishment decision; a cluster established before a limit took effect continues outside it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from .choices import ClusterKind, RuleKey
from .models import LegalRule

DECISION_105_2009_FROM = datetime.date(2009, 10, 5)
REGULARISE_BY = datetime.date(2026, 12, 31)  # Decree 32/2024/NĐ-CP, Art. 35(4)(b)
ART_35 = "Nghị định 32/2024/NĐ-CP, Điều 35 khoản 1"


@dataclass(frozen=True)
class Breach:
    """An area outside a limit: the limit in force, and the source and first day of the earliest limit that
    refused such an area (the limit a cluster formed before that day continues outside of)."""

    key: str
    limit: Decimal
    source: str
    since: datetime.date


def area_rules(kinds=None) -> list[LegalRule]:
    """The dated area rules (a handful of rows): read once, then applied in Python to any number of clusters."""
    qs = LegalRule.objects.filter(key__in=(RuleKey.AREA_MIN_HA, RuleKey.AREA_MAX_HA))
    if kinds is not None:
        qs = qs.filter(Q(cluster_kind__in=kinds) | Q(cluster_kind=""))
    return list(qs.order_by("effective_from"))


def _in_force(rules, key: str, kind: str, day: datetime.date) -> LegalRule | None:
    found = [
        r
        for r in rules
        if r.key == key
        and r.cluster_kind in (kind, "")
        and r.effective_from <= day
        and (r.effective_to is None or r.effective_to >= day)
    ]
    found.sort(key=lambda r: (r.cluster_kind != "", r.effective_from), reverse=True)
    return found[0] if found else None


def _outside(key: str, area: Decimal, limit: Decimal) -> bool:
    return area < limit if key == RuleKey.AREA_MIN_HA else area > limit


def breaches(rules, *, kind: str, area: Decimal | None, day: datetime.date) -> list[Breach]:
    """The limits in force on `day` that `area` is outside of, each with the first day a limit refusing this area
    applied to the type (the day before which a cluster was formed lawfully outside it)."""
    if area is None or kind == ClusterKind.INDUSTRIAL_PARK:
        return []
    found = []
    for key in (RuleKey.AREA_MIN_HA, RuleKey.AREA_MAX_HA):
        rule = _in_force(rules, key, kind, day)
        if rule is None or not _outside(key, area, rule.value):
            continue
        first = rule
        for earlier in rules:
            if (
                earlier.key != key
                or earlier.cluster_kind not in (kind, "")
                or earlier.effective_from >= first.effective_from
            ):
                continue
            applies = _in_force(rules, key, kind, earlier.effective_from)
            if (
                applies is not None
                and _outside(key, area, applies.value)
                and applies.effective_from < first.effective_from
            ):
                first = applies
        found.append(Breach(key=key, limit=rule.value, source=first.legal_source, since=first.effective_from))
    return found


def legal_basis(rules, *, kind: str, area: Decimal | None, established_on: datetime.date | None, today) -> str:
    """Why a cluster whose area is outside today's limits continues: its establishment decision is dated before
    each limit it is outside of took effect (Decree 32/2024, Art. 35(1)). Empty when the area is within today's
    limits, or when there is no such basis."""
    today_breaches = breaches(rules, kind=kind, area=area, day=today)
    if not today_breaches or established_on is None:
        return ""
    if any(b.since <= established_on for b in today_breaches):
        return ""
    return _("%(art)s: formed on %(day)s, before %(limits)s took effect") % {
        "art": ART_35,
        "day": established_on.strftime("%d/%m/%Y"),
        "limits": "; ".join(f"{b.source} ({b.since:%d/%m/%Y})" for b in today_breaches),
    }

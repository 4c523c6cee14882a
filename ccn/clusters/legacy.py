"""Clusters formed before the area limits took effect (Decree 32/2024/NĐ-CP, Art. 35): which limit an area is held
to, the legal basis on which a cluster outside today's limits continues, and the clusters formed before Decision
105/2009/QĐ-TTg still to regularise by the deadline of Art. 35(4)(b) (docs/reports.md, "Transitional clusters").

The limits themselves are dated rows of `LegalRule` (loaded by migrations 0002, 0006 and 0008): at most 75 ha from
5 October 2009 (Decision 105/2009/QĐ-TTg took effect), at least 10 ha — 5 ha for craft-village clusters and for
clusters in mountainous districts — from 15 July 2017 (Decree 68/2017/NĐ-CP, Art. 2(1)), restated by Decree 32/2024,
Art. 2(1) from 1 May 2024. An area is held to the limits in force on the date of the cluster's establishment
decision; a cluster established before a limit took effect continues outside it.

`rule_in_force` is the one lookup of a dated rule: among the rules in force on the day that apply to the cluster (its
type or every type; a mountainous-only rule only to a cluster in a mountainous area), the most specific one, then the
latest. `rules.rule_for` reads the rows of one key and asks it; the area checks read the area rules once."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from ccn.core.text import number

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


def applies(rule: LegalRule, *, kind: str, mountainous: bool) -> bool:
    """The rule concerns a cluster of this type, in a mountainous area or not."""
    return rule.cluster_kind in (kind, "") and (mountainous or not rule.mountainous_only)


def _in_force_on(rule: LegalRule, day: datetime.date) -> bool:
    return rule.effective_from <= day and (rule.effective_to is None or rule.effective_to >= day)


def rule_in_force(
    rules, key: str, *, kind: str = "", mountainous: bool = False, day: datetime.date
) -> LegalRule | None:
    """The rule `key` in force on `day` for a cluster of type `kind`, in a mountainous area or not: the most
    specific of those that apply (one for the type or for mountainous areas beats the general one; one for both
    beats either), then the latest in force."""
    found = [
        r for r in rules if r.key == key and applies(r, kind=kind, mountainous=mountainous) and _in_force_on(r, day)
    ]
    return max(
        found, key=lambda r: ((r.cluster_kind != "") + r.mountainous_only, r.effective_from, r.pk or 0), default=None
    )


def area_rules(kinds=None) -> list[LegalRule]:
    """The dated area rules (a handful of rows): read once, then applied in Python to any number of clusters."""
    return list(area_rules_query(kinds))


def area_rules_query(kinds=None):
    qs = LegalRule.objects.filter(key__in=(RuleKey.AREA_MIN_HA, RuleKey.AREA_MAX_HA))
    if kinds is not None:
        qs = qs.filter(Q(cluster_kind__in=kinds) | Q(cluster_kind=""))
    return qs.order_by("effective_from")


def _outside(key: str, area: Decimal, limit: Decimal) -> bool:
    return area < limit if key == RuleKey.AREA_MIN_HA else area > limit


def breaches(rules, *, kind: str, area: Decimal | None, day: datetime.date, mountainous: bool = False) -> list[Breach]:
    """The limits in force on `day` that `area` is outside of, each with the first day a limit refusing this area
    applied to the cluster (the day before which a cluster was formed lawfully outside it)."""
    if area is None or kind == ClusterKind.INDUSTRIAL_PARK:
        return []
    found = []
    for key in (RuleKey.AREA_MIN_HA, RuleKey.AREA_MAX_HA):
        rule = rule_in_force(rules, key, kind=kind, mountainous=mountainous, day=day)
        if rule is None or not _outside(key, area, rule.value):
            continue
        first = rule
        for earlier in rules:
            if (
                earlier.key != key
                or not applies(earlier, kind=kind, mountainous=mountainous)
                or earlier.effective_from >= first.effective_from
            ):
                continue
            applying = rule_in_force(rules, key, kind=kind, mountainous=mountainous, day=earlier.effective_from)
            if (
                applying is not None
                and _outside(key, area, applying.value)
                and applying.effective_from < first.effective_from
            ):
                first = applying
        found.append(Breach(key=key, limit=rule.value, source=first.legal_source, since=first.effective_from))
    return found


def legal_basis(
    rules, *, kind: str, area: Decimal | None, established_on: datetime.date | None, today, mountainous: bool = False
) -> str:
    """Why a cluster whose area is outside today's limits continues: its establishment decision is dated before
    each limit it is outside of took effect (Decree 32/2024, Art. 35(1)). Empty when the area is within today's
    limits, or when there is no such basis."""
    today_breaches = breaches(rules, kind=kind, area=area, day=today, mountainous=mountainous)
    if not today_breaches or established_on is None:
        return ""
    if any(b.since <= established_on for b in today_breaches):
        return ""
    return _("%(art)s: formed on %(day)s, before %(limits)s took effect") % {
        "art": ART_35,
        "day": established_on.strftime("%d/%m/%Y"),
        "limits": "; ".join(f"{b.source} ({b.since:%d/%m/%Y})" for b in today_breaches),
    }


def mountainous_hint(rules, *, kind: str, mountainous: bool, area: Decimal | None, day: datetime.date) -> str:
    """For a cluster not marked as in a mountainous area whose area is under the floor in force on `day` but not
    under the floor of mountainous areas: that floor, its source, and to whom it applies. Empty otherwise."""
    if area is None or mountainous or kind == ClusterKind.INDUSTRIAL_PARK:
        return ""
    general = rule_in_force(rules, RuleKey.AREA_MIN_HA, kind=kind, mountainous=False, day=day)
    floor = rule_in_force(rules, RuleKey.AREA_MIN_HA, kind=kind, mountainous=True, day=day)
    if general is None or floor is None or floor.pk == general.pk or not (floor.value <= area < general.value):
        return ""
    return _(
        "The floor of %(floor)s ha (%(source)s) applies to clusters in mountainous districts and craft-village "
        "clusters: if the cluster lies in a mountainous district, mark it “Mountainous area”."
    ) % {"floor": number(floor.value, 4), "source": floor.legal_source}


def _terms(rule: LegalRule, *, kind_label: str) -> list[str]:
    terms = []
    if rule.mountainous_only:
        terms.append(_("mountainous area"))
    if rule.cluster_kind:
        terms.append(kind_label.lower())
    bound = _("at least %(ha)s ha") if rule.key == RuleKey.AREA_MIN_HA else _("at most %(ha)s ha")
    terms.append(bound % {"ha": number(rule.value, 4)})
    return terms


def area_basis(
    rules,
    *,
    kind: str,
    kind_label: str,
    mountainous: bool,
    area: Decimal | None,
    day: datetime.date,
    today: datetime.date,
) -> tuple[str, bool]:
    """The legal basis of a cluster's area, judged on `day` (its establishment decision's date, the day it was
    formed before Decision 105/2009, or today when neither is recorded): the rules in force then that it meets with
    their source and terms; the Art. 35(1) basis when it is outside today's limits but was formed before them; or
    the limits it is outside of. With whether the area is lawful. Empty when no area is recorded."""
    if area is None or kind == ClusterKind.INDUSTRIAL_PARK:
        return "", True
    shown = number(area, 4)
    basis = legal_basis(rules, kind=kind, area=area, established_on=day, today=today, mountainous=mountainous)
    if basis:
        return _("Area %(area)s ha: %(basis)s") % {"area": shown, "basis": basis}, True
    outside = breaches(rules, kind=kind, area=area, day=day, mountainous=mountainous)
    if outside:
        text = _("Area %(area)s ha: outside the limits in force on %(day)s (%(limits)s)") % {
            "area": shown,
            "day": day.strftime("%d/%m/%Y"),
            "limits": "; ".join(f"{b.source}: {number(b.limit, 4)} ha" for b in outside),
        }
        hint = mountainous_hint(rules, kind=kind, mountainous=mountainous, area=area, day=day)
        return (f"{text}. {hint}" if hint else text), False
    in_force = [
        r
        for r in (
            rule_in_force(rules, key, kind=kind, mountainous=mountainous, day=day)
            for key in (RuleKey.AREA_MIN_HA, RuleKey.AREA_MAX_HA)
        )
        if r is not None
    ]
    if not in_force:
        return _("Area %(area)s ha: no area limit was in force on %(day)s") % {
            "area": shown,
            "day": day.strftime("%d/%m/%Y"),
        }, True
    by_source: dict[str, list[str]] = {}
    for rule in in_force:
        by_source.setdefault(rule.legal_source, []).extend(_terms(rule, kind_label=kind_label))
    return _("Area %(area)s ha: valid under %(rules)s, in force on %(day)s") % {
        "area": shown,
        "rules": "; ".join(f"{source} ({', '.join(terms)})" for source, terms in by_source.items()),
        "day": day.strftime("%d/%m/%Y"),
    }, True

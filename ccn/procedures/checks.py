"""Checks before establishing or expanding a cluster (Decree 32/2024, Art. 8), computed from the registry as it
stood on a date: the lifecycle state from the dated events, leases in force that day, the legal rules in force
that day. The result is plain JSON so a dossier can keep it as it was when the Department appraised.

Land figures (industrial land, components, the wastewater plant) are the registry's current figures: the registry
keeps no history of them. Leases count on a date when their project is leasing and the date falls within the
lease (an open start or end counts as always)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ccn.clusters.choices import ESTABLISHED_STATES, ClusterStatus, RuleKey
from ccn.clusters.figures import state_on_day
from ccn.clusters.leases import leased_land_subquery
from ccn.clusters.models import Cluster, ClusterEvent
from ccn.clusters.rules import area_limits, rule_for, rule_value
from ccn.clusters.selectors import cluster_status_on
from ccn.core.text import number
from ccn.infrastructure.choices import ComponentKind, ComponentStatus, PlantStatus
from ccn.infrastructure.models import InfrastructureComponent, WastewaterPlant

from .choices import AreaScope, DossierKind
from .models import OccupancyScopeSetting

DEC = DecimalField(max_digits=14, decimal_places=4)

LABELS = {
    "in_plan": gettext_lazy("The cluster is in the provincial plan and not yet established"),
    "operating": gettext_lazy("The cluster is established and operating"),
    "applicant": gettext_lazy("An organisation has applied to be the infrastructure investor"),
    "area": gettext_lazy("The area is within the legal limits"),
    "area_occupancy": gettext_lazy("Occupancy test of the area concerned (above 50 % or at most 100 ha unleased)"),
    "occupancy": gettext_lazy("The cluster's occupancy reaches the expansion threshold"),
    "infrastructure": gettext_lazy(
        "Shared infrastructure in operation (roads, water, wastewater collection and treatment)"
    ),
}
SOURCES = {
    "in_plan": "Nghị định 32/2024/NĐ-CP, Điều 8 khoản 1 điểm a",
    "operating": "Nghị định 32/2024/NĐ-CP, Điều 8 khoản 2",
    "applicant": "Nghị định 32/2024/NĐ-CP, Điều 8 khoản 1 điểm b, khoản 2 điểm b",
    "area": "Nghị định 32/2024/NĐ-CP, Điều 2; Điều 8 khoản 2 điểm a",
    "area_occupancy": "Nghị định 32/2024/NĐ-CP, Điều 8 khoản 1 điểm c; Nghị định 139/2025/NĐ-CP",
    "occupancy": "Nghị định 32/2024/NĐ-CP, Điều 8 khoản 2 điểm c",
    "infrastructure": "Nghị định 32/2024/NĐ-CP, Điều 8 khoản 2 điểm d",
}
REQUIRED_COMPONENTS = ("roads", "water_supply", "wastewater_collection")


def _s(value) -> str | None:
    """Decimals as strings in the snapshot, so JSON keeps them exactly."""
    if value is None:
        return None
    return format(Decimal(value).quantize(Decimal("0.01")), "f")


def occupancy_scope(province_id: int, on: datetime.date) -> tuple[str, str]:
    """The area the province set for the occupancy test on `on` and the document that set it; the whole province
    when nothing is recorded (the reading documented in docs/procedures.md)."""
    setting = (
        OccupancyScopeSetting.objects.filter(province_id=province_id, effective_from__lte=on)
        .order_by("-effective_from")
        .first()
    )
    if setting is None:
        return AreaScope.PROVINCE, ""
    return setting.scope, setting.document


def _rule_source(key: str, on: datetime.date, kind: str, mountainous: bool = False) -> str:
    rule = rule_for(key, on=on, kind=kind, mountainous=mountainous)
    return rule.legal_source if rule else ""


def _item(key: str, passed: bool | None, figures: dict, source: str = "") -> dict:
    return {"key": key, "passed": passed, "figures": figures, "source": source or SOURCES[key]}


def _area_item(cluster: Cluster, area, on: datetime.date, *, expansion: bool) -> dict:
    mountainous = cluster.mountainous_area
    low, high = area_limits(kind=cluster.kind, on=on, mountainous=mountainous)
    figures = {"area_ha": _s(area), "min_ha": _s(low), "max_ha": _s(high)}
    if area is None:
        return _item("area", None, figures)
    below = low is not None and not expansion and area < low
    ok = not below and (high is None or area <= high)
    key = RuleKey.AREA_MIN_HA if below else RuleKey.AREA_MAX_HA
    return _item("area", ok, figures, _rule_source(key, on, cluster.kind, mountainous) or SOURCES["area"])


def area_occupancy(cluster: Cluster, on: datetime.date) -> dict:
    """The 50 % / 100 ha test over the established clusters of the area concerned, in one aggregate query, with
    the clusters behind the figures."""
    scope, scope_document = occupancy_scope(cluster.province_id, on)
    qs = Cluster.objects.exclude(pk=cluster.pk)
    if scope == AreaScope.COMMUNES:
        communes = list(cluster.communes.values_list("pk", flat=True))
        qs = qs.filter(pk__in=Cluster.communes.through.objects.filter(commune__in=communes).values("cluster_id"))
    else:
        qs = qs.filter(province_id=cluster.province_id)
    qs = qs.annotate(status_on=state_on_day(on)).filter(status_on__in=list(ESTABLISHED_STATES))
    qs = qs.annotate(leased_on=leased_land_subquery(on))
    rows = list(qs.order_by("code").values("code", "name", "status_on", "industrial_land_ha", "leased_on")[:200])
    totals = qs.aggregate(
        n=Count("pk"),
        land=Sum("industrial_land_ha", filter=Q(industrial_land_ha__gt=0)),
        leased=Sum("leased_on", filter=Q(industrial_land_ha__gt=0)),
        missing=Count("pk", filter=Q(industrial_land_ha__isnull=True) | Q(industrial_land_ha=0)),
    )
    avg_needed = rule_value(RuleKey.ESTABLISH_AREA_AVG_OCCUPANCY, on=on, kind=cluster.kind)
    max_unleased = rule_value(RuleKey.ESTABLISH_AREA_MAX_UNLEASED, on=on, kind=cluster.kind)
    land = totals["land"] or Decimal("0")
    leased = totals["leased"] or Decimal("0")
    average = (Decimal(leased) * 100 / Decimal(land)) if land else None
    unleased = Decimal(land) - Decimal(leased)
    if totals["n"] == 0:
        passed = True  # the condition applies only where the area already has established clusters
    else:
        passed = bool(
            (average is not None and avg_needed is not None and average > avg_needed)
            or (max_unleased is not None and unleased <= max_unleased)
        )
    figures = {
        "scope": scope,
        "scope_document": scope_document,
        "clusters": totals["n"],
        "clusters_without_land_figures": totals["missing"],
        "industrial_land_ha": _s(land),
        "leased_ha": _s(leased),
        "unleased_ha": _s(unleased),
        "average_occupancy_pct": _s(average),
        "threshold_pct": _s(avg_needed),
        "max_unleased_ha": _s(max_unleased),
        "rows": [
            {
                "code": r["code"],
                "name": r["name"],
                "status": r["status_on"],
                "industrial_land_ha": _s(r["industrial_land_ha"]),
                "leased_ha": _s(r["leased_on"]),
            }
            for r in rows
        ],
    }
    source = _rule_source(RuleKey.ESTABLISH_AREA_AVG_OCCUPANCY, on, cluster.kind)
    return _item("area_occupancy", passed, figures, f"{source}; Nghị định 139/2025/NĐ-CP" if source else "")


def _cluster_occupancy_item(cluster: Cluster, on: datetime.date) -> dict:
    leased = (
        Cluster.objects.filter(pk=cluster.pk).annotate(x=leased_land_subquery(on)).values_list("x", flat=True).first()
    )
    needed = rule_value(RuleKey.EXPANSION_MIN_OCCUPANCY, on=on, kind=cluster.kind)
    land = cluster.industrial_land_ha
    occupancy = (Decimal(leased) * 100 / land) if land else None
    passed = None if occupancy is None else (needed is None or occupancy >= needed)
    figures = {
        "industrial_land_ha": _s(land),
        "leased_ha": _s(leased),
        "occupancy_pct": _s(occupancy),
        "threshold_pct": _s(needed),
    }
    return _item("occupancy", passed, figures, _rule_source(RuleKey.EXPANSION_MIN_OCCUPANCY, on, cluster.kind) or "")


def _infrastructure_item(cluster: Cluster) -> dict:

    done = dict(
        InfrastructureComponent.objects.filter(
            cluster=cluster, kind__in=(*REQUIRED_COMPONENTS, "wastewater_plant")
        ).values_list("kind", "status")
    )
    plant = WastewaterPlant.objects.filter(cluster=cluster).values_list("status", flat=True).first()
    plant_ok = plant == PlantStatus.OPERATING or (plant is None and done.get("wastewater_plant") == "completed")
    components = {k: done.get(k) == ComponentStatus.COMPLETED for k in REQUIRED_COMPONENTS}
    figures = {"components": components, "wastewater_plant": plant or "", "wastewater_plant_operating": plant_ok}
    return _item("infrastructure", all(components.values()) and plant_ok, figures)


def run_checks(*, cluster: Cluster, kind: str, on: datetime.date, area=None, applicants: int = 0) -> dict:
    """Every condition of Art. 8 for `kind` on `on`, with the figures behind each. `passed` is true only when every
    condition passed (an unknown counts as not passed)."""
    status = cluster_status_on(cluster.pk, on)
    items = []
    if kind == DossierKind.ESTABLISHMENT:
        figures = {"status": status or ""}
        in_plan = status == ClusterStatus.PLANNED
        if status is None:
            # Clusters are entered in the registry from the provincial plan: one entered later as planned was
            # already in the plan; the figures say so, so the reader can check the plan decision.
            first = ClusterEvent.objects.filter(cluster=cluster).order_by("effective_on", "id").first()
            if first is not None and first.to_status == ClusterStatus.PLANNED and first.action == "register":
                in_plan = True
                figures["registered_on"] = first.effective_on.isoformat()
        items.append(_item("in_plan", in_plan, figures))
        items.append(_item("applicant", applicants > 0, {"applicants": applicants}))
        items.append(_area_item(cluster, area if area is not None else cluster.area_planned_ha, on, expansion=False))
        items.append(area_occupancy(cluster, on))
    else:
        items.append(_item("operating", status == ClusterStatus.OPERATING, {"status": status or ""}))
        items.append(_item("applicant", applicants > 0, {"applicants": applicants}))
        items.append(_area_item(cluster, area, on, expansion=True))
        items.append(_cluster_occupancy_item(cluster, on))
        items.append(_infrastructure_item(cluster))
    return {
        "on": on.isoformat(),
        "kind": kind,
        "cluster": cluster.code,
        "passed": all(i["passed"] is True for i in items),
        "items": items,
    }


def describe(item: dict) -> str:
    """One line saying what the figures of a check were, in the reader's language."""
    f = item["figures"]
    key = item["key"]
    if key in ("in_plan", "operating"):
        if f.get("registered_on"):
            day = datetime.date.fromisoformat(f["registered_on"]).strftime("%d/%m/%Y")
            return _("Entered in the registry as planned on %(day)s, after this date.") % {"day": day}
        state = ClusterStatus(f["status"]).label if f.get("status") in ClusterStatus.values else _("not registered")
        return _("State on the date: %(state)s.") % {"state": state}
    if key == "applicant":
        return _("%(n)s application(s).") % {"n": f["applicants"]}
    if key == "area":
        return _("Area %(area)s ha; limits %(low)s–%(high)s ha.") % {
            "area": number(f["area_ha"]),
            "low": number(f["min_ha"]),
            "high": number(f["max_ha"]),
        }
    if key == "area_occupancy":
        if not f["clusters"]:
            return _("No established cluster in the area concerned: the condition does not apply.")
        return _(
            "%(n)s established cluster(s) in the area: industrial land %(land)s ha, leased %(leased)s ha, "
            "unleased %(unleased)s ha, average occupancy %(avg)s %% (needs above %(threshold)s %% or at most "
            "%(max)s ha unleased)."
        ) % {
            "n": f["clusters"],
            "land": number(f["industrial_land_ha"]),
            "leased": number(f["leased_ha"]),
            "unleased": number(f["unleased_ha"]),
            "avg": number(f["average_occupancy_pct"]),
            "threshold": number(f["threshold_pct"]),
            "max": number(f["max_unleased_ha"]),
        }
    if key == "occupancy":
        return _("Leased %(leased)s ha of %(land)s ha industrial land: %(occ)s %% (needs at least %(needed)s %%).") % {
            "leased": number(f["leased_ha"] or 0),
            "land": number(f["industrial_land_ha"]),
            "occ": number(f["occupancy_pct"]),
            "needed": number(f["threshold_pct"]),
        }
    if key == "infrastructure":
        missing = [str(ComponentKind(k).label) for k, ok in f["components"].items() if not ok]
        if not f["wastewater_plant_operating"]:
            missing.append(str(_("central wastewater plant in operation")))
        return (
            _("Not yet in operation: %(missing)s.") % {"missing": ", ".join(missing)} if missing else _("All in use.")
        )
    return ""

"""Progress and forecast of a target: the actual value now, its trajectory, a projection to the deadline from the
recent rate capped by the clusters already in the pipeline, a verdict (met, on track, at risk, missed) and a plain
sentence. The method is explained in docs/plans-forecast.md; `project()` and `months_to_reach()` are pure functions
so the method can be checked by hand."""

from __future__ import annotations

import calendar
import dataclasses
import datetime
import math
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ccn.clusters.choices import LIFECYCLE_ORDER
from ccn.clusters.choices import ClusterStatus as S
from ccn.core.templatetags.ccn import num

from .choices import ScopeKind, Unit, Verdict
from .facts import SQL_FIGURES
from .indicators import Indicator, Scope, get_indicator

# The shortest time (months) a cluster stays in a stage before it can reach the next one: the Decree 32/2024
# procedures for establishment (about 3 months of legal time limits, plus the investor's dossier), the 1/500 plan
# and the infrastructure project; clearance can start as soon as the project is approved; a cluster under
# construction can open as soon as its works are done.
LEAD_MONTHS = {
    S.PLANNED: 6,
    S.ESTABLISHED: 3,
    S.DETAILED_PLAN_APPROVED: 3,
    S.INFRASTRUCTURE_APPROVED: 0,
    S.LAND_CLEARANCE: 3,
    S.UNDER_CONSTRUCTION: 0,
}
RATE_WINDOW_DAYS = 365
DAYS_PER_MONTH = Decimal("30.4375")
COUNT_UNITS = (Unit.COUNT, Unit.PROJECTS, Unit.PEOPLE, Unit.ITEMS)


def months_to_reach(state: str, states: tuple[str, ...]) -> int | None:
    """The shortest time (months) from `state` to any of `states` along the lifecycle; None if it cannot get there
    (a side state, or already past). A cluster operating without establishment is placed with planned ones: it
    needs an establishment decision first."""
    order = list(LIFECYCLE_ORDER)
    targets = [order.index(s) for s in states if s in order]
    if not targets:
        return None
    goal = min(targets)
    if state == S.OPERATING_UNESTABLISHED:
        state = S.PLANNED
    if state not in order:
        return None
    start = order.index(state)
    if start >= goal:
        return None
    return sum(LEAD_MONTHS[order[k]] for k in range(start, goal))


def reachable_states(states: tuple[str, ...], months_left: Decimal) -> list[str]:
    """States from which a cluster can still reach `states` within `months_left`."""
    out = []
    for state in (*LIFECYCLE_ORDER, S.OPERATING_UNESTABLISHED):
        if state in states:
            continue
        needed = months_to_reach(state, states)
        if needed is not None and needed <= months_left:
            out.append(state)
    return out


def project(
    *,
    actual: Decimal,
    earlier: Decimal,
    window_days: int,
    days_left: int,
    pipeline: int | None,
    whole: bool,
    ceiling: Decimal | None = None,
) -> tuple[Decimal, Decimal]:
    """(projected value at the deadline, rate per year). The rate is the change over the last `window_days`;
    a count is rounded down (a cluster half-way does not count) and capped by `actual + pipeline`."""
    rate_per_day = (actual - earlier) / Decimal(window_days) if window_days > 0 else Decimal(0)
    projected = actual + rate_per_day * Decimal(max(days_left, 0))
    if whole:
        projected = projected.quantize(Decimal(1), rounding=ROUND_FLOOR)
    else:
        projected = projected.quantize(Decimal("0.1"))
    if pipeline is not None:
        projected = min(projected, actual + pipeline)
    if ceiling is not None:
        projected = min(projected, ceiling)
    projected = max(projected, Decimal(0))
    return projected, (rate_per_day * 365).quantize(Decimal("0.01"))


@dataclass
class Progress:
    target: object
    indicator: Indicator | None
    as_of: datetime.date
    actual: Decimal | None = None
    projected: Decimal | None = None
    rate_per_year: Decimal | None = None
    pipeline: int | None = None
    verdict: str = Verdict.NO_DATA
    sentence: str = ""
    past_deadline: bool = False
    trajectory: list[tuple[datetime.date, Decimal | None]] = field(default_factory=list)

    @property
    def share(self) -> Decimal | None:
        """Actual as a % of the target's lower bound (for a progress bar)."""
        if self.actual is None or not self.target.value_min:
            return None
        return min(Decimal(100), (self.actual * 100 / self.target.value_min).quantize(Decimal("0.1")))

    def as_dict(self) -> dict:
        return {
            "as_of": self.as_of,
            "actual": self.actual,
            "projected": self.projected,
            "rate_per_year": self.rate_per_year,
            "pipeline": self.pipeline,
            "verdict": self.verdict,
            "sentence": self.sentence,
            "past_deadline": self.past_deadline,
            "trajectory": [{"on": d, "value": v} for d, v in self.trajectory],
        }


def needed_days(target, as_of: datetime.date) -> list[datetime.date]:
    """The days `evaluate` reads the target's indicator on."""
    if as_of >= target.deadline:
        return [target.deadline]
    return [as_of - datetime.timedelta(days=RATE_WINDOW_DAYS), as_of]


def target_scope(target, *, restrict: Q | None = None) -> Scope:
    kind = target.scope_kind
    scope = Scope(province_id=target.plan.province_id, counts_from=target.counts_from, restrict=restrict, kind=kind)
    if kind == ScopeKind.COMMUNE and target.commune_id:
        scope.commune_ids = (target.commune_id,)
    elif kind in (ScopeKind.CLUSTERS, ScopeKind.CLUSTER):
        ids = getattr(target, "_cluster_ids", None)
        if ids is None:
            ids = tuple(target.clusters.values_list("pk", flat=True))
        scope.cluster_ids = tuple(ids) or (0,)
    return scope


def fmt_day(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def fmt_value(value, unit: str) -> str:
    if value is None:
        return "—"
    digits = 0 if unit in COUNT_UNITS else (1 if unit == Unit.PERCENT else 2)
    text = num(value, digits)
    if unit == Unit.PERCENT:
        return f"{text} %"
    if unit == Unit.HECTARE:
        return f"{text} ha"
    return text


def fmt_target(target, unit: str) -> str:
    if target.is_range:
        low = fmt_value(target.value_min, Unit.COUNT if unit in COUNT_UNITS else unit).rstrip(" %ha")
        return f"{low}–{fmt_value(target.value_max, unit)}"
    return fmt_value(target.value_min, unit)


def has_pipeline(indicator: Indicator) -> bool:
    """Whether a target on the indicator has a pipeline: counts of clusters past the first stage of the lifecycle
    (new clusters enter the plan by amendment, not from the registry's pipeline)."""
    if not indicator.states or indicator.unit != Unit.COUNT:
        return False
    order = list(LIFECYCLE_ORDER)
    return min((order.index(s) for s in indicator.states if s in order), default=0) != 0


def _pipeline(indicator: Indicator, scope: Scope, day: datetime.date, months_left: Decimal, figures) -> int | None:
    """Clusters in the scope that do not count yet but can still reach the indicator's states in time."""
    if not has_pipeline(indicator):
        return None
    candidates = reachable_states(indicator.states, months_left)
    return figures.count_in_states(scope, day, candidates, indicator.states if indicator.is_flow else None)


def month_ends(start: datetime.date, end: datetime.date, *, max_points: int = 36) -> list[datetime.date]:
    """Month ends from `start` to `end` (quarter ends when that is too many points), always ending on `end`."""
    points = []
    y, m = start.year, start.month
    while True:
        last = datetime.date(y, m, calendar.monthrange(y, m)[1])
        if last >= end:
            break
        points.append(last)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    if len(points) > max_points:
        points = [p for p in points if p.month in (3, 6, 9, 12)]
    if len(points) > max_points:
        points = [p for p in points if p.month == 12]
    return [*points, end]


def evaluate(
    target, *, as_of: datetime.date | None = None, trajectory: bool = False, restrict=None, figures=None
) -> Progress:
    """The progress of one target on `as_of` (default today). `figures` computes the indicator's values (default:
    its own SQL; `ccn.plans.facts.Facts` reads them for many targets at once)."""
    as_of = as_of or timezone.localdate()
    figures = figures or SQL_FIGURES
    indicator = get_indicator(target.indicator)
    progress = Progress(target=target, indicator=indicator, as_of=as_of)
    if indicator is None:
        progress.sentence = _("The indicator “%(key)s” is not in the catalogue.") % {"key": target.indicator}
        return progress
    scope = target_scope(target, restrict=restrict)
    unit = indicator.unit
    deadline = target.deadline
    target_text = fmt_target(target, unit)
    if as_of >= deadline:
        progress.past_deadline = True
        progress.actual = figures.value(indicator, scope, deadline)
        if trajectory:
            progress.trajectory = _trajectory(target, indicator, scope, deadline)
        if progress.actual is None:
            progress.sentence = _("No data to compute this figure.")
            return progress
        progress.verdict = Verdict.MET if progress.actual >= target.value_min else Verdict.MISSED
        progress.sentence = (
            _("On %(deadline)s the figure was %(actual)s against a target of %(target)s: met.")
            if progress.verdict == Verdict.MET
            else _("On %(deadline)s the figure was %(actual)s against a target of %(target)s: missed.")
        ) % {"deadline": fmt_day(deadline), "actual": fmt_value(progress.actual, unit), "target": target_text}
        return progress

    earlier_day = as_of - datetime.timedelta(days=RATE_WINDOW_DAYS)
    rate_scope = dataclasses.replace(scope, counts_from=None) if indicator.is_flow else scope
    if indicator.is_flow:
        progress.actual = figures.value(indicator, scope, as_of)
        earlier, now_cumulative = figures.values(indicator, rate_scope, [earlier_day, as_of])
    else:
        earlier, progress.actual = figures.values(indicator, scope, [earlier_day, as_of])
        now_cumulative = progress.actual
    if trajectory:
        progress.trajectory = _trajectory(target, indicator, scope, as_of)
    if progress.actual is None:
        progress.sentence = _("No data to compute this figure.")
        return progress
    days_left = (deadline - as_of).days
    months_left = Decimal(days_left) / DAYS_PER_MONTH
    progress.pipeline = _pipeline(indicator, scope, as_of, months_left, figures)
    growth = (now_cumulative or Decimal(0)) - (earlier if earlier is not None else (now_cumulative or Decimal(0)))
    progress.projected, progress.rate_per_year = project(
        actual=progress.actual,
        earlier=progress.actual - growth,
        window_days=RATE_WINDOW_DAYS,
        days_left=days_left,
        pipeline=progress.pipeline,
        whole=unit in COUNT_UNITS,
        ceiling=Decimal(100) if unit == Unit.PERCENT else None,
    )
    if progress.actual >= target.value_min:
        progress.verdict = Verdict.MET
    elif progress.projected >= target.value_min:
        progress.verdict = Verdict.ON_TRACK
    else:
        progress.verdict = Verdict.AT_RISK
    progress.sentence = _sentence(progress, indicator, target_text, deadline)
    return progress


def _sentence(progress: Progress, indicator: Indicator, target_text: str, deadline: datetime.date) -> str:
    unit = indicator.unit
    values = {
        "projected": fmt_value(progress.projected, unit),
        "target": target_text,
        "deadline": fmt_day(deadline),
        "indicator": str(indicator.label)[:1].lower() + str(indicator.label)[1:],
        "actual": fmt_value(progress.actual, unit),
    }
    if progress.verdict == Verdict.MET:
        return _("Already %(actual)s against a target of %(target)s: met before %(deadline)s.") % values
    if indicator.forecast_phrase:
        text = str(indicator.forecast_phrase) % values
        text = text[:1].upper() + text[1:] + "."
    else:
        text = (
            _(
                "At the current rate %(indicator)s will be %(projected)s by %(deadline)s, "
                "against a target of %(target)s."
            )
            % values
        )
    if progress.pipeline == 0:
        text += " " + _("No cluster in the pipeline can still get there in time.")
    elif progress.pipeline is not None:
        text += " " + _("%(count)s more clusters already in the pipeline can still get there in time.") % {
            "count": num(progress.pipeline, 0)
        }
    return text


def _trajectory(target, indicator: Indicator, scope: Scope, end: datetime.date):
    start = target.counts_from or target.plan.issued_on
    if start >= end:
        start = end - datetime.timedelta(days=365)
    start = max(start, end - datetime.timedelta(days=365 * 10))
    days = month_ends(start, end)
    return list(zip(days, indicator.values(scope, days), strict=True))


def whole_months(days: int) -> int:
    return math.floor(Decimal(days) / DAYS_PER_MONTH)

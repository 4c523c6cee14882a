"""The targets section of a cluster's page: targets set on this cluster (or on a list including it) and their
verdict today. Signed-in users in scope only; the public sees nothing."""

from . import selectors
from .choices import VERDICT_COLOURS, Verdict
from .forecast import fmt_target, fmt_value

# The models whose scope rules decide what the panel shows (the cached cluster page is keyed by them).
SCOPE_MODELS = ("plans.Target",)


def cluster_panels(request, cluster) -> list[tuple[str, dict]]:
    if not request.user.is_authenticated:
        return []

    targets = selectors.cluster_targets(user=request.user, cluster=cluster)
    if not targets:
        return []
    rows = []
    for p in selectors.targets_progress(targets):
        unit = p.indicator.unit if p.indicator else "count"
        rows.append(
            {
                "target": p.target,
                "target_text": fmt_target(p.target, unit),
                "actual_text": fmt_value(p.actual, unit),
                "verdict_label": Verdict(p.verdict).label,
                "verdict_colour": VERDICT_COLOURS[p.verdict],
            }
        )
    return [("plans/_cluster_panel.html", {"rows": rows})]

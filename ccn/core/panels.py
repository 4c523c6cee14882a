"""Panels other apps add to a cluster's page. An app declares `cluster_panels(request, cluster)` in its
`panels.py`, returning a list of (template name, context dict); the cluster page renders them in order."""

from .discovery import app_modules

PANEL_APPS = ("tenants", "infrastructure", "plans", "obstacles", "procedures", "portal", "maps")


def cluster_panels(request, cluster) -> list[tuple[str, dict]]:
    panels = []
    for module in app_modules("panels", PANEL_APPS):
        panels.extend(module.cluster_panels(request, cluster))
    return panels


def scope_models() -> tuple[str, ...] | None:
    """The models whose scope rules decide what the panels show (each panel module's `SCOPE_MODELS`); None when a
    panel does not say, so the page is then kept per user (ccn/core/pagecache.py)."""
    models: list[str] = []
    for module in app_modules("panels", PANEL_APPS):
        if not hasattr(module, "SCOPE_MODELS"):
            return None
        models.extend(module.SCOPE_MODELS)
    return tuple(models)

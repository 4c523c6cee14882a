"""The menu: the navigation each app declares in its nav.py, grouped and ordered for one role.

Each app's `nav.py` declares `GROUP` (one of `NAV_GROUPS`) and `ITEMS`, tuples of
`(url name, label, roles or None for every signed-in user[, options])`; options may name another `group` and
`first_for`, the roles for which the entry is their own (it and its group come first in their menu). The core only
renders: six groups in a fixed order, the groups holding the role's own entries moved to the front.
"""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .discovery import app_modules

NAV_APPS = (
    "clusters",
    "tenants",
    "infrastructure",
    "reports",
    "exchange",
    "plans",
    "obstacles",
    "procedures",
    "maps",
    "portal",
    "jobs",
)

NAV_GROUPS = {
    "registry": _("Registry"),
    "reports": _("Reports"),
    "plans": _("Plans and targets"),
    "obstacles": _("Obstacles"),
    "procedures": _("Procedures"),
    "map": _("Map and portal"),
}


def _declared_items():
    for module in app_modules("nav", NAV_APPS):
        default_group = getattr(module, "GROUP", "registry")
        for entry in getattr(module, "ITEMS", []):
            url_name, label, roles = entry[:3]
            options = entry[3] if len(entry) > 3 else {}
            yield url_name, label, roles, options.get("group", default_group), options.get("first_for", ())


def nav_groups(role: str | None, path: str = "") -> list[dict]:
    """The menu of one role (`ccn.accounts.scope.role_of(user)`): groups of `{url, label, own, current}` entries, the
    role's own groups first; `path` marks the current page."""
    groups = {
        key: {"key": key, "label": label, "items": [], "own": False, "current": False}
        for key, label in NAV_GROUPS.items()
    }
    for url_name, label, roles, group, first_for in _declared_items():
        if roles is not None and role not in roles:
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        own = role in first_for
        groups[group]["items"].append({"url": url, "label": label, "own": own, "current": False})
        groups[group]["own"] = groups[group]["own"] or own
    # The current page: the entry whose address is the longest prefix of the path.
    best = None
    for group in groups.values():
        group["items"].sort(key=lambda item: not item["own"])  # stable: own entries first, then declared order
        for item in group["items"]:
            if path.startswith(item["url"]) and (best is None or len(item["url"]) > len(best[1]["url"])):
                best = (group, item)
    if best:
        best[0]["current"] = True
        best[1]["current"] = True
    ordered = [g for g in groups.values() if g["items"]]
    ordered.sort(key=lambda g: not g["own"])
    return ordered

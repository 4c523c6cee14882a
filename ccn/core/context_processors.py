"""Template context shared by every page, including the navigation each app declares in its nav.py."""

import importlib

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from ccn.accounts.scope import role_of

NAV_APPS = [
    "clusters",
    "tenants",
    "infrastructure",
    "reports",
    "plans",
    "obstacles",
    "procedures",
    "maps",
    "portal",
]


def _nav_items(user):
    role = role_of(user)
    items = []
    for app in NAV_APPS:
        try:
            module = importlib.import_module(f"ccn.{app}.nav")
        except ModuleNotFoundError:
            continue
        for url_name, label, roles in getattr(module, "ITEMS", []):
            if roles is not None and role not in roles:
                continue
            try:
                items.append({"url": reverse(url_name), "label": label})
            except NoReverseMatch:
                continue
    return items


def site(request):
    user = getattr(request, "user", None)
    return {
        "MAP_TILE_URL": settings.MAP_TILE_URL,
        "MAP_TILE_ATTRIBUTION": settings.MAP_TILE_ATTRIBUTION,
        "user_role": role_of(user),
        "nav_items": _nav_items(user) if user is not None and user.is_authenticated else [],
    }

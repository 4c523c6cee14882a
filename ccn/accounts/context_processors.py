"""Template context shared by every page: the user's role, their menu (ccn/core/menus.py) and the map tiles."""

from django.conf import settings

from ccn.core.menus import nav_groups

from .scope import role_of


def site(request):
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    role = role_of(user)
    return {
        "MAP_TILE_URL": settings.MAP_TILE_URL,
        "MAP_TILE_ATTRIBUTION": settings.MAP_TILE_ATTRIBUTION,
        "user_role": role,
        "nav_groups": nav_groups(role, request.path) if signed_in else [],
    }

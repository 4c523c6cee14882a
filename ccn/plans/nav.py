"""Navigation entries of plans and the dashboard (every signed-in role; each sees its own scope)."""

from django.utils.translation import gettext_lazy as _

ITEMS = [
    ("plans:dashboard", _("Dashboard"), None),
    ("plans:list", _("Plans and targets"), None),
]

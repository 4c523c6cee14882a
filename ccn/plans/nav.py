"""Navigation entries of plans and the dashboard (every signed-in role; each sees its own scope)."""

from django.utils.translation import gettext_lazy as _

from ccn.accounts.choices import Role

GROUP = "plans"

ITEMS = [
    ("plans:dashboard", _("Dashboard"), None, {"first_for": (Role.PROVINCE_APPROVER, Role.MINISTRY_VIEWER)}),
    ("plans:list", _("Plans and targets"), None),
]

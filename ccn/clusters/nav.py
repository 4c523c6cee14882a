"""Navigation entries of the registry (url name, label, roles or None for every signed-in user)."""

from django.utils.translation import gettext_lazy as _

ITEMS = [
    ("clusters:list", _("Clusters"), None),
    ("clusters:organisations", _("Organisations"), None),
]

"""Navigation entries of the registry (url name, label, roles or None for every signed-in user)."""

from django.utils.translation import gettext_lazy as _

from ccn.accounts.choices import Role

GROUP = "registry"

ITEMS = [
    ("clusters:list", _("Clusters"), None, {"first_for": (Role.PROVINCE_EDITOR, Role.COMMUNE_OFFICER, Role.ADMIN)}),
    ("clusters:organisations", _("Organisations"), None),
]

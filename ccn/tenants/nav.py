"""Navigation entries of the tenants app."""

from django.utils.translation import gettext_lazy as _

from ccn.accounts.choices import Role

GROUP = "registry"

ITEMS = [
    ("tenants:list", _("Tenant projects"), None, {"first_for": (Role.TENANT,)}),
    (
        "tenants:import",
        _("Import"),
        (Role.ADMIN, Role.PROVINCE_EDITOR, Role.PROVINCE_APPROVER, Role.INVESTOR),
    ),
]

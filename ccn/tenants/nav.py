"""Navigation entries of the tenants app."""

from django.utils.translation import gettext_lazy as _

from ccn.accounts.choices import Role

ITEMS = [
    ("tenants:list", _("Tenant projects"), None),
    (
        "tenants:import",
        _("Import"),
        (Role.ADMIN, Role.PROVINCE_EDITOR, Role.PROVINCE_APPROVER, Role.INVESTOR),
    ),
]

"""Navigation entries of the portal (url name, label, roles or None for every signed-in user)."""

from django.utils.translation import gettext_lazy as _

from ccn.accounts.choices import Role

GROUP = "map"

ITEMS = [
    ("portal:search", _("Investor portal"), None, {"first_for": (Role.INVESTOR, Role.TENANT)}),
    (
        "portal:leads",
        _("Inquiries"),
        (Role.ADMIN, Role.PROVINCE_EDITOR, Role.PROVINCE_APPROVER, Role.INVESTOR),
        {"first_for": (Role.INVESTOR,)},
    ),
]

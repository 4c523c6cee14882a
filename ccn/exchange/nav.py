"""Navigation entry of the exchange between instances."""

from django.utils.translation import gettext_lazy as _

from ccn.accounts.choices import Role

GROUP = "reports"

ITEMS = [
    (
        "exchange:index",
        _("Exchange with the Ministry"),
        (Role.ADMIN, Role.MINISTRY_VIEWER, Role.PROVINCE_EDITOR, Role.PROVINCE_APPROVER),
    ),
    (
        "exchange:history",
        _("Import a province's history"),
        (Role.ADMIN, Role.PROVINCE_EDITOR, Role.PROVINCE_APPROVER),
    ),
]

"""Navigation entries of the reports (url name, label, roles or None for every signed-in user)."""

from django.utils.translation import gettext_lazy as _

from ccn.accounts.choices import Role

ITEMS = [
    ("reports:index", _("Reports"), None),
    (
        "reports:completeness",
        _("Completeness"),
        (
            Role.ADMIN,
            Role.MINISTRY_VIEWER,
            Role.PROVINCE_EDITOR,
            Role.PROVINCE_APPROVER,
            Role.COMMUNE_OFFICER,
            Role.INVESTOR,
        ),
    ),
    (
        "reports:national",
        _("National table"),
        (Role.ADMIN, Role.MINISTRY_VIEWER, Role.PROVINCE_EDITOR, Role.PROVINCE_APPROVER),
    ),
]

"""Navigation entries of the reports (url name, label, roles or None for every signed-in user)."""

from django.utils.translation import gettext_lazy as _

from ccn.accounts.choices import Role

GROUP = "reports"

ITEMS = [
    (
        "reports:index",
        _("Reports"),
        None,
        {"first_for": (Role.PROVINCE_EDITOR, Role.MINISTRY_VIEWER, Role.INVESTOR, Role.TENANT)},
    ),
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
        {"first_for": (Role.MINISTRY_VIEWER,)},
    ),
    (
        "reports:quality",
        _("Data quality"),
        (Role.ADMIN, Role.MINISTRY_VIEWER, Role.PROVINCE_EDITOR, Role.PROVINCE_APPROVER),
    ),
]

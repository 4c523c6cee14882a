"""Navigation entries of the obstacles app (url name, label, roles or None for every signed-in user)."""

from django.utils.translation import gettext_lazy as _

from ccn.accounts.choices import Role

READERS = (
    Role.ADMIN,
    Role.MINISTRY_VIEWER,
    Role.PROVINCE_EDITOR,
    Role.PROVINCE_APPROVER,
    Role.COMMUNE_OFFICER,
    Role.INVESTOR,
)
PROVINCE = (Role.ADMIN, Role.MINISTRY_VIEWER, Role.PROVINCE_EDITOR, Role.PROVINCE_APPROVER)

GROUP = "obstacles"

ITEMS = [
    ("obstacles:list", _("Obstacles"), READERS),
    (
        "obstacles:queue",
        _("My queue"),
        (Role.ADMIN, Role.PROVINCE_EDITOR, Role.PROVINCE_APPROVER, Role.COMMUNE_OFFICER),
        {"first_for": (Role.COMMUNE_OFFICER, Role.PROVINCE_APPROVER)},
    ),
    ("obstacles:meetings", _("Review meetings"), PROVINCE),
    ("obstacles:conferences", _("Dialogue conferences"), PROVINCE),
]

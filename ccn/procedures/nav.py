"""Navigation entries of the procedures app (url name, label, roles or None for every signed-in user)."""

from django.utils.translation import gettext_lazy as _

from ccn.accounts.choices import Role

ROLES = (Role.ADMIN, Role.MINISTRY_VIEWER, Role.PROVINCE_EDITOR, Role.PROVINCE_APPROVER, Role.COMMUNE_OFFICER)

GROUP = "procedures"

ITEMS = [
    ("procedures:dossiers", _("Dossiers"), ROLES, {"first_for": (Role.PROVINCE_EDITOR,)}),
    ("procedures:inspections", _("Inspections"), ROLES),
    ("procedures:relocations", _("Relocation"), ROLES),
]

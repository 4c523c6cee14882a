"""Roles of users (see docs/roles.md for what each sees and writes)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("System administrator")
    MINISTRY_VIEWER = "ministry_viewer", _("Ministry viewer")
    PROVINCE_EDITOR = "province_editor", _("Province editor")
    PROVINCE_APPROVER = "province_approver", _("Province approver")
    COMMUNE_OFFICER = "commune_officer", _("Commune officer")
    INVESTOR = "investor", _("Infrastructure investor")
    TENANT = "tenant", _("Tenant enterprise")


PROVINCE_ROLES = (Role.PROVINCE_EDITOR, Role.PROVINCE_APPROVER)
ORGANISATION_ROLES = (Role.INVESTOR, Role.TENANT)

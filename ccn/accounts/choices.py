"""Roles of users (see docs/roles.md for what each sees and writes)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("System administrator")
    MINISTRY_VIEWER = "ministry_viewer", _("Ministry viewer")
    PROVINCE_EDITOR = "province_editor", _("Province editor")
    PROVINCE_APPROVER = "province_approver", _("Province approver")
    DEPARTMENT_LEADER = "department_leader", _("Department leader")
    PEOPLE_COMMITTEE = "people_committee", _("Provincial People's Committee member")
    STATISTICS_OFFICE = "statistics_office", _("Statistics office")
    COMMUNE_OFFICER = "commune_officer", _("Commune officer")
    INVESTOR = "investor", _("Infrastructure investor")
    TENANT = "tenant", _("Tenant enterprise")


PROVINCE_ROLES = (Role.PROVINCE_EDITOR, Role.PROVINCE_APPROVER)  # the Department's officers, who write
# The province's readers and deciders outside the Department's desk: its leaders, the People's Committee members who
# decide and chair the selection council, the statistics office that receives Forms 01/02 (docs/roles.md).
PROVINCE_LEADERS = (Role.DEPARTMENT_LEADER, Role.PEOPLE_COMMITTEE)
PROVINCE_SCOPED = (*PROVINCE_ROLES, *PROVINCE_LEADERS, Role.STATISTICS_OFFICE)  # every role bound to one province
ORGANISATION_ROLES = (Role.INVESTOR, Role.TENANT)

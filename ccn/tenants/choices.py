"""Choices of tenant projects."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    UNDER_CONSTRUCTION = "under_construction", _("Under construction")
    OPERATING = "operating", _("Operating")
    SUSPENDED = "suspended", _("Suspended")
    STOPPED = "stopped", _("Stopped")


PROJECT_STATUS_COLOURS = {
    ProjectStatus.REGISTERED: "grey",
    ProjectStatus.UNDER_CONSTRUCTION: "amber",
    ProjectStatus.OPERATING: "green",
    ProjectStatus.SUSPENDED: "orange",
    ProjectStatus.STOPPED: "red",
}

# Projects whose lease counts towards leased land (a stopped project has handed its land back).
LEASING_STATUSES = (
    ProjectStatus.REGISTERED,
    ProjectStatus.UNDER_CONSTRUCTION,
    ProjectStatus.OPERATING,
    ProjectStatus.SUSPENDED,
)


class Currency(models.TextChoices):
    VND = "VND", "VND"
    USD = "USD", "USD"


# The words an import file may use for each status (Vietnamese first, English last).
PROJECT_STATUS_WORDS = {
    ProjectStatus.REGISTERED: ("Đã đăng ký", "Đăng ký", "Registered"),
    ProjectStatus.UNDER_CONSTRUCTION: ("Đang xây dựng", "Under construction"),
    ProjectStatus.OPERATING: ("Đang hoạt động", "Hoạt động", "Operating"),
    ProjectStatus.SUSPENDED: ("Tạm dừng", "Suspended"),
    ProjectStatus.STOPPED: ("Chấm dứt", "Dừng hoạt động", "Stopped"),
}


class ImportKind(models.TextChoices):
    CLUSTERS = "clusters", _("Clusters")
    TENANTS = "tenants", _("Tenant projects")

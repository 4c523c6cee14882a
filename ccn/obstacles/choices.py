"""Choices of the obstacles app: agency kinds, obstacle categories and states (each state with a badge colour)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyKind(models.TextChoices):
    DEPARTMENT = "department", _("Provincial department")
    PEOPLES_COMMITTEE = "peoples_committee", _("Provincial People's Committee")
    COMMUNE = "commune", _("Commune People's Committee")
    UTILITY = "utility", _("Utility")
    OTHER = "other", _("Other agency")


class Category(models.TextChoices):
    SITE_CLEARANCE = "site_clearance", _("Site clearance and compensation")
    LAND_PRICE = "land_price", _("Land price approval")
    PLANNING = "planning", _("Planning")
    INVESTMENT_PROCEDURE = "investment_procedure", _("Investment procedure")
    CAPITAL = "capital", _("Capital")
    POWER_SUPPLY = "power_supply", _("Power supply")
    WASTEWATER_ENVIRONMENT = "wastewater_environment", _("Wastewater and environment")
    INVESTOR_CAPACITY = "investor_capacity", _("Infrastructure investor's capacity")
    OTHER = "other", _("Other")


class ObstacleStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    ESCALATED = "escalated", _("Escalated to the People's Committee")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


STATUS_COLOURS = {
    ObstacleStatus.OPEN: "orange",
    ObstacleStatus.IN_PROGRESS: "blue",
    ObstacleStatus.ESCALATED: "red",
    ObstacleStatus.RESOLVED: "green",
    ObstacleStatus.CLOSED: "dark",
}

# States in which an obstacle still blocks its cluster and counts for overdue and ageing figures.
ACTIVE_STATES = (ObstacleStatus.OPEN, ObstacleStatus.IN_PROGRESS, ObstacleStatus.ESCALATED)


class ActionStatus(models.TextChoices):
    OPEN = "open", _("To do")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


ACTION_COLOURS = {
    ActionStatus.OPEN: "orange",
    ActionStatus.IN_PROGRESS: "blue",
    ActionStatus.DONE: "green",
    ActionStatus.CANCELLED: "grey",
}
ACTIVE_ACTION_STATES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class EventKind(models.TextChoices):
    RAISED = "raised", _("Raised")
    STATUS = "status", _("State changed")
    REASSIGNED = "reassigned", _("Reassigned")
    DEADLINE = "deadline", _("Deadline changed")
    EDITED = "edited", _("Edited")
    ACTION_ADDED = "action_added", _("Action added")
    ACTION_STATUS = "action_status", _("Action updated")
    NOTE = "note", _("Note")
    ATTACHMENT = "attachment", _("Attachment")


class RecommendationStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting an answer")
    ANSWERED = "answered", _("Answered")
    OBSTACLE = "obstacle", _("Turned into an obstacle")


RECOMMENDATION_COLOURS = {
    RecommendationStatus.PENDING: "orange",
    RecommendationStatus.ANSWERED: "green",
    RecommendationStatus.OBSTACLE: "purple",
}


class NotificationKind(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    ACTION_ASSIGNED = "action_assigned", _("Action assigned")
    DUE_SOON = "due_soon", _("Deadline in a week")
    OVERDUE = "overdue", _("Overdue")


REMINDER_KINDS = (NotificationKind.DUE_SOON, NotificationKind.OVERDUE)

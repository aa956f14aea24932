"""The states a goal and a check-in's confidence can have."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class GoalStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    ACHIEVED = "achieved", _("achieved")
    STOPPED = "stopped", _("stopped")
    ARCHIVED = "archived", _("archived")


class Confidence(models.TextChoices):
    ON_TRACK = "on_track", _("on track")
    NEEDS_ATTENTION = "needs_attention", _("needs attention")
    OFF_TRACK = "off_track", _("off track")


class GoalPhase(models.TextChoices):
    """Where a goal stands in its life on a given day (doelen.lifecycle.goal_phase)."""

    PLANNED = "planned", _("planned")
    RUNNING = "running", _("running")
    OVERDUE = "overdue", _("overdue")
    FINISHED = "finished", _("finished")

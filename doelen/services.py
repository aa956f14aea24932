"""Writes about team goals and their progress."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from doelen.models import CheckIn, Confidence, Goal, GoalStatus
from teams.models import Employee


@transaction.atomic
def goal_check_in(
    *,
    goal: Goal,
    author: Employee,
    value: Decimal,
    confidence: str = Confidence.ON_TRACK,
    comment: str = "",
) -> CheckIn:
    """Record progress on an active goal. Check-ins are appended, never changed."""
    goal = Goal.objects.select_for_update().get(pk=goal.pk)
    if goal.status != GoalStatus.ACTIVE:
        raise ValidationError(_("Progress can only be recorded on an active goal."))
    if not goal.value_in_range(value):
        raise ValidationError({"value": _("This value does not fit how the goal is measured.")})
    check_in = CheckIn(
        goal=goal, author=author, value=value, confidence=confidence, comment=comment.strip()
    )
    check_in.full_clean()
    check_in.save()
    return check_in

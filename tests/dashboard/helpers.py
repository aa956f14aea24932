"""Builders for dashboard tests: a team with goals, check-ins, members and roles."""

import datetime
from decimal import Decimal

from django.utils import timezone

from doelen.models import CheckIn, Confidence
from tests.factories import (
    CheckInFactory,
    EmployeeFactory,
    GoalFactory,
    MembershipFactory,
    RoleAssignmentFactory,
    role,
)

TZ = timezone.get_default_timezone()
ROLE_SLUGS = ("ondernemer", "samenwerkingspartner", "vakman", "facilitator")


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=TZ)


def check_in(goal, *, when, value, confidence=Confidence.ON_TRACK, author=None) -> CheckIn:
    return CheckInFactory(
        goal=goal,
        author=author or EmployeeFactory(),
        value=Decimal(value),
        confidence=confidence,
        comment="" if confidence == Confidence.ON_TRACK else "Er is iets aan de hand.",
        created_at=when,
    )


def staff(team, *, holders=2, roles=ROLE_SLUGS, since=None):
    """Give the team members so that each role in `roles` has `holders` holders."""
    since = since or timezone.localdate() - datetime.timedelta(days=400)
    people = []
    for slug in roles:
        for _ in range(holders):
            membership = MembershipFactory(team=team, since=since)
            RoleAssignmentFactory(
                employee=membership.employee, team=team, role=role(slug), since=since
            )
            people.append(membership.employee)
    return people


def busy_team(team, *, goals=3, today=None):
    """A team with goals that are updated and have history, and all roles covered."""
    today = today or timezone.localdate()
    staff(team)
    made = []
    for index in range(goals):
        goal = GoalFactory(
            team=team,
            start_date=today - datetime.timedelta(days=200),
            due_date=today + datetime.timedelta(days=100),
        )
        for weeks_ago in (30, 20, 10, 4, 1):
            check_in(
                goal,
                when=at(today - datetime.timedelta(weeks=weeks_ago)),
                value=min(95, 20 + index + (30 - weeks_ago) * 2),
                confidence=Confidence.ON_TRACK if weeks_ago % 2 else Confidence.NEEDS_ATTENTION,
            )
        made.append(goal)
    return made

"""Helpers for the development programme's tests (also used by tests/e2e/test_scan.py)."""

import datetime

from django.utils import timezone

from common.signals import send_rows_changed
from ontwikkeling.models import Answer, ScanResponse, ScanRound, Statement, Theme
from tests.factories import EmployeeFactory, MembershipFactory


def make_round(team, *, opened_by=None, opens_on=None, closes_on=None) -> ScanRound:
    today = timezone.localdate()
    opens_on = opens_on or today
    return ScanRound.objects.create(
        team=team,
        opens_on=opens_on,
        closes_on=closes_on or opens_on + datetime.timedelta(days=14),
        created_by=opened_by or EmployeeFactory(),
    )


def scores_for(per_theme: dict[str, int] | int) -> dict[int, int]:
    """{statement_id: score} for every active statement: one score for all, or per theme
    slug (themes not named get 3)."""
    result = {}
    for statement in Statement.objects.active().select_related("theme"):
        if isinstance(per_theme, int):
            result[statement.pk] = per_theme
        else:
            result[statement.pk] = per_theme.get(statement.theme.slug, 3)
    return result


def respond(scan_round, person, per_theme: dict[str, int] | int = 3) -> ScanResponse:
    """Store a response directly in the database (bypassing the service)."""
    response = ScanResponse.objects.create(round=scan_round, respondent=person)
    answers = Answer.objects.bulk_create(
        Answer(response=response, statement_id=statement_id, score=score)
        for statement_id, score in scores_for(per_theme).items()
    )
    send_rows_changed(Answer, [answer.pk for answer in answers])  # as bulk loaders do
    return response


def new_member(team, **kwargs):
    employee = EmployeeFactory(**kwargs)
    MembershipFactory(employee=employee, team=team)
    return employee


def theme(slug: str) -> Theme:
    return Theme.objects.get(slug=slug)

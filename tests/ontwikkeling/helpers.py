"""Helpers for the development programme's tests (also used by tests/e2e/test_scan.py)."""

import datetime

from django.utils import timezone

from common.signals import send_rows_changed
from ontwikkeling import services
from ontwikkeling.keys import respondent_key
from ontwikkeling.models import Answer, AnswerSet, ScanResponse, ScanRound, Statement, Theme
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
    """Store a response directly in the database (bypassing the service and its checks:
    the person need not be a member, the round may be closed), as the service stores it: a
    participation and an answer set keyed by the hash of round and person."""
    response = ScanResponse.objects.create(round=scan_round, respondent=person)
    key = (
        None
        if scan_round.closed_at
        else respondent_key(round_id=scan_round.pk, employee_id=person.pk)
    )
    answer_set = AnswerSet.objects.create(round=scan_round, respondent_key=key)
    answers = Answer.objects.bulk_create(
        Answer(answer_set=answer_set, statement_id=statement_id, score=score)
        for statement_id, score in scores_for(per_theme).items()
    )
    send_rows_changed(Answer, [answer.pk for answer in answers])  # as bulk loaders do
    return response


def close(scan_round, *, by=None) -> ScanRound:
    """Close the round through the service, as the team or the daily task would."""
    return services.close_scan_round(
        scan_round=scan_round, closed_by=by, on=max(scan_round.opens_on, timezone.localdate())
    )


def closed_round(team, people_scores, *, opens_on=None, closes_on=None) -> ScanRound:
    """A round in the past with the given [(person, per_theme), ...] answers, closed."""
    today = timezone.localdate()
    opens_on = opens_on or today - datetime.timedelta(days=20)
    scan_round = make_round(
        team, opens_on=opens_on, closes_on=closes_on or opens_on + datetime.timedelta(days=14)
    )
    for person, per_theme in people_scores:
        respond(scan_round, person, per_theme)
    return close(scan_round)


def new_member(team, **kwargs):
    employee = EmployeeFactory(**kwargs)
    MembershipFactory(employee=employee, team=team)
    return employee


def theme(slug: str) -> Theme:
    return Theme.objects.get(slug=slug)

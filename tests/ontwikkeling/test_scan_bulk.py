"""A round's answers stored at once (services.submit_scans, used by seed_demo so that 15,000
people seed in minutes: issue 21) the same way as one by one, and the cost of a submit or a
close not growing with the answers already in the round."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ontwikkeling import selectors, services
from ontwikkeling.models import Answer, AnswerSet, ScanResponse
from tests.factories import EmployeeFactory
from tests.ontwikkeling.helpers import make_round, new_member, scores_for

pytestmark = pytest.mark.django_db


def stored(scan_round):
    """What the round holds, ids left out: participants, keys, and answers per key."""
    answers = sorted(
        Answer.objects.filter(answer_set__round=scan_round).values_list(
            "answer_set__respondent_key", "statement_id", "score"
        )
    )
    participants = set(
        ScanResponse.objects.filter(round=scan_round).values_list("respondent_id", flat=True)
    )
    return participants, answers


def test_submit_scans_stores_what_submit_scan_does_one_by_one(team, member):
    people = [member, *[new_member(team) for _ in range(4)]]
    one_by_one, at_once = make_round(team), make_round(team)
    for number, person in enumerate(people):
        services.submit_scan(
            scan_round=one_by_one, respondent=person, scores=scores_for(1 + number)
        )
    stored_count = services.submit_scans(
        scan_round=at_once,
        scores_by_respondent={p: scores_for(1 + n) for n, p in enumerate(people)},
    )
    assert stored_count == 5
    (participants, answers), (participants2, answers2) = stored(one_by_one), stored(at_once)
    assert participants == participants2 == {p.pk for p in people}
    # The keys are per round; the scores under them the same.
    assert sorted(a[1:] for a in answers) == sorted(a[1:] for a in answers2)
    assert selectors.own_answers(scan_round=at_once, respondent=people[2]) == scores_for(3)
    assert AnswerSet.objects.filter(round=at_once, respondent_key__isnull=True).count() == 0


@pytest.mark.parametrize("problem", ["not a member", "a statement left out", "score 6"])
def test_submit_scans_refuses_what_submit_scan_refuses(team, member, problem):
    scan_round = make_round(team)
    scores = scores_for(3)
    person = member
    if problem == "not a member":
        person = EmployeeFactory()
    elif problem == "a statement left out":
        scores.pop(next(iter(scores)))
    else:
        scores[next(iter(scores))] = 6
    good = new_member(team)
    with pytest.raises(ValidationError):
        services.submit_scans(
            scan_round=scan_round, scores_by_respondent={good: scores_for(2), person: scores}
        )
    assert not ScanResponse.objects.filter(round=scan_round).exists()
    assert not AnswerSet.objects.filter(round=scan_round).exists()


def queries(function) -> int:
    with CaptureQueriesContext(connection) as context:
        function()
    return len(context.captured_queries)


def test_a_submit_costs_the_same_with_4_or_12_earlier_answer_sets(team, member):
    """Every submit rewrites the round's sets; deleting the old ones used to send a delete
    signal per set and per answer, which the dashboards' freshness followed with a query
    each (about 21 per earlier set: quadratic in a team's size over a round)."""
    cost = {}
    for earlier in (4, 12):
        scan_round = make_round(team)
        services.submit_scans(
            scan_round=scan_round,
            scores_by_respondent={new_member(team): scores_for(3) for _ in range(earlier)},
        )
        person = new_member(team)
        cost[earlier] = queries(
            lambda r=scan_round, p=person: services.submit_scan(
                scan_round=r, respondent=p, scores=scores_for(4)
            )
        )
        assert AnswerSet.objects.filter(round=scan_round).count() == earlier + 1
        services.close_scan_round(scan_round=scan_round, closed_by=member)
    assert cost[4] == cost[12], cost


def test_closing_costs_the_same_with_4_or_12_answer_sets(team, member):
    cost = {}
    for answered in (4, 12):
        scan_round = make_round(team)
        services.submit_scans(
            scan_round=scan_round,
            scores_by_respondent={new_member(team): scores_for(3) for _ in range(answered)},
        )
        cost[answered] = queries(
            lambda r=scan_round: services.close_scan_round(scan_round=r, closed_by=member)
        )
        assert Answer.objects.filter(answer_set__round=scan_round).count() == answered * len(
            scores_for(3)
        )
    assert cost[4] == cost[12], cost

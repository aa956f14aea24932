"""The team scan: storing answers, the aggregate per theme, the threshold and the trend."""

import datetime
import statistics

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import AuditEvent
from ontwikkeling import selectors, services
from ontwikkeling.models import MIN_RESPONSES, Answer, ScanResponse, ScanRound, Statement
from ontwikkeling.reference import STATEMENTS, THEMES
from ontwikkeling.selectors import scan as scan_selectors
from tests.factories import TeamFactory
from tests.ontwikkeling.helpers import make_round, new_member, respond, scores_for

TODAY = timezone.localdate()


def test_reference_data_four_themes_with_statements_in_both_languages():
    assert [slug for slug, *_ in THEMES] == [
        "professionalisering",
        "zelfstandigheid",
        "samenwerken",
        "resultaatgericht-werken",
    ]
    for slug, statements in STATEMENTS.items():
        assert 4 <= len(statements) <= 6, slug
        assert Statement.objects.filter(theme__slug=slug, is_active=True).count() == len(statements)
    assert not Statement.objects.filter(text_en="").exists()


def test_threshold_is_three():
    assert MIN_RESPONSES == 3


def test_member_submits_and_changes_own_answers(team, member):
    scan_round = make_round(team)
    services.submit_scan(scan_round=scan_round, respondent=member, scores=scores_for(2))
    services.submit_scan(scan_round=scan_round, respondent=member, scores=scores_for(4))
    assert ScanResponse.objects.filter(round=scan_round).count() == 1
    assert set(Answer.objects.values_list("score", flat=True)) == {4}
    assert selectors.own_answers(scan_round=scan_round, respondent=member) == scores_for(4)
    # Who answered when is not logged: next to a live average it would reveal answers.
    assert not AuditEvent.objects.filter(actor=member).exists()


@pytest.mark.parametrize(
    "problem",
    ["not_member", "closed", "missing_statement", "score_out_of_range"],
)
def test_submit_refuses_bad_input(team, member, other_member, problem):
    scan_round = make_round(team)
    respondent, scores, on = member, scores_for(3), TODAY
    if problem == "not_member":
        respondent = other_member
    elif problem == "closed":
        on = scan_round.closes_on + datetime.timedelta(days=1)
    elif problem == "missing_statement":
        scores.popitem()
    else:
        scores[next(iter(scores))] = 6
    with pytest.raises(ValidationError):
        services.submit_scan(scan_round=scan_round, respondent=respondent, scores=scores, on=on)
    assert not ScanResponse.objects.exists()


def test_database_refuses_score_outside_1_to_5(team, member):
    response = respond(make_round(team), member, 3)
    statement = Statement.objects.first()
    Answer.objects.filter(response=response, statement=statement).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(response=response, statement=statement, score=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(response=response, statement=statement, score=6)


def test_database_refuses_second_response_in_round(team, member):
    scan_round = make_round(team)
    respond(scan_round, member)
    with pytest.raises(IntegrityError), transaction.atomic():
        ScanResponse.objects.create(round=scan_round, respondent=member)


def test_aggregate_is_mean_and_spread_of_the_members(team, member):
    scan_round = make_round(team)
    people = [member, new_member(team), new_member(team), new_member(team)]
    for person, score in zip(people, [1, 2, 4, 5], strict=True):
        respond(scan_round, person, {"samenwerken": score, "zelfstandigheid": 3})
    profile = selectors.team_profile(team=team, viewer=member)
    by_slug = {score.theme.slug: score for score in profile.themes}
    assert by_slug["samenwerken"].mean == 3.0
    assert by_slug["samenwerken"].spread == round(statistics.pstdev([1, 2, 4, 5]), 2)
    assert by_slug["samenwerken"].disagrees
    assert by_slug["zelfstandigheid"].mean == 3.0
    assert by_slug["zelfstandigheid"].spread == 0.0
    assert not by_slug["zelfstandigheid"].disagrees


def test_each_person_weighs_the_same_within_a_theme(team, member):
    """Mean of the members' theme means: mixed answers within a theme average per person."""
    scan_round = make_round(team)
    statements = list(Statement.objects.filter(theme__slug="samenwerken").order_by("order"))
    for person in [member, new_member(team), new_member(team)]:
        response = respond(scan_round, person, 3)
        Answer.objects.filter(response=response, statement=statements[0]).update(score=5)
    profile = selectors.team_profile(team=team, viewer=member)
    samenwerken = next(s for s in profile.themes if s.theme.slug == "samenwerken")
    assert samenwerken.mean == round((5 + 3 * (len(statements) - 1)) / len(statements), 2)


def test_two_answers_give_no_profile_three_do(team, member):
    scan_round = make_round(team)
    respond(scan_round, member, 2)
    respond(scan_round, new_member(team), 4)
    profile = selectors.team_profile(team=team, viewer=member)
    assert profile.current is None
    assert profile.themes == []
    assert profile.open_responses == 2
    assert profile.responses_missing == 1
    assert selectors.weakest_themes(team_ids=[team.pk]) == {}

    respond(scan_round, new_member(team), 3)
    profile = selectors.team_profile(team=team, viewer=member)
    assert profile.current.round == scan_round
    assert [round(score.mean, 2) for score in profile.themes] == [3.0] * 4


def test_theme_answered_by_fewer_than_three_is_left_out(team, member):
    """A statement added during a round: its theme has fewer respondents in that round."""
    scan_round = make_round(team)
    for person in [member, new_member(team), new_member(team)]:
        respond(scan_round, person, 3)
    aggregates = scan_selectors._theme_aggregates([scan_round.pk])[scan_round.pk]
    assert len(aggregates) == 4
    Answer.objects.filter(
        response__respondent=member, statement__theme__slug="samenwerken"
    ).delete()
    aggregates = scan_selectors._theme_aggregates([scan_round.pk])[scan_round.pk]
    assert set(aggregates) == set(
        Statement.objects.exclude(theme__slug="samenwerken").values_list("theme_id", flat=True)
    )


def test_trend_between_rounds_skips_rounds_below_threshold(team, member):
    people = [member, new_member(team), new_member(team)]
    first = make_round(team, opens_on=TODAY - datetime.timedelta(days=200))
    for person in people:
        respond(first, person, {"samenwerken": 2, "professionalisering": 4})
    too_small = make_round(team, opens_on=TODAY - datetime.timedelta(days=100))
    respond(too_small, member, 5)
    latest = make_round(team, opens_on=TODAY - datetime.timedelta(days=10))
    for person in people:
        respond(latest, person, {"samenwerken": 4, "professionalisering": 3})

    profile = selectors.team_profile(team=team, viewer=member)
    assert profile.current.round == latest
    assert profile.previous.round == first
    assert [summary.round for summary in profile.history] == [first, latest]
    by_slug = {score.theme.slug: score for score in profile.themes}
    assert by_slug["samenwerken"].previous == 2.0
    assert by_slug["samenwerken"].delta == 2.0
    assert by_slug["samenwerken"].trend == "up"
    assert by_slug["samenwerken"].history == [2.0, 4.0]
    assert by_slug["professionalisering"].trend == "down"
    assert by_slug["zelfstandigheid"].trend == "same"
    assert profile.weakest.theme.slug == "professionalisering"


def test_weakest_themes_per_team_with_trend(team, other_team, member):
    for slug_team, before, now in [(team, 4, 2), (other_team, 2, 3)]:
        people = [new_member(slug_team) for _ in range(3)]
        old = make_round(slug_team, opens_on=TODAY - datetime.timedelta(days=120))
        new = make_round(slug_team, opens_on=TODAY - datetime.timedelta(days=5))
        for person in people:
            rest = {"samenwerken": 4, "professionalisering": 4, "resultaatgericht-werken": 5}
            respond(old, person, {"zelfstandigheid": before, **rest})
            respond(new, person, {"zelfstandigheid": now, **rest})
    result = selectors.weakest_themes(team_ids=[team.pk, other_team.pk])
    theme, score, trend = result[team.pk]
    assert (theme.slug, score, trend) == ("zelfstandigheid", 2.0, "down")
    theme, score, trend = result[other_team.pk]
    assert (theme.slug, score, trend) == ("zelfstandigheid", 3.0, "up")


@pytest.mark.parametrize("teams", [2, 8])
def test_weakest_themes_constant_queries(django_assert_num_queries, teams):
    team_ids = []
    for _ in range(teams):
        team = TeamFactory()
        team_ids.append(team.pk)
        people = [new_member(team) for _ in range(3)]
        for days in (100, 10):
            scan_round = make_round(team, opens_on=TODAY - datetime.timedelta(days=days))
            for person in people:
                respond(scan_round, person, 3)
    with django_assert_num_queries(3):
        result = selectors.weakest_themes(team_ids=team_ids)
    assert len(result) == teams


@pytest.mark.parametrize("rounds", [1, 5])
def test_team_profile_constant_queries(team, member, django_assert_num_queries, rounds):
    people = [member, new_member(team), new_member(team)]
    for number in range(rounds):
        scan_round = make_round(team, opens_on=TODAY - datetime.timedelta(days=20 * number))
        for person in people:
            respond(scan_round, person, 3)
    member.group_names  # noqa: B018 - the request user caches its groups
    with django_assert_num_queries(6):
        profile = selectors.team_profile(team=team, viewer=member)
    assert len(profile.history) == rounds


def test_one_round_at_a_time(team, member):
    services.open_scan_round(team=team, opened_by=member, closes_on=TODAY + datetime.timedelta(7))
    with pytest.raises(ValidationError):
        services.open_scan_round(
            team=team, opened_by=member, closes_on=TODAY + datetime.timedelta(3)
        )
    assert ScanRound.objects.filter(team=team).count() == 1


def test_round_dates_checked(team, member):
    with pytest.raises(ValidationError):
        services.open_scan_round(
            team=team, opened_by=member, closes_on=TODAY - datetime.timedelta(days=1)
        )
    with pytest.raises(ValidationError):
        services.open_scan_round(
            team=team, opened_by=member, closes_on=TODAY + datetime.timedelta(days=200)
        )
    team.is_active = False
    team.save()
    with pytest.raises(ValidationError):
        services.open_scan_round(
            team=team, opened_by=member, closes_on=TODAY + datetime.timedelta(days=7)
        )
    assert not ScanRound.objects.exists()


def test_database_refuses_round_that_closes_before_it_opens(team, member):
    with pytest.raises(IntegrityError), transaction.atomic():
        ScanRound.objects.create(
            team=team,
            opens_on=TODAY,
            closes_on=TODAY - datetime.timedelta(days=1),
            created_by=member,
        )

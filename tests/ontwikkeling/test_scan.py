"""The team scan: storing answers apart from people, closing rounds, the aggregate per
theme, the threshold and the trend (docs/decisions/0013-scan-privacy.md)."""

import datetime
import statistics

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import AuditEvent
from ontwikkeling import selectors, services
from ontwikkeling.keys import respondent_key
from ontwikkeling.models import Answer, AnswerSet, ScanResponse, ScanRound, Statement
from ontwikkeling.reference import STATEMENTS, THEMES
from ontwikkeling.selectors import scan as scan_selectors
from tests.factories import TeamFactory
from tests.ontwikkeling.helpers import (
    close,
    closed_round,
    make_round,
    new_member,
    respond,
    scores_for,
)

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def people(team, first, count=5):
    return [first, *[new_member(team) for _ in range(count - 1)]]


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


def test_threshold_defaults_to_five_and_is_never_below_three(settings):
    assert selectors.min_answers() == 5
    settings.ZS_SCAN_MIN_ANSWERS = 3
    assert selectors.min_answers() == 3
    settings.ZS_SCAN_MIN_ANSWERS = 2
    with pytest.raises(ImproperlyConfigured):
        selectors.min_answers()


def test_threshold_below_three_refused_from_the_environment(monkeypatch):
    from zelfsturing.env import env_int

    monkeypatch.setenv("ZS_SCAN_MIN_ANSWERS", "2")
    with pytest.raises(ImproperlyConfigured):
        env_int("ZS_SCAN_MIN_ANSWERS", 5, minimum=3)


def test_member_submits_and_changes_own_answers(team, member):
    scan_round = make_round(team)
    other = new_member(team)
    services.submit_scan(scan_round=scan_round, respondent=member, scores=scores_for(2))
    services.submit_scan(scan_round=scan_round, respondent=other, scores=scores_for(5))
    services.submit_scan(scan_round=scan_round, respondent=member, scores=scores_for(4))
    assert ScanResponse.objects.filter(round=scan_round).count() == 2
    assert AnswerSet.objects.filter(round=scan_round).count() == 2
    assert sorted(Answer.objects.values_list("score", flat=True).distinct()) == [4, 5]
    assert selectors.own_answers(scan_round=scan_round, respondent=member) == scores_for(4)
    assert selectors.own_answers(scan_round=scan_round, respondent=other) == scores_for(5)
    # Who answered when is not logged.
    assert not AuditEvent.objects.filter(actor__in=[member, other]).exists()


def test_answer_sets_carry_only_a_keyed_hash_until_the_round_closes(team, member):
    scan_round = make_round(team)
    services.submit_scan(scan_round=scan_round, respondent=member, scores=scores_for(2))
    answer_set = AnswerSet.objects.get()
    assert answer_set.respondent_key == respondent_key(
        round_id=scan_round.pk, employee_id=member.pk
    )
    # Per round: one person's sets of two rounds do not look alike.
    assert answer_set.respondent_key != respondent_key(
        round_id=scan_round.pk + 1, employee_id=member.pk
    )
    services.close_scan_round(scan_round=scan_round, closed_by=member)
    assert list(AnswerSet.objects.values_list("respondent_key", flat=True)) == [None]
    assert selectors.own_answers(scan_round=scan_round, respondent=member) == {}
    assert Answer.objects.count() == len(scores_for(2))  # the answers themselves stay


def test_every_write_gives_the_answer_sets_new_ids(team, member):
    """Ids (and row order) are rewritten, so they cannot be lined up with participation."""
    scan_round = make_round(team)
    services.submit_scan(scan_round=scan_round, respondent=member, scores=scores_for(2))
    first = set(AnswerSet.objects.values_list("pk", flat=True))
    services.submit_scan(scan_round=scan_round, respondent=new_member(team), scores=scores_for(3))
    second = set(AnswerSet.objects.values_list("pk", flat=True))
    assert len(second) == 2 and not first & second


def test_key_changed_during_the_round_refuses_a_second_set(team, member, settings):
    scan_round = make_round(team)
    services.submit_scan(scan_round=scan_round, respondent=member, scores=scores_for(2))
    settings.ZS_SCAN_KEY = "another-key-" + "k" * 40
    with pytest.raises(ValidationError):
        services.submit_scan(scan_round=scan_round, respondent=member, scores=scores_for(4))
    assert AnswerSet.objects.count() == 1


def test_close_early_and_by_the_daily_task(team, member):
    early = make_round(team, closes_on=TODAY + 5 * DAY)
    services.close_scan_round(scan_round=early, closed_by=member)
    early.refresh_from_db()
    assert early.closed_at is not None and early.closes_on == TODAY
    assert not early.is_open() and early.is_closed()
    with pytest.raises(ValidationError):
        services.submit_scan(scan_round=early, respondent=member, scores=scores_for(3))
    assert AuditEvent.objects.filter(action="scan_round.close", actor=member).exists()

    late = make_round(team, opens_on=TODAY + DAY, closes_on=TODAY + 3 * DAY)
    respond(late, member, 3)
    assert services.close_due_scan_rounds(on=TODAY + 3 * DAY) == 0
    assert services.close_due_scan_rounds(on=TODAY + 4 * DAY) == 1
    late.refresh_from_db()
    assert late.closed_at is not None and late.closes_on == TODAY + 3 * DAY
    assert not AnswerSet.objects.filter(respondent_key__isnull=False).exists()
    assert services.close_due_scan_rounds(on=TODAY + 5 * DAY) == 0


def test_a_round_that_has_not_opened_cannot_be_closed(team, member):
    scan_round = make_round(team, opens_on=TODAY + 2 * DAY)
    with pytest.raises(ValidationError):
        services.close_scan_round(scan_round=scan_round, closed_by=member)


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
    assert not AnswerSet.objects.exists()


def test_database_refuses_score_outside_1_to_5(team, member):
    respond(make_round(team), member, 3)
    answer_set = AnswerSet.objects.get()
    statement = Statement.objects.first()
    Answer.objects.filter(answer_set=answer_set, statement=statement).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(answer_set=answer_set, statement=statement, score=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(answer_set=answer_set, statement=statement, score=6)


def test_database_refuses_second_response_in_round(team, member):
    scan_round = make_round(team)
    respond(scan_round, member)
    with pytest.raises(IntegrityError), transaction.atomic():
        ScanResponse.objects.create(round=scan_round, respondent=member)


def test_aggregate_is_the_rounded_mean_and_a_word_for_the_spread(team, member):
    scores = [1, 2, 4, 5, 5]
    closed_round(
        team,
        [
            (person, {"samenwerken": score, "zelfstandigheid": 3})
            for person, score in zip(people(team, member), scores, strict=True)
        ],
    )
    profile = selectors.team_profile(team=team, viewer=member)
    by_slug = {score.theme.slug: score for score in profile.themes}
    assert by_slug["samenwerken"].mean == round(statistics.fmean(scores), 1) == 3.4
    assert by_slug["samenwerken"].disagrees  # pstdev 1.62
    assert by_slug["samenwerken"].mean_percent == 60.0
    assert by_slug["zelfstandigheid"].mean == 3.0
    assert not by_slug["zelfstandigheid"].disagrees
    assert not hasattr(by_slug["samenwerken"], "spread")


def test_each_person_weighs_the_same_within_a_theme(team, member):
    """Mean of the members' theme means: mixed answers within a theme average per person."""
    scan_round = make_round(team, opens_on=TODAY - 20 * DAY)
    statements = list(Statement.objects.filter(theme__slug="samenwerken").order_by("order"))
    for person in people(team, member):
        respond(scan_round, person, 3)
    Answer.objects.filter(statement=statements[0]).update(score=5)
    close(scan_round)
    profile = selectors.team_profile(team=team, viewer=member)
    samenwerken = next(s for s in profile.themes if s.theme.slug == "samenwerken")
    assert samenwerken.mean == round((5 + 3 * (len(statements) - 1)) / len(statements), 1)


def test_nothing_is_published_while_the_round_is_open(team, member):
    scan_round = make_round(team)
    for person in people(team, member, 8):
        respond(scan_round, person, 2)
    profile = selectors.team_profile(team=team, viewer=member)
    assert profile.open_round == scan_round
    assert profile.current is None and profile.themes == []
    assert profile.rounds[0].answers is None  # not even the count
    assert profile.viewer_has_answered
    assert selectors.weakest_themes(team_ids=[team.pk]) == {}
    close(scan_round)
    profile = selectors.team_profile(team=team, viewer=member)
    assert profile.current.round == scan_round and profile.current.answers == 8
    assert selectors.weakest_themes(team_ids=[team.pk])[team.pk].score == 2.0


def test_published_the_day_after_the_closing_date_even_before_the_task_ran(team, member):
    scan_round = make_round(team, opens_on=TODAY - 14 * DAY, closes_on=TODAY - DAY)
    for person in people(team, member):
        respond(scan_round, person, 4)
    on_last_day = selectors.team_profile(team=team, viewer=member, on=TODAY - DAY)
    assert on_last_day.current is None
    assert selectors.team_profile(team=team, viewer=member).current.round == scan_round


def test_four_answers_give_no_profile_five_do(team, member):
    group = people(team, member)
    scan_round = closed_round(team, [(person, 2) for person in group[:4]])
    profile = selectors.team_profile(team=team, viewer=member)
    assert profile.current is None
    assert profile.rounds[0].answers == 4 and not profile.rounds[0].visible
    assert selectors.weakest_themes(team_ids=[team.pk]) == {}
    respond(scan_round, group[4], 4)  # straight into the database: the service refuses
    profile = selectors.team_profile(team=team, viewer=member)
    assert profile.current.round == scan_round
    assert [score.mean for score in profile.themes] == [2.4] * 4


def test_theme_answered_by_fewer_than_the_minimum_is_left_out(team, member):
    """A statement added during a round: its theme has fewer answer sets in that round."""
    scan_round = closed_round(team, [(person, 3) for person in people(team, member)])
    aggregates = scan_selectors._theme_aggregates([scan_round.pk])[scan_round.pk]
    assert len(aggregates) == 4
    one_set = AnswerSet.objects.filter(round=scan_round).first()
    Answer.objects.filter(answer_set=one_set, statement__theme__slug="samenwerken").delete()
    aggregates = scan_selectors._theme_aggregates([scan_round.pk])[scan_round.pk]
    assert set(aggregates) == set(
        Statement.objects.exclude(theme__slug="samenwerken").values_list("theme_id", flat=True)
    )


def test_trend_between_rounds_skips_rounds_below_threshold(team, member):
    group = people(team, member)
    first = closed_round(
        team,
        [(p, {"samenwerken": 2, "professionalisering": 4}) for p in group],
        opens_on=TODAY - 200 * DAY,
    )
    closed_round(team, [(member, 5)], opens_on=TODAY - 100 * DAY)
    latest = closed_round(
        team,
        [(p, {"samenwerken": 4, "professionalisering": 3}) for p in group],
        opens_on=TODAY - 30 * DAY,
    )
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
        group = [new_member(slug_team) for _ in range(5)]
        rest = {"samenwerken": 4, "professionalisering": 4, "resultaatgericht-werken": 5}
        closed_round(
            slug_team,
            [(p, {"zelfstandigheid": before, **rest}) for p in group],
            opens_on=TODAY - 120 * DAY,
        )
        closed_round(
            slug_team,
            [(p, {"zelfstandigheid": now, **rest}) for p in group],
            opens_on=TODAY - 30 * DAY,
        )
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
        group = [new_member(team) for _ in range(5)]
        for days in (100, 30):
            closed_round(team, [(p, 3) for p in group], opens_on=TODAY - days * DAY)
    with django_assert_num_queries(3):
        result = selectors.weakest_themes(team_ids=team_ids)
    assert len(result) == teams


@pytest.mark.parametrize("rounds", [1, 5])
def test_team_profile_constant_queries(team, member, django_assert_num_queries, rounds):
    group = people(team, member)
    for number in range(rounds):
        closed_round(team, [(p, 3) for p in group], opens_on=TODAY - (20 * number + 20) * DAY)
    member.group_names  # noqa: B018 - the request user caches its groups
    with django_assert_num_queries(5):  # no open round: nothing to ask about the viewer
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


def test_a_new_round_can_start_the_day_a_round_was_closed_early(team, member):
    first = services.open_scan_round(team=team, opened_by=member, closes_on=TODAY + 7 * DAY)
    services.close_scan_round(scan_round=first, closed_by=member)
    second = services.open_scan_round(team=team, opened_by=member, closes_on=TODAY + 7 * DAY)
    profile = selectors.team_profile(team=team, viewer=member)
    assert profile.open_round == second

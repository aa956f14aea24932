"""The rules behind each dashboard signal, with frozen time."""

import datetime

import pytest
import time_machine
from django.test import override_settings
from django.utils import translation

from dashboards.figures import team_summaries
from dashboards.periods import Period
from dashboards.signals import ATTENTION, FINE, SERIOUS, severity_of
from doelen.models import Confidence, GoalStatus
from doelen.stats import ConfidenceTrend
from teams.models import Team, UpdateRhythm
from tests.dashboard.helpers import ROLE_SLUGS, at, check_in, staff
from tests.factories import GoalFactory, TeamFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 15)


@pytest.fixture
def frozen():
    with time_machine.travel(at(TODAY, 12), tick=False):
        yield


def summary_of(team, *, period=None, on=TODAY):
    data = team_summaries(
        teams=Team.objects.filter(pk=team.pk), period=period or Period.quarter(on), on=on
    )
    return data.summaries[0]


def texts(summary, kind):
    return [s.text for s in summary.signals if s.kind == kind]


def goal_for(team, **kwargs):
    defaults = {
        "start_date": TODAY - datetime.timedelta(days=100),
        "due_date": TODAY + datetime.timedelta(days=100),
    }
    with time_machine.travel(at(TODAY - datetime.timedelta(days=120)), tick=False):
        return GoalFactory(team=team, **(defaults | kwargs))


# Stale goals: no update within the team's rhythm (Goal.objects.stale).


def test_stale_goals_are_counted_with_the_weeks_they_went_quiet(frozen):
    team = TeamFactory(update_rhythm=UpdateRhythm.WEEKLY)
    staff(team)
    for _ in range(3):
        check_in(goal_for(team), when=at(TODAY - datetime.timedelta(days=36)), value=50)
    fresh = goal_for(team)
    check_in(fresh, when=at(TODAY - datetime.timedelta(days=3)), value=50)
    summary = summary_of(team)
    assert summary.stale_count == 3
    assert texts(summary, "stale") == ["3 doelen niet bijgewerkt, het oudste al 5 weken"]
    assert summary.recent_share == pytest.approx(0.25)


def test_the_stale_signal_reports_the_oldest_gap_not_the_shortest(frozen):
    """Issue #17: "2 goals not updated for 7 weeks" while one of them was 18 weeks old."""
    team = TeamFactory(update_rhythm=UpdateRhythm.WEEKLY)
    staff(team)
    check_in(goal_for(team), when=at(TODAY - datetime.timedelta(days=7 * 7 + 2)), value=50)
    check_in(goal_for(team), when=at(TODAY - datetime.timedelta(days=16 * 7 + 2)), value=50)
    summary = summary_of(team)
    assert (summary.stale_count, summary.stale_weeks) == (2, 16)
    assert texts(summary, "stale") == ["2 doelen niet bijgewerkt, het oudste al 16 weken"]
    with translation.override("en"):
        assert texts(summary_of(team), "stale") == ["2 goals not updated, the oldest for 16 weeks"]


def test_a_goal_within_its_rhythm_is_not_stale(frozen):
    team = TeamFactory(update_rhythm=UpdateRhythm.MONTHLY)
    staff(team)
    check_in(goal_for(team), when=at(TODAY - datetime.timedelta(days=29)), value=50)
    summary = summary_of(team)
    assert summary.stale_count == 0
    assert texts(summary, "stale") == []


def test_one_stale_goal_in_english(frozen):
    team = TeamFactory(update_rhythm=UpdateRhythm.WEEKLY)
    staff(team)
    check_in(goal_for(team), when=at(TODAY - datetime.timedelta(days=9)), value=50)
    with translation.override("en"):
        summary = summary_of(team)
    assert texts(summary, "stale") == ["1 goal not updated for 1 week"]


def test_only_active_goals_count_as_stale(frozen):
    team = TeamFactory(update_rhythm=UpdateRhythm.WEEKLY)
    staff(team)
    check_in(goal_for(team), when=at(TODAY - datetime.timedelta(days=60)), value=50)
    goal_for(team, status=GoalStatus.ACHIEVED)
    assert summary_of(team).stale_count == 1


# Vulnerable roles: fewer than ZS_MIN_ROLE_HOLDERS holders (rollen.selectors.vulnerable_roles).


@override_settings(ZS_MIN_ROLE_HOLDERS=2)
def test_no_holder_and_one_holder_make_the_team_vulnerable(frozen):
    team = TeamFactory()
    staff(team, roles=("ondernemer", "vakman"))
    staff(team, holders=1, roles=("facilitator",))
    summary = summary_of(team)
    assert texts(summary, "role") == [
        "geen rolhouder voor verbindende samenwerkingspartner",
        "maar één rolhouder voor stimulerende facilitator/organisator",
    ]
    with translation.override("en"):
        assert texts(summary_of(team), "role") == [
            "no role holder for connecting partner",
            "only one role holder for stimulating facilitator/organiser",
        ]


@override_settings(ZS_MIN_ROLE_HOLDERS=3)
def test_the_minimum_comes_from_the_setting(frozen):
    team = TeamFactory()
    staff(team, roles=ROLE_SLUGS)  # two holders each
    with translation.override("en"):
        assert texts(summary_of(team), "role")[0] == (
            "only 2 role holders for innovative social entrepreneur"
        )


def test_a_fully_staffed_team_has_no_role_signal(frozen):
    team = TeamFactory()
    staff(team)
    assert texts(summary_of(team), "role") == []


# Confidence trend: share of updates "on track", this period against the previous one.


def test_confidence_worse_than_last_period(frozen):
    team = TeamFactory(update_rhythm=UpdateRhythm.MONTHLY)
    staff(team)
    goal = goal_for(team)
    for day in (datetime.date(2025, 10, 10), datetime.date(2025, 11, 10)):
        check_in(goal, when=at(day), value=20)
    check_in(goal, when=at(datetime.date(2026, 1, 20)), value=25)
    check_in(goal, when=at(datetime.date(2026, 3, 1)), value=30, confidence=Confidence.OFF_TRACK)
    summary = summary_of(team)
    assert summary.confidence.share_now == 0.5
    assert summary.confidence.share_before == 1.0
    assert texts(summary, "confidence") == [
        "vertrouwen gedaald: 50% van de updates op koers, vorige periode 100%"
    ]


def test_steady_confidence_gives_no_signal(frozen):
    team = TeamFactory(update_rhythm=UpdateRhythm.MONTHLY)
    staff(team)
    goal = goal_for(team)
    check_in(goal, when=at(datetime.date(2025, 11, 10)), value=20)
    check_in(goal, when=at(datetime.date(2026, 3, 1)), value=30)
    assert texts(summary_of(team), "confidence") == []


@pytest.mark.parametrize(
    ("before", "now", "worse"),
    [
        ((10, 10), (19, 20), False),  # five points lower
        ((10, 10), (9, 10), True),  # ten points lower: the threshold
        ((4, 10), (8, 10), False),  # better
        ((0, 0), (0, 5), False),  # nothing to compare with
    ],
)
def test_confidence_drop_threshold(before, now, worse):
    trend = ConfidenceTrend(
        on_track_before=before[0], total_before=before[1], on_track_now=now[0], total_now=now[1]
    )
    assert trend.is_worse is worse


# Expected progress: the straight line from start to target (Goal.expected_progress).


def test_progress_behind_expected_is_a_signal(frozen):
    team = TeamFactory(update_rhythm=UpdateRhythm.MONTHLY)
    staff(team)
    goal = goal_for(team)  # halfway: 50% expected
    check_in(goal, when=at(TODAY - datetime.timedelta(days=2)), value=30)
    summary = summary_of(team)
    assert summary.expected == pytest.approx(0.5)
    assert summary.progress == pytest.approx(0.3)
    assert texts(summary, "behind") == [
        "voortgang loopt achter: gemiddeld 30% waar 50% verwacht was"
    ]


def test_progress_just_within_the_margin_is_fine(frozen):
    team = TeamFactory(update_rhythm=UpdateRhythm.MONTHLY)
    staff(team)
    check_in(goal_for(team), when=at(TODAY - datetime.timedelta(days=2)), value=41)
    assert texts(summary_of(team), "behind") == []


def test_teams_needing_attention_sort_first(frozen):
    from dashboards.sorting import sort_summaries

    calm = TeamFactory(name="Aa rustig")
    staff(calm)
    check_in(goal_for(calm), when=at(TODAY - datetime.timedelta(days=1)), value=50)
    worried = TeamFactory(name="Zz zorgen")
    staff(worried, roles=("vakman",))
    data = team_summaries(
        teams=Team.objects.filter(pk__in=[calm.pk, worried.pk]),
        period=Period.quarter(TODAY),
        on=TODAY,
    )
    ordered = sort_summaries(data.summaries, "attention")
    assert [s.team.name for s in ordered] == ["Zz zorgen", "Aa rustig"]
    assert [s.team.name for s in sort_summaries(data.summaries, "name")] == [
        "Aa rustig",
        "Zz zorgen",
    ]


# Severity (#17): serious, attention, fine; named rules in dashboards.signals.


def severities(summary, kind):
    return [s.severity for s in summary.signals if s.kind == kind]


@pytest.mark.parametrize(
    "rhythm,days_quiet,expected",
    [
        (UpdateRhythm.WEEKLY, 13, ATTENTION),  # 1 week: one update missed
        (UpdateRhythm.WEEKLY, 15, SERIOUS),  # 2 weeks: two rhythms
        (UpdateRhythm.MONTHLY, 36, ATTENTION),  # 5 weeks of a monthly rhythm
        (UpdateRhythm.MONTHLY, 64, SERIOUS),  # 9 weeks: 63 days, two months missed
    ],
)
def test_a_stale_goal_is_serious_from_two_rhythms_on(frozen, rhythm, days_quiet, expected):
    team = TeamFactory(update_rhythm=rhythm)
    staff(team)
    check_in(goal_for(team), when=at(TODAY - datetime.timedelta(days=days_quiet)), value=50)
    summary = summary_of(team)
    assert severities(summary, "stale") == [expected]
    assert summary.severity == expected


def test_the_oldest_gap_decides_the_severity(frozen):
    team = TeamFactory(update_rhythm=UpdateRhythm.MONTHLY)
    staff(team)
    check_in(goal_for(team), when=at(TODAY - datetime.timedelta(days=36)), value=50)
    check_in(goal_for(team), when=at(TODAY - datetime.timedelta(days=64)), value=50)
    assert severities(summary_of(team), "stale") == [SERIOUS]


@override_settings(ZS_MIN_ROLE_HOLDERS=2)
def test_no_holder_is_serious_one_holder_too_few_is_attention(frozen):
    team = TeamFactory()
    staff(team, roles=("ondernemer", "vakman"))
    staff(team, holders=1, roles=("facilitator",))
    summary = summary_of(team)
    assert severities(summary, "role") == [SERIOUS, ATTENTION]
    assert summary.is_serious


@pytest.mark.parametrize("value,expected", [(30, ATTENTION), (20, SERIOUS)])
def test_progress_far_behind_is_serious(frozen, value, expected):
    team = TeamFactory(update_rhythm=UpdateRhythm.MONTHLY)
    staff(team)
    check_in(goal_for(team), when=at(TODAY - datetime.timedelta(days=2)), value=value)
    assert severities(summary_of(team), "behind") == [expected]  # 50% expected


def test_a_team_without_signals_is_fine_and_teamwork_needs_attention(frozen):
    team = TeamFactory(update_rhythm=UpdateRhythm.MONTHLY)
    staff(team)
    check_in(goal_for(team), when=at(TODAY - datetime.timedelta(days=2)), value=50)
    summary = summary_of(team)
    # Only the teamwork signal (members who contribute to no goal): attention, not serious.
    assert [s.kind for s in summary.signals] == ["carry"]
    assert (summary.severity, summary.is_serious) == (ATTENTION, False)
    assert severity_of([]) == FINE


def test_serious_teams_sort_first_and_serious_signals_lead(frozen):
    """One serious signal outranks several that only need attention."""
    from dashboards.sorting import sort_summaries

    slightly_late = TeamFactory(name="Aa wat laat", update_rhythm=UpdateRhythm.MONTHLY)
    staff(slightly_late)
    check_in(goal_for(slightly_late), when=at(TODAY - datetime.timedelta(days=36)), value=20)
    check_in(goal_for(slightly_late), when=at(TODAY - datetime.timedelta(days=2)), value=45)
    urgent = TeamFactory(name="Zz dringend", update_rhythm=UpdateRhythm.MONTHLY)
    staff(urgent, roles=("ondernemer", "vakman", "facilitator"))  # nobody connects
    check_in(goal_for(urgent), when=at(TODAY - datetime.timedelta(days=2)), value=50)
    data = team_summaries(
        teams=Team.objects.filter(pk__in=[slightly_late.pk, urgent.pk]),
        period=Period.quarter(TODAY),
        on=TODAY,
    )
    by_name = {s.team.name: s for s in data.summaries}
    assert by_name["Aa wat laat"].severity == ATTENTION
    assert len(by_name["Aa wat laat"].signals) > len(by_name["Zz dringend"].signals)
    assert by_name["Zz dringend"].severity == SERIOUS
    ordered = sort_summaries(data.summaries, "attention")
    assert [s.team.name for s in ordered] == ["Zz dringend", "Aa wat laat"]
    for summary in data.summaries:  # the most serious signal comes first on every card
        assert [s.severity for s in summary.signals] == sorted(
            (s.severity for s in summary.signals), reverse=True
        )


# Periods


def test_periods():
    q = Period.quarter(datetime.date(2026, 11, 28))
    assert (q.start, q.end) == (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))
    assert q.previous() == Period.quarter(datetime.date(2026, 9, 30))
    assert q.next().start == datetime.date(2027, 1, 1)
    y = Period.year(datetime.date(2026, 2, 1))
    assert (y.previous().start, y.previous().end) == (
        datetime.date(2025, 1, 1),
        datetime.date(2025, 12, 31),
    )
    custom = Period.custom(datetime.date(2026, 1, 11), datetime.date(2026, 1, 20))
    assert custom.previous() == Period.custom(datetime.date(2026, 1, 1), datetime.date(2026, 1, 10))

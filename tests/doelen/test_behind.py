"""One rule for "behind" (doelen.progress.is_behind), used by the goal pages and the
dashboards alike: ten percentage points or more below the expected progress, in the whole
percentages the pages show."""

import datetime
from decimal import Decimal

import pytest

from dashboards.figures import GoalFigures, TeamSummary
from dashboards.signals import team_signals
from doelen.models import GoalStatus
from doelen.progress import is_behind
from doelen.selectors import GoalProgress
from doelen.stats import ConfidenceTrend
from tests.factories import GoalFactory


@pytest.mark.parametrize(
    ("progress", "expected", "behind"),
    [
        (0.40, 0.50, True),  # exactly ten points: behind
        (0.41, 0.50, False),  # nine points
        (0.404, 0.496, True),  # shown as 40% and 50%
        (0.0, 0.09, False),
        (0.0, 0.10, True),
        (0.60, 0.50, False),  # ahead
    ],
)
def test_the_boundary(progress, expected, behind):
    assert is_behind(progress, expected) is behind


@pytest.mark.django_db
@pytest.mark.parametrize(("progress", "behind"), [(40, True), (41, False)])
def test_goal_pages_and_dashboards_agree_at_the_boundary(progress, behind):
    goal = GoalFactory(status=GoalStatus.ACTIVE)
    on_page = GoalProgress(
        goal=goal,
        latest_value=Decimal(progress),
        latest_confidence=None,
        latest_at=None,
        progress=progress,
        expected=50,
    )
    on_dashboard = GoalFigures(
        goal=goal,
        progress=progress / 100,
        expected=0.5,
        latest_at=None,
        latest_confidence=None,
    )
    assert on_page.behind is on_dashboard.behind is behind

    summary = TeamSummary(
        team=goal.team,
        confidence=ConfidenceTrend(),
        vulnerable=[],
        members=1,
        last_activity=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC),
        status_totals={GoalStatus.ACTIVE: 1},
        progress_sum=progress / 100,
        expected_sum=0.5,
    )
    kinds = [signal.kind for signal in team_signals(summary)]
    assert ("behind" in kinds) is behind

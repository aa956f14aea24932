"""Reads of the development programme that feed pages (team page, dashboards, the
programme's own pages), in three modules:

- `scan`: the team scan (profiles per theme, weakest themes, own answers, statements);
  its privacy rule lives there and nowhere else;
- `responsibilities`: the responsibilities a team has taken over from its manager;
- `overview`: what combines the two (the organisation overview, development goals).

Import from `ontwikkeling.selectors` (as the views and dashboards do): the names below are
the public reads.
"""

from ontwikkeling.selectors.overview import (
    DevelopmentGoalRow,
    TeamOverviewRow,
    development_goals,
    goal_url,
    organisation_overview,
)
from ontwikkeling.selectors.responsibilities import (
    ChecklistItem,
    ResponsibilityProgress,
    responsibility_history,
    responsibility_progress,
    team_checklist,
)
from ontwikkeling.selectors.scan import (
    DISAGREEMENT_SPREAD,
    TREND_STEP,
    RoundSummary,
    TeamProfile,
    ThemeScore,
    Trend,
    WeakestTheme,
    min_answers,
    own_answers,
    scan_statements,
    team_profile,
    weakest_themes,
)

__all__ = [
    "DISAGREEMENT_SPREAD",
    "TREND_STEP",
    "ChecklistItem",
    "DevelopmentGoalRow",
    "ResponsibilityProgress",
    "RoundSummary",
    "TeamOverviewRow",
    "TeamProfile",
    "ThemeScore",
    "Trend",
    "WeakestTheme",
    "development_goals",
    "goal_url",
    "min_answers",
    "organisation_overview",
    "own_answers",
    "responsibility_history",
    "responsibility_progress",
    "scan_statements",
    "team_checklist",
    "team_profile",
    "weakest_themes",
]

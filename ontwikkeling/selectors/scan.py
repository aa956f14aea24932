"""Reads of the team scan: a team's profile per theme, the weakest themes of many teams, a
respondent's own answers and the statements to answer.

Privacy rule, applied here and nowhere else: scores leave this module only as aggregates per
theme of a round with at least MIN_RESPONSES responses (and at least that many people who
answered the theme). Individual answers are only read back for their own respondent
(`own_answers`).
"""

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Prefetch
from django.utils import timezone

from ontwikkeling.models import (
    MIN_RESPONSES,
    SCORE_MAX,
    SCORE_MIN,
    Answer,
    ScanResponse,
    ScanRound,
    Statement,
    Theme,
)
from teams.access import TeamAccess, team_access
from teams.models import Employee, Team

TREND_STEP = 0.2
# A standard deviation of at least this much (scale 1–5) means the team disagrees.
DISAGREEMENT_SPREAD = 1.0


class Trend:
    UP = "up"
    DOWN = "down"
    SAME = "same"


def _trend(mean: float | None, previous: float | None) -> str | None:
    if mean is None or previous is None:
        return None
    if mean - previous >= TREND_STEP:
        return Trend.UP
    if previous - mean >= TREND_STEP:
        return Trend.DOWN
    return Trend.SAME


def _percent(score: float | None) -> float:
    """Position of a score on the 1–5 scale as 0–100 (for bars)."""
    if score is None:
        return 0.0
    return round((score - SCORE_MIN) / (SCORE_MAX - SCORE_MIN) * 100, 1)


@dataclass(frozen=True)
class ThemeAggregate:
    mean: float
    spread: float  # population standard deviation of the respondents' theme means
    respondents: int


def _theme_aggregates(round_ids: list[int]) -> dict[int, dict[int, ThemeAggregate]]:
    """{round_id: {theme_id: aggregate}} for the given rounds. One query. Each respondent
    weighs the same: first their mean per theme, then the mean and spread of those. A theme
    that fewer than MIN_RESPONSES people answered in a round is left out."""
    if not round_ids:
        return {}
    rows = (
        Answer.objects.filter(response__round_id__in=round_ids)
        .values_list("response__round_id", "response_id", "statement__theme_id")
        .annotate(person_mean=Avg("score"))
        .order_by()
    )
    per_person: dict[tuple[int, int], list[float]] = defaultdict(list)
    for round_id, _response_id, theme_id, person_mean in rows:
        per_person[(round_id, theme_id)].append(float(person_mean))
    result: dict[int, dict[int, ThemeAggregate]] = defaultdict(dict)
    for (round_id, theme_id), means in per_person.items():
        if len(means) >= MIN_RESPONSES:
            result[round_id][theme_id] = ThemeAggregate(
                mean=round(statistics.fmean(means), 2),
                spread=round(statistics.pstdev(means), 2),
                respondents=len(means),
            )
    return dict(result)


@dataclass
class ThemeScore:
    theme: Theme
    mean: float | None
    spread: float | None
    previous: float | None
    history: list[float | None] = field(default_factory=list)

    @property
    def delta(self) -> float | None:
        if self.mean is None or self.previous is None:
            return None
        return round(self.mean - self.previous, 2)

    @property
    def trend(self) -> str | None:
        return _trend(self.mean, self.previous)

    @property
    def disagrees(self) -> bool:
        return self.spread is not None and self.spread >= DISAGREEMENT_SPREAD

    @property
    def mean_percent(self) -> float:
        return _percent(self.mean)

    @property
    def previous_percent(self) -> float:
        return _percent(self.previous)

    @property
    def spread_from_percent(self) -> float:
        return (
            _percent(max(SCORE_MIN, self.mean - self.spread))
            if self.spread and self.mean is not None
            else 0.0
        )

    @property
    def spread_to_percent(self) -> float:
        return (
            _percent(min(SCORE_MAX, self.mean + self.spread))
            if self.spread and self.mean is not None
            else 0.0
        )


@dataclass
class RoundSummary:
    round: ScanRound
    responses: int

    @property
    def visible(self) -> bool:
        return self.responses >= MIN_RESPONSES


@dataclass
class TeamProfile:
    team: Team
    rounds: list[RoundSummary]  # newest first
    themes: list[ThemeScore]  # for `current`; empty when no round is visible
    current: RoundSummary | None  # the latest round with enough responses
    previous: RoundSummary | None  # the visible round before it
    history: list[RoundSummary]  # visible rounds, oldest first (columns of the trend table)
    open_round: ScanRound | None
    open_responses: int
    viewer_can_answer: bool  # teams.access.TeamAccess.can_answer_scan
    viewer_has_answered: bool
    min_responses: int = MIN_RESPONSES

    @property
    def weakest(self) -> ThemeScore | None:
        scored = [score for score in self.themes if score.mean is not None]
        return min(scored, key=lambda score: (score.mean, score.theme.order), default=None)

    @property
    def responses_missing(self) -> int:
        return max(0, MIN_RESPONSES - self.open_responses)

    @property
    def can_answer(self) -> bool:
        return self.open_round is not None and self.viewer_can_answer


def team_profile(
    *,
    team: Team,
    viewer: Employee,
    on: datetime.date | None = None,
    access: TeamAccess | None = None,
) -> TeamProfile:
    """The team's scan profile: per theme the latest visible round's mean and spread against
    the round before, plus the trend over all visible rounds, and what `viewer` may do
    (pass `access` if the view has it already). A constant number of queries (four, plus
    three for the access), however many rounds and answers."""
    on = on or timezone.localdate()
    access = access or team_access(viewer, team)
    rounds = [
        RoundSummary(round=scan_round, responses=scan_round.response_count)
        for scan_round in ScanRound.objects.filter(team=team)
        .annotate(response_count=Count("responses"))
        .order_by("-opens_on", "-pk")
    ]
    visible = [summary for summary in rounds if summary.visible]
    # A round that has not opened yet is not shown in the trend.
    visible = [summary for summary in visible if summary.round.opens_on <= on]
    history = list(reversed(visible))
    aggregates = _theme_aggregates([summary.round.pk for summary in visible])
    themes = list(Theme.objects.order_by("order"))
    current = visible[0] if visible else None
    previous = visible[1] if len(visible) > 1 else None
    scores = []
    if current is not None:
        for theme in themes:
            now = aggregates.get(current.round.pk, {}).get(theme.pk)
            before = aggregates.get(previous.round.pk, {}).get(theme.pk) if previous else None
            scores.append(
                ThemeScore(
                    theme=theme,
                    mean=now.mean if now else None,
                    spread=now.spread if now else None,
                    previous=before.mean if before else None,
                    history=[
                        getattr(aggregates.get(summary.round.pk, {}).get(theme.pk), "mean", None)
                        for summary in history
                    ],
                )
            )
    open_summary = next((s for s in rounds if s.round.is_open(on)), None)
    has_answered = bool(
        open_summary
        and access.is_member
        and ScanResponse.objects.filter(round=open_summary.round, respondent=viewer).exists()
    )
    return TeamProfile(
        team=team,
        rounds=rounds,
        themes=scores,
        current=current,
        previous=previous,
        history=history,
        open_round=open_summary.round if open_summary else None,
        open_responses=open_summary.responses if open_summary else 0,
        viewer_can_answer=access.can_answer_scan,
        viewer_has_answered=has_answered,
    )


@dataclass(frozen=True)
class WeakestTheme:
    """Unpacks as (theme, score, trend)."""

    theme: Theme
    score: float
    trend: str | None

    def __iter__(self):
        return iter((self.theme, self.score, self.trend))


def weakest_themes(
    *, team_ids: list[int], on: datetime.date | None = None
) -> dict[int, WeakestTheme]:
    """{team_id: (theme, score, trend)}: each team's lowest-scoring theme in its latest
    visible round, with the trend against the visible round before. Teams without a
    visible round are absent. Three queries, whatever the number of teams."""
    on = on or timezone.localdate()
    rounds = (
        ScanRound.objects.filter(team_id__in=team_ids, opens_on__lte=on)
        .annotate(response_count=Count("responses"))
        .filter(response_count__gte=MIN_RESPONSES)
        .order_by("team_id", "-opens_on", "-pk")
        .values_list("pk", "team_id")
    )
    latest_two: dict[int, list[int]] = defaultdict(list)
    for round_id, team_id in rounds:
        if len(latest_two[team_id]) < 2:
            latest_two[team_id].append(round_id)
    aggregates = _theme_aggregates([pk for pks in latest_two.values() for pk in pks])
    themes = {theme.pk: theme for theme in Theme.objects.all()}
    result = {}
    for team_id, round_ids in latest_two.items():
        current = aggregates.get(round_ids[0], {})
        if not current:
            continue
        theme_id, aggregate = min(
            current.items(), key=lambda item: (item[1].mean, themes[item[0]].order)
        )
        before = aggregates.get(round_ids[1], {}).get(theme_id) if len(round_ids) > 1 else None
        result[team_id] = WeakestTheme(
            theme=themes[theme_id],
            score=aggregate.mean,
            trend=_trend(aggregate.mean, before.mean if before else None),
        )
    return result


def own_answers(*, scan_round: ScanRound, respondent: Employee) -> dict[int, int]:
    """{statement_id: score} of the respondent's own answers in the round (to change them)."""
    return dict(
        Answer.objects.filter(
            response__round=scan_round, response__respondent=respondent
        ).values_list("statement_id", "score")
    )


def scan_statements() -> list[tuple[Theme, list[Statement]]]:
    """The active statements grouped by theme, in order. Two queries."""
    themes = Theme.objects.order_by("order").prefetch_related(
        Prefetch(
            "statements",
            queryset=Statement.objects.active().order_by("order", "pk"),
            to_attr="active_statements",
        )
    )
    return [(theme, theme.active_statements) for theme in themes if theme.active_statements]

"""Reads of the team scan: a team's profile per theme, the weakest themes of many teams, a
member's own answers (while the round is open) and the statements to answer.

Privacy rule, applied here and nowhere else (docs/decisions/0013-scan-privacy.md):
- results of a round are published only once it is closed (closed early by the team, or
  after its closing date), never while answers can still come in or change, so that no
  reader can compare the profile before and after one person's answer;
- a theme is published only with at least settings.ZS_SCAN_MIN_ANSWERS answer sets (never
  fewer than 3);
- only at the precision printed: a theme's mean is rounded to one decimal here, and every
  other number that reaches a page (bar widths, trend, weakest theme) is computed from the
  rounded value; the spread leaves this module as a yes/no ("opinions differ"), not a number.
"""

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Avg, Count, Prefetch
from django.utils import timezone

from ontwikkeling.keys import respondent_key
from ontwikkeling.models import (
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
# A standard deviation of the members' theme means of at least this much (scale 1–5) means
# the team disagrees. Published as words only.
DISAGREEMENT_SPREAD = 1.0
# Below this, one respondent and the published mean give away the other's answers.
LOWEST_MIN_ANSWERS = 3
# The precision a mean is printed with, and so the precision it leaves this module with.
MEAN_DECIMALS = 1


def min_answers() -> int:
    """settings.ZS_SCAN_MIN_ANSWERS, refused when below 3 (also when a test or a settings
    override sets it, not only when read from the environment)."""
    value = settings.ZS_SCAN_MIN_ANSWERS
    if value < LOWEST_MIN_ANSWERS:
        raise ImproperlyConfigured(
            f"ZS_SCAN_MIN_ANSWERS: must be at least {LOWEST_MIN_ANSWERS}, got {value}."
        )
    return value


class Trend:
    UP = "up"
    DOWN = "down"
    SAME = "same"


def _trend(mean: float | None, previous: float | None) -> str | None:
    """From the rounded (published) means only."""
    if mean is None or previous is None:
        return None
    delta = round(mean - previous, MEAN_DECIMALS)
    if delta >= TREND_STEP:
        return Trend.UP
    if -delta >= TREND_STEP:
        return Trend.DOWN
    return Trend.SAME


def _percent(score: float | None) -> float:
    """Position of a published (rounded) score on the 1–5 scale as 0–100 (for bars). With
    one decimal in, this is a multiple of 2.5: no finer than the printed number."""
    if score is None:
        return 0.0
    return round((score - SCORE_MIN) / (SCORE_MAX - SCORE_MIN) * 100, 1)


@dataclass(frozen=True)
class ThemeAggregate:
    mean: float  # rounded to MEAN_DECIMALS
    disagrees: bool
    answers: int


def _theme_aggregates(round_ids: list[int]) -> dict[int, dict[int, ThemeAggregate]]:
    """{round_id: {theme_id: aggregate}} for the given (closed) rounds. One query. Each
    answer set weighs the same: first its mean per theme, then the mean of those. A theme
    with fewer than min_answers() answer sets in a round is left out."""
    if not round_ids:
        return {}
    minimum = min_answers()
    rows = (
        Answer.objects.filter(answer_set__round_id__in=round_ids)
        .values("answer_set__round_id", "answer_set_id", "statement__theme_id")
        .annotate(set_mean=Avg("score"))
        # Grouped per answer set, but its id (a UUID, slow to read) is not needed (#21).
        .values_list("answer_set__round_id", "statement__theme_id", "set_mean")
        .order_by()
    )
    per_set: dict[tuple[int, int], list[float]] = defaultdict(list)
    for round_id, theme_id, set_mean in rows:
        per_set[(round_id, theme_id)].append(float(set_mean))
    result: dict[int, dict[int, ThemeAggregate]] = defaultdict(dict)
    for (round_id, theme_id), means in per_set.items():
        if len(means) >= minimum:
            result[round_id][theme_id] = ThemeAggregate(
                mean=round(statistics.fmean(means), MEAN_DECIMALS),
                disagrees=statistics.pstdev(means) >= DISAGREEMENT_SPREAD,
                answers=len(means),
            )
    return dict(result)


@dataclass
class ThemeScore:
    """A theme in a published round. `mean` and `previous` are rounded to one decimal."""

    theme: Theme
    mean: float | None
    disagrees: bool
    previous: float | None
    history: list[float | None] = field(default_factory=list)

    @property
    def delta(self) -> float | None:
        if self.mean is None or self.previous is None:
            return None
        return round(self.mean - self.previous, MEAN_DECIMALS)

    @property
    def trend(self) -> str | None:
        return _trend(self.mean, self.previous)

    @property
    def mean_percent(self) -> float:
        return _percent(self.mean)

    @property
    def previous_percent(self) -> float:
        return _percent(self.previous)


@dataclass
class RoundSummary:
    round: ScanRound
    closed: bool
    answers: int | None  # how many answer sets; None while the round is not closed
    min_answers: int

    @property
    def visible(self) -> bool:
        return self.closed and (self.answers or 0) >= self.min_answers


@dataclass
class TeamProfile:
    team: Team
    rounds: list[RoundSummary]  # newest first
    themes: list[ThemeScore]  # for `current`; empty when no round is published
    current: RoundSummary | None  # the latest closed round with enough answers
    previous: RoundSummary | None  # the published round before it
    history: list[RoundSummary]  # published rounds, oldest first (columns of the trend table)
    open_round: ScanRound | None
    viewer_can_answer: bool  # teams.access.TeamAccess.can_answer_scan
    viewer_has_answered: bool
    viewer_can_close: bool  # teams.access.TeamAccess.can_open_scan_round
    min_responses: int

    @property
    def weakest(self) -> ThemeScore | None:
        scored = [score for score in self.themes if score.mean is not None]
        return min(scored, key=lambda score: (score.mean, score.theme.order), default=None)

    @property
    def can_answer(self) -> bool:
        return self.open_round is not None and self.viewer_can_answer

    @property
    def can_close(self) -> bool:
        return self.open_round is not None and self.viewer_can_close


def team_profile(
    *,
    team: Team,
    viewer: Employee,
    on: datetime.date | None = None,
    access: TeamAccess | None = None,
) -> TeamProfile:
    """The team's scan profile: per theme the latest published round's mean against the
    round before, plus the trend over all published rounds, and what `viewer` may do (pass
    `access` if the view has it already). Of an open round only that it is open, until
    when, and whether the viewer took part: no count, no score. A constant number of queries
    (four, plus three for the access), however many rounds and answers."""
    on = on or timezone.localdate()
    minimum = min_answers()
    access = access or team_access(viewer, team)
    rounds = []
    for scan_round in (
        ScanRound.objects.filter(team=team)
        .annotate(answer_count=Count("answer_sets"))
        .order_by("-opens_on", "-pk")
    ):
        closed = scan_round.is_closed(on)
        rounds.append(
            RoundSummary(
                round=scan_round,
                closed=closed,
                answers=scan_round.answer_count if closed else None,
                min_answers=minimum,
            )
        )
    visible = [summary for summary in rounds if summary.visible]
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
                    disagrees=now.disagrees if now else False,
                    previous=before.mean if before else None,
                    history=[
                        getattr(aggregates.get(summary.round.pk, {}).get(theme.pk), "mean", None)
                        for summary in history
                    ],
                )
            )
    open_round = next((s.round for s in rounds if s.round.is_open(on)), None)
    has_answered = bool(
        open_round
        and access.is_member
        and ScanResponse.objects.filter(round=open_round, respondent=viewer).exists()
    )
    return TeamProfile(
        team=team,
        rounds=rounds,
        themes=scores,
        current=current,
        previous=previous,
        history=history,
        open_round=open_round,
        viewer_can_answer=access.can_answer_scan,
        viewer_has_answered=has_answered,
        viewer_can_close=access.can_open_scan_round,
        min_responses=minimum,
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
    published round (closed, enough answers), with the trend against the published round
    before, from rounded means. Teams without a published round are absent. Three queries,
    whatever the number of teams."""
    on = on or timezone.localdate()
    rounds = (
        ScanRound.objects.filter(team_id__in=team_ids)
        .closed_on(on)
        .annotate(answer_count=Count("answer_sets"))
        .filter(answer_count__gte=min_answers())
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


def own_answers(
    *, scan_round: ScanRound, respondent: Employee, on: datetime.date | None = None
) -> dict[int, int]:
    """{statement_id: score}: the respondent's own answers in a round that is still open,
    found through the keyed hash of round and person (to change them, or to show them on
    the personal-data page). Empty once the round is closed: the link is gone."""
    if not scan_round.is_open(on):
        return {}
    key = respondent_key(round_id=scan_round.pk, employee_id=respondent.pk)
    return dict(
        Answer.objects.filter(
            answer_set__round=scan_round, answer_set__respondent_key=key
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

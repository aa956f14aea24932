"""Why a team needs attention, in words: stale goals, vulnerable roles, progress behind the
straight line (`doelen.progress.is_behind`), confidence falling. Not Django signals.

Each signal has a severity (issue #17), from these rules, so a manager can tell the urgent
from the slightly late:

- *serious*: a stale goal whose oldest gap is at least twice the team's rhythm (two updates
  missed in a row); a role that nobody in the team holds; average progress at least
  SERIOUS_BEHIND (25 percentage points) behind the straight line.
- *attention*: every other signal (a stale goal within two rhythms, a role with fewer holders
  than the minimum, progress behind by less, an active goal past its due date, confidence
  falling, agreements and contributions).
- *fine*: a team without signals.

A team's severity is that of its most serious signal; the dashboards sort on it first.

A signal about goals names them (issue #17: "each signal names the goal(s) and owner(s) it is
about"): `Signal.goals` holds a `GoalRef` (title and owner's name) per goal, the most
pressing first (the stale goal with the oldest gap, the goal furthest behind). They come
from `TeamFigures.flagged` (plain values, cached with the figures); the cards show the first
`GOALS_ON_CARD`, the team dashboard all of them."""

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from doelen.progress import is_behind
from doelen.stats import ConfidenceTrend
from rollen.models import Role

if TYPE_CHECKING:
    from dashboards.figures import TeamSummary


FINE, ATTENTION, SERIOUS = 0, 1, 2
SERIOUS_BEHIND = 0.25  # progress this far (a fraction) behind expected is serious
GOALS_ON_CARD = 3  # a team card names this many goals per signal, then "and N more"


@dataclass(frozen=True)
class GoalRef:
    """A goal a signal is about: enough to name and link it (plain values, cacheable)."""

    pk: int
    title: str
    owner: str | None  # the owner's name; None for a goal without owner

    def get_absolute_url(self) -> str:
        return reverse("doelen:detail", kwargs={"pk": self.pk})


@dataclass(frozen=True)
class FlaggedGoal:
    """An active goal in view that a goal signal may be about, with why (figures.team_figures
    reads these per team in one query; `stale_since` orders the stale ones, oldest gap
    first)."""

    ref: GoalRef
    is_stale: bool = False
    stale_since: datetime.datetime | None = None
    is_behind: bool = False
    gap: float = 0.0  # expected minus progress
    is_overdue: bool = False  # active after its due date
    doubtful: bool = False  # its latest update was not "on track"


@dataclass(frozen=True)
class Signal:
    """A reason a team needs attention, in words, with its severity (ATTENTION or SERIOUS)
    and, for a signal about goals, the goals it is about (most pressing first)."""

    kind: str  # "stale", "role", "confidence", "behind", "overdue", "agreements", "carry"
    text: str
    severity: int = ATTENTION
    goals: tuple[GoalRef, ...] = ()

    @property
    def goals_on_card(self) -> tuple[GoalRef, ...]:
        return self.goals[:GOALS_ON_CARD]

    @property
    def more_goals(self) -> int:
        """How many goals a team card leaves out ("and N more")."""
        return max(0, len(self.goals) - GOALS_ON_CARD)


def severity_of(signals: list[Signal]) -> int:
    """A team's severity: its most serious signal, FINE without signals."""
    return max((signal.severity for signal in signals), default=FINE)


def _stale_signal(
    count: int, weeks: int, rhythm_days: int, goals: tuple[GoalRef, ...] = ()
) -> Signal:
    """`weeks` is the oldest gap: the stale goal that went longest without an update. Serious
    from two rhythms on (two updates missed in a row)."""
    goals_text = ngettext("%(count)d goal", "%(count)d goals", count) % {"count": count}
    period = ngettext("%(count)d week", "%(count)d weeks", weeks) % {"count": weeks}
    if count == 1:
        text = _("%(goals)s not updated for %(weeks)s")
    else:
        text = _("%(goals)s not updated, the oldest for %(weeks)s")
    severity = SERIOUS if weeks * 7 >= 2 * rhythm_days else ATTENTION
    return Signal("stale", text % {"goals": goals_text, "weeks": period}, severity, goals)


def _role_signal(role: Role, holders: int) -> Signal:
    if holders == 0:
        text = _("no role holder for %(role)s") % {"role": role.name}
    elif holders == 1:
        text = _("only one role holder for %(role)s") % {"role": role.name}
    else:
        text = ngettext(
            "only %(count)d role holder for %(role)s",
            "only %(count)d role holders for %(role)s",
            holders,
        ) % {"count": holders, "role": role.name}
    return Signal("role", text, SERIOUS if holders == 0 else ATTENTION)


def _confidence_signal(trend: ConfidenceTrend, goals: tuple[GoalRef, ...] = ()) -> Signal:
    share_now, share_before = trend.share_now, trend.share_before
    if share_now is None or share_before is None:  # is_worse needs check-ins in both periods
        raise ValueError("confidence did not fall: a period without check-ins")
    return Signal(
        "confidence",
        _("confidence fell: %(now)d%% of updates on track, %(before)d%% in the previous period")
        % {"now": round(share_now * 100), "before": round(share_before * 100)},
        goals=goals,
    )


def _behind_signal(progress: float, expected: float, goals: tuple[GoalRef, ...] = ()) -> Signal:
    return Signal(
        "behind",
        _("progress behind: on average %(progress)d%% where %(expected)d%% was expected")
        % {"progress": round(progress * 100), "expected": round(expected * 100)},
        SERIOUS if expected - progress >= SERIOUS_BEHIND else ATTENTION,
        goals,
    )


def _overdue_signal(goals: tuple[GoalRef, ...]) -> Signal:
    return Signal(
        "overdue",
        ngettext(
            "%(count)d goal past its due date and still active",
            "%(count)d goals past their due date and still active",
            len(goals),
        )
        % {"count": len(goals)},
        goals=goals,
    )


def team_signals(summary: "TeamSummary") -> list[Signal]:
    """The reasons a team needs attention: serious ones first, then in the order of the
    rules (stale, roles, behind, overdue, confidence). Each signal about goals names them."""
    flagged = summary.flagged
    stale = sorted(
        (g for g in flagged if g.is_stale), key=lambda g: (g.stale_since is None, g.stale_since)
    )
    behind = sorted((g for g in flagged if g.is_behind), key=lambda g: -g.gap)
    signals = []
    if summary.stale_count:
        signals.append(
            _stale_signal(
                summary.stale_count,
                summary.stale_weeks,
                summary.team.update_rhythm,
                tuple(g.ref for g in stale),
            )
        )
    for role, holders in summary.vulnerable:
        signals.append(_role_signal(role, holders))
    # A team is behind when its average progress is (doelen.progress.is_behind) behind the
    # average expected progress of its active goals.
    if (
        summary.progress is not None
        and summary.expected is not None
        and is_behind(summary.progress, summary.expected)
    ):
        signals.append(
            _behind_signal(summary.progress, summary.expected, tuple(g.ref for g in behind))
        )
    overdue = tuple(g.ref for g in flagged if g.is_overdue)
    if overdue:
        signals.append(_overdue_signal(overdue))
    if summary.confidence.is_worse:
        doubtful = tuple(g.ref for g in sorted(flagged, key=lambda g: -g.gap) if g.doubtful)
        signals.append(_confidence_signal(summary.confidence, doubtful))
    return sorted(signals, key=lambda signal: -signal.severity)  # stable within a severity

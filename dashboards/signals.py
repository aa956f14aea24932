"""Why a team needs attention, in words: stale goals, vulnerable roles, progress behind the
straight line (`doelen.progress.is_behind`), confidence falling. Not Django signals.

Each signal has a severity (issue #17), from these rules, so a manager can tell the urgent
from the slightly late:

- *serious*: a stale goal whose oldest gap is at least twice the team's rhythm (two updates
  missed in a row); a role that nobody in the team holds; average progress at least
  SERIOUS_BEHIND (25 percentage points) behind the straight line.
- *attention*: every other signal (a stale goal within two rhythms, a role with fewer holders
  than the minimum, progress behind by less, confidence falling, agreements and
  contributions).
- *fine*: a team without signals.

A team's severity is that of its most serious signal; the dashboards sort on it first."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from doelen.progress import is_behind
from doelen.stats import ConfidenceTrend
from rollen.models import Role

if TYPE_CHECKING:
    from dashboards.figures import TeamSummary


FINE, ATTENTION, SERIOUS = 0, 1, 2
SERIOUS_BEHIND = 0.25  # progress this far (a fraction) behind expected is serious


@dataclass(frozen=True)
class Signal:
    """A reason a team needs attention, in words, with its severity (ATTENTION or SERIOUS)."""

    kind: str  # "stale", "role", "confidence", "behind", "agreements", "contributions"
    text: str
    severity: int = ATTENTION


def severity_of(signals: list[Signal]) -> int:
    """A team's severity: its most serious signal, FINE without signals."""
    return max((signal.severity for signal in signals), default=FINE)


def _stale_signal(count: int, weeks: int, rhythm_days: int) -> Signal:
    """`weeks` is the oldest gap: the stale goal that went longest without an update. Serious
    from two rhythms on (two updates missed in a row)."""
    goals = ngettext("%(count)d goal", "%(count)d goals", count) % {"count": count}
    period = ngettext("%(count)d week", "%(count)d weeks", weeks) % {"count": weeks}
    if count == 1:
        text = _("%(goals)s not updated for %(weeks)s")
    else:
        text = _("%(goals)s not updated, the oldest for %(weeks)s")
    severity = SERIOUS if weeks * 7 >= 2 * rhythm_days else ATTENTION
    return Signal("stale", text % {"goals": goals, "weeks": period}, severity)


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


def _confidence_signal(trend: ConfidenceTrend) -> Signal:
    share_now, share_before = trend.share_now, trend.share_before
    if share_now is None or share_before is None:  # is_worse needs check-ins in both periods
        raise ValueError("confidence did not fall: a period without check-ins")
    return Signal(
        "confidence",
        _("confidence fell: %(now)d%% of updates on track, %(before)d%% in the previous period")
        % {"now": round(share_now * 100), "before": round(share_before * 100)},
    )


def _behind_signal(progress: float, expected: float) -> Signal:
    return Signal(
        "behind",
        _("progress behind: on average %(progress)d%% where %(expected)d%% was expected")
        % {"progress": round(progress * 100), "expected": round(expected * 100)},
        SERIOUS if expected - progress >= SERIOUS_BEHIND else ATTENTION,
    )


def team_signals(summary: "TeamSummary") -> list[Signal]:
    """The reasons a team needs attention: serious ones first, then in the order of the
    rules (stale, roles, behind, confidence)."""
    signals = []
    if summary.stale_count:
        signals.append(
            _stale_signal(summary.stale_count, summary.stale_weeks, summary.team.update_rhythm)
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
        signals.append(_behind_signal(summary.progress, summary.expected))
    if summary.confidence.is_worse:
        signals.append(_confidence_signal(summary.confidence))
    return sorted(signals, key=lambda signal: -signal.severity)  # stable within a severity

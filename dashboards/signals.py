"""Why a team needs attention, in words: stale goals, vulnerable roles, progress behind the
straight line (`doelen.progress.is_behind`), confidence falling. Not Django signals."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from doelen.progress import is_behind
from doelen.stats import ConfidenceTrend
from rollen.models import Role

if TYPE_CHECKING:
    from dashboards.figures import TeamSummary


@dataclass(frozen=True)
class Signal:
    """A reason a team needs attention, in words."""

    kind: str  # "stale", "role", "confidence", "behind"
    text: str


def _stale_signal(count: int, weeks: int) -> Signal:
    """`weeks` is the oldest gap: the stale goal that went longest without an update."""
    goals = ngettext("%(count)d goal", "%(count)d goals", count) % {"count": count}
    period = ngettext("%(count)d week", "%(count)d weeks", weeks) % {"count": weeks}
    if count == 1:
        text = _("%(goals)s not updated for %(weeks)s")
    else:
        text = _("%(goals)s not updated, the oldest for %(weeks)s")
    return Signal("stale", text % {"goals": goals, "weeks": period})


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
    return Signal("role", text)


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
    )


def team_signals(summary: "TeamSummary") -> list[Signal]:
    """The reasons a team needs attention, most pressing first."""
    signals = []
    if summary.stale_count:
        signals.append(_stale_signal(summary.stale_count, summary.stale_weeks))
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
    return signals

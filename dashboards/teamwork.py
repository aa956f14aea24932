"""How a team works together, as dashboard signals (issue #20): agreements past their review
date (afspraken) and how the team's active goals are carried (doelen.contributions).

Kept apart from the other signals (dashboards.signals): `teamwork_figures` reads the
figures (plain values, cached with each team's `TeamFigures`), `teamwork_signals` turns
them into words. The threshold is `settings.ZS_CARRY_SHARE`."""

import datetime
import functools
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from afspraken.selectors import OverdueAgreements, overdue_agreements
from dashboards.signals import Signal
from doelen.contributions import CarryFigures, carry_figures

# Below this many active goals nobody "carries most of them": no signal for a small set.
MIN_GOALS_FOR_CARRY_SIGNAL = 3
NAMES_SHOWN = 3


@dataclass(frozen=True)
class TeamworkFigures:
    overdue: OverdueAgreements = field(default_factory=OverdueAgreements)
    carry: CarryFigures = field(default_factory=CarryFigures)
    on: datetime.date | None = None


def teamwork_figures(*, team_ids: list[int], on: datetime.date) -> dict[int, TeamworkFigures]:
    """{team_id: figures}. Four queries, whatever the number of teams."""
    overdue = overdue_agreements(team_ids=team_ids, on=on)
    carry = carry_figures(team_ids=team_ids, on=on)
    return {
        team_id: TeamworkFigures(overdue=overdue[team_id], carry=carry[team_id], on=on)
        for team_id in team_ids
    }


@functools.lru_cache(maxsize=512)
def _month(year: int, month: int, with_year: bool, language: str | None) -> str:
    """A month as "maart" or "maart 2025": formatting it is most of a signal's cost, and the HR
    dashboard words the signals of every team (issue 21)."""
    with translation.override(language):
        return date_format(datetime.date(year, month, 1), "F Y" if with_year else "F")


def _overdue_signal(overdue: OverdueAgreements, on: datetime.date | None) -> Signal:
    since = overdue.oldest_review_on
    month = ""
    if since is not None:
        with_year = not (on is None or since.year == on.year)
        month = _month(since.year, since.month, with_year, translation.get_language())
    text = ngettext(
        "%(count)d agreement not reviewed since %(month)s",
        "%(count)d agreements not reviewed since %(month)s",
        overdue.count,
    ) % {"count": overdue.count, "month": month}
    return Signal("agreements", text)


def _carry_signals(carry: CarryFigures, share: int) -> list[Signal]:
    signals = []
    total = carry.active_goals
    if total >= MIN_GOALS_FOR_CARRY_SIGNAL:
        for name, carried in carry.carried:
            if carried * 100 > total * share:
                signals.append(
                    Signal(
                        "carry",
                        _("%(name)s carries %(count)d of the %(total)d goals")
                        % {"name": name, "count": carried, "total": total},
                    )
                )
    idle = [name for name, carried in carry.carried if carried == 0]
    if total and idle:
        shown = ", ".join(idle[:NAMES_SHOWN]) + ("…" if len(idle) > NAMES_SHOWN else "")
        signals.append(
            Signal(
                "carry",
                ngettext(
                    "%(count)d member contributes to no goal: %(names)s",
                    "%(count)d members contribute to no goal: %(names)s",
                    len(idle),
                )
                % {"count": len(idle), "names": shown},
            )
        )
    return signals


def teamwork_signals(figures: TeamworkFigures | None) -> list[Signal]:
    """The teamwork reasons a team needs attention (none without figures)."""
    if figures is None:
        return []
    signals = []
    if figures.overdue.count:
        signals.append(_overdue_signal(figures.overdue, figures.on))
    signals.extend(_carry_signals(figures.carry, settings.ZS_CARRY_SHARE))
    return signals

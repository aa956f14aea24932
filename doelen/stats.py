"""Goal statistics for the dashboards: aggregates over check-ins, one query each, whatever
the number of teams, goals or check-ins."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from doelen.models import CheckIn, Confidence

# A team's confidence got worse when the share of check-ins "on track" fell by at least this
# much (0.10 = ten percentage points) from the previous period to this one.
CONFIDENCE_DROP = 0.10


@dataclass(frozen=True)
class ConfidenceTrend:
    """How confident a team was about its goals: check-ins "on track" in this period and in
    the previous period of the same length."""

    on_track_now: int = 0
    total_now: int = 0
    on_track_before: int = 0
    total_before: int = 0

    @property
    def share_now(self) -> float | None:
        return self.on_track_now / self.total_now if self.total_now else None

    @property
    def share_before(self) -> float | None:
        return self.on_track_before / self.total_before if self.total_before else None

    @property
    def change(self) -> float | None:
        if self.share_now is None or self.share_before is None:
            return None
        return self.share_now - self.share_before

    @property
    def is_worse(self) -> bool:
        """Worse than last period: both periods have check-ins and the share on track fell
        by CONFIDENCE_DROP or more."""
        change = self.change
        return change is not None and change <= -CONFIDENCE_DROP + 1e-9


def confidence_trends(
    *,
    teams: QuerySet | list[int],
    start: datetime.datetime,
    end: datetime.datetime,
    previous_start: datetime.datetime,
) -> dict[int, ConfidenceTrend]:
    """{team_id: ConfidenceTrend} for check-ins in [start, end) against
    [previous_start, start). Teams without check-ins in both periods are absent. One query."""
    on_track = Q(confidence=Confidence.ON_TRACK)
    now = Q(created_at__gte=start)
    before = Q(created_at__lt=start)
    rows = (
        CheckIn.objects.filter(
            goal__team__in=teams, created_at__gte=previous_start, created_at__lt=end
        )
        .order_by()
        .values("goal__team_id")
        .annotate(
            on_track_now=Count("pk", filter=now & on_track),
            total_now=Count("pk", filter=now),
            on_track_before=Count("pk", filter=before & on_track),
            total_before=Count("pk", filter=before),
        )
    )
    return {
        row["goal__team_id"]: ConfidenceTrend(
            on_track_now=row["on_track_now"],
            total_now=row["total_now"],
            on_track_before=row["on_track_before"],
            total_before=row["total_before"],
        )
        for row in rows
    }


def goal_objective_pairs(*, goal_ids: QuerySet | list[int]) -> list[tuple[int, int]]:
    """(goal_id, objective_id) for the given goals: which organisation objectives each goal
    serves. One query."""
    from doelen.models import Goal

    return list(
        Goal.objectives.through.objects.filter(goal_id__in=goal_ids)
        .order_by()
        .values_list("goal_id", "organisationobjective_id")
    )

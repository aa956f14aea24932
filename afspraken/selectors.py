"""Reads about team agreements that feed pages and dashboards. Fixed query counts."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Min, Prefetch, QuerySet
from django.http import Http404

from afspraken.models import Agreement, AgreementVersion


def _with_current(queryset: QuerySet[Agreement]) -> QuerySet[Agreement]:
    return queryset.select_related("current__owner", "retired_by")


def agreements_for_team(*, team, retired: bool = False) -> list[Agreement]:
    """The team's agreements in force (by title), or its retired ones (latest first).
    One query."""
    agreements = Agreement.objects.filter(team=team, current__isnull=False)
    if retired:
        agreements = agreements.filter(retired_on__isnull=False).order_by("-retired_on", "-pk")
    else:
        agreements = agreements.current().order_by("current__title", "pk")
    return list(_with_current(agreements))


def retired_count(*, team) -> int:
    return Agreement.objects.filter(team=team, retired_on__isnull=False).count()


@dataclass
class AgreementDetail:
    agreement: Agreement
    versions: list[AgreementVersion]  # newest first

    @property
    def current(self) -> AgreementVersion:
        return self.versions[0]


def agreement_detail(*, pk: int) -> AgreementDetail:
    """An agreement with its team and every version, newest first. Two queries; 404 when
    there is none."""
    agreement = (
        _with_current(Agreement.objects.filter(pk=pk, current__isnull=False))
        .select_related("team")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=AgreementVersion.objects.select_related("owner", "changed_by").order_by(
                    "-number"
                ),
                to_attr="history",
            )
        )
        .first()
    )
    if agreement is None:
        raise Http404
    return AgreementDetail(agreement=agreement, versions=agreement.history)


@dataclass(frozen=True)
class OverdueAgreements:
    """A team's agreements in force that passed their review date: plain values (cached
    with the dashboards' figures)."""

    count: int = 0
    oldest_review_on: datetime.date | None = None


def overdue_agreements(*, team_ids: list[int], on: datetime.date) -> dict[int, OverdueAgreements]:
    """{team_id: overdue agreements} for each team (none: count 0). One query."""
    rows = (
        Agreement.objects.overdue(on=on)
        .filter(team_id__in=team_ids)
        .order_by()
        .values("team_id")
        .annotate(count=Count("pk"), oldest=Min("current__review_on"))
    )
    found = {row["team_id"]: OverdueAgreements(row["count"], row["oldest"]) for row in rows}
    return {team_id: found.get(team_id, OverdueAgreements()) for team_id in team_ids}

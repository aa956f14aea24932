"""The reporting API (read-only). Each view asks the owning app's selectors or querysets,
the same reads as the pages, and narrows them with validated filters."""

import datetime
from typing import Any, cast

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.views import APIView

from api import serializers as s
from api.auth import HasScope
from api.errors import not_found_response
from api.models import Scope
from doelen.models import CheckIn, Goal, OrganisationObjective
from ontwikkeling.selectors import team_profile
from rollen.selectors import (
    OverviewFilters,
    matrix_holders_prefetch,
    people_memberships_base,
    role_changes,
)
from teams.access import TeamAccess
from teams.models import Team


class PrivateResponses:
    """Every API answer holds the organisation's data, for one key's holder only: no shared
    cache (proxy) keeps it, and a client asks again before reusing it. `no-cache`, not the
    pages' `no-store`: the ETag (and 304 for a nightly pull that sends If-None-Match) needs
    it, as Django's ConditionalGetMiddleware sets no ETag on a no-store answer."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(  # type: ignore[misc]
            request, response, *args, **kwargs
        )
        response["Cache-Control"] = "private, no-cache"
        return response


class ApiListView(PrivateResponses, generics.ListAPIView):
    required_scope: str = ""
    filter_class: type[serializers.Serializer] = s.TeamFilter
    permission_classes = [HasScope]

    def filters(self) -> dict[str, Any]:
        if not hasattr(self, "_filters"):
            form = self.filter_class(data=self.request.query_params)
            form.is_valid(raise_exception=True)
            self._filters = form.validated_data
        return self._filters

    def overview_filters(self) -> OverviewFilters:
        f = self.filters()
        return OverviewFilters(
            team=f.get("team", ""), role=f.get("role", ""), municipality=f.get("municipality", "")
        )

    def on(self) -> datetime.date:
        return self.filters().get("on") or timezone.localdate()


def _teams(queryset: QuerySet, filters: dict, prefix: str = "") -> QuerySet:
    if filters.get("team"):
        queryset = queryset.filter(**{f"{prefix}slug": filters["team"]})
    if filters.get("municipality"):
        queryset = queryset.filter(**{f"{prefix}municipality": filters["municipality"]})
    return queryset


def _schema(scope: str, filter_class, summary: str, description: str = ""):
    return extend_schema(
        summary=summary,
        description=f"{description}\n\nScope: `{scope}`.".strip(),
        parameters=[filter_class],
    )


@_schema(Scope.TEAMS, s.TeamListFilter, "Teams")
class TeamList(ApiListView):
    """Teams with their municipality, update rhythm and whether they are active."""

    required_scope = Scope.TEAMS
    filter_class = s.TeamListFilter
    serializer_class = s.TeamSerializer

    def get_queryset(self):
        teams = _teams(Team.objects.all(), self.filters())
        if self.filters().get("active") is not None:
            teams = teams.filter(is_active=self.filters()["active"])
        return teams


@_schema(Scope.TEAMS, s.OnDateFilter, "Memberships on a date", "Same rule as the HR person list.")
class MembershipList(ApiListView):
    required_scope = Scope.TEAMS
    filter_class = s.OnDateFilter
    serializer_class = s.MembershipSerializer

    def get_queryset(self):
        return people_memberships_base(
            on=self.on(), filters=self.overview_filters()
        ).select_related("employee", "team")


@_schema(Scope.ROLES, s.RoleFilter, "Role assignments on a date", "Same rule as the role matrix.")
class RoleAssignmentList(ApiListView):
    required_scope = Scope.ROLES
    filter_class = s.RoleFilter
    serializer_class = s.RoleAssignmentSerializer

    def get_queryset(self):
        # The matrix's own reading of "held on this date", filtered as the matrix filters.
        prefetch = matrix_holders_prefetch(on=self.on(), filters=self.overview_filters())
        if prefetch.queryset is None:
            raise ImproperlyConfigured("matrix_holders_prefetch gave no queryset")
        return prefetch.queryset.select_related("team", "role")


@_schema(
    Scope.ROLES,
    s.RoleChangeFilter,
    "Role changes between two dates",
    "Same rule as the HR comparison page.",
)
class RoleChangeList(ApiListView):
    required_scope = Scope.ROLES
    filter_class = s.RoleChangeFilter
    serializer_class = s.RoleAssignmentSerializer

    def get_queryset(self):
        f = self.filters()
        gained, lost = role_changes(
            date_from=f["date_from"], date_to=f["date_to"], filters=self.overview_filters()
        )
        return gained if f["change"] == "gained" else lost


@_schema(Scope.GOALS, s.TeamFilter, "Organisation objectives")
class ObjectiveList(ApiListView):
    required_scope = Scope.GOALS
    filter_class = serializers.Serializer
    serializer_class = s.ObjectiveSerializer
    queryset = OrganisationObjective.objects.all()


@_schema(
    Scope.GOALS,
    s.GoalFilter,
    "Team goals with progress",
    "Progress and expected progress on the reference date, as on the dashboards.",
)
class GoalList(ApiListView):
    required_scope = Scope.GOALS
    filter_class = s.GoalFilter
    serializer_class = s.GoalSerializer

    def get_queryset(self):
        f = self.filters()
        goals = (
            _teams(Goal.objects.with_latest_check_in().with_progress(on=self.on()), f, "team__")
            .select_related("team")
            .prefetch_related("objectives")
        )
        if f.get("objective"):
            goals = goals.filter(objectives__slug=f["objective"])
        if f.get("status"):
            goals = goals.filter(status=f["status"])
        if f.get("changed_since"):
            goals = goals.filter(updated_at__gte=f["changed_since"])
        return goals


@_schema(
    Scope.GOALS,
    s.CheckInFilter,
    "Check-ins",
    "Comments only with the scope goals:read-comments.",
)
class CheckInList(ApiListView):
    required_scope = Scope.GOALS
    filter_class = s.CheckInFilter
    serializer_class = s.CheckInSerializer

    def get_queryset(self):
        f = self.filters()
        check_ins = _teams(CheckIn.objects.all(), f, prefix="goal__team__").select_related(
            "goal__team"
        )
        if f.get("goal"):
            check_ins = check_ins.filter(goal_id=f["goal"])
        tz = timezone.get_current_timezone()
        if f.get("date_from"):
            start = datetime.datetime.combine(f["date_from"], datetime.time.min, tzinfo=tz)
            check_ins = check_ins.filter(created_at__gte=start)
        if f.get("date_to"):
            end = datetime.datetime.combine(
                f["date_to"] + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
            )
            check_ins = check_ins.filter(created_at__lt=end)
        return check_ins

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["with_comments"] = self.request.auth.has_scope(Scope.GOAL_COMMENTS)
        return context


# A reader that is no member: the selector then never looks for the viewer's own answers.
def _reader(team: Team) -> TeamAccess:
    return TeamAccess(team=team, is_member=False, is_manager=False, is_hr=True)


@_schema(
    Scope.SCAN,
    s.OnDateFilter,
    "Published team scan results",
    "Per team the rounds the portal publishes and their result per theme; never answers.",
)
class ScanResultList(ApiListView):
    required_scope = Scope.SCAN
    filter_class = s.OnDateFilter
    serializer_class = s.ScanResultSerializer

    def get_queryset(self):
        return _teams(Team.objects.all(), self.filters())

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        if page is None:
            raise ImproperlyConfigured("the API always pages (DEFAULT_PAGINATION_CLASS)")
        rows = [self._published(team) for team in page]
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

    def _published(self, team: Team) -> dict:
        # ontwikkeling's selector decides what is published (closed rounds, enough answers).
        profile = team_profile(
            team=team, viewer=cast(Any, AnonymousUser()), on=self.on(), access=_reader(team)
        )
        rounds = []
        for index, summary in enumerate(profile.history):
            themes = [
                {
                    "theme": score.theme.slug,
                    "name_nl": score.theme.name_nl,
                    "name_en": score.theme.name_en,
                    "mean": score.history[index] if index < len(score.history) else None,
                }
                for score in profile.themes
            ]
            rounds.append(
                {
                    "round": summary.round.pk,
                    "opens_on": summary.round.opens_on,
                    "closes_on": summary.round.closes_on,
                    "themes": themes,
                }
            )
        return {"team": team.slug, "rounds": rounds}


class NotFound(PrivateResponses, APIView):
    """Any other address under /api/v1/: the same JSON error as everywhere."""

    permission_classes: list = []
    authentication_classes: list = []
    throttle_classes: list = []

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        return not_found_response()

    post = put = patch = delete = get

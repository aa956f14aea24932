"""The dashboards: managers steer on signals, HR and management see the organisation.

The state of a dashboard (period, filters, sort order, page) lives in the query string
(`dashboards.filters`), so a view can be bookmarked and shared.
"""

import datetime
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.shortcuts import render
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dashboards import cache as dashboard_cache
from dashboards import charts
from dashboards.figures import all_roles, summarise
from dashboards.filters import DashboardState, filter_bar, read_state
from dashboards.freshness import with_data_version
from dashboards.organisation import ATTENTION_SHOWN, organisation_overview
from dashboards.periods import as_of
from dashboards.selectors import dashboard_teams
from dashboards.sorting import sort_summaries
from dashboards.team_dashboard import team_dashboard
from doelen.choices import GoalPhase
from doelen.contributions import member_shares
from doelen.lifecycle import goal_phase
from ontwikkeling.personal.selectors import team_intention_counts
from ontwikkeling.selectors import responsibility_progress, team_profile, weakest_themes
from teams.access import get_team_for_user, sees_all_teams
from teams.models import Team
from teams.selectors import serving

PAGE_SIZE = 24
# One template per card section; a new section (say, the team's weakest development theme)
# is one more entry here and one more template.
CARD_SECTIONS = [
    "dashboard/card/signals.html",
    "dashboard/card/goals.html",
    "dashboard/card/activity.html",
    "dashboard/card/roles.html",
    "ontwikkeling/_card_development.html",
]


def _team_cards(summaries, *, state: DashboardState, on: datetime.date) -> list:
    """The rendered card of each team, from the cache where the team did not change."""
    by_team = {summary.team.pk: summary for summary in summaries}

    def render(team_ids):
        # A past period: the theme of the scan published by its last day (#17).
        weakest = weakest_themes(team_ids=team_ids, on=as_of(state.period, on).day)
        template = get_template("dashboard/_team_card.html")
        cards = {}
        for team_id in team_ids:
            summary = by_team[team_id]
            summary.bar = charts.progress_bar(summary.progress, summary.expected)
            context = {
                "summary": summary,
                "state": state,
                "card_sections": CARD_SECTIONS,
                "weakest_by_team": weakest,
            }
            cards[team_id] = template.render(context)
        return cards

    cards = dashboard_cache.fragments(
        {
            # A card is the same whatever the list's sort order, municipality or page.
            summary.team.pk: (
                "card",
                summary.team.pk,
                summary.team.data_version,
                on,
                state.team_query,
            )
            for summary in summaries
        },
        render,
    )
    return [cards[summary.team.pk] for summary in summaries]


def _index_body(teams, *, state: DashboardState, on: datetime.date, page_number: int) -> SafeString:
    """The team cards of one page, sorted, with the counts above them. Every team's rank is
    sorted (dashboards.ranking); only the page's teams are summarised and drawn."""
    roles = all_roles()
    ranked = sort_summaries(
        dashboard_cache.ranked_teams(
            teams, roles=roles, period=state.period, on=on, objective=state.objective
        ),
        state.sort,
    )
    page = Paginator(ranked, PAGE_SIZE).get_page(page_number)
    shown = [ranked_team.team for ranked_team in page.object_list]
    figures = dashboard_cache.team_figures(
        shown, period=state.period, on=on, objective=state.objective
    )
    summaries = summarise(shown, figures, roles).summaries  # in the page's order
    html = render_to_string(
        "dashboard/_index_body.html",
        {
            "state": state,
            "page": page,
            "summaries": summaries,
            "cards": _team_cards(summaries, state=state, on=on),
            "total": len(ranked),
            "attention_count": sum(1 for ranked_team in ranked if ranked_team.needs_attention),
            "path": reverse("dashboard:index"),
        },
    )
    return html


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


@require_GET
def index(request):
    """A card per team: the manager's teams, all teams for HR and management, or an
    employee's own teams. Teams that need attention first."""
    on = timezone.localdate()
    state, filters = read_state(
        request, on=on, fields=("period", "start", "end", "municipality", "objective", "sort")
    )
    user = request.user
    all_teams = dashboard_teams(user=user, on=on)
    teams = all_teams.filter(serving(state.municipality))  # a team serving both serves each
    teams = with_data_version(teams)
    rows = list(cast("QuerySet[Any]", teams).values_list("pk", "data_version", "is_managed"))
    if sees_all_teams(user):
        scope = "all"
    elif any(is_managed for _pk, _version, is_managed in rows):
        scope = "managed"
    else:
        scope = "own"
    # The list depends on which teams are shown and their data, not on who looks at it.
    page_number = _page_number(request)
    versions = tuple((pk, version) for pk, version, _managed in rows)
    body = dashboard_cache.fragment(
        ("index", versions, on, state.query(), page_number),
        lambda: _index_body(teams, state=state, on=on, page_number=page_number),
    )
    return render(
        request,
        "dashboard/index.html",
        {
            "state": state,
            "filter_bar": filter_bar(request, state, filters),
            "body": body,
            "scope": scope,
            "has_teams": bool(rows) or all_teams.exists(),
            "on": on,
            "may_see_organisation": sees_all_teams(user),
            # Personal development: counts only, for the teams this person manages (#20).
            "development_counts": team_intention_counts(
                team_ids=[pk for pk, _version, is_managed in rows if is_managed], on=on
            )
            if scope != "own"
            else [],
        },
    )


def _team_body(
    team: Team, *, state: DashboardState, on: datetime.date, viewer, access, bar: SafeString
) -> SafeString:
    """The team dashboard below its title: the team's figures, the filter bar, the charts,
    tables and the development profile."""
    dashboard = team_dashboard(team=team, period=state.period, on=on, objective=state.objective)
    day = as_of(state.period, on).day  # a past period: its last day (#17)
    goal_charts = []
    for index, history in enumerate(dashboard.histories):
        goal = history.figures.goal
        span_start = max(goal.start_date, state.period.start)
        span_end = min(goal.due_date, state.period.end)
        # The straight line only where it means something (ADR 0015): a running or overdue
        # goal measured in numbers; not a planned or finished goal, nor a milestone (#17).
        phase = goal_phase(
            status=goal.status, start_date=goal.start_date, due_date=goal.due_date, on=day
        )
        line = phase in (GoalPhase.RUNNING, GoalPhase.OVERDUE) and not goal.is_milestone
        expected = (
            [
                (span_start, goal.expected_progress(span_start)),
                (span_end, goal.expected_progress(span_end)),
            ]
            if line and span_start <= span_end
            else []
        )
        chart = charts.progress_chart(
            chart_id=f"goal-chart-{index}",
            title=_("Progress of “%(goal)s”") % {"goal": goal.title},
            start=state.period.start,
            end=state.period.end,
            points=[(when, progress) for when, progress, _c in history.points],
            value_before=history.value_before,
            expected=expected,
        )
        goal_charts.append((history, chart, phase, line))
    weekly = charts.weekly_bars(
        chart_id="weekly-chart", title=_("Updates per week"), weeks=dashboard.weeks
    )
    return render_to_string(
        "dashboard/_team_body.html",
        {
            "team": team,
            "state": state,
            "dashboard": dashboard,
            "summary": dashboard.summary,
            "goal_charts": goal_charts,
            "weekly": weekly,
            "role_columns": [(role, dashboard.holders.get(role.pk, 0)) for role in dashboard.roles],
            "development_profile": team_profile(team=team, viewer=viewer, access=access, on=day),
            "filter_bar": bar,
            "shares": member_shares(team=team, on=day),  # who contributes to what (#20)
        },
    )


@require_GET
def team(request, slug):
    """One team: progress per goal over time, check-ins per week, the role matrix and goals
    per objective. For the team's members and managers, HR and management."""
    team, access = get_team_for_user(request.user, slug, with_data_version(Team.objects.all()))
    if not access.can_view_dashboard:
        raise PermissionDenied
    on = timezone.localdate()
    state, filters = read_state(request, on=on, fields=("period", "start", "end", "objective"))
    # The page is the same for everyone who may see it, except the development profile's
    # invitation to a member to fill in (or change) the open scan: a member's own version.
    viewer = (request.user.pk if access.is_member else None, access.can_edit)
    bar = filter_bar(request, state, filters)
    body = dashboard_cache.fragment(
        ("team", team.pk, dashboard_cache.data_version(team), on, state.query(), viewer),
        lambda: _team_body(team, state=state, on=on, viewer=request.user, access=access, bar=bar),
    )
    return render(
        request,
        "dashboard/team.html",
        {"team": team, "state": state, "body": body, "on": on},
    )


def _organisation_body(
    teams, *, state: DashboardState, on: datetime.date, may_see_roles: bool
) -> SafeString:
    """The organisation view's tables, heat map and attention list: every team's rank and
    goals per objective added up (dashboards.ranking); the teams in the attention list
    summarised."""
    teams = list(teams)
    roles = all_roles()
    ranked = dashboard_cache.ranked_teams(
        teams, roles=roles, period=state.period, on=on, objective=state.objective
    )
    needing = [r for r in sort_summaries(ranked, "attention") if r.needs_attention]
    shown = [ranked_team.team for ranked_team in needing[:ATTENTION_SHOWN]]
    figures = dashboard_cache.team_figures(
        shown, period=state.period, on=on, objective=state.objective
    )
    per_objective = dashboard_cache.objective_totals(
        teams, period=state.period, on=on, objective=state.objective
    )
    overview = organisation_overview(
        ranked=ranked,
        attention=summarise(shown, figures, roles).summaries,
        attention_count=len(needing),
        per_objective=per_objective,
        roles=roles,
        objective=state.objective,
    )
    heatmap = charts.coverage_heatmap(
        chart_id="coverage-chart",
        title=_("Role holders per team"),
        roles=[role.name for role in overview.roles],
        rows=[(team.name, counts) for team, counts in overview.least_covered],
    )
    return render_to_string(
        "dashboard/_organisation_body.html",
        {
            "state": state,
            "overview": overview,
            "attention": overview.attention,
            "heatmap": heatmap,
            "responsibility_progress": responsibility_progress(team_ids=[t.pk for t in teams]),
            "may_see_roles": may_see_roles,  # HR's role overview (rollen.views.hr_required)
        },
    )


@require_GET
def organisation(request):
    """Goals per objective and per municipality, role coverage across all teams and the teams
    that need attention. For HR and management."""
    if not sees_all_teams(request.user):
        raise PermissionDenied
    on = timezone.localdate()
    state, filters = read_state(
        request, on=on, fields=("period", "start", "end", "municipality", "objective")
    )
    teams = with_data_version(Team.objects.active()).order_by("name")
    teams = teams.filter(serving(state.municipality))  # a team serving both serves each
    versions = tuple(teams.values_list("pk", "data_version"))
    may_see_roles = request.user.is_hr
    body = dashboard_cache.fragment(
        ("organisation", versions, on, state.query(), may_see_roles),
        lambda: _organisation_body(teams, state=state, on=on, may_see_roles=may_see_roles),
    )
    return render(
        request,
        "dashboard/organisation.html",
        {
            "state": state,
            "filter_bar": filter_bar(request, state, filters),
            "body": body,
            "team_count": len(versions),
            "on": on,
        },
    )

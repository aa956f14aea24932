"""The dashboards: managers steer on signals, HR and management see the organisation.

The state of a dashboard (period, filters, sort order, page) lives in the query string, so a
view can be bookmarked and shared. A value that cannot be read gets a clear message and the
default instead: never an error page.
"""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from dashboards import cache as dashboard_cache
from dashboards import charts
from dashboards.figures import (
    DEFAULT_SORT,
    Period,
    all_roles,
    dashboard_teams,
    may_see_organisation,
    organisation_overview,
    sort_summaries,
    summarise,
    team_dashboard,
)
from dashboards.freshness import with_data_version
from doelen.models import OrganisationObjective
from ontwikkeling.selectors import responsibility_progress, team_profile, weakest_themes
from teams.access import get_team_for_user
from teams.models import Municipality, Team

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
EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2099, 12, 31)
MAX_CUSTOM_DAYS = 3 * 366

PERIOD_CHOICES = [
    ("quarter", gettext_lazy("Quarter")),
    ("year", gettext_lazy("Year")),
    ("custom", gettext_lazy("Chosen dates")),
]
SORT_CHOICES = [
    ("attention", gettext_lazy("Needs attention first")),
    ("name", gettext_lazy("Team name")),
    ("progress", gettext_lazy("Furthest behind first")),
    ("stale", gettext_lazy("Most goals without updates first")),
    ("roles", gettext_lazy("Most vulnerable roles first")),
    ("activity", gettext_lazy("Least recent activity first")),
]


class DashboardFilterForm(forms.Form):
    """Reads and checks the query string. The filter bar itself is plain markup in
    dashboard/_filters.html (see filter_fields): rendering the widgets through Django's
    form templates (or crispy-forms) cost a fifth of the manager dashboard's time."""

    period = forms.ChoiceField(label=gettext_lazy("Period"), choices=PERIOD_CHOICES, required=False)
    start = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("For a quarter or a year: any day in it."),
    )
    end = forms.DateField(
        label=gettext_lazy("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("Only for chosen dates."),
    )
    municipality = forms.ChoiceField(
        label=gettext_lazy("Municipality"),
        choices=[("", gettext_lazy("All municipalities")), *Municipality.choices],
        required=False,
    )
    objective = forms.ModelChoiceField(
        label=gettext_lazy("Organisation objective"),
        queryset=OrganisationObjective.objects.filter(is_active=True).order_by("order"),
        to_field_name="slug",
        required=False,
        empty_label=gettext_lazy("All objectives"),
    )
    sort = forms.ChoiceField(label=gettext_lazy("Sort by"), choices=SORT_CHOICES, required=False)

    def __init__(self, *args, fields: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in fields:
                del self.fields[name]

    def clean_start(self):
        return self._in_range(self.cleaned_data.get("start"))

    def clean_end(self):
        return self._in_range(self.cleaned_data.get("end"))

    def _in_range(self, day):
        if day and not EARLIEST <= day <= LATEST:
            raise forms.ValidationError(
                _("Choose a date between %(first)s and %(last)s.")
                % {"first": EARLIEST.year, "last": LATEST.year}
            )
        return day

    def clean(self):
        data = super().clean()
        if data.get("period") == "custom" and not self.has_error("start"):
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                self.add_error("end", _("Chosen dates need both a start and an end date."))
            elif end < start:
                self.add_error("end", _("The end date cannot be before the start date."))
            elif (end - start).days >= MAX_CUSTOM_DAYS:
                self.add_error("end", _("Choose a period of at most three years."))
        return data


@dataclass
class DashboardState:
    """What the query string asked for, with the defaults filled in."""

    period: Period
    municipality: str = ""
    objective: OrganisationObjective | None = None
    sort: str = DEFAULT_SORT

    def params(self, *, period: Period | None = None, **changes) -> dict[str, str]:
        params = (period or self.period).as_query()
        if self.municipality:
            params["municipality"] = self.municipality
        if self.objective is not None:
            params["objective"] = self.objective.slug
        if self.sort != DEFAULT_SORT:
            params["sort"] = self.sort
        params.update({key: str(value) for key, value in changes.items() if value is not None})
        return params

    def query(self, **changes) -> str:
        return "?" + urlencode(self.params(**changes))

    @property
    def team_query(self) -> str:
        """The query string for a team dashboard: only what it reads (period, objective)."""
        params = self.period.as_query()
        if self.objective is not None:
            params["objective"] = self.objective.slug
        return "?" + urlencode(params)

    @property
    def previous_query(self) -> str:
        return self.query(period=self.period.previous())

    @property
    def next_query(self) -> str:
        return self.query(period=self.period.next())


def read_state(request, *, on: datetime.date, fields: tuple[str, ...]):
    """(state, filter fields) from the query string. Values that do not fit are reported in a
    message and replaced by the default."""
    form = DashboardFilterForm(request.GET or None, fields=fields)
    data = {}
    if request.GET:
        form.is_valid()
        data = form.cleaned_data
        if form.errors:
            problems = []
            for name, errors in form.errors.items():
                label = form.fields[name].label if name in form.fields else name
                problems.extend(f"{label}: {error}" for error in errors)
            messages.warning(
                request,
                _("Some choices could not be used, so the defaults are shown instead. %(problems)s")
                % {"problems": " ".join(problems)},
            )
    reference = data.get("start") or on
    kind = data.get("period") or "quarter"
    if kind == "custom" and not form.has_error("end") and data.get("start") and data.get("end"):
        period = Period.custom(data["start"], data["end"])
    elif kind == "year":
        period = Period.year(reference)
    else:
        period = Period.quarter(reference if kind == "quarter" else on)
    state = DashboardState(
        period=period,
        municipality=data.get("municipality") or "",
        objective=data.get("objective"),
        sort=data.get("sort") or DEFAULT_SORT,
    )
    return state, filter_fields(form, state)


def filter_bar(request, state: DashboardState, filters: list["FilterField"]) -> SafeString:
    """The filter bar, rendered once per page, choices and language (it is the same for
    everyone, and drawing every option through the template engine is a large part of a
    cached dashboard's time)."""
    return dashboard_cache.fragment(
        ("filters", request.path, tuple(filters), state.query()),
        lambda: render_to_string(
            "dashboard/_filters.html", {"filters": filters, "state": state, "path": request.path}
        ),
    )


@dataclass(frozen=True)
class FilterField:
    name: str
    label: str
    help_text: str
    kind: str  # "date" or "select"
    value: str
    options: list[tuple[str, str]]


def filter_fields(form: DashboardFilterForm, state: DashboardState) -> list[FilterField]:
    """The filter bar's fields with the values in force (after any fallback to defaults)."""
    values = {
        "period": state.period.kind,
        "start": state.period.start.isoformat(),
        "end": state.period.end.isoformat(),
        "municipality": state.municipality,
        "objective": state.objective.slug if state.objective else "",
        "sort": state.sort,
    }
    fields = []
    for name, field in form.fields.items():
        if isinstance(field, forms.DateField):
            kind, options = "date", []
        elif isinstance(field, forms.ModelChoiceField):
            kind = "select"
            options = [("", str(field.empty_label))]
            options += [(objective.slug, objective.name) for objective in field.queryset]
        else:
            kind, options = "select", [(str(value), str(label)) for value, label in field.choices]
        fields.append(
            FilterField(
                name=name,
                label=str(field.label),
                help_text=str(field.help_text),
                kind=kind,
                value=values[name],
                options=options,
            )
        )
    return fields


def _team_cards(summaries, *, state: DashboardState, on: datetime.date) -> list:
    """The rendered card of each team, from the cache where the team did not change."""
    by_team = {summary.team.pk: summary for summary in summaries}

    def render(team_ids):
        weakest = weakest_themes(team_ids=team_ids, on=on)
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
    """The team cards of one page, sorted, with the counts above them."""
    teams = list(teams)
    figures = dashboard_cache.team_figures(
        teams, period=state.period, on=on, objective=state.objective
    )
    summaries = sort_summaries(summarise(teams, figures, all_roles()).summaries, state.sort)
    page = Paginator(summaries, PAGE_SIZE).get_page(page_number)
    html = render_to_string(
        "dashboard/_index_body.html",
        {
            "state": state,
            "page": page,
            "summaries": page.object_list,
            "cards": _team_cards(page.object_list, state=state, on=on),
            "total": len(summaries),
            "attention_count": sum(1 for s in summaries if s.needs_attention),
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
    teams = all_teams.filter(municipality=state.municipality) if state.municipality else all_teams
    teams = with_data_version(teams)
    rows = list(teams.values_list("pk", "data_version", "is_managed"))
    if user.is_hr or user.is_management:
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
            "may_see_organisation": may_see_organisation(user),
        },
    )


def _team_body(
    team: Team, *, state: DashboardState, on: datetime.date, viewer, access, bar: SafeString
) -> SafeString:
    """The team dashboard below its title: the team's figures, the filter bar, the charts,
    tables and the development profile."""
    dashboard = team_dashboard(team=team, period=state.period, on=on, objective=state.objective)
    goal_charts = []
    for index, history in enumerate(dashboard.histories):
        goal = history.figures.goal
        span_start = max(goal.start_date, state.period.start)
        span_end = min(goal.due_date, state.period.end)
        expected = (
            [
                (span_start, goal.expected_progress(span_start)),
                (span_end, goal.expected_progress(span_end)),
            ]
            if span_start <= span_end
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
        goal_charts.append((history, chart))
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
            "development_profile": team_profile(team=team, viewer=viewer, access=access, on=on),
            "filter_bar": bar,
        },
    )


@require_GET
def team(request, slug):
    """One team: progress per goal over time, check-ins per week, the role matrix and goals
    per objective. For the team's members and managers, HR and management."""
    team, access = get_team_for_user(request.user, slug, with_data_version(Team.objects.all()))
    if not (access.is_member or access.is_manager or access.is_hr or request.user.is_management):
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


def _organisation_body(teams, *, state: DashboardState, on: datetime.date) -> SafeString:
    """The organisation view's tables, heat map and attention list."""
    teams = list(teams)
    figures = dashboard_cache.team_figures(
        teams, period=state.period, on=on, objective=state.objective
    )
    roles = all_roles()
    data = summarise(teams, figures, roles)
    per_objective = dashboard_cache.objective_totals(
        teams, period=state.period, on=on, objective=state.objective
    )
    overview = organisation_overview(
        summaries=data.summaries,
        per_objective=per_objective,
        roles=roles,
        objective=state.objective,
    )
    heatmap = charts.coverage_heatmap(
        chart_id="coverage-chart",
        title=_("Role holders per team"),
        roles=[role.name for role in overview.roles],
        rows=[(team.name, counts) for team, counts in overview.coverage],
    )
    return render_to_string(
        "dashboard/_organisation_body.html",
        {
            "state": state,
            "overview": overview,
            "attention": overview.attention,
            "heatmap": heatmap,
            "responsibility_progress": responsibility_progress(team_ids=[t.pk for t in teams]),
        },
    )


@require_GET
def organisation(request):
    """Goals per objective and per municipality, role coverage across all teams and the teams
    that need attention. For HR and management."""
    if not may_see_organisation(request.user):
        raise PermissionDenied
    on = timezone.localdate()
    state, filters = read_state(
        request, on=on, fields=("period", "start", "end", "municipality", "objective")
    )
    teams = with_data_version(Team.objects.active()).order_by("name")
    if state.municipality:
        teams = teams.filter(municipality=state.municipality)
    versions = tuple(teams.values_list("pk", "data_version"))
    body = dashboard_cache.fragment(
        ("organisation", versions, on, state.query()),
        lambda: _organisation_body(teams, state=state, on=on),
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

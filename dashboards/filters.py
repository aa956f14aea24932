"""The dashboards' state in the query string (period, filters, sort order) and the filter
bar that sets it.

The state of a dashboard lives in the query string, so a view can be bookmarked and shared.
A value that cannot be read gets a clear message and the default instead: never an error
page.
"""

import datetime
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dashboards import cache as dashboard_cache
from dashboards.periods import Period
from dashboards.sorting import DEFAULT_SORT
from doelen.models import OrganisationObjective
from teams.models import Municipality

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
        data = cast("dict[str, Any]", super().clean())  # Form.clean returns cleaned_data
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
            problems: list[str] = []
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
            objectives = cast("QuerySet[OrganisationObjective]", field.queryset)
            options += [(objective.slug, objective.name) for objective in objectives]
        else:
            choices = cast(Any, field).choices  # a ChoiceField; the stubs' Field has no choices
            kind, options = "select", [(str(value), str(label)) for value, label in choices]
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

"""Forms for HR's role overviews and the import of people and teams."""

import datetime
from typing import cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rollen.imports import FIELDS
from rollen.imports.parse import ENCODINGS
from rollen.models import ImportMapping, Role
from rollen.selectors import OverviewFilters
from teams.models import Municipality, Team


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


# More teams than this: the team filter is a text field (name or slug), not a choice list.
# A list of 1,000 teams was 70 KB of every HR overview page at 15,000 people (issue 21).
TEAM_CHOICES_MAX = 200


class TeamField(forms.ModelChoiceField):
    """A team by its slug (links, the choice list) or, typed, by its name."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value).strip()
        teams = Team.objects.all()
        team = teams.filter(slug=value).first() or teams.filter(name__iexact=value).first()
        if team is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return team


class OverviewFilterForm(forms.Form):
    """The filters of every overview, read from the query string (all state is in the URL)."""

    peildatum = forms.DateField(label=_("Reference date"), required=False, widget=DateInput())
    team = TeamField(
        label=_("Team"), queryset=Team.objects.order_by("name"), to_field_name="slug",
        required=False, empty_label=_("All teams"),
    )  # fmt: skip
    role = forms.ModelChoiceField(
        label=_("Role"), queryset=Role.objects.order_by("order"), to_field_name="slug",
        required=False, empty_label=_("All roles"),
    )  # fmt: skip
    municipality = forms.ChoiceField(
        label=_("Municipality"),
        choices=[("", _("All municipalities")), *Municipality.choices],
        required=False,
    )
    date_fields = ["peildatum"]

    def __init__(self, data=None, **kwargs):
        if "peildatum" in self.base_fields and data is not None and not data.get("peildatum"):
            # Show the date the overview is about, rather than an empty date field.
            data = data.copy()
            data["peildatum"] = timezone.localdate().isoformat()
        super().__init__(data=data, **kwargs)
        if "peildatum" in self.fields:
            self.fields["peildatum"].initial = timezone.localdate()
        self._team_choices()
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "filter-form mb-3"
        self.helper.layout = Layout(
            Row(
                *(Column(name, css_class="col-sm-6 col-lg") for name in self.fields),
                Column(Submit("", _("Show"), css_class="mt-lg-4"), css_class="col-12 col-lg-auto"),
            )
        )

    def _team_choices(self) -> None:
        """The choice list read once, up to TEAM_CHOICES_MAX teams (one query, as the list
        itself took); past that a text field for the team's name."""
        field = cast(TeamField, self.fields["team"])
        teams = list(
            Team.objects.order_by("name").values_list("slug", "name")[: TEAM_CHOICES_MAX + 1]
        )
        if len(teams) <= TEAM_CHOICES_MAX:
            field.choices = [("", field.empty_label), *teams]
        else:
            field.widget = forms.TextInput(attrs={"placeholder": _("All teams")})
            field.help_text = _("The team's name; empty for all teams.")

    def bad_fields(self) -> list[str]:
        """Filters that could not be read and were ignored."""
        return list(self.errors) if self.is_bound else []

    def cleaned(self, name, default=None):
        if not self.is_bound or name in self.errors:
            return default
        return self.cleaned_data.get(name) or default

    def filters(self) -> OverviewFilters:
        team, role = self.cleaned("team"), self.cleaned("role")
        return OverviewFilters(
            team=team.slug if team else "",
            role=role.slug if role else "",
            municipality=self.cleaned("municipality", ""),
        )

    def reference_date(self) -> datetime.date:
        return self.cleaned("peildatum") or timezone.localdate()


class CompareFilterForm(OverviewFilterForm):
    peildatum = None  # type: ignore[assignment]  # None removes the inherited field (Django forms)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    field_order = ["date_from", "date_to", "team", "role", "municipality"]
    date_fields = ["date_from", "date_to"]

    def dates(self) -> tuple[datetime.date, datetime.date]:
        today = timezone.localdate()
        date_from = self.cleaned("date_from") or today.replace(day=1, month=1)
        date_to = self.cleaned("date_to") or today
        return date_from, date_to


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_(
            "A CSV or Excel (.xlsx) file from the HR system (AFAS, Youforce, Beaufort or "
            "another), with for example the columns personnel number, name, e-mail, team, "
            "role(s) and since. CSV separated by ; , or a tab."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.txt,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.ZS_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is too large (%(size)s). The limit is %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        return upload


class ImportMappingForm(forms.Form):
    """Which column of the file holds which field; guessed from the column names."""

    deactivate_missing = forms.BooleanField(
        label=_("Mark people who are not in the file as inactive"),
        help_text=_(
            "Only people with a personnel number. Their memberships and roles end. "
            "Nothing is deleted."
        ),
        required=False,
    )

    encoding = forms.ChoiceField(
        label=_("Character set"),
        choices=list(ENCODINGS.items()),
        required=False,
        help_text=_("Detected from the file. Change it when letters like é or ë look wrong."),
    )
    save_as = forms.CharField(
        label=_("Save these column choices as source (optional)"),
        max_length=100,
        required=False,
        help_text=_("For example AFAS Profit. Next time you can choose it again."),
    )

    def __init__(self, *args, header: list[str], spreadsheet: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if spreadsheet:
            del self.fields["encoding"]
        choices = [("", _("(not in the file)"))] + [
            (str(index), name or _("column %(number)d") % {"number": index + 1})
            for index, name in enumerate(header)
        ]
        for name, label in reversed(FIELDS.items()):
            self.fields = {
                f"column_{name}": forms.TypedChoiceField(
                    label=label, choices=choices, required=False, coerce=int, empty_value=None
                ),
                **self.fields,
            }
        self.helper = FormHelper()
        self.helper.form_tag = False

    def mapping(self) -> dict[str, int | None]:
        return {name: self.cleaned_data.get(f"column_{name}") for name in FIELDS}


class SavedMappingForm(forms.Form):
    """Choose column choices saved earlier for a source."""

    source = forms.ModelChoiceField(
        label=_("Use saved column choices"),
        queryset=ImportMapping.objects.order_by("name"),
        empty_label=_("(guess from the column names)"),
        required=False,
    )


class ImportApplyForm(forms.Form):
    """The explicit yes before applying: ending things and matches by e-mail."""

    fingerprint = forms.CharField(widget=forms.HiddenInput)
    confirm_ends = forms.BooleanField(
        label=_("Yes, end these roles and memberships and mark these people inactive"),
        required=False,
    )
    accept_email_matches = forms.BooleanField(
        label=_("Yes, these people found by e-mail address are the right people"),
        required=False,
    )


class OverviewSearchForm(OverviewFilterForm):
    """The overview's filters with a search on the team's name (the summary pages)."""

    q = forms.CharField(label=_("Team name contains"), required=False, max_length=100)

    def search(self) -> str:
        return (self.cleaned("q", "") or "").strip()

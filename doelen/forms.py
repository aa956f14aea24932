"""Forms for team goals. The model's clean() and constraints carry the rules; these forms add
what only a form knows (which choices to offer, which fields a person must fill in)."""

import datetime
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from common.dates import validate_reasonable_date
from common.once import OnceTokenField
from doelen.measure import normalise_measure
from doelen.models import (
    VALUE_DECIMALS,
    VALUE_MAX_DIGITS,
    Confidence,
    Goal,
    GoalStatus,
    MeasureType,
    OrganisationObjective,
)
from doelen.selectors import team_member_choices
from doelen.services import (
    EDITABLE_FIELDS,
    M2M_FIELDS,
    REASON_MAX_LENGTH,
    STATUS_CHANGES,
    GoalData,
)
from doelen.templatetags.goals import goal_number
from rollen.models import Role
from teams.models import Employee, Team

DATE_FORMAT = "%Y-%m-%d"


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT)


def _value_field(**kwargs):
    return forms.DecimalField(
        max_digits=VALUE_MAX_DIGITS,
        decimal_places=VALUE_DECIMALS,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        **kwargs,
    )


class GoalForm(forms.ModelForm):
    """Add or change a goal. `opened_version` carries the version the form was opened at."""

    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    once = OnceTokenField()  # a new goal is stored once per form (audit.submissions)
    start_value = _value_field(label=_("Start value"), required=False)
    target_value = _value_field(label=_("Target value"), required=False)

    class Meta:
        model = Goal
        fields = [*EDITABLE_FIELDS, *M2M_FIELDS]  # what goal_update writes
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "measure_type": forms.RadioSelect,
            "start_date": _date_widget(),
            "due_date": _date_widget(),
            "objectives": forms.CheckboxSelectMultiple,
            "driving_roles": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "unit": _("Only for a number. For example: residents, days, €."),
            "start_value": _("Where the team stands at the start. Not needed for a milestone."),
            "target_value": _("Where the team wants to be on the due date."),
        }

    def __init__(self, *args, team: Team, has_check_ins: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.team = team
        owner_choices = team_member_choices(team=team)
        if self.instance.owner_id:
            owner_choices = Employee.objects.filter(
                Q(pk__in=owner_choices.values("pk")) | Q(pk=self.instance.owner_id)
            ).order_by("name", "username")
        owner = cast(forms.ModelChoiceField, self.fields["owner"])
        owner.queryset = owner_choices
        owner.empty_label = _("(no owner: the whole team)")
        objectives = Q(is_active=True)
        if self.instance.pk:
            objectives |= Q(goals=self.instance)
        cast(
            forms.ModelChoiceField, self.fields["objectives"]
        ).queryset = OrganisationObjective.objects.filter(objectives).distinct()
        cast(forms.ModelChoiceField, self.fields["driving_roles"]).queryset = Role.objects.order_by(
            "order"
        )
        self.fields["unit"].required = False
        self.fields["description"].help_text = _("What the team wants to reach, and why.")
        if has_check_ins:
            self.fields["measure_type"].disabled = True
            self.fields["measure_type"].help_text = _(
                "This goal already has progress updates, so how it is measured cannot "
                "change. Carry it over to a new goal if it needs another measure."
            )
        if self.instance.pk and not self.is_bound:
            self.fields["opened_version"].initial = self.instance.version
            for name in ("start_value", "target_value"):  # "120" as the goal page shows it
                self.initial[name] = goal_number(getattr(self.instance, name))

    def clean_due_date(self):
        """A new goal, or a changed due date, must not lie in the past (ADR 0015): a past
        date makes an overdue goal from the first day. An overdue goal keeps its date."""
        due = self.cleaned_data.get("due_date")
        unchanged = self.instance.pk and due == self.instance.due_date
        if due and not unchanged and due < timezone.localdate():
            raise forms.ValidationError(
                _("This due date has already passed. Choose today or a later date.")
            )
        return due

    def clean(self):
        # Form.clean() returns cleaned_data; the stubs allow None.
        cleaned = cast(dict[str, Any], super().clean())
        measure = cleaned.get("measure_type")
        if not measure:
            return cleaned
        if measure == MeasureType.NUMBER:
            for name in ("start_value", "target_value"):
                if cleaned.get(name) is None and name not in self.errors:
                    self.add_error(name, _("Fill in a number."))
        normal = normalise_measure(
            measure,
            unit=cleaned.get("unit") or "",
            start_value=cleaned.get("start_value"),
            target_value=cleaned.get("target_value"),
        )
        for name in ("start_value", "target_value"):
            if measure == MeasureType.MILESTONE:
                self.errors.pop(name, None)  # a milestone's values are not typed in
            if name not in self.errors:
                cleaned[name] = getattr(normal, name)
        return cleaned

    def _post_clean(self):
        # The model's clean() needs values; fields the form left empty keep their error.
        for name in ("start_value", "target_value"):
            if self.cleaned_data.get(name) is None:
                self.cleaned_data[name] = getattr(self.instance, name)
        # A private hook of BaseModelForm that the stubs do not declare.
        super()._post_clean()  # type: ignore[misc]

    def goal_data(self) -> GoalData:
        """What was filled in, after the model's clean() put it in order."""
        goal = self.instance
        return GoalData(
            title=goal.title,
            description=goal.description,
            measure_type=goal.measure_type,
            unit=goal.unit,
            start_value=goal.start_value,
            target_value=goal.target_value,
            start_date=goal.start_date,
            due_date=goal.due_date,
            owner=goal.owner,
            objectives=list(self.cleaned_data.get("objectives") or []),
            driving_roles=list(self.cleaned_data.get("driving_roles") or []),
        )


def display_value(goal: Goal, name: str) -> str:
    """A field's value on `goal` as a person reads it."""
    value = getattr(goal, name)
    if name in ("objectives", "driving_roles"):
        return ", ".join(str(item) for item in value.all()) or "–"
    if name == "measure_type":
        return goal.get_measure_type_display()
    if value in (None, ""):
        return "–"
    return _readable(value)


def display_cleaned(form: GoalForm, name: str) -> str:
    value = form.cleaned_data.get(name)
    if name in ("objectives", "driving_roles"):
        return ", ".join(str(item) for item in value or []) or "–"
    if name == "measure_type":
        return str(MeasureType(value).label) if value else "–"
    if value in (None, ""):
        return "–"
    return _readable(value)


def _readable(value) -> str:
    if isinstance(value, Decimal):
        return goal_number(value)
    if isinstance(value, datetime.date):
        return date_format(value)
    return str(value)


class CheckInForm(forms.Form):
    """Record progress on a goal."""

    once = OnceTokenField()  # a double click stores one check-in (audit.submissions)
    value = _value_field(label=_("New value"))
    confidence = forms.ChoiceField(
        label=_("How confident is the team?"),
        choices=Confidence.choices,
        initial=Confidence.ON_TRACK,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the goal needs attention or is off track."),
    )

    def __init__(self, *args, goal: Goal, **kwargs):
        super().__init__(*args, **kwargs)
        self.goal = goal
        if goal.measure_type == MeasureType.MILESTONE:
            self.fields["value"] = forms.TypedChoiceField(
                label=_("Is the milestone reached?"),
                choices=[("0", _("not yet")), ("1", _("yes, reached"))],
                coerce=Decimal,
                widget=forms.RadioSelect,
            )
        else:
            unit = goal.unit or ""
            self.fields["value"].label = (
                _("New value (%(unit)s)") % {"unit": unit} if unit else _("New value")
            )
            self.fields["value"].help_text = _("Start %(start)s, target %(target)s.") % {
                "start": goal_number(goal.start_value),
                "target": goal_number(goal.target_value),
            }

    def clean_value(self):
        value = self.cleaned_data["value"]
        if value is not None and not self.goal.value_in_range(value):
            raise forms.ValidationError(_("A percentage lies between 0 and 100."))
        return value

    def clean(self):
        # Form.clean() returns cleaned_data; the stubs allow None.
        cleaned = cast(dict[str, Any], super().clean())
        confidence = cleaned.get("confidence")
        if (
            confidence
            and confidence != Confidence.ON_TRACK
            and not (cleaned.get("comment") or "").strip()
            and "comment" not in self.errors
        ):
            self.add_error(
                "comment",
                _("Explain in a comment why the goal needs attention or is off track."),
            )
        return cleaned


class StatusForm(forms.Form):
    """Finish, stop or archive a goal, with a reason."""

    status = forms.ChoiceField(label=_("New status"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, goal: Goal, **kwargs):
        super().__init__(*args, **kwargs)
        # The field's value is always a GoalStatus value; the stubs type it as str.
        allowed = STATUS_CHANGES.get(cast(GoalStatus, goal.status), set())
        cast(forms.ChoiceField, self.fields["status"]).choices = [
            (value, label) for value, label in GoalStatus.choices if value in allowed
        ]


class CarryOverForm(forms.Form):
    """Carry a goal over into a new period."""

    start_date = forms.DateField(
        label=_("New start date"), widget=_date_widget(), validators=[validate_reasonable_date]
    )
    due_date = forms.DateField(
        label=_("New due date"), widget=_date_widget(), validators=[validate_reasonable_date]
    )
    target_value = _value_field(label=_("New target value"), required=False)

    def __init__(self, *args, goal: Goal, **kwargs):
        super().__init__(*args, **kwargs)
        self.goal = goal
        if goal.measure_type == MeasureType.MILESTONE:
            del self.fields["target_value"]
        else:
            self.fields["target_value"].initial = goal_number(goal.target_value)
            self.fields["target_value"].help_text = _(
                "The new goal starts at the latest value. Leave empty to keep the target."
            )

    def clean(self):
        # Form.clean() returns cleaned_data; the stubs allow None.
        cleaned = cast(dict[str, Any], super().clean())
        start, due = cleaned.get("start_date"), cleaned.get("due_date")
        if start and due and due < start:
            self.add_error("due_date", _("The due date cannot be before the start date."))
        return cleaned


class ContributionForm(forms.Form):
    """Add a member who contributes to a goal."""

    member = forms.ModelChoiceField(label=_("Team member"), queryset=Employee.objects.none())
    description = forms.CharField(
        label=_("What they contribute"),
        max_length=200,
        help_text=_("A few words, for example: talks to the residents' council."),
    )

    def __init__(self, *args, goal: Goal, **kwargs):
        super().__init__(*args, **kwargs)
        current = goal.contributions.filter(until__isnull=True).values("member_id")
        choices = team_member_choices(team=goal.team).exclude(pk__in=current)
        if goal.owner_id:
            choices = choices.exclude(pk=goal.owner_id)
        cast(forms.ModelChoiceField, self.fields["member"]).queryset = choices

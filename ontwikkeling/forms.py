import datetime
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.dates import validate_reasonable_date
from common.once import FIELD_NAME, OnceTokenField
from ontwikkeling.models import SCORE_MAX, SCORE_MIN, ResponsibilityState, Theme

SCALE = [
    (1, _("1 – strongly disagree")),
    (2, _("2 – disagree")),
    (3, _("3 – neutral")),
    (4, _("4 – agree")),
    (5, _("5 – strongly agree")),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ScanForm(forms.Form):
    """One required 1–5 choice per active statement; fields named s<statement id>."""

    once = OnceTokenField()  # sent twice: stored once (audit.submissions)

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = []
        for theme, statements in groups:
            names = []
            for statement in statements:
                name = f"s{statement.pk}"
                self.fields[name] = forms.TypedChoiceField(
                    label=statement.text,
                    choices=SCALE,
                    coerce=int,
                    widget=forms.RadioSelect,
                    error_messages={"required": _("Choose a score from 1 to 5.")},
                )
                names.append(name)
            self.groups.append((theme, names))

    def theme_fields(self):
        """[(theme, [bound field, ...]), ...] for the template."""
        return [(theme, [self[name] for name in names]) for theme, names in self.groups]

    def scores(self) -> dict[int, int]:
        return {
            int(name[1:]): value for name, value in self.cleaned_data.items() if name != FIELD_NAME
        }

    def clean(self):
        # Form.clean() returns cleaned_data; the stubs allow None.
        cleaned = cast(dict[str, Any], super().clean())
        for name, value in cleaned.items():
            if name == FIELD_NAME:
                continue
            if not SCORE_MIN <= value <= SCORE_MAX:
                raise forms.ValidationError(_("A score lies between 1 and 5."))
        return cleaned


class OpenRoundForm(forms.Form):
    closes_on = forms.DateField(
        label=_("Closes on"),
        widget=DateInput(),
        validators=[validate_reasonable_date],
        help_text=_("Members can answer until and including this day."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "initial", {"closes_on": timezone.localdate() + datetime.timedelta(days=14)}
        )
        super().__init__(*args, **kwargs)


class DevelopmentGoalForm(forms.Form):
    once = OnceTokenField()
    theme = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.order_by("order"), to_field_name="slug"
    )
    title = forms.CharField(
        label=_("Goal"),
        max_length=200,
        required=False,
        help_text=_("Leave empty for a standard title. You can change it later."),
    )
    due_date = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=DateInput(),
        validators=[validate_reasonable_date],
        help_text=_("Leave empty for three months from today."),
    )

    def clean_due_date(self):
        due_date = self.cleaned_data.get("due_date")
        if due_date and due_date < timezone.localdate():
            raise forms.ValidationError(_("The due date cannot be in the past."))
        return due_date


class ResponsibilityStateForm(forms.Form):
    once = OnceTokenField()
    state = forms.ChoiceField(
        label=_("Where does it lie now?"),
        choices=ResponsibilityState.choices,
        widget=forms.RadioSelect,
    )
    since = forms.DateField(
        label=_("Since"), widget=DateInput(), validators=[validate_reasonable_date]
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: what was agreed, and with whom."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("since", timezone.localdate())
        super().__init__(*args, **kwargs)

"""Forms for team agreements; the rules are the service's and the model's."""

import datetime
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from afspraken.models import NOTE_MAX_LENGTH, TEXT_MAX_LENGTH, TITLE_MAX_LENGTH, AgreementVersion
from afspraken.services import AgreementData
from common.dates import validate_reasonable_date
from common.once import OnceTokenField
from doelen.selectors import team_member_choices
from teams.models import Employee, Team


def _date_field(label, help_text=""):
    return forms.DateField(
        label=label,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_reasonable_date],
    )


class AgreementForm(forms.Form):
    once = OnceTokenField()  # a double click records one agreement (audit.submissions)
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        help_text=_("For example: How we stand in for each other."),
    )
    text = forms.CharField(
        label=_("What we agree"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=Employee.objects.none(),
        help_text=_("The team member who keeps an eye on this agreement."),
    )
    agreed_on = _date_field(_("Agreed on"))
    review_on = _date_field(_("Review on"), _("When the team looks at it again."))
    note = forms.CharField(
        label=_("What changed"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        help_text=_("A few words for the history, for example: agreed in the team meeting."),
    )

    def __init__(self, *args, team: Team, version: AgreementVersion | None = None, **kwargs):
        if version is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": version.title,
                "text": version.text,
                "owner": version.owner_id,
                "agreed_on": version.agreed_on,
                "review_on": version.review_on,
            }
        super().__init__(*args, **kwargs)
        choices = team_member_choices(team=team)
        if version is not None:
            choices = (choices | Employee.objects.filter(pk=version.owner_id)).distinct()
        cast(forms.ModelChoiceField, self.fields["owner"]).queryset = choices.order_by(
            "name", "username"
        )
        if version is None:
            del self.fields["note"]

    def clean(self):
        cleaned = cast(dict[str, Any], super().clean())
        agreed, review = cleaned.get("agreed_on"), cleaned.get("review_on")
        if agreed and review and review < agreed:
            self.add_error("review_on", _("The review date cannot be before the date agreed."))
        return cleaned

    def agreement_data(self) -> AgreementData:
        data = self.cleaned_data
        return AgreementData(
            title=data["title"],
            text=data["text"],
            owner=data["owner"],
            agreed_on=data["agreed_on"],
            review_on=data["review_on"],
            note=data.get("note") or "",
        )


def default_initial(today: datetime.date) -> dict:
    return {"agreed_on": today, "review_on": today + datetime.timedelta(days=182)}


class RetireForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does the team stop with this agreement?"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

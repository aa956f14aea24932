"""Forms for the pages of the teams app."""

import datetime

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Longer than this is not a holiday or leave; the employee can pause again afterwards.
MAX_PAUSE_DAYS = 366


class ReminderSettingsForm(forms.Form):
    paused_until = forms.DateField(
        label=_("Pause reminders up to and including"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "w-auto"}, format="%Y-%m-%d"),
        help_text=_(
            "For example during a holiday or leave. Leave empty to get reminders again. "
            "A goal that has had no update for a long time still shows up for your manager."
        ),
    )
    digest_enabled = forms.BooleanField(
        label=_("Send me the weekly overview of the teams I manage"),
        required=False,
        help_text=_("Only managers receive this overview, on Monday morning."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_paused_until(self):
        value = self.cleaned_data["paused_until"]
        if value is None:
            return None
        today = timezone.localdate()
        if value < today:
            raise forms.ValidationError(_("Choose today or a day in the future."))
        if value > today + datetime.timedelta(days=MAX_PAUSE_DAYS):
            raise forms.ValidationError(_("You can pause reminders for at most a year."))
        return value

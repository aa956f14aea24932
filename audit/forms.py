from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from audit.selectors import audit_filter_choices


class AuditFilterForm(forms.Form):
    """Filters of the audit page (GET). Unknown values are form errors, never a crash."""

    action = forms.ChoiceField(label=_("Action"), required=False)
    kind = forms.ChoiceField(label=_("Kind of record"), required=False)
    actor = forms.TypedChoiceField(label=_("By"), required=False, coerce=int, empty_value=None)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Up to and including"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = audit_filter_choices()
        everything = [("", _("All"))]
        cast(forms.ChoiceField, self.fields["action"]).choices = everything + [
            (a, a) for a in choices["actions"]
        ]
        cast(forms.ChoiceField, self.fields["kind"]).choices = everything + [
            (k, k) for k in choices["kinds"]
        ]
        cast(forms.ChoiceField, self.fields["actor"]).choices = everything + [
            (str(pk), name or username) for pk, name, username in choices["actors"]
        ]

    def clean(self):
        # Form.clean() returns cleaned_data; the stubs allow None.
        cleaned = cast(dict[str, Any], super().clean())
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", _("The end date cannot be before the start date."))
        return cleaned

from typing import cast

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from common.dates import validate_reasonable_date
from common.once import OnceTokenField
from ontwikkeling.forms import DateInput
from ontwikkeling.personal.models import DevelopmentIntention, IntentionNote, Sharing
from rollen.models import Role

SHARING_HELP = {
    Sharing.PRIVATE: _("Nobody else can read it."),
    Sharing.MANAGERS: _("The managers of your teams can read it and your notes."),
    Sharing.TEAM: _("Your team members and your managers can read it and your notes."),
}


class IntentionForm(forms.ModelForm):
    """Edit: what, how, by when. The create form adds the role and who may read it."""

    class Meta:
        model = DevelopmentIntention
        fields = ["aim", "approach", "target_date"]
        labels = {
            "aim": _("What do you want to grow in?"),
            "approach": _("How will you go about it?"),
            "target_date": _("By when?"),
        }
        help_texts = {
            "aim": _("For example: bring residents and partners together around one question."),
            "approach": _("For example: a course, a colleague who coaches you, a new task."),
            "target_date": _("Optional."),
        }
        widgets = {
            "approach": forms.Textarea(attrs={"rows": 4}),
            "target_date": DateInput(),
        }
        error_messages = {"aim": {"required": _("Write what you want to grow in.")}}

    def clean_target_date(self):
        value = self.cleaned_data.get("target_date")
        if value is not None:
            validate_reasonable_date(value)
        return value


class RoleChoiceField(forms.ModelChoiceField):
    """Roles named as the page's headings name them: "Meedenkende vakman"."""

    def label_from_instance(self, obj) -> str:
        return capfirst(str(obj))


class IntentionCreateForm(IntentionForm):
    once = OnceTokenField()
    role = RoleChoiceField(
        label=_("Role"),
        queryset=Role.objects.none(),
        empty_label=None,
        error_messages={"required": _("Choose one of your roles.")},
    )
    sharing = forms.ChoiceField(
        label=_("Who may read it?"),
        choices=Sharing.choices,
        initial=Sharing.PRIVATE,
        widget=forms.RadioSelect,
    )

    field_order = ["role", "aim", "approach", "target_date", "sharing"]

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["role"]).queryset = roles
        self.fields["sharing"].help_text = _("Private unless you choose otherwise.")


class NoteForm(forms.ModelForm):
    once = OnceTokenField()

    class Meta:
        model = IntentionNote
        fields = ["text"]
        labels = {"text": _("Progress note")}
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}
        error_messages = {"text": {"required": _("Write a short note.")}}


class ShareForm(forms.Form):
    sharing = forms.ChoiceField(
        label=_("Who may read it?"),
        choices=Sharing.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who may read this.")},
    )

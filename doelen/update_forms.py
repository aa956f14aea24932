"""Forms of the reactions on check-ins (doelen.reactions)."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.once import OnceTokenField
from doelen.reaction_models import REACTION_MAX_LENGTH


class ReactionForm(forms.Form):
    once = OnceTokenField()  # a double click stores one reaction (audit.submissions)
    text = forms.CharField(
        label=_("Your reaction"),
        max_length=REACTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Worded here, in the request's language: as a class attribute the "%" translated it
        # once, at import, so English pages showed the Dutch help text.
        self.fields["text"].help_text = gettext(
            "A question or a word of appreciation, at most %(max)d characters."
        ) % {"max": REACTION_MAX_LENGTH}

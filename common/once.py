"""One-time form tokens: a hidden field on every form that creates something, so that a
double click or a POST sent again stores once (audit.submissions keeps the tokens)."""

import secrets

from django import forms

FIELD_NAME = "once"


def new_token() -> str:
    return secrets.token_urlsafe(24)


class OnceTokenField(forms.CharField):
    """Hidden; a fresh token for every unbound form, the posted one for a bound form (so a
    form sent back with errors keeps its token, which its failed try did not use)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("widget", forms.HiddenInput)
        kwargs.setdefault("initial", new_token)
        super().__init__(**kwargs)


def token_of(form) -> str:
    """The token a valid bound form carried ("" when none was sent)."""
    return (getattr(form, "cleaned_data", None) or {}).get(FIELD_NAME) or ""

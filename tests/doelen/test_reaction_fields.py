"""The goal page writes out the unbound reaction forms' markup instead of asking crispy for
it (templates/doelen/_reaction_fields.html, issue 21: crispy took a third of the page's
time). The markup must stay what crispy gives, in both languages; a form sent back with
errors still goes through crispy."""

import re

import pytest
from django.template import Context, Template
from django.utils import translation

from common import once
from doelen.update_forms import ReactionForm

CRISPY = Template("{% load crispy_forms_tags %}{{ form|crispy }}")
WRITTEN_OUT = Template('{% include "doelen/_reaction_fields.html" %}')


def normalised(html: str) -> str:
    return re.sub(r"\s+", " ", html).replace("> <", "><").strip()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_written_out_form_is_the_crispy_form(monkeypatch, language):
    monkeypatch.setattr(once, "new_token", lambda: "token-1")
    with translation.override(language):
        form = ReactionForm(prefix="r12")
        form.fields["once"].initial = "token-1"
        expected = normalised(CRISPY.render(Context({"form": form})))
        written = normalised(WRITTEN_OUT.render(Context({"form": form})))
    assert written == expected
    assert 'name="r12-text"' in written and 'value="token-1"' in written
    help_text = {"nl": "Een vraag of een compliment", "en": "A question or a word"}[language]
    assert help_text in written  # in the page's language, not the one at import


def test_a_form_with_errors_goes_through_crispy():
    form = ReactionForm(prefix="r12", data={"r12-text": "", "r12-once": "t"})
    assert not form.is_valid()
    html = WRITTEN_OUT.render(Context({"form": form}))
    assert "is-invalid" in html and 'aria-invalid="true"' in html
    assert normalised(html) == normalised(CRISPY.render(Context({"form": form})))

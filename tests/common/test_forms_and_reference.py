"""common.forms.add_service_errors and common.bilingual.ensure_bilingual_rows."""

import pytest
from django import forms
from django.core.exceptions import ValidationError

from common.bilingual import ensure_bilingual_rows
from common.forms import add_service_errors
from rollen.models import Role
from rollen.reference import ROLES


class _Form(forms.Form):
    title = forms.CharField(required=False)


def test_a_field_error_goes_on_its_field_and_the_rest_on_the_form():
    form = _Form({"title": "x"})
    assert form.is_valid()
    add_service_errors(form, ValidationError({"title": "Too short.", "owner": "Not a member."}))
    assert form.errors["title"] == ["Too short."]
    assert form.non_field_errors() == ["Not a member."]


def test_an_error_without_fields_goes_on_the_form():
    form = _Form({"title": "x"})
    assert form.is_valid()
    add_service_errors(form, ValidationError("The team is archived."))
    assert form.non_field_errors() == ["The team is archived."]
    assert "title" not in form.errors


@pytest.mark.django_db
def test_ensure_bilingual_rows_adds_what_is_missing_and_keeps_edits():
    Role.objects.filter(slug="vakman").delete()
    Role.objects.filter(slug="ondernemer").update(name_en="edited")
    ensure_bilingual_rows(Role, ROLES)
    assert list(Role.objects.order_by("order").values_list("slug", flat=True)) == [
        slug for slug, *_rest in ROLES
    ]
    assert Role.objects.get(slug="ondernemer").name_en == "edited"
    assert Role.objects.get(slug="vakman").order == 3

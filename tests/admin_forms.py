"""Post an admin change form as a browser would: what the page shows, with some fields
changed."""

import datetime

from django import forms
from django.db import models


def _value(bound_field):
    value = bound_field.value()
    if value is None:
        return (
            []
            if isinstance(
                bound_field.field, (forms.MultipleChoiceField, forms.ModelMultipleChoiceField)
            )
            else ""
        )
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, tuple)):
        return [item.pk if isinstance(item, models.Model) else item for item in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def admin_form_data(response, **changes) -> dict:
    """The POST data of the admin form in `response` (a GET of an add or change page), with
    `changes` applied: a value of None leaves the field out (an unticked box)."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = _value(form[name])
        if value is False:
            continue
        data[name] = "on" if value is True else value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def post_admin_form(client, url, **changes):
    """GET the admin page at `url`, then POST its form back with `changes`."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    return client.post(url, admin_form_data(page, **changes))


def form_errors(response) -> list[str]:
    """Every error the admin form shows (fields and on top), or [] after a redirect."""
    if response.status_code != 200:
        return []
    form = response.context["adminform"].form
    return [str(message) for errors in form.errors.values() for message in errors]

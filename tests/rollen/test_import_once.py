"""The HR import's apply form carries a one-time token: sent twice (a double click, a resent
POST), the import runs once and the second request shows where the first went."""

import re

import pytest
from django.test import Client

from audit.models import AuditEvent, Submission
from rollen.imports import guess_mapping
from teams.models import Employee
from tests.rollen.hr_data import on_today  # noqa: F401
from tests.rollen.test_imports import GOOD, csrf_from, table, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_today")]


def test_an_import_applied_twice_runs_once(team, other_team, hr):
    client = Client(enforce_csrf_checks=True)
    client.force_login(hr)
    upload(client, GOOD)
    params = {f"column_{k}": v for k, v in guess_mapping(table(GOOD).header).items()}
    page = client.get("/rollen/import/controleren/", {**params, "check": "1"})
    token = re.search(r'name="once" value="([^"]+)"', page.content.decode())[1]
    data = {
        **params,
        "fingerprint": page.context["plan"].fingerprint,
        "csrfmiddlewaretoken": csrf_from(page),
        "once": token,
    }
    first = client.post("/rollen/import/toepassen/", data)
    events = AuditEvent.objects.count()
    second = client.post("/rollen/import/toepassen/", data)
    assert first.url == second.url == "/rollen/audit/"
    assert AuditEvent.objects.count() == events  # nothing ran the second time
    assert Employee.objects.filter(personnel_number="P200").count() == 1
    assert Submission.objects.filter(action="import.apply").count() == 1
    follow = client.get(second.url)
    assert "Deze import was al gedaan." in follow.content.decode()

"""The employee's own settings: pause reminders until a date, turn the weekly digest off."""

import datetime
import re
from html import unescape

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from teams.models import Employee

pytestmark = pytest.mark.django_db

URL = "/instellingen/"
TODAY = datetime.date(2026, 11, 30)


@pytest.fixture(autouse=True)
def frozen():
    moment = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=timezone.get_default_timezone())
    with time_machine.travel(moment, tick=False):
        yield


def form_fields(html: str) -> dict[str, str]:
    """The values a browser would submit from the settings form."""
    form = re.search(r'<form [^>]*class="settings-form"[^>]*>(.*?)</form>', html, re.S).group(1)
    fields = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        if not name:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        if 'type="checkbox"' in tag and "checked" not in tag:
            continue
        fields[name.group(1)] = unescape(value.group(1)) if value else "on"
    return fields


@pytest.mark.parametrize(
    "persona", ["member", "manager", "hr", "outsider", "superuser", "management"]
)
def test_every_logged_in_employee_has_a_settings_page(persona, request, client_for):
    user = request.getfixturevalue(persona)
    response = client_for(user).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and 'name="paused_until"' in html and 'name="digest_enabled"' in html
    assert 'aria-current="page"' in html


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith("/account/login/")


def test_pause_and_turn_off_the_digest_as_a_browser_would(manager):
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    fields = form_fields(client.get(URL).content.decode())
    assert fields["csrfmiddlewaretoken"] and fields["digest_enabled"] == "on"
    fields["paused_until"] = "2026-12-24"
    fields.pop("digest_enabled")  # unticked
    response = client.post(URL, fields)
    assert response.status_code == 302 and response.url == URL
    manager.refresh_from_db()
    assert manager.reminders_paused_until == datetime.date(2026, 12, 24)
    assert manager.digest_enabled is False
    page = client.get(URL).content.decode()
    assert "24 december 2026" in page and 'value="2026-12-24"' in page
    fields.pop("csrfmiddlewaretoken")
    assert client.post(URL, fields).status_code == 403


def test_clearing_the_date_ends_the_pause(client_for, member):
    member.reminders_paused_until = TODAY + datetime.timedelta(days=5)
    member.save()
    response = client_for(member).post(URL, {"paused_until": "", "digest_enabled": "on"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.reminders_paused_until is None and member.digest_enabled is True


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-11-29", "Kies vandaag of een dag in de toekomst."),
        ("2028-01-01", "Je kunt herinneringen voor hoogstens een jaar pauzeren."),
        ("volgende week", "Vul een datum in, bijvoorbeeld 31-12-2026."),
    ],
)
def test_a_bad_date_changes_nothing_and_says_why(client_for, member, value, message):
    response = client_for(member).post(URL, {"paused_until": value, "digest_enabled": "on"})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and "error-summary" in html
    member.refresh_from_db()
    assert member.reminders_paused_until is None


def test_a_pause_that_is_over_is_not_shown(client_for, member):
    Employee.objects.filter(pk=member.pk).update(
        reminders_paused_until=TODAY - datetime.timedelta(days=1)
    )
    html = client_for(member).get(URL).content.decode()
    assert "gepauzeerd tot en met" not in html and 'value="2026-11-29"' not in html


def test_the_page_in_english(client_for, member):
    member.preferred_language = "en"
    member.save()
    html = client_for(member).get(URL).content.decode()
    assert "My settings" in html and "Pause reminders up to and including" in html


def test_the_page_takes_few_queries(client_for, member, django_assert_max_num_queries):
    client = client_for(member)
    with django_assert_max_num_queries(12):
        client.get(URL)

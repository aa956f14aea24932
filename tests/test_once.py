"""Forms that create carry a one-time token (common/once.py, audit.submissions): the same
form sent twice stores one row and shows the first result."""

import datetime
import re
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import Submission
from audit.submissions import AlreadySubmitted, submit_once
from doelen.models import CheckIn, Goal
from ontwikkeling.models import Responsibility, ScanResponse, TeamResponsibility
from tests.factories import GoalFactory
from tests.ontwikkeling.helpers import make_round, scores_for

pytestmark = pytest.mark.django_db


def token_in(html: str) -> str:
    match = re.search(r'name="once" value="([^"]+)"', html)
    assert match, "the form carries no one-time token"
    return match.group(1)


def test_a_check_in_sent_twice_is_stored_once(client, member, team):
    goal = GoalFactory(team=team, owner=member)
    client.force_login(member)
    token = token_in(client.get(goal.get_absolute_url()).content.decode())
    data = {"once": token, "value": "40", "confidence": "on_track", "comment": "Goed bezig"}
    first = client.post(goal.get_absolute_url(), data)
    second = client.post(goal.get_absolute_url(), data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == goal.get_absolute_url()  # the first result
    assert CheckIn.objects.filter(goal=goal).count() == 1
    # htmx, as a double click would send it: still one, and the page shows it as saved
    htmx = client.post(goal.get_absolute_url(), data, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 200 and "al opgeslagen" in htmx.content.decode()
    assert CheckIn.objects.filter(goal=goal).count() == 1
    # a new form gets a new token, and stores a new check-in
    new_token = token_in(client.get(goal.get_absolute_url()).content.decode())
    assert new_token != token
    client.post(goal.get_absolute_url(), {**data, "once": new_token})
    assert CheckIn.objects.filter(goal=goal).count() == 2


def test_the_check_in_button_is_disabled_while_htmx_sends(client, member, team):
    goal = GoalFactory(team=team, owner=member)
    client.force_login(member)
    html = client.get(goal.get_absolute_url()).content.decode()
    assert "hx-disabled-elt=\"find button[type='submit']\"" in html


def test_a_new_goal_sent_twice_is_added_once(client, member, team):
    client.force_login(member)
    url = reverse("doelen:new", kwargs={"slug": team.slug})
    token = token_in(client.get(url).content.decode())
    data = {
        "once": token,
        "title": "Sneller antwoord",
        "measure_type": "percentage",
        "start_value": "0",
        "target_value": "100",
        "start_date": "2026-01-01",
        "due_date": "2026-12-31",
    }
    first = client.post(url, data)
    second = client.post(url, data)
    goal = Goal.objects.get()
    assert first["Location"] == second["Location"] == goal.get_absolute_url()


def test_a_form_with_errors_keeps_its_token_for_the_corrected_try(client, member, team):
    client.force_login(member)
    url = reverse("doelen:new", kwargs={"slug": team.slug})
    data = {"once": "abc123", "title": "", "measure_type": "percentage"}
    response = client.post(url, data)
    assert response.status_code == 200 and 'value="abc123"' in response.content.decode()
    assert not Submission.objects.exists()


def test_scan_answers_and_a_regelruimte_change_sent_twice_are_stored_once(
    client, member, team, settings
):
    scan_round = make_round(team)
    client.force_login(member)
    scan_url = reverse("ontwikkeling:scan", kwargs={"slug": team.slug})
    token = token_in(client.get(scan_url).content.decode())
    answers = {f"s{pk}": score for pk, score in scores_for(4).items()}
    for _ in range(2):
        assert client.post(scan_url, {"once": token, **answers}).status_code == 302
    assert ScanResponse.objects.filter(round=scan_round).count() == 1
    assert Submission.objects.filter(action="scan.answer").count() == 1

    item = Responsibility.objects.first()
    url = reverse(
        "ontwikkeling:responsibility", kwargs={"slug": team.slug, "responsibility": item.slug}
    )
    token = token_in(client.get(url).content.decode())
    data = {
        "once": token,
        "state": "with_team",
        "since": timezone.localdate().isoformat(),
        "note": "Afgesproken in het teamoverleg",
    }
    for _ in range(2):
        assert client.post(url, data).status_code == 302
    assert TeamResponsibility.objects.filter(team=team, responsibility=item).count() == 1


def test_a_development_goal_sent_twice_is_made_once(client, member, team):
    client.force_login(member)
    url = reverse("ontwikkeling:team", kwargs={"slug": team.slug})
    token = token_in(client.get(url).content.decode())
    data = {"once": token, "theme": "samenwerken", "title": "", "due_date": ""}
    create = reverse("ontwikkeling:create_goal", kwargs={"slug": team.slug})
    for _ in range(2):
        assert client.post(create, data).status_code == 302
    assert Goal.objects.count() == 1


def test_someone_elses_token_shows_nothing_of_theirs(member, other_member):
    submit_once(token="t1", actor=member, action="x", create=lambda: "/doelen/1/")
    with pytest.raises(AlreadySubmitted) as caught:
        submit_once(token="t1", actor=other_member, action="x", create=lambda: "/doelen/2/")
    assert caught.value.url == ""


@pytest.mark.django_db(transaction=True)
def test_two_requests_with_one_token_at_the_same_moment_store_one(member, team):
    if connection.vendor == "sqlite" and "memory" in str(connection.settings_dict["NAME"]):
        pytest.skip("needs a database that two connections share")
    goal = GoalFactory(team=team, owner=member)
    data = {"once": "same-token", "value": "10", "confidence": "on_track"}
    barrier = threading.Barrier(2)
    statuses = []

    def post():
        client = Client()
        client.force_login(member)
        barrier.wait()
        statuses.append(client.post(goal.get_absolute_url(), data).status_code)
        connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert statuses == [302, 302]
    assert CheckIn.objects.filter(goal=goal).count() == 1


def test_the_token_field_is_fresh_for_each_form():
    from doelen.forms import CheckInForm

    goal = GoalFactory.build(start_date=datetime.date(2026, 1, 1))
    first, second = CheckInForm(goal=goal), CheckInForm(goal=goal)
    assert first["once"].value() != second["once"].value()


def test_old_tokens_are_removed_by_the_nightly_audit_task(member):
    from audit import submissions
    from audit.tasks import purge_expired_audit_events

    submit_once(token="old", actor=member, action="x", create=lambda: "/")
    Submission.objects.update(at=timezone.now() - datetime.timedelta(days=31))
    submit_once(token="new", actor=member, action="x", create=lambda: "/")
    purge_expired_audit_events()
    assert list(Submission.objects.values_list("token", flat=True)) == ["new"]
    assert submissions.KEEP_DAYS == 30

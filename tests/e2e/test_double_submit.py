"""A double click in Chromium stores one row: the htmx check-in (its button is disabled in
flight, and the form's one-time token) and a plain form (the new-goal form, token only).
Chromium and htmx often drop the second click themselves, so the form is also sent twice at
once from the page (fetch): without the token that stores two rows."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from doelen.models import CheckIn, Goal
from tests.e2e.conftest import log_in
from tests.factories import EmployeeFactory, GoalFactory, MembershipFactory, TeamFactory


def test_a_double_click_stores_one_check_in_and_one_goal(page, live_server, transactional_db):
    team = TeamFactory(name="Vergunningen", slug="vergunningen")
    member = EmployeeFactory(username="mila", name="Mila Lid")
    MembershipFactory(team=team, employee=member)
    goal = GoalFactory(team=team, owner=member, title="Sneller antwoord")
    log_in(page, live_server, "mila")

    page.goto(f"{live_server.url}{goal.get_absolute_url()}")
    page.get_by_label("Nieuwe waarde").fill("55")
    page.get_by_role("button", name="Voortgang opslaan").dblclick()
    page.locator("#goal-notice").wait_for()
    page.wait_for_timeout(500)  # a second request would have been stored by now
    assert CheckIn.objects.filter(goal=goal).count() == 1

    # The same form sent twice, as the browser builds it (a double click that got through, a
    # resent POST): the token stores it once. One after the other: the live server shares one
    # SQLite connection between its threads (at the same moment: tests/integration).
    page.get_by_label("Nieuwe waarde").fill("60")
    statuses = page.evaluate(
        """async () => {
            const form = document.querySelector("#check-in form");
            const data = new FormData(form);
            const send = () => fetch(form.action, {method: "POST", body: data});
            const first = await send();
            const second = await send();
            return [first.status, second.status];
        }"""
    )
    assert statuses == [200, 200]
    assert CheckIn.objects.filter(goal=goal).count() == 2  # the first, and this one once

    page.goto(f"{live_server.url}{reverse('doelen:new', kwargs={'slug': team.slug})}")
    page.get_by_label("Titel").fill("Dubbel geklikt")
    due = timezone.localdate() + datetime.timedelta(days=30)
    page.get_by_label("Einddatum").fill(due.isoformat())
    page.get_by_role("button", name="Doel toevoegen").dblclick()
    page.wait_for_url(re.compile(r"/doelen/\d+/$"))
    page.wait_for_timeout(500)
    assert Goal.objects.filter(title="Dubbel geklikt").count() == 1

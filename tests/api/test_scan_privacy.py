"""Issue 13 through the API: the reference date `on` must not publish a round that is still
open. A future `on` used to count an open round as closed (its closing date lies before
`on`), so a key holder could read its profile after every answer and difference it
(4·m4 − 3·m3). See docs/decisions/0013-scan-privacy.md."""

import datetime

import pytest
from django.utils import timezone

from api.models import Scope
from ontwikkeling.reference import ensure_reference
from tests.factories import TeamFactory
from tests.ontwikkeling.helpers import close, make_round, new_member, respond

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def lowest_threshold(settings):
    settings.ZS_SCAN_MIN_ANSWERS = 3


def _rounds(api_get, key, team, on):
    body = api_get(f"/api/v1/scan-results/?team={team.slug}&on={on:%Y-%m-%d}", key).json()
    return body["results"][0]["rounds"]


def test_a_future_reference_date_does_not_publish_an_open_round(make_key, api_get):
    ensure_reference()
    key = make_key(Scope.SCAN)
    team = TeamFactory()
    scan_round = make_round(team)
    future = scan_round.closes_on + datetime.timedelta(days=30)
    for score in (2, 3, 4):
        respond(scan_round, new_member(team), score)
    for on in (future, scan_round.closes_on + datetime.timedelta(days=1), timezone.localdate()):
        assert _rounds(api_get, key, team, on) == [], on
    respond(scan_round, new_member(team), 5)  # the 4th answer
    assert _rounds(api_get, key, team, future) == []
    close(scan_round)  # closed: one profile of the four, at any date from today on
    for on in (timezone.localdate(), future):
        (published,) = _rounds(api_get, key, team, on)
        assert {theme["mean"] for theme in published["themes"]} == {3.5}


def test_a_round_past_its_closing_date_is_published_before_the_nightly_close(make_key, api_get):
    """The other half of the rule: a round whose last day has passed is closed even while
    the nightly task has not yet cleared its keys."""
    ensure_reference()
    key = make_key(Scope.SCAN)
    team = TeamFactory()
    today = timezone.localdate()
    scan_round = make_round(
        team,
        opens_on=today - datetime.timedelta(days=20),
        closes_on=today - datetime.timedelta(days=1),
    )
    for score in (2, 3, 4):
        respond(scan_round, new_member(team), score)
    (published,) = _rounds(api_get, key, team, today)
    assert {theme["mean"] for theme in published["themes"]} == {3.0}
    # Asked for the round's last day (in the past): it was still open then, nothing shown.
    assert _rounds(api_get, key, team, scan_round.closes_on) == []

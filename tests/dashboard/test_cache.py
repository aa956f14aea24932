"""The dashboards' cache (dashboards/cache.py) never shows what changed: a page read
again after a write shows the write, whatever made it; a page read again without a write is
served from the cache; what differs per viewer or language is kept apart."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.core.cache import caches
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from dashboards import cache as dashboard_cache
from dashboards.freshness import mark_teams_changed, with_data_version
from dashboards.periods import Period
from doelen.models import Goal
from doelen.services import goal_check_in
from ontwikkeling.models import ScanResponse
from teams.models import Employee, Membership, Team
from tests.conftest import need_service
from tests.dashboard.helpers import busy_team
from tests.dashboard.test_queries import main_of
from tests.factories import EmployeeFactory, MembershipFactory
from tests.ontwikkeling.helpers import make_round, respond

pytestmark = pytest.mark.django_db

INDEX = reverse("dashboard:index")
ORGANISATION = reverse("dashboard:organisation")
TODAY = timezone.localdate()


def team_url(team):
    return reverse("dashboard:team", kwargs={"slug": team.slug})


@pytest.fixture
def teams(team, other_team):
    busy_team(team)
    busy_team(other_team)
    return team, other_team


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return main_of(response)


def cached_entries() -> int:
    return len(caches[dashboard_cache.CACHE_ALIAS]._cache)  # locmem's store


def test_a_page_read_again_comes_from_the_cache(client_for, teams, hr):
    client = client_for(hr)
    for url in (INDEX, ORGANISATION, team_url(teams[0])):
        first = page(client, url)
        entries = cached_entries()
        assert entries
        assert page(client, url) == first
        assert cached_entries() == entries  # nothing was computed again


@pytest.mark.parametrize("url", ["index", "organisation", "team"])
def test_a_check_in_shows_at_once(client_for, teams, hr, url):
    team = teams[0]
    url = {"index": INDEX, "organisation": ORGANISATION, "team": team_url(team)}[url]
    client = client_for(hr)
    goal = Goal.objects.filter(team=team, status="active").order_by("pk").first()
    before = page(client, url)
    author = Employee.objects.filter(memberships__team=team).first()
    goal_check_in(goal=goal, author=author, value=goal.target_value)
    after = page(client, url)
    assert after != before


def test_a_member_renamed_shows_on_the_team_dashboard(client_for, teams, hr):
    """A save outside the services (the admin, a shell) counts: post_save raises the
    version (dashboards.freshness)."""
    client = client_for(hr)
    person = Membership.objects.filter(team=teams[0]).first().employee
    assert person.name in page(client, team_url(teams[0]))
    person.name = "Nieuwe Naam"
    person.save()
    assert "Nieuwe Naam" in page(client, team_url(teams[0]))


def test_a_bulk_write_counts_once_it_says_so(client_for, teams, hr):
    """A queryset update sends no signal: a bulk loader tells the dashboards itself."""
    client = client_for(hr)
    person = Membership.objects.filter(team=teams[0]).first().employee
    assert person.name in page(client, team_url(teams[0]))
    Employee.objects.filter(pk=person.pk).update(name="Nieuwe Naam")
    mark_teams_changed([teams[0].pk])
    assert "Nieuwe Naam" in page(client, team_url(teams[0]))


def test_a_change_to_one_team_recomputes_only_that_team(teams, monkeypatch):
    period = Period.quarter(TODAY)

    def figures():
        return dashboard_cache.team_figures(
            with_data_version(Team.objects.order_by("pk")), period=period, on=TODAY
        )

    first = figures()
    computed = []
    original = dashboard_cache.figures.team_figures

    def spy(**kwargs):
        computed.append(kwargs["team_ids"])
        return original(**kwargs)

    monkeypatch.setattr(dashboard_cache.figures, "team_figures", spy)
    assert figures() == first
    MembershipFactory(team=teams[1])
    second = figures()
    assert computed == [[teams[1].pk]]
    assert second[teams[1].pk].members == first[teams[1].pk].members + 1
    assert second[teams[0].pk] == first[teams[0].pk]


def test_languages_are_kept_apart(client_for, teams, hr):
    client = client_for(hr)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = page(client, INDEX)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    dutch = page(client, INDEX)
    assert "Teams in quarter" in english and "kwartaal" not in english
    assert "Teams in kwartaal" in dutch and "Teams in quarter" not in dutch


def test_the_day_is_part_of_the_key(client_for, teams, hr):
    """Signals are about today: tomorrow's page is computed again, not read from today's."""
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        page(client_for(hr), ORGANISATION)
        entries = cached_entries()
        page(client_for(hr), ORGANISATION)
        assert cached_entries() == entries
    with time_machine.travel(now + datetime.timedelta(days=1), tick=False):
        page(client_for(hr), ORGANISATION)
        assert cached_entries() > entries


def test_each_member_sees_their_own_scan_invitation(client_for, team, hr):
    """The development profile on the team dashboard invites a member who has not answered
    the open round; one who has answered is asked whether to change their answers."""
    busy_team(team)
    scan_round = make_round(team)
    answered, not_yet = EmployeeFactory(), EmployeeFactory()
    for person in (answered, not_yet):
        MembershipFactory(team=team, employee=person)
    respond(scan_round, answered)
    assert ScanResponse.objects.filter(respondent=answered).exists()
    change, fill_in = gettext("Change your answers"), gettext("Fill in the team scan")
    assert change in page(client_for(answered), team_url(team))
    assert fill_in in page(client_for(not_yet), team_url(team))
    hr_page = page(client_for(hr), team_url(team))
    assert fill_in not in hr_page and change not in hr_page
    assert change in page(client_for(answered), team_url(team))


def test_redis_cache_serves_the_same_pages(client_for, teams, hr):
    """With CACHE_URL set (production), fragments travel through Redis and stay HTML. (Never
    clear() a Redis cache here: that empties the whole Redis database, broker included.)"""

    url = settings.CELERY_BROKER_URL
    need_service(bool(url), "CELERY_BROKER_URL is not set (no Redis to try the cache on)")
    import redis

    try:
        redis.Redis.from_url(url, socket_timeout=3).ping()
        answered = True
    except redis.RedisError:
        answered = False
    need_service(answered, f"Redis at {url} does not answer")
    redis_caches = {
        **settings.CACHES,
        "dashboards": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"zs-test-{EmployeeFactory().pk}-{timezone.now().timestamp()}",
        },
    }
    client = client_for(hr)
    locmem = [page(client, each) for each in (INDEX, ORGANISATION, team_url(teams[0]))]
    with override_settings(CACHES=redis_caches):
        first = [page(client, each) for each in (INDEX, ORGANISATION, team_url(teams[0]))]
        second = [page(client, each) for each in (INDEX, ORGANISATION, team_url(teams[0]))]
    assert first == second == locmem
    assert "&lt;" not in second[0][:200]  # HTML, not escaped HTML


def test_without_a_cache_the_pages_are_the_same(client_for, teams, hr, monkeypatch):
    """DASHBOARD_CACHE_SECONDS=0 turns the cache off (Django keeps nothing for 0 seconds)."""
    client = client_for(hr)
    cached = [page(client, url) for url in (INDEX, ORGANISATION, team_url(teams[0]))]
    computed = []
    original = dashboard_cache.figures.team_figures

    def spy(**kwargs):
        computed.append(kwargs["team_ids"])
        return original(**kwargs)

    monkeypatch.setattr(dashboard_cache.figures, "team_figures", spy)
    uncached_caches = {
        **settings.CACHES,
        "dashboards": {**settings.CACHES["dashboards"], "LOCATION": "off", "TIMEOUT": 0},
    }
    with override_settings(CACHES=uncached_caches):
        uncached = [page(client, INDEX) for _ in range(2)]
    # computed for each request: every team's rank, then the figures of the page's teams
    assert len(computed) == 4
    assert uncached == [cached[0]] * 2


def test_another_sort_order_reuses_the_cards(client_for, teams, hr, monkeypatch):
    """A card links to the team dashboard with the period and objective only, so sorting,
    choosing a municipality or paging does not draw the cards again."""
    from dashboards import views as dashboard_views

    client = client_for(hr)
    page(client, INDEX + "?sort=name")
    drawn = []
    original = dashboard_views.weakest_themes

    def spy(**kwargs):
        drawn.append(kwargs["team_ids"])
        return original(**kwargs)

    monkeypatch.setattr(dashboard_views, "weakest_themes", spy)
    by_activity = page(client, INDEX + "?sort=activity")
    assert drawn == []
    assert f'href="{team_url(teams[0])}?period=quarter' in by_activity


def test_the_release_and_the_settings_shown_are_in_every_key(settings):
    """A new release (ZS_RELEASE) or another role-holder minimum gives new keys; the source
    tree is not read for it."""
    dashboard_cache.release.cache_clear()
    try:
        first = dashboard_cache.cache_key("figures", 1, 2)
        settings.ZS_RELEASE = "another"
        dashboard_cache.release.cache_clear()
        second = dashboard_cache.cache_key("figures", 1, 2)
        settings.ZS_MIN_ROLE_HOLDERS = settings.ZS_MIN_ROLE_HOLDERS + 1
        dashboard_cache.release.cache_clear()
        third = dashboard_cache.cache_key("figures", 1, 2)
        assert len({first, second, third}) == 3
    finally:
        dashboard_cache.release.cache_clear()

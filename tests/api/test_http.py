"""HTTP behaviour: one error shape, conditional GET, throttling, pages, query counts, the
schema in the request's language and the two portal pages."""

import re

import pytest
from django.core.cache import cache

from api.models import Scope
from tests.api.conftest import build_organisation


def _error(response, status):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    return body["error"]


def test_one_error_shape(organisation, make_key, api_get, client):
    key = make_key(Scope.TEAMS, Scope.ROLES)
    assert _error(api_get("/api/v1/teams/"), 401)["code"] == "not_authenticated"
    assert _error(api_get("/api/v1/goals/", key), 403)["code"] == "permission_denied"
    invalid = _error(api_get("/api/v1/memberships/?on=gisteren", key), 400)
    assert invalid["code"] == "invalid" and "on" in invalid["details"]
    assert _error(api_get("/api/v1/role-changes/", key), 400)["details"].keys() == {
        "date_from",
        "date_to",
        "change",
    }
    assert _error(api_get("/api/v1/nothing-here/", key), 404)["code"] == "not_found"
    assert _error(api_get("/api/v1/teams/?cursor=nonsense", key), 404)["code"] == "not_found"
    response = client.post("/api/v1/teams/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert _error(response, 405)["code"] == "method_not_allowed"


def test_conditional_get_answers_304_when_nothing_changed(organisation, make_key, api_get):
    key = make_key(Scope.TEAMS)
    first = api_get("/api/v1/teams/", key)
    etag = first["ETag"]
    assert api_get("/api/v1/teams/", key, HTTP_IF_NONE_MATCH=etag).status_code == 304
    team = organisation[0]
    team.name = "Nieuwe naam"
    team.save()
    changed = api_get("/api/v1/teams/", key, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_rate_limit_per_token_and_open_when_the_cache_is_down(
    organisation, make_key, api_get, monkeypatch
):
    from api.auth import TokenRateThrottle

    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "3/minute"})
    cache.clear()
    key, other = make_key(Scope.TEAMS), make_key(Scope.TEAMS)
    statuses = [api_get("/api/v1/teams/", key).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    error = _error(api_get("/api/v1/teams/", key), 429)
    assert error["code"] == "throttled" and error["details"]["retry_after_seconds"] >= 0
    assert api_get("/api/v1/teams/", other).status_code == 200  # per token

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(TokenRateThrottle, "cache", type("Down", (), {"get": down, "set": down})())
    assert api_get("/api/v1/teams/", key).status_code == 200  # fail open


def test_cursor_pages_are_stable(organisation, make_key, api_get):
    key = make_key(Scope.ROLES)
    first = api_get("/api/v1/role-assignments/?page_size=5", key).json()
    assert len(first["results"]) == 5 and first["previous"] is None
    ids = [r["id"] for r in first["results"]]
    assert ids == sorted(ids)
    second = api_get(first["next"], key).json()
    assert second["results"][0]["id"] > ids[-1]


@pytest.mark.parametrize(
    ("path", "queries"),
    [
        ("teams", 3),
        ("memberships", 3),
        ("role-assignments", 3),
        ("role-changes/?date_from=2020-01-01&date_to=2030-01-01&change=gained&", 3),
        ("objectives", 3),
        ("goals", 4),
        ("check-ins", 3),
    ],
)
def test_queries_per_page_do_not_grow_with_the_data(
    db, make_key, api_get, django_assert_max_num_queries, path, queries
):
    # Queries: the key, the day's counter (update), the page (+ prefetches). The same at
    # two sizes of organisation.
    key = make_key(*Scope.values)
    url = f"/api/v1/{path}" + ("" if path.endswith("&") else "/?") + "page_size=20"
    api_get(url, key)  # the day's counter row exists from here on
    for teams, people in ((1, 2), (4, 6)):
        build_organisation(teams=teams, people=people)
        with django_assert_max_num_queries(queries):
            assert api_get(url, key).status_code == 200


def test_scan_results_cost_a_fixed_number_of_queries_per_team(
    db, make_key, api_get, django_assert_max_num_queries
):
    # ontwikkeling's team_profile runs four queries per team: a page of N teams is 3 + 4N,
    # whatever the number of rounds and answers.
    key = make_key(Scope.SCAN)
    api_get("/api/v1/scan-results/", key)
    for people in (5, 8):
        build_organisation(teams=2, people=people)
        with django_assert_max_num_queries(3 + 4 * 3):
            assert api_get("/api/v1/scan-results/?page_size=3", key).status_code == 200


def test_schema_in_the_request_language(db, client):
    dutch = client.get("/api/v1/schema/?format=json", HTTP_ACCEPT_LANGUAGE="nl").json()
    english = client.get("/api/v1/schema/?format=json", HTTP_ACCEPT_LANGUAGE="en").json()
    field = ("components", "schemas", "Team", "properties", "name", "description")

    def get(schema):
        for part in field:
            schema = schema[part]
        return schema

    assert get(english) == "Name of the team."
    assert get(dutch) != get(english)


@pytest.mark.parametrize("page", ["docs", "connect"])
def test_hr_pages_render_in_the_layout(db, client, hr, page):
    client.force_login(hr)
    response = client.get(f"/api/v1/{page}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<main" in html and "<script>" not in html
    # No CDN: every script, style sheet, image and font comes from the portal itself.
    assert re.findall(r'(?:src|href)="(?:https?:)?//[^"]*"', html) == []
    assert re.findall(r'<script[^>]*\bsrc="(?!/static/)', html) == []
    if page == "docs":
        assert "/api/v1/role-assignments/" in html and "personnel_number" in html
    else:
        assert "Authorization" in html and "Bearer" in html

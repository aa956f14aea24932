"""Private pages are not cached: every URL of the authorisation table, opened by a
logged-in persona, answers with `Cache-Control: private, no-store` (pages, exports, the
personal-data download, and also refusals and 405s). And /health/ for load balancers."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from portal import health
from tests.security.authorisation_table import OK, PERSONA_LABELS, TABLE
from tests.security.patterns import build_url, project_patterns

PERSONAS = [key for key, _label in PERSONA_LABELS]
# The API's public schema holds field names only; its data answers go by key, not log-in, and
# are `private, no-cache` so that a nightly pull can revalidate with its ETag (api.views).
PATTERNS = [p for p in project_patterns() if p.name in TABLE and p.name != "api:schema"]
API_CACHE_CONTROL = "private, no-cache"


def _persona_allowed(row) -> str:
    """The first logged-in persona the table lets GET the page (else the superuser)."""
    for persona, outcome in zip(PERSONAS, row.get, strict=True):
        if persona != "anonymous" and outcome == OK:
            return persona
    return "superuser"


@pytest.mark.django_db
@pytest.mark.parametrize("pattern", PATTERNS, ids=[p.name for p in PATTERNS])
def test_every_page_for_a_logged_in_person_is_private_and_not_stored(
    pattern, samples, persona_client
):
    row = TABLE[pattern.name]
    persona = _persona_allowed(row)
    url = build_url(pattern, samples, row.kwargs(samples))
    response = persona_client(persona).get(url)
    assert response.status_code < 500, (url, response.status_code)
    api_data = pattern.name.startswith("api:") and pattern.name not in {"api:docs", "api:connect"}
    expected = API_CACHE_CONTROL if api_data else "private, no-store"
    assert response["Cache-Control"] == expected, (url, persona)


@pytest.mark.django_db
def test_the_start_page_personal_data_and_exports_are_not_stored(samples, persona_client):
    urls = [
        (reverse("home"), "member"),
        (reverse("personal_data"), "member"),
        (reverse("personal_data_download"), "member"),
        (reverse("rollen:export", kwargs={"overview": "matrix", "file_format": "csv"}), "hr"),
        (reverse("rollen:export", kwargs={"overview": "matrix", "file_format": "xlsx"}), "hr"),
    ]
    for url, persona in urls:
        response = persona_client(persona).get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "private, no-store", url


# /health/


@pytest.mark.django_db
def test_health_reports_each_part_without_log_in(settings):
    settings.CELERY_BROKER_URL = ""  # tasks in-process (CI sets a broker: see tests/integration)
    response = Client().get("/health/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert body == {
        "status": "ok",
        "parts": {"database": "ok", "cache": "not used", "broker": "not used"},
    }
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_health_is_degraded_but_200_without_cache_or_broker(settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    settings.CACHES = {
        **settings.CACHES,
        "dashboards": {
            "BACKEND": "common.cache.FailOpenRedisCache",
            "LOCATION": "redis://127.0.0.1:1/1",
        },
    }
    response = Client().get("/health/")  # the CACHES change resets the cache handler
    assert response.status_code == 200
    assert json.loads(response.content) == {
        "status": "degraded",
        "parts": {"database": "ok", "cache": "down", "broker": "down"},
    }


@pytest.mark.django_db
def test_health_is_503_without_the_database(monkeypatch):
    monkeypatch.setattr(health, "database", lambda: health.DOWN)
    response = Client().get("/health/")
    assert response.status_code == 503
    assert json.loads(response.content)["status"] == "down"

"""The dashboards' Redis cache fails open (common/cache.py): with nothing listening, a read is
a miss and a write is skipped, with a warning; the page is computed instead."""

import logging

import pytest
from django.core.cache import caches

from common.cache import FailOpenRedisCache


@pytest.fixture
def unreachable(settings):
    settings.CACHES = {
        **settings.CACHES,
        "dashboards": {
            "BACKEND": "common.cache.FailOpenRedisCache",
            "LOCATION": "redis://127.0.0.1:1/1",  # nothing listens on port 1
        },
    }
    return caches["dashboards"]


def test_every_operation_fails_open(unreachable, caplog):
    cache = unreachable
    assert isinstance(cache, FailOpenRedisCache)
    with caplog.at_level(logging.WARNING, logger="common.cache"):
        assert cache.get("k") is None
        assert cache.get("k", "default") == "default"
        assert cache.get_many(["a", "b"]) == {}
        cache.set("k", 1)
        assert cache.set_many({"a": 1}) == []
        assert cache.add("k", 1) is False
        assert cache.delete("k") is False
        assert cache.has_key("k") is False
        assert cache.incr("n", 2) == 2
        assert cache.get_or_set("k", 5) == 5
    warnings = [r for r in caplog.records if r.name == "common.cache"]
    assert len(warnings) == 1  # one warning, not one per call
    assert "Cache unreachable" in warnings[0].getMessage()


@pytest.mark.django_db
def test_a_dashboard_answers_with_the_cache_unreachable(unreachable, client, manager, team):
    client.force_login(manager)
    assert client.get("/dashboard/").status_code == 200
    assert client.get(f"/dashboard/teams/{team.slug}/").status_code == 200


def test_sessions_and_the_lock_out_do_not_use_it(settings):
    # They must fail closed: in the database, never in the fail-open cache.
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert getattr(settings, "AXES_HANDLER", "axes.handlers.database.AxesDatabaseHandler") == (
        "axes.handlers.database.AxesDatabaseHandler"
    )
    assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")

"""/health/ for load balancers and monitoring: the database, the cache and the broker, each
reported on its own. No personal data, no log-in (docs/decisions/0005-faults.md).

    200 {"status": "ok", …}        every part is up
    200 {"status": "degraded", …}  the cache or the broker is down: the portal works on
                                   (the cache is skipped, after-commit jobs wait in the
                                   database for the sweep); monitoring should warn
    503 {"status": "down", …}      the database is down: this instance cannot serve pages

Only the database decides 503: the cache and the broker are shared by every instance, so a
503 for them would take every instance out of the load balancer while the pages still work.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import caches
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

OK, DOWN, NOT_USED = "ok", "down", "not used"
TIMEOUT_SECONDS = 1.0


def database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return DOWN
    return OK


def cache() -> str:
    """The dashboards' shared Redis; "not used" for the per-process memory cache."""
    backend = caches["dashboards"]
    client: Any = getattr(backend, "_cache", None)
    if not hasattr(client, "get_client"):
        return NOT_USED
    try:
        client.get_client(write=True).ping()
    except Exception:
        return DOWN
    return OK


def broker() -> str:
    """Celery's Redis; "not used" when tasks run in-process (no CELERY_BROKER_URL)."""
    if not settings.CELERY_BROKER_URL:
        return NOT_USED
    import redis

    try:
        client = redis.Redis.from_url(
            settings.CELERY_BROKER_URL,
            socket_connect_timeout=TIMEOUT_SECONDS,
            socket_timeout=TIMEOUT_SECONDS,
        )
        try:
            client.ping()
        finally:
            client.close()
    except Exception:
        return DOWN
    return OK


@login_not_required
@never_cache
@require_GET
def health(request):
    parts = {"database": database(), "cache": cache(), "broker": broker()}
    if parts["database"] == DOWN:
        status, code = "down", 503
    elif DOWN in parts.values():
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return JsonResponse({"status": status, "parts": parts}, status=code)

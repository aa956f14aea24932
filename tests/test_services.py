"""CI runs against real PostgreSQL and Redis; these tests prove it did."""

import os

import pytest
from django.conf import settings
from django.db import connection

from tests.conftest import need_service


@pytest.mark.services
@pytest.mark.django_db
def test_database_is_postgresql_when_configured():
    need_service(
        os.environ.get("DATABASE_URL", "").startswith("postgres"),
        "DATABASE_URL does not point at PostgreSQL",
    )
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


@pytest.mark.services
def test_redis_broker_answers():
    need_service(bool(settings.CELERY_BROKER_URL), "CELERY_BROKER_URL is not set")
    import redis

    try:
        answered = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=3).ping()
    except redis.RedisError:
        answered = False
    need_service(answered, f"Redis at {settings.CELERY_BROKER_URL} does not answer")
    assert answered

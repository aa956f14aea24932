"""A Redis cache that fails open: when Redis cannot be reached, a read is a miss and a write
is skipped, with a warning in the log, so the page is computed instead of answering 500.

Only for caches whose entries can always be computed again (the dashboards' cache,
`CACHES["dashboards"]` when CACHE_URL is set). Sessions, the log-in lock-out (django-axes)
and CSRF do not use it: they live in the database and in signed cookies and fail closed
(docs/decisions/0005-faults.md).
"""

from __future__ import annotations

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# One warning per this many seconds while Redis is down, not one per cache call.
WARN_EVERY_SECONDS = 30.0

# Give up quickly on a Redis that does not answer: a page waits at most about this long.
DEFAULT_TIMEOUTS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


def _fail_open(default):
    """Wrap a cache method: a Redis error gives `default` (a miss, or nothing written)."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except RedisError as exc:
                self._warn(method.__name__, exc)
                return default() if callable(default) else default

        return wrapper

    return decorate


class FailOpenRedisCache(RedisCache):
    """Django's RedisCache, but an unreachable Redis is a miss, never an error."""

    def __init__(self, server, params):
        params = dict(params)
        params["OPTIONS"] = {**DEFAULT_TIMEOUTS, **params.get("OPTIONS", {})}
        super().__init__(server, params)
        self._last_warning = 0.0

    def _warn(self, operation: str, exc: BaseException) -> None:
        now = time.monotonic()
        if now - self._last_warning >= WARN_EVERY_SECONDS:
            self._last_warning = now
            logger.warning(
                "Cache unreachable (%s: %s: %s); going on without it.",
                operation,
                type(exc).__name__,
                exc,
            )

    get_many = _fail_open(dict)(RedisCache.get_many)
    has_key = _fail_open(False)(RedisCache.has_key)
    add = _fail_open(False)(RedisCache.add)
    set = _fail_open(None)(RedisCache.set)
    set_many = _fail_open(list)(RedisCache.set_many)
    touch = _fail_open(False)(RedisCache.touch)
    delete = _fail_open(False)(RedisCache.delete)
    delete_many = _fail_open(None)(RedisCache.delete_many)
    clear = _fail_open(False)(RedisCache.clear)

    def get(self, key, default=None, version=None):
        """A miss gives the caller's `default`."""
        try:
            return super().get(key, default, version)
        except RedisError as exc:
            self._warn("get", exc)
            return default

    def incr(self, key, delta=1, version=None):
        """A counter that cannot be read counts from nothing: 0 + delta (not stored)."""
        try:
            return super().incr(key, delta, version)
        except RedisError as exc:
            self._warn("incr", exc)
            return delta

    def decr(self, key, delta=1, version=None):
        return self.incr(key, -delta, version)

"""gunicorn settings for Zelfsturing (docs/deployment.md). Start with

    gunicorn --config deploy/gunicorn.conf.py

from the project directory. Every value can be changed from the environment (GUNICORN_*),
so the systemd unit and `make serve` use this one file. gunicorn reads it again on
`kill -HUP <master>` (`systemctl reload zelfsturing-web`): new workers start with the new
code and settings, then the old ones finish their requests and stop (no request is dropped).
The environment itself is not read again on HUP: a changed EnvironmentFile needs a restart.
"""

import multiprocessing
import os


def _int(name: str, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"{name}: expected a whole number, got {raw!r}.") from None
    if value < minimum:
        raise SystemExit(f"{name}: must be at least {minimum}, got {value}.")
    return value


wsgi_app = "zelfsturing.wsgi:application"
# Behind nginx on the same machine: loopback only. GUNICORN_BIND=unix:/run/zelfsturing/web.sock
# or 0.0.0.0:8000 (with a firewall) when the proxy is elsewhere.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")

# Synchronous workers: the portal's requests are short database work. Two per core plus one
# (gunicorn's advice); GUNICORN_WORKERS overrides it, e.g. on a machine shared with the
# Celery worker. Each holds one PostgreSQL connection (DB_CONN_MAX_AGE): workers × instances
# must stay under the database's max_connections.
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1, minimum=1)
threads = _int("GUNICORN_THREADS", 1, minimum=1)

# A request that takes longer than this is killed (the HR export and import of a big file
# are the slowest pages; larger imports run in Celery). Below nginx's proxy_read_timeout.
timeout = _int("GUNICORN_TIMEOUT", 60, minimum=1)
# On stop and reload, running requests get this long to finish.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30, minimum=1)
keepalive = _int("GUNICORN_KEEPALIVE", 5, minimum=0)

# Each worker is replaced after about this many requests (the jitter keeps them from all
# restarting at once), which bounds slow memory growth. 0 turns it off.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)

# Import the portal in each worker, not in the master, so that HUP loads new code.
preload_app = False
# Heartbeat files in memory, not on a disk that may stall (Debian has /dev/shm).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108  # nosec B108

# The address of the proxy that may set X-Forwarded-Proto (gunicorn then reports https to
# Django). Django itself decides the scheme from BEHIND_PROXY, and the client's address for
# the log-in lock-out from X-Forwarded-For with PROXY_COUNT/TRUSTED_PROXIES
# (common/client_ip.py); gunicorn does not change REMOTE_ADDR.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Logs to stdout/stderr: the journal under systemd. The access log names the client as the
# proxy saw it (X-Forwarded-For) and ends with the request's time in milliseconds.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = (
    '%({x-forwarded-for}i)s %(h)s - %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
)
proc_name = "zelfsturing-web"

# No control socket (gunicorn 25.1+ opens one for `gunicornc` at $HOME/.gunicorn/gunicorn.ctl
# by default). The recipe steers gunicorn with signals (systemctl reload/stop); under the unit
# (ProtectSystem=strict) $HOME is read-only, so it would only log a warning at every start; and
# two instances of one user on one machine (the scale-out rehearsal, `make serve` next to a
# service) would share the path: each start unlinks the other's socket, each stop removes it.
control_socket_disable = True

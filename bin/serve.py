#!/usr/bin/env python
"""`make serve`: the portal as in production, on one machine, for trying it out.

Starts gunicorn (deploy/gunicorn.conf.py), one Celery worker and the one Celery beat with
DEBUG off, against the local default database (SQLite, the same as `make run`) and the
Redis broker at CELERY_BROKER_URL (default redis://127.0.0.1:6379/0: Celery needs a real
broker; without one the worker would have nothing to do, so this refuses to start). Ctrl-C
(or TERM) stops all three; when one of them stops, the others are stopped too.

First, with the same environment: compile the Dutch catalogue, collect the static files,
migrate and load the demo organisation (as `make run`). The secret key is made once and
kept in .venv/serve-secret-key.
"""

import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
STATE = ROOT / ".venv"


def environment() -> dict[str, str]:
    key_file = STATE / "serve-secret-key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    port = os.environ.get("SERVE_PORT", "8000")
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY_FILE": str(key_file),
        # Plain http on loopback: no TLS here, so no HTTPS redirect or secure cookies.
        "HTTPS": "0",
        "ALLOWED_HOSTS": os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost"),
        "SITE_URL": os.environ.get("SITE_URL", f"http://127.0.0.1:{port}"),
        "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/0",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": os.environ.get("GUNICORN_WORKERS", "2"),
    }
    return env


def broker_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


def main() -> int:
    env = environment()
    if not broker_answers(env["CELERY_BROKER_URL"]):
        print(
            f"make serve needs Redis as Celery's broker, and {env['CELERY_BROKER_URL']} does "
            "not answer. Start redis-server (apt-get install redis-server) or set "
            "CELERY_BROKER_URL=redis://host:6379/N.",
            file=sys.stderr,
        )
        return 1
    manage = [sys.executable, "manage.py"]
    for step in (
        ["compilemessages", "--ignore=.venv", "--ignore=node_modules", "-v0"],
        ["collectstatic", "--no-input", "-v0"],  # with DEBUG off: the hashed names
        ["migrate", "--no-input", "-v0"],
        ["seed_demo"],  # the demo organisation, as `make run` (adds nothing the second time)
    ):
        subprocess.run([*manage, *step], cwd=ROOT, env=env, check=True)  # noqa: S603
    beat_schedule = STATE / "serve-celerybeat-schedule"
    commands = {
        "web": [str(BIN / "gunicorn"), "--config", "deploy/gunicorn.conf.py"],
        "worker": [
            *(str(BIN / "celery"), "-A", "zelfsturing.celery", "worker"),
            *("--loglevel", "INFO", "--concurrency", "1"),
        ],
        "beat": [
            *(str(BIN / "celery"), "-A", "zelfsturing.celery", "beat"),
            *("--loglevel", "INFO", "--schedule", str(beat_schedule)),
        ],
    }
    # Each in a process group of its own: Ctrl-C reaches this script only, which stops
    # them one by one and waits for each.
    procs = {
        name: subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)  # noqa: S603
        for name, command in commands.items()
    }
    print(
        f"Zelfsturing (DEBUG off) on http://{env['GUNICORN_BIND']}: gunicorn, a Celery worker "
        "and beat. Ctrl-C stops all three.",
        flush=True,
    )
    stopping = False

    def stop(*_args):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    while not stopping and all(proc.poll() is None for proc in procs.values()):
        time.sleep(0.2)
    for proc in procs.values():
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)  # gunicorn: graceful; Celery: warm shutdown
    deadline = time.monotonic() + 30
    for name, proc in procs.items():
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            print(f"{name} did not stop in time; killed.", file=sys.stderr)
            proc.kill()
            proc.wait()
    print("Stopped: " + ", ".join(f"{n} ({p.returncode})" for n, p in procs.items()))
    return 0 if stopping else 1


if __name__ == "__main__":
    sys.exit(main())

"""Scale-out rehearsal (issue #18, docs/deployment.md "Scaling out"): two gunicorn instances
(deploy/gunicorn.conf.py, DEBUG off, one SECRET_KEY) behind a round-robin proxy that
appends X-Forwarded-For, in front of one PostgreSQL (the test database) and one Redis (its
own redis-server: broker on /0, the dashboards' cache on /1), with two Celery workers.

- a log-in through instance A holds on instance B (sessions are in the database);
- a check-in posted through one instance shows at once on a dashboard served by the other
  (the team's data version is in the database; the cache is shared);
- a reminder run, planned twice at once (as two beats would), sends each e-mail once.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zs_prod \\
      .venv/bin/python -m pytest -m slow tests/integration/test_scale_out.py -s

Without PostgreSQL or redis-server it skips; with ZS_REQUIRE_SERVICES=1 (CI) it fails. It
prints its figures (FIGURES …).
"""

import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.utils import timezone

from doelen.models import CheckIn, Goal
from notifications.models import ReminderLog
from teams.models import Employee
from tests.conftest import need_service
from tests.integration.faults_helpers import (
    Browser,
    Proxy,
    RedisServer,
    Workers,
    free_port,
    smtp_server,
    wait_for,
)
from tests.integration.test_faults import PLAN, figures, stale_team

pytestmark = [
    pytest.mark.slow,
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
]

SECRET_KEY = "scale-out-rehearsal-" + "k" * 40  # the same on every instance


@pytest.fixture
def redis_server():
    need_service(
        connection.vendor == "postgresql",
        "the scale-out test needs PostgreSQL (DATABASE_URL=postgres://…)",
    )
    server = RedisServer()
    try:
        server.start()
    except (FileNotFoundError, AssertionError) as exc:
        need_service(False, f"the scale-out test needs redis-server ({exc})")
    try:
        yield server
    finally:
        server.stop()


def start_web(env: dict, port: int, log: Path) -> subprocess.Popen:
    """One gunicorn instance with the production configuration file."""
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py"],
        cwd=settings.BASE_DIR,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def test_two_instances_share_sessions_dashboards_and_send_each_reminder_once(redis_server):
    started = time.monotonic()
    team, members = stale_team(4, slug="burgerzaken")
    manager = members[0]
    team.managers.add(manager)
    member = members[1]
    goal = Goal.objects.get(owner=member)
    # The tests' fast hasher (settings_test) is unknown to the instances' settings.
    hashed = PBKDF2PasswordHasher().encode("demo", PBKDF2PasswordHasher().salt(), iterations=1000)
    Employee.objects.filter(pk__in=[manager.pk, member.pk]).update(password=hashed)
    with smtp_server() as (mailbox, smtp_port), tempfile.TemporaryDirectory() as tmp:
        logdir = Path(tmp)
        workers = Workers(broker_url=f"{redis_server.url}/0", smtp_port=smtp_port, logdir=logdir)
        web_env = {
            **workers.env,
            "DEBUG": "0",
            "HTTPS": "0",
            "SECRET_KEY": SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1",
            "CACHE_URL": f"{redis_server.url}/1",
            "STATIC_ROOT": str(logdir / "static"),
            "PROXY_COUNT": "1",
            "TRUSTED_PROXIES": "127.0.0.1",
            "GUNICORN_WORKERS": "1",
            "GUNICORN_THREADS": "2",
        }
        # DEBUG off serves hashed static names from the manifest: collect them first,
        # while the workers start.
        collect = subprocess.Popen(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
            cwd=settings.BASE_DIR,
            env=web_env,
        )
        webs = []
        try:
            workers.start("one")
            workers.start("two")
            assert collect.wait(timeout=60) == 0
            ports = [free_port(), free_port()]
            webs = [start_web(web_env, port, logdir / f"web-{port}.log") for port in ports]
            for port in ports:
                wait_for(
                    lambda port=port: _status(Browser(port, "127.0.0.1"), "/health/") == 200,
                    timeout=30,
                    what=f"gunicorn on {port}",
                )
            ready = time.monotonic() - started
            with Proxy(*ports) as proxy:
                result = _rehearse(proxy, ports, web_env["CACHE_URL"], team, goal, manager, member)
                result["tasks_per_worker"] = _reminders(workers, mailbox, len(members))
        finally:
            for web in webs:
                web.terminate()
                web.wait(timeout=20)
            workers.stop_all()
            if collect.poll() is None:
                collect.kill()
            for log in logdir.glob("*.log"):
                if "Traceback" in log.read_text(errors="replace"):
                    print(log.read_text(errors="replace"))
    figures(
        "scale out",
        ready_seconds=round(ready, 1),
        total_seconds=round(time.monotonic() - started, 1),
        requests_per_instance=result["per_instance"],
        logged_in_on_other_instance=result["logged_in_elsewhere"],
        check_in_seconds_to_other_dashboard=result["check_in_seconds"],
        dashboard_cached_keys=result["cached_keys"],
        reminders_delivered=sum(mailbox.counts().values()),
        recipients=len(mailbox.counts()),
        duplicates=mailbox.duplicates(),
        tasks_per_worker=result["tasks_per_worker"],
    )
    assert result["logged_in_elsewhere"] == [True, True]
    assert result["dashboard_after"] and not result["dashboard_before"]
    assert min(result["per_instance"].values()) >= 3  # both instances did real work
    assert result["cached_keys"] > 0  # the dashboards' cache in the shared Redis
    assert sorted(mailbox.counts()) == sorted(m.email for m in members)
    assert mailbox.duplicates() == 0
    assert ReminderLog.objects.filter(status="sent").count() == len(members)
    assert time.monotonic() - started < 90


def _rehearse(proxy: Proxy, ports, cache_url: str, team, goal, manager, member) -> dict:
    import redis

    def other_than(port: int) -> None:
        """Make the proxy's next request go to the instance that is not `port`."""
        if proxy.upcoming() == port:
            Browser(proxy.port, "127.0.0.1").request("GET", "/health/")

    def last_port() -> int:
        return proxy.served[-1][2]

    # 1. A log-in through one instance holds on the other.
    employee = Browser(proxy.port, "127.0.0.2")
    assert employee.log_in(member.username, "demo") == 302
    login_port = last_port()
    logged_in_elsewhere = []
    for _ in range(2):  # the next requests: the other instance, then the first again
        status, html = employee.request("GET", "/")
        logged_in_elsewhere.append(status == 200 and member.name in html)
    assert proxy.served[-2][2] != login_port

    # 2. The manager's dashboard (cached in the shared Redis), then a check-in through one
    # instance, then the dashboard again through the other.
    boss = Browser(proxy.port, "127.0.0.3")
    assert boss.log_in(manager.username, "demo") == 302
    url = f"/dashboard/teams/{team.slug}/"
    shown = re.compile(re.escape(goal.title) + r".{0,400}?Voortgang 30%", re.S)
    _status_code, before = boss.request("GET", url)
    cached_keys = redis.Redis.from_url(cache_url).dbsize()
    _status_code, page = employee.request("GET", goal.get_absolute_url())
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    once = re.search(r'name="once" value="([^"]+)"', page).group(1)
    status, _ = employee.request(
        "POST",
        goal.get_absolute_url(),
        {"csrfmiddlewaretoken": csrf, "once": once, "value": "30", "confidence": "on_track"},
    )
    assert status == 302 and CheckIn.objects.filter(goal=goal).count() == 1
    post_port = last_port()
    posted_at = time.monotonic()
    other_than(post_port)
    _status_code, after = boss.request("GET", url)
    check_in_seconds = round(time.monotonic() - posted_at, 3)
    assert last_port() != post_port
    per_instance = {
        name: sum(1 for *_request, p in proxy.served if p == port)
        for name, port in zip("AB", ports, strict=True)
    }
    return {
        "logged_in_elsewhere": logged_in_elsewhere,
        "dashboard_before": bool(shown.search(before)),
        "dashboard_after": bool(shown.search(after)),
        "check_in_seconds": check_in_seconds,
        "per_instance": per_instance,
        "cached_keys": cached_keys,
    }


def _reminders(workers: Workers, mailbox, expected: int) -> dict[str, int]:
    """Plan today's reminders twice at once (two beats would), on two workers."""
    today = timezone.localdate().isoformat()
    workers.send_task(PLAN, on=today)
    workers.send_task(PLAN, on=today)
    wait_for(lambda: sum(mailbox.counts().values()) >= expected, timeout=40, what="reminders")
    time.sleep(1.5)  # a second copy would arrive now
    return {name: workers.log(name).count("succeeded in") for name in ("one", "two")}


def _status(http: Browser, path: str) -> int | None:
    try:
        return http.request("GET", path)[0]
    except OSError:
        return None

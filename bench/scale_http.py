"""bench/scale.py --http: the pages measured as the issue measured them (issue 21), over
HTTP against gunicorn with two sync workers, in a child process per size.

The measuring process logs the personas in (sessions in the database, as the test Client's
`force_login` makes them), starts gunicorn serving `bench.scale_wsgi:application` with the
same environment, and requests each page with urllib: cold (the dashboards' cache emptied
first), warm (the same request again) and, for the dashboards that read every team, the
first view after the warm-up. Then ten users at once: ten threads, each with its own
session, request a page warm `USER_REQUESTS` times each, p50 and p95. Any answer but 200
stops the run (redirects are not followed, so the log-in page is never measured as a page).
The dashboards' cache must be Redis (CACHE_URL): emptying it here empties the workers' too.
Prints one JSON line like `scale.measure`."""

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
USERS = 10
USER_REQUESTS = 5
# The pages of the table, measured with ten users at once.
CROWDED = (
    "goal page",
    "HR dashboard, all teams",
    "organisation view",
    "/rollen/ overview",
    "/rollen/personen/",
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not a page: the log-in page must not pass for a page."""

    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _get(url: str, cookie: str) -> tuple[float, int, int]:
    """(ms, status, bytes) of one GET; anything but 200 (a redirect to log in too) stops."""
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310 - http://127.0.0.1
    started = time.perf_counter()
    try:
        with _opener.open(request, timeout=120) as response:
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        sys.exit(f"{url}: {error.code} {error.headers.get('Location', '')}")
    if status != 200:
        sys.exit(f"{url}: {status}")
    return (time.perf_counter() - started) * 1000, status, len(body)


def _sessions(username: str, count: int) -> list[str]:
    """`count` session cookies of `username`, made as the test Client's `force_login` makes
    them: in the database, so the gunicorn workers read them."""
    from django.conf import settings
    from django.test import Client

    from teams.models import Employee

    user, name = Employee.objects.get(username=username), settings.SESSION_COOKIE_NAME
    cookies = []
    for _ in range(count):
        client = Client()
        client.force_login(user)
        cookies.append(f"{name}={client.cookies[name].value}")
    return cookies


def _start(port: int, random_page_cost: str) -> subprocess.Popen:
    env = dict(os.environ, BENCH_RANDOM_PAGE_COST=random_page_cost)
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "--workers=2",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
            f"--chdir={ROOT}",
            "bench.scale_wsgi:application",
        ],
        env=env,
        cwd=ROOT,
        stdout=sys.stderr,  # this process's stdout carries the result
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    _stop(server)
    sys.exit("gunicorn did not start")


def _stop(server: subprocess.Popen) -> None:
    server.terminate()  # gunicorn's graceful stop: the workers finish their request
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _ten_users(url: str, cookies: list[str]) -> list[float]:
    """USERS threads, each with its own session, request `url` USER_REQUESTS times: ms."""
    times: list[float] = []
    errors: list[BaseException] = []

    def user(cookie: str) -> None:
        try:
            for _ in range(USER_REQUESTS):
                times.append(_get(url, cookie)[0])
        except BaseException as error:  # noqa: BLE001 - SystemExit too: reported below
            errors.append(error)

    threads = [threading.Thread(target=user, args=(cookie,)) for cookie in cookies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors or len(times) != USERS * USER_REQUESTS:
        sys.exit(f"ten users, {url}: {errors[0] if errors else 'requests missing'}")
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--random-page-cost", default="1.1")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import caches
    from django.db import connection
    from django.utils import timezone

    from bench import scale_site
    from dashboards.warmup import warm_figures

    if not settings.CACHES["dashboards"]["BACKEND"].endswith("RedisCache"):
        # With each process's own memory cache, emptying it here would not empty the
        # workers': "cold" would be warm.
        sys.exit("--http needs the dashboards' cache in Redis: set CACHE_URL=redis://…")
    scale_site.set_random_page_cost(args.random_page_cost)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    # One session per persona for the pages, and one per user for the ten users at once.
    sessions = {username: _sessions(username, USERS) for username in ("leidinggevende", "hr")}
    sessions["medewerker"] = _sessions("medewerker", 1)
    cookies = {username: cookies[0] for username, cookies in sessions.items()}
    pages = scale_site.pages()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    dashboards_cache = caches["dashboards"]
    server = _start(port, args.random_page_cost)
    try:
        sizes = {}
        for name, (username, url) in pages.items():
            sizes[name] = _get(base + url, cookies[username])[2]
        timings: dict = {name: {"cold": [], "warm": [], "morning": []} for name in pages}
        for _ in range(args.runs):
            for name, (username, url) in pages.items():
                dashboards_cache.clear()
                timings[name]["cold"].append(_get(base + url, cookies[username])[0])
                timings[name]["warm"].append(_get(base + url, cookies[username])[0])
                if name in ("manager dashboard", "HR dashboard, all teams", "organisation view"):
                    dashboards_cache.clear()
                    warm_figures(on=timezone.localdate())
                    timings[name]["morning"].append(_get(base + url, cookies[username])[0])
        crowded = {}
        for name in CROWDED:
            username, url = pages[name]
            _get(base + url, cookies[username])  # warm
            times = _ten_users(base + url, sessions[username])
            cuts = statistics.quantiles(times, n=20)
            crowded[name] = {"p50": statistics.median(times), "p95": cuts[18]}
    finally:
        _stop(server)
    result = scale_site.result(
        timings=timings,
        sizes=sizes,
        queries={},
        cache=settings.CACHES["dashboards"]["BACKEND"].rsplit(".", 1)[-1] + ", gunicorn",
        random_page_cost=args.random_page_cost,
    )
    result["ten_users"] = crowded
    print(json.dumps(result))


if __name__ == "__main__":
    main()

"""bench/scale.py --http: the pages measured as the issue measured them (issue 21), over
HTTP against gunicorn with two sync workers, in a child process per size.

The measuring process logs the personas in (sessions in the database, as the test Client's
`force_login` makes them), starts gunicorn serving `bench.scale_wsgi:application` with the
same environment, and requests each page with urllib: cold (the dashboards' cache emptied
first), warm (the same request again) and, for the dashboards that read every team, the
first view after the warm-up. Then ten users at once: ten threads request a page warm,
`USER_REQUESTS` times each, p50 and p95. Prints one JSON line like `scale.measure`."""

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
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


def _get(url: str, cookie: str) -> tuple[float, int, int]:
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310 - http://127.0.0.1
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 - 127.0.0.1
        body = response.read()
        status = response.status
    return (time.perf_counter() - started) * 1000, status, len(body)


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
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit("gunicorn did not start")


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
    from django.test import Client
    from django.utils import timezone

    from bench import scale_site
    from dashboards.warmup import warm_figures
    from teams.models import Employee

    scale_site.set_random_page_cost(args.random_page_cost)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    cookies = {}
    for username in ("leidinggevende", "hr", "medewerker"):
        client = Client()
        client.force_login(Employee.objects.get(username=username))
        name = settings.SESSION_COOKIE_NAME
        cookies[username] = f"{name}={client.cookies[name].value}"
    pages = scale_site.pages()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = _start(port, args.random_page_cost)
    dashboards_cache = caches["dashboards"]
    try:
        sizes = {}
        for name, (username, url) in pages.items():
            _ms, status, size = _get(base + url, cookies[username])
            if status != 200 or size < 200 and name != "floor":
                sys.exit(f"{name} {url}: {status}, {size} bytes")
            sizes[name] = size
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
            times: list[float] = []

            def user(username=username, url=url, times=times):
                for _ in range(USER_REQUESTS):
                    times.append(_get(base + url, cookies[username])[0])

            threads = [threading.Thread(target=user) for _ in range(USERS)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            cuts = statistics.quantiles(times, n=20)
            crowded[name] = {"p50": statistics.median(times), "p95": cuts[18]}
    finally:
        server.terminate()
        server.wait(timeout=30)
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

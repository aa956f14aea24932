"""Benchmark: every browser page at 470, 3,000 and 15,000 people, against the floor (a minimal
logged-in page) measured in the same run (issue 21).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zs_scale_bench .venv/bin/python bench/scale.py
    .venv/bin/python bench/scale.py --sizes 40:470 --runs 5      # SQLite, a quick look

Each size is one database (`<name>_<teams>`; SQLite: bench/results/scale-<teams>.sqlite3),
seeded once with `seed_demo` (bulk writes; 15,000 people took 21 minutes on a busy 2-core machine),
then measured in a child process with Django's test Client: each page cold (the dashboards'
cache emptied before the request) and warm (the same request just before), the median of
`--runs` requests, its ratio to the floor, its SQL queries and its rendered size in bytes.
`--drop` removes the PostgreSQL databases afterwards.

`--http` measures the same pages as issue 21 did, over HTTP against gunicorn with two sync
workers serving `bench.scale_wsgi` (bench/scale_http.py; needs CACHE_URL=redis://…, so that
emptying the cache empties the workers' too): cold, warm, first view after the warm-up,
ratio to the floor over HTTP, size, and p50/p95 of ten users at once, each with their own
session. Queries are not counted over HTTP (the in-process mode counts them).
"""

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
_spec = importlib.util.spec_from_file_location("bench_dashboards", ROOT / "bench" / "dashboards.py")
assert _spec and _spec.loader  # noqa: S101 - a benchmark script
helpers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(helpers)

DEFAULT_SIZES = "40:470,200:3000,1000:15000"
TARGET = 10.0  # × the floor, cold, at the largest size
# The pages that read every team's figures: also measured as the first view of the day,
# after beat's warm-up (dashboards.warmup).
WARMED = ("manager dashboard", "HR dashboard, all teams", "organisation view")


def _env_for(teams: int, employees: int) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "zelfsturing.settings_test",
            "PYTHONPATH": str(ROOT),
            "LOG_LEVEL": "WARNING",
        }
    )
    url = os.environ.get("DATABASE_URL")
    if url:
        parts = urlsplit(url)
        env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"{parts.path}_{teams}"))
    else:
        env.pop("DATABASE_URL", None)
        env["SQLITE_PATH"] = str(RESULTS / f"scale-{teams}-{employees}.sqlite3")
    return env


def prepare(teams: int, employees: int, months: int, reseed: bool) -> dict:
    env = _env_for(teams, employees)
    if "DATABASE_URL" in env:
        helpers._ensure_postgres_database(env["DATABASE_URL"])
        helpers._manage(env, "migrate", "--no-input", "-v0")
        if reseed:
            helpers._manage(env, "flush", "--no-input")
    else:
        RESULTS.mkdir(parents=True, exist_ok=True)
        path = Path(env["SQLITE_PATH"])
        if reseed:
            path.unlink(missing_ok=True)
        helpers._manage(env, "migrate", "--no-input", "-v0")
    started = time.perf_counter()
    out = helpers._manage(env, *helpers._seed_args(teams, employees, months, 2016))
    print(f"  seed ({time.perf_counter() - started:.0f} s): {out.splitlines()[0]}", flush=True)
    return env


def drop(teams: int, employees: int) -> None:
    import psycopg2

    parts = urlsplit(_env_for(teams, employees)["DATABASE_URL"])
    connection = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}"')
    connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="teams:people,...")
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--drop", action="store_true", help="drop the PostgreSQL databases")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument(
        "--random-page-cost",
        default="1.1",
        help="PostgreSQL random_page_cost for the measuring session: 1.1, the setting "
        "docs/deployment.md recommends for SSD storage; 'server' keeps the server's (4)",
    )
    parser.add_argument(
        "--http",
        action="store_true",
        help="measure over HTTP against gunicorn with 2 workers (bench/scale_http.py), "
        "with ten users at once for the heaviest pages",
    )
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args)
        return
    sizes = [tuple(int(n) for n in size.split(":")) for size in args.sizes.split(",")]
    results = []
    for teams, employees in sizes:
        print(f"{teams} teams, {employees} people", flush=True)
        env = prepare(teams, employees, args.months, args.reseed)
        child = subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "scale_http.py") if args.http else __file__,
                *([] if args.http else ["--measure"]),
                f"--runs={args.runs}",
                f"--random-page-cost={args.random_page_cost}",
            ],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if child.returncode:
            sys.exit(f"measuring failed:\n{child.stdout}\n{child.stderr}")
        results.append(json.loads(child.stdout.strip().splitlines()[-1]))
        if args.drop and os.environ.get("DATABASE_URL"):
            drop(teams, employees)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    report(results)


def report(results: list[dict]) -> None:
    print()
    for result in results:
        print(
            f"{result['employees']:,} people, {result['teams']} teams: floor "
            f"{result['floor_ms']:.1f} ms ({result['database']}, cache {result['cache']})"
        )
    heads = " | ".join(f"{r['employees']:,} cold× / warm× / q / KB" for r in results)
    print(f"\n| page | {heads} |")
    print("|---|" + "---|" * len(results))
    last = results[-1]
    for name in last["pages"]:
        cells = []
        for result in results:
            page, floor = result["pages"][name], result["floor_ms"]
            cells.append(
                f"{page['cold_ms'] / floor:.1f} / {page['warm_ms'] / floor:.1f} / "
                f"{page['queries']} / {page['bytes'] / 1024:.0f}"
            )
        ratio = last["pages"][name]["cold_ms"] / last["floor_ms"]
        verdict = "" if ratio <= TARGET else " **over 10×**"
        print(f"| {name} | " + " | ".join(cells) + f" |{verdict}")
    if "ten_users" in last:
        print("\nTen users at once, warm (p50 / p95 ms):")
        for name in last["ten_users"]:
            cells = [
                f"{r['ten_users'][name]['p50']:.0f} / {r['ten_users'][name]['p95']:.0f}"
                for r in results
            ]
            print(f"| {name} | " + " | ".join(cells) + " |")
    print("\nFirst view of the day, after the warm-up (× the floor, ms):")
    for name in WARMED:
        cells = [
            f"{r['pages'][name]['morning_ms'] / r['floor_ms']:.1f}× "
            f"({r['pages'][name]['morning_ms']:.0f} ms)"
            for r in results
        ]
        print(f"| {name} | " + " | ".join(cells) + " |")


def measure(args) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.utils import timezone

    from bench import scale_site
    from dashboards.warmup import warm_figures
    from teams.models import Employee

    override_settings(ROOT_URLCONF=scale_site.__name__, DEBUG=False).enable()
    scale_site.set_random_page_cost(args.random_page_cost)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    clients = {}
    for username in ("leidinggevende", "hr", "medewerker"):
        clients[username] = Client()
        clients[username].force_login(Employee.objects.get(username=username))
    pages = {name: (clients[username], url) for name, (username, url) in scale_site.pages().items()}
    dashboards_cache = caches["dashboards"]
    sizes, queries = {}, {}
    for name, (client, url) in pages.items():
        dashboards_cache.clear()
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
        if response.status_code != 200:
            sys.exit(f"{name} {url}: {response.status_code}")
        queries[name] = len(context.captured_queries)
        sizes[name] = len(response.content)
    timings: dict = {name: {"cold": [], "warm": [], "morning": []} for name in pages}
    for _ in range(args.runs):
        for name, (client, url) in pages.items():
            dashboards_cache.clear()
            started = time.perf_counter()
            client.get(url)
            timings[name]["cold"].append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            client.get(url)
            timings[name]["warm"].append((time.perf_counter() - started) * 1000)
            if name in WARMED:
                # The first view of the day: after beat's warm-up, before anyone else.
                dashboards_cache.clear()
                warm_figures(on=timezone.localdate())
                started = time.perf_counter()
                client.get(url)
                timings[name]["morning"].append((time.perf_counter() - started) * 1000)
    result = scale_site.result(
        timings=timings,
        sizes=sizes,
        queries=queries,
        cache=settings.CACHES["dashboards"]["BACKEND"].rsplit(".", 1)[-1],
        random_page_cost=args.random_page_cost,
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()

"""Benchmark: how fast are the dashboards on a large organisation, against the floor of this
stack (a minimal logged-in Django page), measured in the same run.

    .venv/bin/python bench/dashboards.py            # 40 and 200 teams, SQLite under bench/results/
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python bench/dashboards.py
                                                    # PostgreSQL: databases zs_bench (large size)
                                                    # and zs_bench_small, never your own database

For each size it seeds `seed_demo --teams T --employees E --months M` once (the SQLite file is
kept under bench/results/, which git ignores; PostgreSQL databases are kept too), applies
migrations, then runs a child process per size that logs in with Django's test Client and
measures the median latency of each page after a warm-up, interleaving the pages so drift
hits all of them alike. It prints the ratio of each page to the floor, and the number of SQL
queries per page at both sizes: that number must not grow with the organisation.

Targets (issue 4): organisation view ≤ 5× the floor, the other pages ≤ 3×.
"""

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
TARGETS = {
    "manager dashboard (manager of 10 teams)": 3.0,
    "manager dashboard (HR, all teams)": 3.0,
    "team dashboard": 3.0,
    "organisation view (HR)": 5.0,
}
BENCH_MANAGER = "bench-manager"


# Parent: seed, then measure each size in a child process.


def _env_for(teams: int, employees: int, months: int, seed: int, small: bool) -> dict:
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
        name = "zs_bench_small" if small else "zs_bench"
        env["DATABASE_URL"] = urlunsplit(parts._replace(path="/" + name))
    else:
        env.pop("DATABASE_URL", None)
        env["SQLITE_PATH"] = str(
            RESULTS / f"dashboards-t{teams}-e{employees}-m{months}-s{seed}.sqlite3"
        )
    return env


def _ensure_postgres_database(url: str) -> None:
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    connection = psycopg2.connect(admin)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def _manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def prepare(teams: int, employees: int, months: int, seed: int, small: bool, reseed: bool):
    """Seed the database for this size once; later runs reuse it (and only migrate)."""
    env = _env_for(teams, employees, months, seed, small)
    if "DATABASE_URL" in env:
        _ensure_postgres_database(env["DATABASE_URL"])
        _manage(env, "migrate", "--no-input", "-v0")
        if reseed:
            _manage(env, "flush", "--no-input")
        started = time.perf_counter()
        out = _manage(env, *_seed_args(teams, employees, months, seed))
        print(f"  seed ({time.perf_counter() - started:.0f} s): {out.splitlines()[0]}")
        return env
    path = Path(env["SQLITE_PATH"])
    RESULTS.mkdir(parents=True, exist_ok=True)
    if reseed and path.exists():
        path.unlink()
    if path.exists():
        print(f"  reusing {path.relative_to(ROOT)}")
        _manage(env, "migrate", "--no-input", "-v0")
        return env
    building = path.with_suffix(".building")
    building.unlink(missing_ok=True)
    build_env = dict(env, SQLITE_PATH=str(building))
    started = time.perf_counter()
    _manage(build_env, "migrate", "--no-input", "-v0")
    out = _manage(build_env, *_seed_args(teams, employees, months, seed))
    building.rename(path)
    print(f"  seeded {path.relative_to(ROOT)} in {time.perf_counter() - started:.0f} s: {out}")
    return env


def _seed_args(teams, employees, months, seed):
    return [
        "seed_demo",
        f"--teams={teams}",
        f"--employees={employees}",
        f"--months={months}",
        f"--seed={seed}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--teams", type=int, default=200)
    parser.add_argument("--employees", type=int, default=3000)
    parser.add_argument("--small-teams", type=int, default=40)
    parser.add_argument("--small-employees", type=int, default=600)
    parser.add_argument(
        "--months", type=int, default=24, help="check-in history (24 gives > 100,000 at 200 teams)"
    )
    parser.add_argument("--seed", type=int, default=2016)
    parser.add_argument("--runs", type=int, default=15, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per page first")
    parser.add_argument("--reseed", action="store_true", help="build the databases again")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args)
        return

    sizes = [
        ("small", args.small_teams, args.small_employees, True),
        ("large", args.teams, args.employees, False),
    ]
    results = {}
    for label, teams, employees, small in sizes:
        print(f"{label}: {teams} teams, {employees} employees, {args.months} months")
        env = prepare(teams, employees, args.months, args.seed, small, args.reseed)
        child = subprocess.run(
            [
                sys.executable,
                __file__,
                "--measure",
                f"--runs={args.runs}",
                f"--warmup={args.warmup}",
            ],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if child.returncode:
            sys.exit(f"measuring failed:\n{child.stdout}\n{child.stderr}")
        results[label] = json.loads(child.stdout.strip().splitlines()[-1])
    report(results)


def report(results: dict) -> None:
    small, large = results["small"], results["large"]
    print()
    for label, result in (("small", small), ("large", large)):
        size = result["size"]
        print(
            f"{label}: {size['teams']} teams, {size['goals']} goals, "
            f"{size['check_ins']:,} check-ins, {size['employees']:,} employees "
            f"({result['database']}, cache {result['cache']}; load average "
            f"{result['load']:.1f} on {os.cpu_count()} CPUs)"
        )
    print()
    header = f"{'page':44} {'median ms':>10} {'× floor':>8} {'target':>7} {'queries':>8}"
    for label, result in (("small", small), ("large", large)):
        floor_ms, floor_queries = result["floor_ms"], result["floor_queries"]
        print(f"[{label}] floor: {floor_ms:.1f} ms median, {floor_queries} queries")
        layout_ms = result["layout_ms"]
        print(
            f"  (for context: an empty page in the portal layout takes {layout_ms:.1f} ms, "
            f"{layout_ms / floor_ms:.2f}× the floor, {result['layout_queries']} queries)"
        )
        for mode, pages in result["pages"].items():
            print(f"  {mode}:")
            print("  " + header)
            for name, page in pages.items():
                target = TARGETS[name]
                ratio = page["ms"] / floor_ms
                verdict = ("ok" if ratio <= target else "MISSED") if mode == "warm" else ""
                print(
                    f"  {name:44} {page['ms']:10.1f} {ratio:8.2f} {target:6.0f}× "
                    f"{page['queries']:8d}  {verdict if label == 'large' else ''}"
                )
        print()
    print("SQL queries per page, small → large (must not grow):")
    constant = True
    for mode, pages in large["pages"].items():
        for name in pages:
            a, b = small["pages"][mode][name]["queries"], pages[name]["queries"]
            if mode == "after a check-in":
                # Fewer when the changed team is not on the page (HR sees 24 of 200 cards):
                # then no card is drawn again.
                verdict = "not more" if b <= a else "GREW"
                constant &= b <= a
            else:
                verdict = "same" if a == b else "GREW"
                constant &= a == b
            print(f"  {mode:17} {name:44} {a:3d} → {b:3d}  {verdict}")
    print("query counts constant:", "yes" if constant else "NO")


# Child: one size, one database, configured through the environment.


def measure(args) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import caches
    from django.db import connection, transaction
    from django.http import HttpResponse
    from django.template import RequestContext, Template
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.urls import include, path
    from django.utils.html import escape

    from dashboards.freshness import raise_versions
    from doelen.models import CheckIn, Goal
    from doelen.services import goal_check_in
    from teams.models import Employee, Team

    def floor(request):
        """The floor: a minimal page for a logged-in user (session, user, middleware)."""
        return HttpResponse(
            f"<!doctype html><title>floor</title><p>{escape(request.user.get_full_name())}</p>"
        )

    layout = Template(
        '{% extends "base.html" %}{% block content %}<h1>{{ user.get_full_name }}</h1>'
        "{% endblock %}"
    )

    def floor_layout(request):
        """For context only: the same, inside the portal's layout (base.html)."""
        return HttpResponse(layout.render(RequestContext(request, {})))

    module = type(sys)("bench_dashboard_urls")
    module.urlpatterns = [
        path("bench-floor/", floor),
        path("bench-floor-layout/", floor_layout),
        path("", include("zelfsturing.urls")),
    ]
    sys.modules[module.__name__] = module
    override_settings(ROOT_URLCONF=module.__name__, DEBUG=False).enable()
    with connection.cursor() as cursor:  # fresh planner statistics after seeding
        cursor.execute("ANALYZE")

    # A manager of about ten teams, spread over the organisation (idempotent).
    teams = list(Team.objects.active().order_by("pk"))
    step = max(1, len(teams) // 10)
    managed = teams[::step][:10]
    manager, _created = Employee.objects.get_or_create(
        username=BENCH_MANAGER, defaults={"name": "Bench Manager"}
    )
    for team in managed:
        team.managers.add(manager)
    hr = Employee.objects.get(username="hr")
    team = max(managed, key=lambda t: Goal.objects.filter(team=t).count())

    def client_for(user):
        client = Client()
        client.force_login(user)
        return client

    manager_client, hr_client = client_for(manager), client_for(hr)
    pages = {
        "floor": (manager_client, "/bench-floor/"),
        "floor_layout": (manager_client, "/bench-floor-layout/"),
        "manager dashboard (manager of 10 teams)": (manager_client, "/dashboard/"),
        "manager dashboard (HR, all teams)": (hr_client, "/dashboard/"),
        "team dashboard": (manager_client, f"/dashboard/teams/{team.slug}/"),
        "organisation view (HR)": (hr_client, "/dashboard/organisatie/"),
    }
    # Three ways to meet a page (the dashboards cache per team under its data version,
    # dashboards/cache.py):
    # - warm: nothing changed since the last request (the common case: dashboards are read
    #   far more often than their teams record progress);
    # - after a check-in: one of the manager's teams recorded progress just before, so its
    #   figures, its card and every page that shows it are computed again (the team
    #   dashboard shows that team);
    # - cold: the cache is empty (after a restart; the first request of the day).
    # The change before each request is not timed.
    dashboards_cache = caches["dashboards"]
    goal = Goal.objects.filter(team=team, status="active").order_by("pk").first()
    author = Employee.objects.filter(memberships__team=team).first() or manager

    @contextlib.contextmanager
    def warm(client, url):
        # The same request just before, untimed: the rounds of the other modes in between
        # change the data and empty the cache.
        client.get(url)
        yield

    @contextlib.contextmanager
    def after_check_in(client, url):
        # The check-in and the request share a transaction that is rolled back afterwards,
        # so the organisation stays the same from run to run (the rolled-back version is
        # never used again: versions are times, see dashboards.models.TeamDataVersion).
        # The version is raised here as the commit would (dashboards.freshness).
        with transaction.atomic():
            goal_check_in(goal=goal, author=author, value=goal.start_value)
            raise_versions([goal.team_id])
            yield
            transaction.set_rollback(True)

    @contextlib.contextmanager
    def cold(client, url):
        dashboards_cache.clear()
        yield

    modes = {"warm": warm, "after a check-in": after_check_in, "cold": cold}
    queries = {mode: {} for mode in modes}
    for mode, meet in modes.items():
        for name, (client, url) in pages.items():
            for _ in range(args.warmup):
                with meet(client, url):
                    response = client.get(url)
                assert response.status_code == 200, (name, response.status_code)
            with meet(client, url), CaptureQueriesContext(connection) as context:
                client.get(url)
            queries[mode][name] = len(context.captured_queries)
    timings = {mode: {name: [] for name in pages} for mode in modes}
    for _ in range(args.runs):
        for mode, meet in modes.items():
            for name, (client, url) in pages.items():
                with meet(client, url):
                    started = time.perf_counter()
                    client.get(url)
                    timings[mode][name].append((time.perf_counter() - started) * 1000)
    medians = {
        mode: {name: statistics.median(values) for name, values in per_page.items()}
        for mode, per_page in timings.items()
    }
    floor_ms = statistics.median([value for mode in modes for value in timings[mode]["floor"]])
    layout_ms = statistics.median(
        [value for mode in modes for value in timings[mode]["floor_layout"]]
    )
    result = {
        "database": connection.vendor,
        "cache": settings.CACHES["dashboards"]["BACKEND"].rsplit(".", 1)[-1],
        "load": os.getloadavg()[0],
        "size": {
            "teams": Team.objects.count(),
            "goals": Goal.objects.count(),
            "check_ins": CheckIn.objects.count(),
            "employees": Employee.objects.count(),
        },
        "floor_ms": floor_ms,
        "floor_queries": queries["warm"]["floor"],
        "layout_ms": layout_ms,
        "layout_queries": queries["warm"]["floor_layout"],
        "pages": {
            mode: {
                name: {"ms": medians[mode][name], "queries": queries[mode][name]}
                for name in pages
                if not name.startswith("floor")
            }
            for mode in modes
        },
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()

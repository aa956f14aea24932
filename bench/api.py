"""Benchmark: a nightly pull of every role assignment of a 3,000-person organisation through
the reporting API, page by page, as a BI tool does it (follow `next` until it is empty).

    .venv/bin/python bench/api.py                      # 200 teams, 3,000 people, pages of 500
    .venv/bin/python bench/api.py --page-size 1000

Seeds `seed_demo --teams 200 --employees 3000` once into its own SQLite file under
bench/results/ (never db.sqlite3; git ignores the folder), creates a key with roles:read and
prints, per page, the wall time and the SQL queries; then the totals, and a second pull with
If-None-Match to show the 304 answers.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--teams", type=int, default=200)
    parser.add_argument("--employees", type=int, default=3000)
    parser.add_argument("--page-size", type=int, default=500)
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    database = RESULTS / f"api-t{args.teams}-e{args.employees}.sqlite3"
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "zelfsturing.settings_test",
            "SQLITE_PATH": str(database),
            "LOG_LEVEL": "WARNING",
            "ZS_API_RATE": "100000/minute",
        }
    )
    os.environ.pop("DATABASE_URL", None)
    if not database.exists():
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "-v0"], check=True, cwd=ROOT)
        subprocess.run(
            [*manage, "seed_demo", "--teams", str(args.teams), "--employees", str(args.employees)],
            check=True,
            cwd=ROOT,
        )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.utils import timezone

    from api.models import Scope
    from api.services import create_token

    setup_test_environment()
    _token, key = create_token(
        name="bench",
        scopes=[Scope.ROLES],
        expires_at=timezone.now() + timezone.timedelta(hours=1),
        actor=None,
    )
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    url: str | None = f"/api/v1/role-assignments/?page_size={args.page_size}"
    client.get(url)  # warm-up (and the day's counter row)
    print(f"{args.employees} people, {args.teams} teams, pages of {args.page_size}")
    print("page  rows  ms  queries")
    total_rows = total_queries = 0
    etags = []
    started = time.perf_counter()
    page = 0
    while url:
        page += 1
        with CaptureQueriesContext(connection) as queries:
            t0 = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - t0
        assert response.status_code == 200, response.content[:200]
        body = response.json()
        etags.append((url, response["ETag"]))
        total_rows += len(body["results"])
        total_queries += len(queries)
        print(f"{page:4}  {len(body['results']):4}  {elapsed * 1000:5.0f}  {len(queries)}")
        url = body["next"]
    total = time.perf_counter() - started
    print(
        f"total: {total_rows} role assignments, {page} pages, {total:.2f} s, "
        f"{total_queries} queries"
    )
    t0 = time.perf_counter()
    unchanged = sum(client.get(u, HTTP_IF_NONE_MATCH=e).status_code == 304 for u, e in etags)
    print(
        f"second pull with If-None-Match: {unchanged}/{len(etags)} answered 304 in "
        f"{time.perf_counter() - t0:.2f} s"
    )


if __name__ == "__main__":
    main()

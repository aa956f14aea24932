"""Benchmark: HR's streaming exports (people × roles to CSV and XLSX) at 1,000 and 10,000
people — time, peak memory and SQL queries — showing that memory stays flat.

    .venv/bin/python bench/exports.py

Each size gets its own SQLite file under bench/results/ (never db.sqlite3), seeded once
with N people in N/100 teams, each a member of one team holding one or two roles (about
1.5 × N export rows). Every measurement runs in a fresh child process, which

- builds the export exactly as the download view does (rollen.exports.people_export →
  csv_stream / xlsx_stream) and consumes the byte stream, discarding it, as a client would;
- reports wall time, the tracemalloc peak of Python allocations during the export (a second
  run, since tracemalloc slows Python down), the growth of the process's peak RSS over its
  RSS before the export, and the number of SQL queries.

Baseline, measured in the same run: the naive way, which builds the whole file in memory
before sending it (csv into a StringIO from a list of all rows; openpyxl in normal mode).
The 10,000 / 1,000 ratios show how each approach grows with the number of rows.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SIZES = [1_000, 10_000]
KINDS = ["csv", "xlsx", "csv-in-memory", "xlsx-in-memory"]


def _env(size: int) -> dict:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "zelfsturing.settings_test",
            "SQLITE_PATH": str(RESULTS / f"exports-{size}.sqlite3"),
            "PYTHONPATH": str(ROOT),
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def _child(args: list[str], size: int) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, *args],
        env=_env(size),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.exit(result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(sizes: list[int]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    results: dict[tuple[str, int], dict] = {}
    for size in sizes:
        seeded = _child(["--seed", str(size)], size)
        print(f"{size:>6} people: {seeded['rows']} export rows ({seeded['note']})", flush=True)
        for kind in KINDS:
            results[(kind, size)] = _child(["--measure", kind], size)
    print()
    header = (
        f"{'export':<16}{'people':>7}{'rows':>8}{'time s':>9}{'rows/s':>9}"
        f"{'py peak MB':>12}{'RSS +MB':>9}{'queries':>9}{'file MB':>9}"
    )
    print(header)
    print("-" * len(header))
    for kind in KINDS:
        for size in sizes:
            r = results[(kind, size)]
            print(
                f"{kind:<16}{size:>7}{r['rows']:>8}{r['seconds']:>9.2f}"
                f"{r['rows'] / r['seconds']:>9.0f}{r['peak_mb']:>12.1f}{r['rss_mb']:>9.1f}"
                f"{r['queries']:>9}{r['bytes'] / 1e6:>9.2f}"
            )
    print()
    print(f"Ratios {sizes[-1]:,} / {sizes[0]:,} people (rows grow {sizes[-1] // sizes[0]}×):")
    for kind in KINDS:
        small, large = results[(kind, sizes[0])], results[(kind, sizes[-1])]
        print(
            f"  {kind:<16} time ×{large['seconds'] / small['seconds']:.1f}   "
            f"python peak ×{large['peak_mb'] / small['peak_mb']:.1f}   "
            f"RSS growth {small['rss_mb']:.1f} → {large['rss_mb']:.1f} MB   "
            f"queries {small['queries']} → {large['queries']}"
        )


# Children.


def _setup() -> None:
    import django

    django.setup()


def seed(size: int) -> dict:
    _setup()
    import datetime

    from django.core.management import call_command

    from dashboards.freshness import mark_all_changed
    from rollen.models import Role, RoleAssignment
    from teams.models import Employee, Membership, Team

    call_command("migrate", verbosity=0)
    if Employee.objects.filter(username__startswith="bench-").count() == size:
        note = "kept from an earlier run"
    else:
        since = datetime.date(2024, 1, 1)
        roles = list(Role.objects.order_by("order"))
        teams = Team.objects.bulk_create(
            Team(name=f"Team {t:03d}", slug=f"bench-team-{t:03d}") for t in range(size // 100)
        )
        people = Employee.objects.bulk_create(
            (
                Employee(
                    username=f"bench-{i}",
                    name=f"Medewerker {i:05d}",
                    email=f"bench-{i}@example.org",
                    personnel_number=f"B{i:06d}",
                    password="!",  # noqa: S106 - an unusable password
                )
                for i in range(size)
            ),
            batch_size=2000,
        )
        Membership.objects.bulk_create(
            (Membership(employee=p, team=teams[i % len(teams)], since=since)
             for i, p in enumerate(people)),
            batch_size=2000,
        )  # fmt: skip
        assignments = []
        for i, person in enumerate(people):
            team = teams[i % len(teams)]
            assignments.append(
                RoleAssignment(employee=person, team=team, role=roles[i % 4], since=since)
            )
            if i % 2:
                assignments.append(
                    RoleAssignment(employee=person, team=team, role=roles[(i + 1) % 4], since=since)
                )
        RoleAssignment.objects.bulk_create(assignments, batch_size=2000)
        mark_all_changed()  # bulk_create sends no post_save: the dashboards' data versions
        note = "seeded now"
    return {"rows": _people_rows(), "note": note}


def _people_rows() -> int:
    from rollen.models import RoleAssignment

    return RoleAssignment.objects.filter(employee__username__startswith="bench-").count()


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _run(kind: str) -> tuple[int, int]:
    """Build the export of kind `kind`; returns (data rows, bytes produced)."""
    import csv
    import datetime
    import io

    from openpyxl import Workbook

    from rollen.exports import csv_stream, people_export, xlsx_stream
    from rollen.selectors import OverviewFilters

    data = people_export(on=datetime.date(2026, 11, 28), filters=OverviewFilters())
    size = 0
    if kind == "csv":
        for chunk in csv_stream(columns=data.columns, rows=data.rows, delimiter=";"):
            size += len(chunk)
    elif kind == "xlsx":
        for chunk in xlsx_stream(title=data.name, columns=data.columns, rows=data.rows):
            size += len(chunk)
    elif kind == "csv-in-memory":
        rows = list(data.rows)
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow([str(c.header) for c in data.columns])
        writer.writerows(rows)
        size = len(buffer.getvalue().encode("utf-8-sig"))
    elif kind == "xlsx-in-memory":
        workbook = Workbook()
        sheet = workbook.active
        sheet.append([str(c.header) for c in data.columns])
        for row in data.rows:
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        size = len(buffer.getvalue())
    return data.row_count, size


def measure(kind: str) -> dict:
    _setup()
    import tracemalloc

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    translation.activate("nl")
    _run("csv")  # warm up imports, translations and the SQLite page cache
    rss_before = _rss_mb()
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        _memberships, size = _run(kind)
        seconds = time.perf_counter() - start
    rss_growth = max(
        0.0,
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - max(rss_before, peak_before),
    )
    tracemalloc.start()
    _run(kind)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "seconds": seconds,
        "rows": _people_rows(),
        "bytes": size,
        "peak_mb": peak / 1e6,
        "rss_mb": rss_growth,
        "queries": len(queries.captured_queries),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int)
    parser.add_argument("--measure", choices=KINDS)
    parser.add_argument(
        "--sizes", default=",".join(map(str, SIZES)), help="numbers of people, e.g. 1000,10000"
    )
    args = parser.parse_args()
    if args.seed:
        print(json.dumps(seed(args.seed)))
    elif args.measure:
        print(json.dumps(measure(args.measure)))
    else:
        main([int(size) for size in args.sizes.split(",")])

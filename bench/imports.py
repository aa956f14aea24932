"""Benchmark: the HR import (rollen.imports) on PostgreSQL — dry run and apply of a new
organisation, then of a file with 10% changes — rows per second and SQL queries per 1,000
rows (which should stay constant per row as the file grows).

    .venv/bin/python bench/imports.py                      # 1,000, 3,000 and 15,000 rows
    .venv/bin/python bench/imports.py --sizes 1000,3000
    .venv/bin/python bench/imports.py --sizes 15000 --changes-only   # the monthly file only

Each size runs in a child process on its own database zs_bench_import_<N> on
127.0.0.1:5432 (dropped and created again; never another database), migrated, with N/25
teams. The file is generated: N people, one line each (number, name, e-mail, team, one or
two roles, since). The changed file renames 5% of the people, moves 5% to another team.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = [1_000, 3_000, 15_000]
PG = "postgres://postgres@127.0.0.1:5432/"


def _database(size: int) -> str:
    return f"zs_bench_import_{size}"


def _file(size: int, teams: list[str], changed: bool) -> bytes:
    roles = ["vakman", "facilitator", "samenwerkingspartner", "ondernemer"]
    lines = ["personeelsnummer;naam;e-mail;team;rollen;sinds"]
    for n in range(size):
        name = f"Persoon {n}"
        team = teams[n % len(teams)]
        if changed and n % 20 == 0:
            name += " (nieuwe naam)"
        if changed and n % 20 == 1:
            team = teams[(n + 1) % len(teams)]
        role = roles[n % 4] + ("|" + roles[(n + 1) % 4] if n % 3 == 0 else "")
        lines.append(f"P{n:06d};{name};p{n}@example.org;{team};{role};01-01-2025")
    return ("\n".join(lines) + "\n").encode()


def _seed(size: int, teams: list[str]) -> None:
    """The organisation the "new" file describes, written in bulk (not through the import):
    for --changes-only, which then measures only the monthly file with 10% changes."""
    import datetime

    from django.contrib.auth.hashers import make_password

    from rollen.models import Role, RoleAssignment
    from teams.models import Employee, Membership, Team

    since = datetime.date(2025, 1, 1)
    unusable = make_password(None)
    by_name = {team.name: team for team in Team.objects.all()}
    roles = {role.slug: role for role in Role.objects.all()}
    people = Employee.objects.bulk_create(
        [
            Employee(
                username=f"p{n:06d}", name=f"Persoon {n}", email=f"p{n}@example.org",
                personnel_number=f"P{n:06d}", password=unusable,
            )
            for n in range(size)
        ],
        batch_size=1000,
    )  # fmt: skip
    Membership.objects.bulk_create(
        [
            Membership(employee=person, team=by_name[teams[n % len(teams)]], since=since)
            for n, person in enumerate(people)
        ],
        batch_size=1000,
    )
    slugs = ["vakman", "facilitator", "samenwerkingspartner", "ondernemer"]
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(
                employee=person, team=by_name[teams[n % len(teams)]], role=roles[slug],
                since=since,
            )
            for n, person in enumerate(people)
            for slug in [slugs[n % 4], *([slugs[(n + 1) % 4]] if n % 3 == 0 else [])]
        ],
        batch_size=1000,
    )  # fmt: skip


def measure(size: int, changes_only: bool = False) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from rollen.imports import guess_mapping, import_apply, import_plan, read_table
    from teams.models import Team

    call_command("migrate", verbosity=0)
    teams = [
        Team.objects.create(name=f"Team {t:03d}", slug=f"team-{t:03d}").name
        for t in range(max(1, size // 25))
    ]
    results = {}
    files = (("new", False), ("10% changed", True))
    if changes_only:
        _seed(size, teams)
        table = read_table(_file(size, teams, False))
        unchanged = import_plan(table=table, mapping=guess_mapping(table.header))
        assert unchanged.actions == [], unchanged.actions[:3]  # seeded as the import would
        files = files[1:]
    for label, changed in files:
        table = read_table(_file(size, teams, changed))
        mapping = guess_mapping(table.header)
        for step in ("dry run", "apply"):
            count = [0]

            def counter(execute, sql, params, many, context, count=count):
                count[0] += 1
                return execute(sql, params, many, context)

            with connection.execute_wrapper(counter):
                start = time.perf_counter()
                cpu_start = time.process_time()
                if step == "dry run":
                    plan = import_plan(table=table, mapping=mapping)
                else:
                    plan = import_apply(table=table, mapping=mapping)
                seconds = time.perf_counter() - start
                cpu = time.process_time() - cpu_start
            queries = count[0]
            assert not plan.has_problems, plan.problems[:3]
            results[f"{label} / {step}"] = {
                "seconds": round(seconds, 2),
                "python_cpu_seconds": round(cpu, 2),
                "rows_per_second": round(size / seconds),
                "queries": queries,
                "queries_per_1000_rows": round(queries * 1000 / size),
                "actions": len(plan.actions),
            }
            # Each step as it ends (on stderr, shown as the run goes): a long size that is
            # stopped still leaves the steps it finished.
            print(size, f"{label} / {step}", results[f"{label} / {step}"], file=sys.stderr)
    return results


def main(sizes: list[int], changes_only: bool = False) -> None:
    table = []
    for size in sizes:
        database = _database(size)
        for command in (["dropdb", "--if-exists"], ["createdb"]):
            subprocess.run([*command, "-h", "127.0.0.1", "-U", "postgres", database], check=True)
        env = {
            **os.environ,
            "DATABASE_URL": PG + database,
            "DJANGO_SETTINGS_MODULE": "zelfsturing.settings",
            "DEBUG": "1",
            "PYTHONPATH": str(ROOT),
            "LOG_LEVEL": "WARNING",
        }
        env.pop("CELERY_BROKER_URL", None)
        done = subprocess.run(
            [sys.executable, __file__, "--measure", str(size)]
            + (["--changes-only"] if changes_only else []),
            env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            sys.exit(done.returncode)
        for step, figures in json.loads(done.stdout.strip().splitlines()[-1]).items():
            table.append((size, step, figures))
            print(size, step, figures, flush=True)
    print(
        "\n| rows | file / step | actions | time s | Python CPU s | rows/s | queries"
        " | queries per 1,000 rows |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for size, step, f in table:
        print(
            f"| {size:,} | {step} | {f['actions']:,} | {f['seconds']} | {f['python_cpu_seconds']}"
            f" | {f['rows_per_second']:,}"
            f" | {f['queries']:,} | {f['queries_per_1000_rows']:,} |"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--measure", type=int)
    parser.add_argument(
        "--changes-only",
        action="store_true",
        help="write the organisation in bulk and measure only the file with 10%% changes",
    )
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.changes_only)))
    else:
        main([int(s) for s in args.sizes.split(",")], args.changes_only)

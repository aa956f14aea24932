"""Benchmark: the web requests of the HR import for a whole organisation (15,000 rows) on
PostgreSQL. The heavy work (the dry run, the apply) is a Celery task; this times what a
browser waits for: the upload, the check page, the POST that queues the check, the
progress poll, the result page and the POST that queues the apply.

    .venv/bin/python bench/import_requests.py --database zs_bench_import_requests

The database on 127.0.0.1:5432 is dropped and created again (give one of your own).
Requests go through Django's test client (middleware, templates, the database; no network
or gunicorn). The tasks are recorded instead of queued, so nothing runs in the request.
The result pages are shown for three results: a real dry run of a 15,000-row file in which
every line has a problem (every problem listed), and two of the size the task keeps for a
clean run (the first 2,000 changes, with or without 15,000 e-mail-match warnings, of which
the first 500 are kept).
"""

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = "postgres://postgres@127.0.0.1:5432/"
ROWS = 15_000
REPEAT = 3


def _file(teams: list[str], *, team_of=None) -> bytes:
    roles = ["vakman", "facilitator", "samenwerkingspartner", "ondernemer"]
    lines = ["personeelsnummer;naam;e-mail;team;rollen;sinds"]
    for n in range(ROWS):
        team = team_of(n) if team_of else teams[n % len(teams)]
        role = roles[n % 4] + ("|" + roles[(n + 1) % 4] if n % 3 == 0 else "")
        lines.append(f"P{n:06d};Persoon {n};p{n}@example.org;{team};{role};01-01-2025")
    return ("\n".join(lines) + "\n").encode()


def measure() -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from rollen import tasks
    from rollen.imports import guess_mapping, read_table
    from rollen.imports.jobs import LINES_KEPT, import_file_check
    from rollen.models import ImportFile, ImportStatus
    from teams.models import HR_GROUP, Team
    from tests.factories import EmployeeFactory

    call_command("migrate", verbosity=0)
    from django.contrib.auth.models import Group

    teams = [
        Team.objects.create(name=f"Team {t:03d}", slug=f"team-{t:03d}").name
        for t in range(ROWS // 25)
    ]
    hr = EmployeeFactory(username="hr-bench")
    hr.groups.add(Group.objects.get(name=HR_GROUP))
    queued: list[str] = []
    tasks.check_import_file_task.delay = lambda *a: queued.append("check")
    tasks.apply_import_file_task.delay = lambda *a: queued.append("apply")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(hr)
    results: dict[str, dict] = {}

    def timed(label, call, expect):
        times, cpu, queries, size = [], [], 0, 0
        for _ in range(REPEAT):
            count = [0]

            def counter(execute, sql, params, many, context, count=count):
                count[0] += 1
                return execute(sql, params, many, context)

            with connection.execute_wrapper(counter):
                start, cpu_start = time.perf_counter(), time.process_time()
                response = call()
                times.append(time.perf_counter() - start)
                cpu.append(time.process_time() - cpu_start)
            assert response.status_code == expect, (label, response.status_code)
            queries, size = count[0], len(response.content)
        results[label] = {
            "median_s": round(statistics.median(times), 3),
            "max_s": round(max(times), 3),
            "cpu_s": round(statistics.median(cpu), 3),
            "queries": queries,
            "bytes": size,
        }
        return response

    data = _file(teams)
    timed("GET upload page", lambda: client.get("/rollen/import/"), 200)

    def upload(content=data):
        file = io.BytesIO(content)
        file.name = "organisatie.csv"
        return client.post("/rollen/import/", {"file": file})

    response = timed(f"POST upload (15,000 rows, {len(data) // 1024} KB)", upload, 302)
    url = response.url
    job = ImportFile.objects.filter(uploaded_by=hr).latest("pk")
    timed("GET check page (column mapping)", lambda: client.get(url), 200)
    header = read_table(data).header
    params = {f"column_{k}": "" if v is None else str(v) for k, v in guess_mapping(header).items()}
    params["check"] = "1"

    def post_check():
        ImportFile.objects.filter(pk=job.pk).update(status=ImportStatus.UPLOADED)
        return client.post(url, params)

    timed("POST check (the dry run, queued)", post_check, 302)
    assert queued[-1] == "check" and ImportFile.objects.get(pk=job.pk).busy
    timed("GET check page while checking", lambda: client.get(url), 200)
    timed(
        "GET progress (htmx poll)",
        lambda: client.get(f"{url}voortgang/", headers={"HX-Request": "true"}),
        200,
    )

    # A real dry run of a file in which every line has a problem (an unknown team).
    bad = _file(teams, team_of=lambda n: f"Onbekend {n % 7}")
    bad_job = ImportFile.objects.get(pk=upload(bad).url.rstrip("/").split("/")[-1])
    ImportFile.objects.filter(pk=bad_job.pk).update(options={"mapping": _mapping(params)})
    start = time.perf_counter()
    checked = import_file_check(import_file_id=bad_job.pk, actor=hr)
    results["task: dry run, 15,000 problem lines (not a request)"] = {
        "median_s": round(time.perf_counter() - start, 3),
        "problems": len(checked.result["problems"]),
    }
    timed(
        "GET result page: 15,000 problem lines",
        lambda: client.get(f"/rollen/import/{bad_job.pk}/"),
        200,
    )

    # A clean plan of the size the task keeps: the first 2,000 of 50,000 changes.
    summary = [
        [key, key, count]
        for key, count in (("create_person", ROWS), ("update_person", 0),
                           ("start_membership", ROWS), ("end_membership", 0),
                           ("assign_role", 20_000), ("roles_ended", 0),
                           ("deactivate_person", 0))
    ]  # fmt: skip
    actions = [["create_person", f"Persoon {n} (P{n:06d}) komt erbij", n + 2] for n in range(2000)]
    clean = {
        "summary": summary, "actions": actions, "action_count": 50_000, "problems": [],
        "warnings": [], "fingerprint": "f" * 16, "has_problems": False,
        "ends_things": False, "manages_roles": True,
    }  # fmt: skip
    ImportFile.objects.filter(pk=job.pk).update(status=ImportStatus.CHECKED, result=clean)
    timed("GET result page: 2,000 of 50,000 changes shown", lambda: client.get(url), 200)
    warned = {
        **clean,
        "warnings": [
            [n + 2, f"Persoon {n} gevonden op e-mailadres: personeelsnummer wordt P{n:06d}"]
            for n in range(ROWS)
        ][:LINES_KEPT],  # as plan_result keeps them
        "warning_count": ROWS,
    }
    ImportFile.objects.filter(pk=job.pk).update(result=warned)
    timed("GET result page: 2,000 changes + 15,000 warnings", lambda: client.get(url), 200)

    def post_apply():
        ImportFile.objects.filter(pk=job.pk).update(
            status=ImportStatus.CHECKED, applied_at=None, result=clean
        )
        return client.post(
            f"{url}toepassen/",
            {"fingerprint": "f" * 16, "confirm_ends": "on", "accept_email_matches": "on"},
        )

    timed("POST apply (claimed, queued)", post_apply, 302)
    assert queued[-1] == "apply"
    ImportFile.objects.filter(pk=job.pk).update(status=ImportStatus.APPLYING)
    timed(
        "GET progress while applying",
        lambda: client.get(f"{url}voortgang/", headers={"HX-Request": "true"}),
        200,
    )
    return results


def _mapping(params: dict) -> dict:
    return {
        key.removeprefix("column_"): int(value)
        for key, value in params.items()
        if key.startswith("column_") and value != ""
    }


def main(database: str) -> None:
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
        [sys.executable, __file__, "--measure"], env=env, cwd=ROOT, stdout=subprocess.PIPE,
        text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        sys.exit(done.returncode)
    results = json.loads(done.stdout.strip().splitlines()[-1])
    print(
        f"\n| request (15,000-row file) | median s (of {REPEAT}) | max s | Python CPU s"
        " | queries | KB |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for label, f in results.items():
        if "queries" in f:
            print(
                f"| {label} | {f['median_s']} | {f['max_s']} | {f['cpu_s']} | {f['queries']} "
                f"| {f['bytes'] // 1024:,} |"
            )
        else:
            print(f"| {label} | {f['median_s']} | | | | |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="zs_bench_import_requests")
    parser.add_argument("--measure", action="store_true")
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure()))
    else:
        main(args.database)

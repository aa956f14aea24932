"""Benchmark: the daily reminder job for 3,000 employees and about 10,000 goals.

    .venv/bin/python bench/reminders.py [--fresh]

Seeds two demo organisations (1,000 and 3,000 employees, topped up to about 3,333 and
10,000 goals) in SQLite files of its own under bench/results/ (kept between runs; --fresh
rebuilds them), then, per size, in a process of its own, on a copy of the database in
/dev/shm (--on-disk: on the file itself) and with the locmem e-mail backend:
  1. the plan (who gets a reminder today): time and SQL queries;
  2. the daily job, sending every reminder: time, queries, queries and time per person;
  3. the job run again (everything already sent): time and queries;
  4. the managers' weekly digest: time and queries.
The 1,000-employee run is the baseline: the report gives the 3,000-employee figures as
ratios to it. Queries must not grow per person: the plan's count is equal at both sizes and
sending costs the same fixed number of queries per e-mail.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "results"  # git-ignored
SIZES = [(133, 1000), (400, 3000)]  # (teams, employees): about 7.5 employees per team


def child(teams: int, employees: int, fresh: bool, on_tmpfs: bool) -> dict:
    db_path = DATA / f"reminders-{employees}.sqlite3"
    if fresh and db_path.exists():
        db_path.unlink()
    os.environ.update(
        DJANGO_SETTINGS_MODULE="zelfsturing.settings",
        DEBUG="0",
        SECRET_KEY="bench-only-" + "x" * 60,
        HTTPS="0",
        LOG_LEVEL="WARNING",
        SQLITE_PATH=str(db_path),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        SITE_URL="https://zelfsturing.example.nl",
    )
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("CELERY_BROKER_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core import mail
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.utils import timezone

    from doelen import reminders
    from doelen.models import Goal
    from doelen.reminders import ReminderKind
    from notifications.models import ReminderLog
    from notifications.sending import Outcome
    from portal.demo import seed_demo
    from teams.models import Employee

    setup_test_environment()  # locmem outbox, as in tests
    # Both are idempotent: a kept database is only completed, not built again.
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    seed_demo(teams=teams, employees=employees, seed=2016, months=3)
    top_up_goals(target=employees * 10 // 3)
    seeded = time.perf_counter() - started
    if on_tmpfs:
        # Measure the job, not the disk: on a shared disk every commit's fsync dominates and
        # varies with what else runs. The seeded file stays on disk for the next run.
        connection.close()
        measured = Path("/dev/shm") / f"zs-bench-reminders-{employees}-{os.getpid()}.sqlite3"
        shutil.copyfile(db_path, measured)
        connection.settings_dict["NAME"] = str(measured)
    today = timezone.localdate()

    def measure(func):
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = func()
            elapsed = time.perf_counter() - started
        return result, elapsed, len(captured)

    ReminderLog.objects.all().delete()
    mail.outbox = []
    planned, plan_s, plan_q = measure(
        lambda: reminders.recipients_to_send(kind=ReminderKind.DAILY, on=today)
    )
    report, send_s, send_q = measure(lambda: reminders.send_all(kind=ReminderKind.DAILY, on=today))
    sent = len(mail.outbox)
    assert sent == len(planned) == report.outcomes[Outcome.SENT], report.outcomes
    _again, again_s, again_q = measure(
        lambda: reminders.send_all(kind=ReminderKind.DAILY, on=today)
    )
    assert len(mail.outbox) == sent, "the second run sent e-mails again"
    digests, digest_s, digest_q = measure(
        lambda: reminders.send_all(kind=ReminderKind.DIGEST, on=today)
    )
    result = {
        "employees": Employee.objects.filter(is_active=True).count(),
        "teams": teams,
        "goals": Goal.objects.count(),
        "active_goals": Goal.objects.active().count(),
        "stale_goals": Goal.objects.stale(on=today).count(),
        "seed_s": round(seeded, 1),
        "plan_recipients": len(planned),
        "plan_s": plan_s,
        "plan_queries": plan_q,
        "sent": sent,
        "send_s": send_s,
        "send_queries": send_q,
        "again_s": again_s,
        "again_queries": again_q,
        "digests": digests.outcomes[Outcome.SENT],
        "digest_s": digest_s,
        "digest_queries": digest_q,
    }
    if on_tmpfs:
        connection.close()
        measured.unlink()
    return result


def top_up_goals(*, target: int) -> None:
    """seed_demo gives about four goals a team; add goals up to `target` (10,000 for 3,000
    employees): owned by a member, one in five without owner, a quarter of them quiet for 60
    days (stale in every rhythm) and the rest updated today, relative to today on every run."""
    import datetime
    import random

    from django.utils import timezone

    from dashboards.freshness import mark_all_changed
    from doelen.models import Goal
    from teams.models import Membership, Team

    prefix = "Benchmarkdoel "
    missing = target - Goal.objects.count()
    if missing > 0:
        rng = random.Random(2016)
        members: dict[int, list[int]] = {}
        for team_id, employee_id in Membership.objects.current().values_list(
            "team_id", "employee_id"
        ):
            members.setdefault(team_id, []).append(employee_id)
        team_ids = sorted(Team.objects.filter(pk__in=members.keys()).values_list("pk", flat=True))
        today = timezone.localdate()
        start = Goal.objects.filter(title__startswith=prefix).count()
        Goal.objects.bulk_create(
            [
                Goal(
                    team_id=team_ids[i % len(team_ids)],
                    owner_id=(
                        None if i % 5 == 0 else rng.choice(members[team_ids[i % len(team_ids)]])
                    ),
                    title=f"{prefix}{start + i}",
                    start_date=today - datetime.timedelta(days=90),
                    due_date=today + datetime.timedelta(days=270),
                    unit="%",
                )
                for i in range(missing)
            ],
            batch_size=1000,
        )
    now = timezone.now()
    extra = Goal.objects.filter(title__startswith=prefix)
    extra.update(created_at=now)
    stale_ids = [
        pk
        for pk in extra.values_list("pk", flat=True)
        if random.Random(pk).random() < 0.25  # spread over all teams, the same every run
    ]
    Goal.objects.filter(pk__in=stale_ids).update(created_at=now - datetime.timedelta(days=60))
    # bulk_create and update send no post_save: the dashboards' data versions.
    mark_all_changed()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fresh", action="store_true", help="rebuild the seeded databases")
    parser.add_argument(
        "--on-disk",
        action="store_true",
        help="measure on the database file on disk (default: a copy in /dev/shm)",
    )
    parser.add_argument("--child", nargs=2, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        on_tmpfs = not args.on_disk and Path("/dev/shm").is_dir()
        print(json.dumps(child(*args.child, fresh=args.fresh, on_tmpfs=on_tmpfs)))
        return 0

    DATA.mkdir(parents=True, exist_ok=True)
    results = []
    for teams, employees in SIZES:
        command = [sys.executable, __file__, "--child", str(teams), str(employees)]
        if args.fresh:
            command.append("--fresh")
        if args.on_disk:
            command.append("--on-disk")
        out = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))

    base, big = results
    where = "on disk" if args.on_disk else "in /dev/shm"
    print(f"Daily reminder job (SQLite {where}, locmem e-mail); baseline: 1,000 employees\n")
    print(f"{'':34}{'baseline':>12}{'3,000':>12}{'ratio':>8}")

    def row(label, key, fmt="{:.0f}", value=lambda r, k: r[k]):
        a, b = value(base, key), value(big, key)
        ratio = f"{b / a:.2f}" if a else "-"
        print(f"{label:34}{fmt.format(a):>12}{fmt.format(b):>12}{ratio:>8}")

    row("active employees", "employees")
    row("goals (all statuses)", "goals")
    row("stale goals today", "stale_goals")
    row("people reminded", "sent")
    row("plan: SQL queries", "plan_queries")
    row("plan: seconds", "plan_s", "{:.3f}")
    row("send all: SQL queries", "send_queries")
    row("send all: seconds", "send_s", "{:.2f}")
    row(
        "send all: queries per person",
        "send_queries",
        "{:.2f}",
        lambda r, k: r[k] / r["sent"],
    )
    row(
        "send all: ms per person",
        "send_s",
        "{:.2f}",
        lambda r, k: 1000 * r[k] / r["sent"],
    )
    row("run again: SQL queries", "again_queries")
    row("run again: seconds", "again_s", "{:.2f}")
    row("weekly digest: e-mails", "digests")
    row("weekly digest: SQL queries", "digest_queries")
    row("weekly digest: seconds", "digest_s", "{:.2f}")
    per_person = (big["send_queries"] - base["send_queries"]) / (big["sent"] - base["sent"])
    fixed_base = base["send_queries"] - per_person * base["sent"]
    fixed_big = big["send_queries"] - per_person * big["sent"]
    print(
        f"\nSending = {fixed_base:.0f} / {fixed_big:.0f} queries (baseline / 3,000) + "
        f"{per_person:.2f} per e-mail: the claim's INSERT (with BEGIN and COMMIT on SQLite) "
        "and the UPDATE to 'sent'.\nThe plan, a re-run and the selection do not depend on "
        "the number of people."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

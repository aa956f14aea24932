from django.core.management.base import BaseCommand, CommandError

from portal.demo import DEMO_LOGINS, DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Build the demo organisation (deterministic; running it again adds nothing)."

    def add_arguments(self, parser):
        parser.add_argument("--teams", type=int, default=40, help="number of teams (1–5000)")
        parser.add_argument(
            "--employees", type=int, default=470, help="number of employees (teams–100000)"
        )
        parser.add_argument("--seed", type=int, default=2016, help="random seed")
        parser.add_argument(
            "--months", type=int, default=6, help="months of check-in history (1–36)"
        )

    def handle(self, *args, teams, employees, seed, months, **options):
        if not 1 <= teams <= 5000:
            raise CommandError("--teams must be between 1 and 5000.")
        if not teams <= employees <= 100_000:
            raise CommandError("--employees must be at least --teams and at most 100000.")
        if not 1 <= months <= 36:
            raise CommandError("--months must be between 1 and 36.")
        report = seed_demo(teams=teams, employees=employees, seed=seed, months=months)
        self.stdout.write(
            f"Teams created: {report.teams_created} (already there: {report.teams_existing}); "
            f"employees created: {report.employees_created}; goals: {report.goals_created}; "
            f"check-ins: {report.check_ins_created}; "
            f"teams with team-scan rounds: {report.teams_with_scans_created}."
        )
        self.stdout.write(f"Demo log-ins (password: {DEMO_PASSWORD}): {', '.join(DEMO_LOGINS)}")

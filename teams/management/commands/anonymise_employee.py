from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from teams.models import Employee
from teams.services import employee_anonymise


class Command(BaseCommand):
    help = (
        "Anonymise a departed employee: personal details replaced by a neutral token, "
        "team history kept. Refuses an active employee unless --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--force", action="store_true", help="also anonymise an employee who is still active"
        )

    def handle(self, *args, username, force, **options):
        try:
            employee = Employee.objects.get(username=username)
        except Employee.DoesNotExist:
            raise CommandError(f"No employee with user name {username!r}.") from None
        try:
            changed = employee_anonymise(employee=employee, actor=None, force=force)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        employee.refresh_from_db()
        if changed:
            self.stdout.write(f"Anonymised: {username} is now {employee.name}.")
        else:
            self.stdout.write(f"{username} was already anonymised.")

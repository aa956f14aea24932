"""A one-time log-in link for a superuser: the break-glass way in when the identity provider
is down or local passwords are off (docs/decisions/0018-sign-in-with-oidc.md)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from audit.services import audit_record
from portal.signin_views import break_glass_token
from teams.models import Employee


class Command(BaseCommand):
    help = (
        "Print a one-time log-in link for an active superuser (create one first with "
        "createsuperuser). Valid ZS_BREAK_GLASS_MINUTES minutes, void once used; audited."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        try:
            employee = Employee.objects.get(username=username, is_active=True, is_superuser=True)
        except Employee.DoesNotExist:
            raise CommandError(f"{username}: no active superuser with this user name.") from None
        path = reverse("break_glass", kwargs={"token": break_glass_token(employee)})
        audit_record(actor=None, action="employee.break_glass_link", obj=employee)
        self.stdout.write(f"{settings.SITE_URL}{path}")
        self.stdout.write(
            f"Valid {settings.ZS_BREAK_GLASS_MINUTES} minutes, once. Open it in a browser."
        )

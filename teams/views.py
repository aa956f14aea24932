"""Pages of the teams app: the employee's own settings."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from teams.forms import ReminderSettingsForm
from teams.services import reminder_settings_update


def reminder_settings(request):
    """The logged-in employee pauses reminder e-mails and turns the weekly digest on or off."""
    employee = request.user
    if request.method == "POST":
        form = ReminderSettingsForm(request.POST)
        if form.is_valid():
            reminder_settings_update(
                employee=employee,
                paused_until=form.cleaned_data["paused_until"],
                digest_enabled=form.cleaned_data["digest_enabled"],
            )
            messages.success(request, _("Your settings are saved."))
            return redirect("teams:settings")
    else:
        paused_until = employee.reminders_paused_until
        if paused_until is not None and paused_until < timezone.localdate():
            paused_until = None  # a pause that is over is not shown as one
        form = ReminderSettingsForm(
            initial={"paused_until": paused_until, "digest_enabled": employee.digest_enabled}
        )
    return render(
        request,
        "teams/settings.html",
        {
            "form": form,
            "paused": employee.reminders_paused_on(timezone.localdate()),
            "is_manager": employee.managed_teams.filter(is_active=True).exists(),
        },
    )

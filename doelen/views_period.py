"""Closing a period for a team: choose, preview, confirm (doelen.services_period)."""

import datetime
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from audit.submissions import AlreadySubmitted, submit_once
from common.dates import validate_reasonable_date
from common.forms import add_service_errors
from common.once import OnceTokenField, token_of
from doelen.services_period import PeriodAction, goals_close_period, period_plan
from teams.access import get_team_for_user


def _date_field(label):
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_reasonable_date],
    )


class PeriodCloseForm(forms.Form):
    once = OnceTokenField()  # the step is done once per form (audit.submissions)
    goals = forms.CharField(widget=forms.HiddenInput, required=False)  # ids in the preview
    action = forms.ChoiceField(
        label=gettext_lazy("What happens to the remaining goals?"),
        choices=PeriodAction.choices,
        widget=forms.RadioSelect,
    )
    start_date = _date_field(gettext_lazy("Start of the new period"))
    due_date = _date_field(gettext_lazy("Due date in the new period"))
    reason = forms.CharField(
        label=gettext_lazy("Reason (when closing)"),
        required=False,
        max_length=500,
        help_text=gettext_lazy("Leave empty for “Closed at the end of the period.”"),
    )

    def clean_goals(self) -> list[int]:
        raw = self.cleaned_data.get("goals") or ""
        try:
            return [int(part) for part in raw.split(",") if part.strip()]
        except ValueError:
            raise forms.ValidationError(_("Start again from the team page.")) from None

    def clean(self):
        cleaned = cast(dict[str, Any], super().clean())
        if cleaned.get("action") == PeriodAction.CARRY_OVER:
            start, due = cleaned.get("start_date"), cleaned.get("due_date")
            for name in ("start_date", "due_date"):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, _("Fill in a date to carry the goals over."))
            if start and due and due < start:
                self.add_error("due_date", _("The due date cannot be before the start date."))
            if due and due < timezone.localdate():
                self.add_error(
                    "due_date", _("This due date has already passed. Choose today or a later date.")
                )
        return cleaned


def _confirm(request, team, form: PeriodCloseForm, today: datetime.date):
    """Close the period once per form token; None when the form shows an error."""
    data = form.cleaned_data
    results = []

    def close() -> str:
        results.append(
            goals_close_period(
                team=team,
                actor=request.user,
                goal_ids=data["goals"],
                action=data["action"],
                on=today,
                reason=data["reason"],
                start_date=data["start_date"],
                due_date=data["due_date"],
            )
        )
        return team.get_absolute_url()

    try:
        token = token_of(form)
        submit_once(token=token, actor=request.user, action="goal.close_period", create=close)
    except AlreadySubmitted:
        messages.info(request, _("This period was already closed."))
        return redirect(team)
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    count = results[0].count
    messages.success(request, _("%(count)s goals are closed or carried over.") % {"count": count})
    return redirect(team)


@require_http_methods(["GET", "HEAD", "POST"])
def period_close(request, slug: str):
    """Step 1 (GET): choose close or carry over. Step 2 (POST step=preview): what will happen
    to each goal; nothing changes. Step 3 (POST step=confirm): do it, once."""
    team, access = get_team_for_user(request.user, slug)
    if not access.can_edit_goals:
        raise PermissionDenied
    today = timezone.localdate()
    posted = request.POST if request.method == "POST" else None
    start = today + datetime.timedelta(days=1)
    initial = {"start_date": start, "due_date": start + datetime.timedelta(days=364)}
    form = PeriodCloseForm(posted, initial=initial if posted is None else None)
    context: dict[str, Any] = {"team": team, "form": form, "preview": None}
    if posted is not None and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("step") == "confirm":
            response = _confirm(request, team, form, today)
            if response is not None:
                return response
        else:
            plan = period_plan(team=team, action=data["action"], on=today)
            context["preview"] = plan
            context["goal_ids"] = ",".join(str(step.goal.pk) for step in plan)
    context["remaining"] = (
        None
        if context["preview"] is not None
        else len(period_plan(team=team, action=PeriodAction.CLOSE, on=today))
    )
    return render(request, "doelen/period_close.html", context)

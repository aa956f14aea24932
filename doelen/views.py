"""Team goal pages: the goal with its history and check-in form, add, change, status and
carry-over. Thin: access from teams.access, reads from selectors, writes through services."""

from typing import Literal, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import ChoiceField
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from audit.submissions import AlreadySubmitted, submit_once
from common.forms import add_service_errors
from common.once import token_of
from doelen.contributions import goal_contributions
from doelen.forms import (
    CarryOverForm,
    CheckInForm,
    ContributionForm,
    GoalForm,
    StatusForm,
    display_cleaned,
    display_value,
)
from doelen.goal_chart import goal_chart, table_rows
from doelen.models import Goal, GoalPhase, GoalStatus
from doelen.selectors import goal_detail
from doelen.services import (
    EDITABLE_FIELDS,
    M2M_FIELDS,
    GoalChangedMeanwhile,
    goal_carry_over,
    goal_check_in,
    goal_create,
    goal_set_status,
    goal_update,
    not_started_message,
)
from doelen.update_forms import ReactionForm
from doelen.update_selectors import attach_reactions, is_stale
from teams.access import TeamAccess, get_team_for_user, team_access


def _goal_for_user(user, pk: int, *, edit: bool = False) -> tuple[Goal, TeamAccess]:
    """The goal and what `user` may do with its team; 404 if missing, 403 when `edit` is
    asked and the user may only read."""
    goal = get_object_or_404(Goal.objects.select_related("team"), pk=pk)
    access = team_access(user, goal.team)
    if edit and not access.can_edit_goals:
        raise PermissionDenied
    return goal, access


def _posted(request):
    return request.POST if request.method == "POST" else None


def detail_context(request, goal: Goal, access: TeamAccess, **forms) -> dict:
    detail = goal_detail(goal_id=goal.pk)
    goal = detail.goal
    attach_reactions(detail.check_ins)  # reactions under each check-in (doelen.reactions)
    can_edit = access.can_edit_goals
    planned = detail.progress.phase == GoalPhase.PLANNED
    context = {
        "goal": goal,
        "team": goal.team,
        "detail": detail,
        "access": access,
        "can_edit": can_edit,
        "can_change_goal": access.can_change_goal(goal),
        "can_check_in": access.can_check_in(goal) and not planned,
        "not_started": not_started_message(goal) if planned and access.can_check_in(goal) else "",
        "chart": goal_chart(detail).render(),
        "table_rows": table_rows(detail),
        "can_react": access.can_react,
        "can_request_update": access.can_request_update(goal)
        and is_stale(goal, latest_at=detail.progress.latest_at, on=timezone.localdate()),
    }
    if access.can_react:
        bound = forms.get("reaction_forms") or {}
        for check_in in detail.check_ins:
            check_in.reaction_form = bound.get(check_in.pk) or ReactionForm(  # type: ignore[attr-defined]
                prefix=f"r{check_in.pk}"
            )
    contributions = goal_contributions(goal=goal)
    context["contributions"] = [c for c in contributions if c.is_current]
    context["ended_contributions"] = [c for c in contributions if not c.is_current]
    if access.can_change_contributions(goal):
        context["contribution_form"] = forms.get("contribution_form") or ContributionForm(goal=goal)
    if context["can_check_in"]:
        context["check_in_form"] = forms.get("check_in_form") or CheckInForm(goal=goal)
    if can_edit and cast(ChoiceField, StatusForm(goal=goal).fields["status"]).choices:
        context["status_form"] = forms.get("status_form") or StatusForm(goal=goal)
    if can_edit and not detail.carried_over_to:
        context["carry_over_form"] = forms.get("carry_over_form") or CarryOverForm(goal=goal)
    return context


CheckInOutcome = Literal["saved", "already saved", "refused"]


def submit_check_in(form: CheckInForm, *, goal: Goal, author) -> CheckInOutcome:
    """Record a valid check-in form through the service, once per form (its one-time token,
    audit.submissions): "saved"; "already saved" when the same form arrived before; "refused"
    when the service refused it (its errors are then on the form). The goal page and "Mijn
    updates" both record check-ins with it."""

    def check_in() -> str:
        goal_check_in(
            goal=goal,
            author=author,
            value=form.cleaned_data["value"],
            confidence=form.cleaned_data["confidence"],
            comment=form.cleaned_data["comment"],
        )
        return goal.get_absolute_url()

    try:
        submit_once(token=token_of(form), actor=author, action="goal.check_in", create=check_in)
    except AlreadySubmitted:
        return "already saved"
    except ValidationError as error:
        add_service_errors(form, error)
        return "refused"
    return "saved"


def _refuse_check_in(request, goal: Goal, message: str):
    messages.error(request, message)
    if request.htmx:
        return HttpResponseClientRedirect(goal.get_absolute_url())
    return redirect(goal)


@require_http_methods(["GET", "HEAD", "POST"])
def goal_page(request, pk: int):
    """The goal, its history and chart; POST records a check-in (plain or via htmx)."""
    goal, access = _goal_for_user(request.user, pk, edit=request.method == "POST")
    if request.method != "POST":
        return render(request, "doelen/goal_detail.html", detail_context(request, goal, access))
    if not access.can_check_in(goal):  # the team may edit (checked above): the goal is closed
        message = _("Progress can only be recorded on an active goal.")
        return _refuse_check_in(request, goal, message)
    if goal.phase() == GoalPhase.PLANNED:
        return _refuse_check_in(request, goal, not_started_message(goal))
    form = CheckInForm(request.POST, goal=goal)
    check_in_form: CheckInForm | None = form
    notice = ""
    outcome = submit_check_in(form, goal=goal, author=request.user) if form.is_valid() else None
    if outcome in ("saved", "already saved"):
        saved = outcome == "saved"
        notice = (
            _("Your progress update is saved.")
            if saved
            else _("Your progress update was already saved.")
        )
        if not request.htmx:
            (messages.success if saved else messages.info)(request, notice)
            return redirect(goal)
        check_in_form = None
    context = detail_context(request, goal, access, check_in_form=check_in_form)
    if request.htmx:
        context["notice"] = notice
        return render(request, "doelen/_goal_live.html", context)
    return render(request, "doelen/goal_detail.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def goal_new(request, slug: str):
    team, access = get_team_for_user(request.user, slug)
    if not access.can_edit_goals:
        raise PermissionDenied
    form = GoalForm(_posted(request), team=team, initial={"start_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        created = []

        def create() -> str:
            created.append(goal_create(team=team, actor=request.user, data=form.goal_data()))
            return created[0].get_absolute_url()

        try:
            submit_once(
                token=token_of(form), actor=request.user, action="goal.create", create=create
            )
        except AlreadySubmitted as done:
            messages.info(request, _("This goal was already added."))
            return redirect(done.url or team.get_absolute_url())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            goal = created[0]
            messages.success(request, _("The goal “%(title)s” is added.") % {"title": goal.title})
            return redirect(goal)
    return render(request, "doelen/goal_form.html", {"form": form, "team": team, "goal": None})


def _conflict_rows(form: GoalForm, current: Goal, fields: list[str]) -> list[dict]:
    names = [name for name in fields if name in (*EDITABLE_FIELDS, *M2M_FIELDS)]
    if not names:
        names = [
            name
            for name in (*EDITABLE_FIELDS, *M2M_FIELDS)
            if display_value(current, name) != display_cleaned(form, name)
        ]
    return [
        {
            "label": form.fields[name].label,
            "theirs": display_value(current, name),
            "yours": display_cleaned(form, name),
        }
        for name in names
    ]


@require_http_methods(["GET", "HEAD", "POST"])
def goal_edit(request, pk: int):
    goal, access = _goal_for_user(request.user, pk, edit=True)
    if not access.can_change_goal(goal):  # the team may edit (checked above): the goal is closed
        messages.warning(request, _("Only an active goal can be changed."))
        return redirect(goal)
    has_check_ins = goal.check_ins.exists()
    form = GoalForm(_posted(request), instance=goal, team=goal.team, has_check_ins=has_check_ins)
    conflict = None
    if request.method == "POST" and form.is_valid():
        opened = form.cleaned_data.get("opened_version") or 0
        try:
            goal_update(goal=goal, actor=request.user, version=opened, data=form.goal_data())
        except GoalChangedMeanwhile as changed:
            current = changed.goal
            if current.status != GoalStatus.ACTIVE:
                messages.warning(
                    request,
                    _(
                        "Someone else closed this goal while you were editing it, so it can "
                        "no longer be changed. Carry it over if the team goes on with it."
                    ),
                )
                return redirect(goal)
            conflict = {
                "rows": _conflict_rows(form, current, changed.changed_fields),
                "people": changed.changed_by,
            }
            data = request.POST.copy()
            data["opened_version"] = str(current.version)
            form = GoalForm(data, instance=current, team=current.team, has_check_ins=has_check_ins)
            form.is_valid()
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(goal)
    return render(
        request,
        "doelen/goal_form.html",
        {"form": form, "team": goal.team, "goal": goal, "conflict": conflict},
    )


@require_POST
def goal_status(request, pk: int):
    goal, access = _goal_for_user(request.user, pk, edit=True)
    form = StatusForm(request.POST, goal=goal)
    if form.is_valid():
        try:
            goal = goal_set_status(
                goal=goal,
                actor=request.user,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The goal now has the status “%(status)s”.")
                % {"status": goal.get_status_display()},
            )
            return redirect(goal)
    context = detail_context(request, goal, access, status_form=form)
    return render(request, "doelen/goal_detail.html", context)


@require_POST
def goal_carry(request, pk: int):
    goal, access = _goal_for_user(request.user, pk, edit=True)
    form = CarryOverForm(request.POST, goal=goal)
    if form.is_valid():
        try:
            new = goal_carry_over(
                goal=goal,
                actor=request.user,
                start_date=form.cleaned_data["start_date"],
                due_date=form.cleaned_data["due_date"],
                target_value=form.cleaned_data.get("target_value"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The goal is carried over. Check the new goal and change it if needed.")
            )
            return redirect(new)
    context = detail_context(request, goal, access, carry_over_form=form)
    return render(request, "doelen/goal_detail.html", context)

"""Adding and ending who contributes to a goal (bijdragen), from the goal page. Members and
the team's managers (teams.access.TeamAccess.can_change_contributions); writes through
doelen.services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.forms import add_service_errors
from doelen.forms import ContributionForm
from doelen.models import Goal, GoalContribution
from doelen.services import contribution_add, contribution_end
from doelen.views import detail_context
from teams.access import TeamAccess, team_access


def _goal_to_change(user, pk: int) -> tuple[Goal, TeamAccess]:
    goal = get_object_or_404(Goal.objects.select_related("team"), pk=pk)
    access = team_access(user, goal.team)
    if not access.can_edit_goals:
        raise PermissionDenied
    return goal, access


@require_POST
def contribution_new(request, pk: int):
    goal, access = _goal_to_change(request.user, pk)
    if not access.can_change_contributions(goal):
        messages.warning(request, _("Contributions can only be added to an active goal."))
        return redirect(goal)
    form = ContributionForm(request.POST, goal=goal)
    if form.is_valid():
        try:
            contribution = contribution_add(
                goal=goal,
                member=form.cleaned_data["member"],
                description=form.cleaned_data["description"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s now contributes to this goal.")
                % {"name": contribution.member.get_full_name()},
            )
            return redirect(f"{goal.get_absolute_url()}#contributions-heading")
    context = detail_context(request, goal, access, contribution_form=form)
    return render(request, "doelen/goal_detail.html", context, status=400)


@require_POST
def contribution_stop(request, pk: int, contribution: int):
    goal, _access = _goal_to_change(request.user, pk)
    item = get_object_or_404(GoalContribution, pk=contribution, goal=goal)
    try:
        contribution_end(contribution=item, actor=request.user)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The contribution of %(name)s has ended.") % {"name": item.member.get_full_name()},
        )
    return redirect(f"{goal.get_absolute_url()}#contributions-heading")

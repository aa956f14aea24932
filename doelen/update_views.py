"""Asking for an update, reacting to a check-in and "Mijn updates": the pages of steering
day to day (docs/decisions/0017-nudges-and-reactions.md). Thin: access from teams.access,
reads from selectors, writes through services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from audit.submissions import AlreadySubmitted, submit_once
from common.forms import add_service_errors
from common.once import token_of
from doelen.forms import CheckInForm
from doelen.models import CheckIn, Goal
from doelen.nudges import NudgeOutcome, goal_request_update
from doelen.reaction_models import Reaction
from doelen.reactions import reaction_add, reaction_retract
from doelen.update_forms import ReactionForm
from doelen.update_selectors import my_updates as select_my_updates
from doelen.views import detail_context, submit_check_in
from teams.access import team_access

NUDGE_MESSAGES = {
    NudgeOutcome.SENT: (
        messages.SUCCESS,
        gettext_lazy("We asked %(owner)s for an update by e-mail."),
    ),
    NudgeOutcome.ALREADY_ASKED: (
        messages.INFO,
        gettext_lazy(
            "Someone already asked %(owner)s for an update on this goal today. No new e-mail."
        ),
    ),
    NudgeOutcome.PAUSED: (
        messages.WARNING,
        gettext_lazy("%(owner)s paused reminders for now, so no e-mail was sent."),
    ),
    NudgeOutcome.NO_OWNER: (
        messages.WARNING,
        gettext_lazy("This goal has no owner who can get an e-mail. Choose an owner first."),
    ),
    NudgeOutcome.NOT_STALE: (
        messages.INFO,
        gettext_lazy("This goal was updated within its team's rhythm; no need to ask."),
    ),
}


def _back(request, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@require_POST
def request_update(request, pk: int):
    """ "Vraag om een update" on a stale goal: its team's members and managers."""
    goal = get_object_or_404(Goal.objects.select_related("team", "owner"), pk=pk)
    if not team_access(request.user, goal.team).can_request_update(goal):
        raise PermissionDenied
    outcome = goal_request_update(goal=goal, actor=request.user)
    level, text = NUDGE_MESSAGES[outcome]
    owner = goal.owner.get_full_name() if goal.owner else ""
    messages.add_message(request, level, str(text) % {"owner": owner})
    return redirect(_back(request, goal.get_absolute_url()))


@require_POST
def react(request, pk: int):
    """A reaction on check-in `pk`: its team's members and managers."""
    check_in = get_object_or_404(CheckIn.objects.select_related("goal__team", "author"), pk=pk)
    goal = check_in.goal
    access = team_access(request.user, goal.team)
    if not access.can_react:
        raise PermissionDenied
    form = ReactionForm(request.POST, prefix=f"r{check_in.pk}")
    anchor = f"{goal.get_absolute_url()}#check-in-{check_in.pk}"
    if form.is_valid():

        def create() -> str:
            reaction_add(check_in=check_in, author=request.user, text=form.cleaned_data["text"])
            return anchor

        try:
            submit_once(
                token=token_of(form), actor=request.user, action="check_in.react", create=create
            )
        except AlreadySubmitted:
            messages.info(request, _("Your reaction was already saved."))
            return redirect(anchor)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your reaction is saved."))
            return redirect(anchor)
    context = detail_context(request, goal, access, reaction_forms={check_in.pk: form})
    return render(request, "doelen/goal_detail.html", context, status=400)


@require_POST
def retract_reaction(request, pk: int):
    reaction = get_object_or_404(Reaction.objects.select_related("check_in__goal"), pk=pk)
    if reaction.author_id != request.user.pk:
        raise PermissionDenied
    reaction_retract(reaction=reaction, actor=request.user)
    messages.success(request, _("Your reaction is retracted."))
    return redirect(f"{reaction.check_in.goal.get_absolute_url()}#check-in-{reaction.check_in_id}")


def _with_forms(items, bound: CheckInForm | None = None):
    """Give each goal its own compact check-in form (`bound` for the goal just posted)."""
    for item in items:
        goal = item.goal
        if bound is not None and bound.goal.pk == goal.pk:
            item.form = bound
        else:
            item.form = CheckInForm(goal=goal, prefix=f"g{goal.pk}")
    return items


@require_http_methods(["GET", "HEAD", "POST"])
def my_updates(request):
    """Every goal waiting for my update, each with its own compact check-in form. A POST
    saves one goal (plain, or via htmx: only that goal's block is answered)."""
    today = timezone.localdate()
    items = select_my_updates(employee=request.user, on=today)
    if request.method != "POST":
        return render(request, "doelen/my_updates.html", {"items": _with_forms(items)})
    try:
        goal_id = int(request.POST.get("goal", ""))
    except ValueError:
        goal_id = 0
    goal = get_object_or_404(Goal.objects.select_related("team"), pk=goal_id)
    if not team_access(request.user, goal.team).can_check_in(goal):
        raise PermissionDenied
    form = CheckInForm(request.POST, goal=goal, prefix=f"g{goal.pk}")
    notice = ""
    outcome = submit_check_in(form, goal=goal, author=request.user) if form.is_valid() else None
    if outcome == "already saved":
        notice = _("Your progress update was already saved.")
    elif outcome == "saved":
        notice = _("Your progress update on “%(title)s” is saved.") % {"title": goal.title}
    if notice and not request.htmx:
        messages.success(request, notice)
        return redirect("doelen:my_updates")
    if request.htmx:
        return render(
            request,
            "doelen/_my_update_item.html",
            {"goal": goal, "form": None if notice else form, "notice": notice},
        )
    return render(
        request, "doelen/my_updates.html", {"items": _with_forms(items, bound=form)}, status=400
    )

"""The development programme's own pages. Thin: access via teams.access, reads via
ontwikkeling.selectors, writes via ontwikkeling.services. No view reads query parameters:
what a page shows depends only on the team in the address and the logged-in person."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from audit.submissions import AlreadySubmitted, submit_once
from common.forms import add_service_errors
from common.once import token_of
from ontwikkeling import selectors, services
from ontwikkeling.forms import (
    DevelopmentGoalForm,
    OpenRoundForm,
    ResponsibilityStateForm,
    ScanForm,
)
from ontwikkeling.models import Responsibility
from teams.access import get_team_for_user, sees_all_teams
from teams.models import Team

TEAMS_PER_PAGE = 50  # on the organisation overview


def _team_page(request, team, access, *, round_form=None, goal_form=None, status=200):
    profile = selectors.team_profile(team=team, viewer=request.user, access=access)
    if goal_form is None:
        weakest = profile.weakest
        goal_form = DevelopmentGoalForm(initial={"theme": weakest.theme.slug} if weakest else None)
    context = {
        "team": team,
        "access": access,
        "profile": profile,
        "checklist": selectors.team_checklist(team=team),
        "recent_changes": selectors.responsibility_history(team=team, limit=10),
        "development_goals": selectors.development_goals(team=team),
        "round_form": round_form or OpenRoundForm(),
        "goal_form": goal_form,
    }
    return render(request, "ontwikkeling/team_development.html", context, status=status)


@require_GET
def team_development(request, slug):
    team, access = get_team_for_user(request.user, slug)
    return _team_page(request, team, access)


def scan(request, slug):
    """The scan form for a member of the team, with their own earlier answers in this
    round. Nobody else can open it."""
    team, access = get_team_for_user(request.user, slug)
    if not access.can_answer_scan:
        raise PermissionDenied
    profile = selectors.team_profile(team=team, viewer=request.user, access=access)
    scan_round = profile.open_round
    if scan_round is None:
        return render(request, "ontwikkeling/scan.html", {"team": team, "scan_round": None})
    groups = selectors.scan_statements()
    if request.method == "POST":
        form = ScanForm(request.POST, groups=groups)
        if form.is_valid():
            done_url = reverse("ontwikkeling:team", kwargs={"slug": team.slug})

            def answer() -> str:
                services.submit_scan(
                    scan_round=scan_round, respondent=request.user, scores=form.scores()
                )
                return done_url

            try:
                submit_once(
                    token=token_of(form), actor=request.user, action="scan.answer", create=answer
                )
            except AlreadySubmitted:
                messages.info(request, _("Your answers were already saved."))
                return redirect(done_url)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Thank you. Your answers are saved."))
                return redirect(done_url)
    else:
        own = selectors.own_answers(scan_round=scan_round, respondent=request.user)
        form = ScanForm(
            initial={f"s{statement_id}": score for statement_id, score in own.items()},
            groups=groups,
        )
    return render(
        request,
        "ontwikkeling/scan.html",
        {
            "team": team,
            "scan_round": scan_round,
            "form": form,
            "has_answered": profile.viewer_has_answered,
            "profile": profile,
        },
        status=400 if form.errors else 200,
    )


@require_POST
def open_round(request, slug):
    team, access = get_team_for_user(request.user, slug)
    if not access.can_open_scan_round:
        raise PermissionDenied
    form = OpenRoundForm(request.POST)
    if form.is_valid():
        try:
            services.open_scan_round(
                team=team, opened_by=request.user, closes_on=form.cleaned_data["closes_on"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The scan round is open. The members get an e-mail."))
            return redirect("ontwikkeling:team", slug=team.slug)
    return _team_page(request, team, access, round_form=form, status=400)


@require_POST
def close_round(request, slug):
    """Close the open round early (members and managers of the team, like opening one)."""
    team, access = get_team_for_user(request.user, slug)
    if not access.can_open_scan_round:
        raise PermissionDenied
    profile = selectors.team_profile(team=team, viewer=request.user, access=access)
    if profile.open_round is None:
        messages.info(request, _("There is no open scan round to close."))
        return redirect("ontwikkeling:team", slug=team.slug)
    try:
        services.close_scan_round(scan_round=profile.open_round, closed_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The scan round is closed. Nobody can answer any more."))
    return redirect("ontwikkeling:team", slug=team.slug)


@require_POST
def create_goal(request, slug):
    team, access = get_team_for_user(request.user, slug)
    if not access.can_add_development_goal:
        raise PermissionDenied
    form = DevelopmentGoalForm(request.POST)
    if form.is_valid():
        profile = selectors.team_profile(team=team, viewer=request.user, access=access)
        made = []

        def create() -> str:
            made.append(
                services.create_development_goal(
                    team=team,
                    theme=form.cleaned_data["theme"],
                    author=request.user,
                    title=form.cleaned_data["title"],
                    due_date=form.cleaned_data["due_date"],
                    scan_round=profile.current.round if profile.current else None,
                )
            )
            return reverse("ontwikkeling:team", kwargs={"slug": team.slug})

        try:
            submit_once(
                token=token_of(form),
                actor=request.user,
                action="development_goal.create",
                create=create,
            )
        except AlreadySubmitted:
            messages.info(request, _("This development goal was already added."))
            return redirect("ontwikkeling:team", slug=team.slug)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            development = made[0]
            messages.success(
                request,
                _("Development goal “%(title)s” added to the team goals.")
                % {"title": development.goal.title},
            )
            return redirect("ontwikkeling:team", slug=team.slug)
    return _team_page(request, team, access, goal_form=form, status=400)


def responsibility(request, slug, responsibility):
    """One responsibility in a team: its history for everyone; members and managers of the
    team record a change."""
    team, access = get_team_for_user(request.user, slug)
    item = get_object_or_404(Responsibility, slug=responsibility)
    history = selectors.responsibility_history(team=team, responsibility=item)
    current_state = history[0].state if history else "with_manager"
    if request.method == "POST":
        if not access.can_manage_responsibilities:
            raise PermissionDenied
        form = ResponsibilityStateForm(request.POST)
        if form.is_valid():

            def change() -> str:
                services.change_responsibility_state(
                    team=team,
                    responsibility=item,
                    state=form.cleaned_data["state"],
                    since=form.cleaned_data["since"],
                    note=form.cleaned_data["note"],
                    changed_by=request.user,
                )
                return reverse("ontwikkeling:team", kwargs={"slug": team.slug})

            try:
                submit_once(
                    token=token_of(form),
                    actor=request.user,
                    action="responsibility.change",
                    create=change,
                )
            except AlreadySubmitted:
                messages.info(request, _("This change was already saved."))
                return redirect("ontwikkeling:team", slug=team.slug)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The change is saved."))
                return redirect("ontwikkeling:team", slug=team.slug)
    else:
        form = ResponsibilityStateForm(initial={"state": current_state})
    return render(
        request,
        "ontwikkeling/responsibility.html",
        {
            "team": team,
            "access": access,
            "responsibility": item,
            "history": history,
            "form": form if access.can_manage_responsibilities and item.is_active else None,
            "today": timezone.localdate(),
        },
        status=400 if form.errors else 200,
    )


@require_GET
def organisation(request):
    """How far the teams are, for HR and management: per responsibility how many teams hold
    it, and per team its weakest theme. Aggregates only."""
    if not sees_all_teams(request.user):
        raise PermissionDenied
    # Per team: one page at a time, so neither the page nor the averaging of scan answers
    # grows with the organisation (1,000 teams at 15,000 people: issue 21).
    page = Paginator(Team.objects.active().order_by("name", "pk"), TEAMS_PER_PAGE).get_page(
        request.GET.get("pagina")
    )
    return render(
        request,
        "ontwikkeling/organisation.html",
        {
            "progress": selectors.responsibility_progress(),
            "teams": selectors.organisation_overview(teams=list(page)),
            "page": page,
        },
    )

"""Team agreement pages: the team's agreements (in force and retired), one agreement with
its history, add, change (a new version) and retire. Read by every logged-in employee;
changed by the team's members and managers (teams.access.TeamAccess.can_edit_agreements)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from afspraken.forms import AgreementForm, RetireForm, default_initial
from afspraken.models import Agreement
from afspraken.selectors import agreement_detail, agreements_for_team
from afspraken.services import agreement_create, agreement_retire, agreement_update
from audit.submissions import AlreadySubmitted, submit_once
from common.forms import add_service_errors
from common.once import token_of
from teams.access import get_team_for_user, team_access


def _agreement_for_user(user, pk: int, *, edit: bool = False):
    agreement = get_object_or_404(Agreement.objects.select_related("team", "current"), pk=pk)
    access = team_access(user, agreement.team)
    if edit and not access.can_edit_agreements:
        raise PermissionDenied
    return agreement, access


@require_GET
def agreement_list(request, slug: str):
    """The team's agreements in force and, below them, those it retired."""
    team, access = get_team_for_user(request.user, slug)
    return render(
        request,
        "afspraken/agreement_list.html",
        {
            "team": team,
            "access": access,
            "agreements": agreements_for_team(team=team),
            "retired": agreements_for_team(team=team, retired=True),
            "today": timezone.localdate(),
        },
    )


@require_GET
def agreement_page(request, pk: int):
    agreement, access = _agreement_for_user(request.user, pk)
    detail = agreement_detail(pk=agreement.pk)
    can_edit = access.can_edit_agreements and not agreement.is_retired
    return render(
        request,
        "afspraken/agreement_detail.html",
        {
            "agreement": detail.agreement,
            "detail": detail,
            "team": detail.agreement.team,
            "can_edit": can_edit,
            "retire_form": RetireForm() if can_edit else None,
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def agreement_new(request, slug: str):
    team, access = get_team_for_user(request.user, slug)
    if not access.can_edit_agreements:
        raise PermissionDenied
    posted = request.POST if request.method == "POST" else None
    form = AgreementForm(posted, team=team, initial=default_initial(timezone.localdate()))
    if posted is not None and form.is_valid():
        created = []

        def create() -> str:
            created.append(
                agreement_create(team=team, actor=request.user, data=form.agreement_data())
            )
            return created[0].get_absolute_url()

        try:
            submit_once(
                token=token_of(form), actor=request.user, action="agreement.create", create=create
            )
        except AlreadySubmitted as done:
            messages.info(request, _("This agreement was already recorded."))
            return redirect(done.url or team.get_absolute_url())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The agreement is recorded."))
            return redirect(created[0])
    return render(
        request, "afspraken/agreement_form.html", {"form": form, "team": team, "agreement": None}
    )


@require_http_methods(["GET", "HEAD", "POST"])
def agreement_edit(request, pk: int):
    agreement, _access = _agreement_for_user(request.user, pk, edit=True)
    if agreement.is_retired:
        messages.warning(request, _("This agreement is retired; it can no longer change."))
        return redirect(agreement)
    posted = request.POST if request.method == "POST" else None
    form = AgreementForm(posted, team=agreement.team, version=agreement.current)
    if posted is not None and form.is_valid():
        try:
            agreement_update(agreement=agreement, actor=request.user, data=form.agreement_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your change is saved as a new version."))
            return redirect(agreement)
    return render(
        request,
        "afspraken/agreement_form.html",
        {"form": form, "team": agreement.team, "agreement": agreement},
    )


@require_POST
def agreement_retire_view(request, pk: int):
    agreement, _access = _agreement_for_user(request.user, pk, edit=True)
    form = RetireForm(request.POST)
    if form.is_valid():
        try:
            agreement_retire(
                agreement=agreement, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The agreement is retired. It stays in the history."))
            return redirect("afspraken:list", slug=agreement.team.slug)
    detail = agreement_detail(pk=agreement.pk)
    return render(
        request,
        "afspraken/agreement_detail.html",
        {
            "agreement": detail.agreement,
            "detail": detail,
            "team": detail.agreement.team,
            "can_edit": not agreement.is_retired,
            "retire_form": form,
            "today": timezone.localdate(),
        },
        status=400,
    )

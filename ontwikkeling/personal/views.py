"""Pages of personal development (issue #20). Thin: reads via ontwikkeling.personal.selectors,
writes via ontwikkeling.personal.services. Every page is about the logged-in person: their
own intentions, or what others shared with them; no address opens someone else's."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from audit.submissions import AlreadySubmitted, submit_once
from common.forms import add_service_errors
from common.once import token_of
from ontwikkeling.personal import selectors, services
from ontwikkeling.personal.forms import (
    SHARING_HELP,
    IntentionCreateForm,
    IntentionForm,
    NoteForm,
    ShareForm,
)
from ontwikkeling.personal.models import MAX_CURRENT_PER_ROLE, IntentionStatus, Sharing

PAGE = "ontwikkeling:my_development"


def _anchor(intention) -> str:
    return f"{reverse(PAGE)}#voornemen-{intention.pk}"


def _page(request, *, failed=None, status=200):
    """The owner's page; `failed` = (intention pk, bound form with errors) to show inline."""
    sections = selectors.my_development(employee=request.user)
    context = {
        "sections": sections,
        "audiences": selectors.audiences(employee=request.user),
        "sharing_choices": Sharing.choices,
        "sharing_help": SHARING_HELP,
        "max_current": MAX_CURRENT_PER_ROLE,
        "failed_pk": failed[0] if failed else None,
        "failed_form": failed[1] if failed else None,
        "note_form": NoteForm(),
    }
    return render(request, "ontwikkeling/personal/my_development.html", context, status=status)


@require_GET
def my_development(request):
    return _page(request)


def intention_create(request):
    roles = selectors.current_roles(employee=request.user)
    if request.method == "POST":
        form = IntentionCreateForm(request.POST, roles=roles)
        if form.is_valid():
            data = form.cleaned_data

            def create() -> str:
                intention = services.intention_create(
                    employee=request.user,
                    role=data["role"],
                    aim=data["aim"],
                    approach=data["approach"],
                    target_date=data["target_date"],
                    sharing=data["sharing"],
                )
                return _anchor(intention)

            try:
                url = submit_once(
                    token=token_of(form),
                    actor=request.user,
                    action="development_intention.create",
                    create=create,
                )
            except AlreadySubmitted as earlier:
                messages.info(request, _("This intention was already saved."))
                return redirect(earlier.url or reverse(PAGE))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Your intention is saved."))
                return redirect(url)
    else:
        initial = {}
        wanted = request.GET.get("rol", "")
        role = next((r for r in roles if r.slug == wanted), None)
        if role is not None:
            initial["role"] = role.pk
        form = IntentionCreateForm(initial=initial, roles=roles)
    status = 400 if form.is_bound else 200
    return render(
        request,
        "ontwikkeling/personal/intention_form.html",
        {"form": form, "creating": True, "has_roles": roles.exists()},
        status=status,
    )


def intention_edit(request, pk):
    intention = selectors.own_intention(employee=request.user, pk=pk)
    if not intention.is_current:
        messages.info(request, _("This intention is closed. It can no longer be changed."))
        return redirect(_anchor(intention))
    form = IntentionForm(request.POST or None, instance=intention)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.intention_update(
                intention=intention,
                actor=request.user,
                aim=data["aim"],
                approach=data["approach"],
                target_date=data["target_date"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(_anchor(intention))
    return render(
        request,
        "ontwikkeling/personal/intention_form.html",
        {"form": form, "creating": False, "intention": intention},
        status=400 if form.is_bound else 200,
    )


@require_POST
def intention_note(request, pk):
    intention = selectors.own_intention(employee=request.user, pk=pk)
    form = NoteForm(request.POST)
    if form.is_valid():

        def create() -> str:
            services.intention_add_note(
                intention=intention, author=request.user, text=form.cleaned_data["text"]
            )
            return _anchor(intention)

        try:
            url = submit_once(
                token=token_of(form),
                actor=request.user,
                action="development_intention.note",
                create=create,
            )
        except AlreadySubmitted:
            messages.info(request, _("This note was already saved."))
            return redirect(_anchor(intention))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your note is saved."))
            return redirect(url)
    return _page(request, failed=(intention.pk, form), status=400)


@require_POST
def intention_share(request, pk):
    intention = selectors.own_intention(employee=request.user, pk=pk)
    form = ShareForm(request.POST)
    if form.is_valid():
        services.intention_share(
            intention=intention, actor=request.user, sharing=form.cleaned_data["sharing"]
        )
        messages.success(request, SHARING_HELP[Sharing(form.cleaned_data["sharing"])])
        return redirect(_anchor(intention))
    return _page(request, failed=(intention.pk, form), status=400)


STATUS_MESSAGES = {
    IntentionStatus.COMPLETED: _("Well done. The intention is marked as completed."),
    IntentionStatus.ARCHIVED: _("The intention is archived. You can still find it below."),
    IntentionStatus.CURRENT: _("The intention is current again."),
}


@require_POST
def intention_status(request, pk):
    intention = selectors.own_intention(employee=request.user, pk=pk)
    status = request.POST.get("status", "")
    try:
        services.intention_set_status(intention=intention, actor=request.user, status=status)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, STATUS_MESSAGES[IntentionStatus(status)])
    return redirect(_anchor(intention))


@require_GET
def shared_intentions(request):
    """What colleagues shared with the logged-in person (as their manager or team member)."""
    return render(
        request,
        "ontwikkeling/personal/shared.html",
        {"people": selectors.shared_with(viewer=request.user)},
    )

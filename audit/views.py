"""The audit page: who changed, exported or imported what (HR and administrators only)."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from audit.forms import AuditFilterForm
from audit.selectors import audit_events

PAGE_SIZE = 50


@require_GET
def event_list(request):
    if not request.user.is_hr:
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    events = audit_events()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        events = audit_events(
            action=data["action"],
            object_type=data["kind"],
            actor_id=data["actor"],
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
    elif form.is_bound:
        events = events.none()
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/event_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )

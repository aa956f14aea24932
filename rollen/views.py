"""HR (P&O) pages: role overviews on any date, their exports, and the import of people and
teams. Only the HR group and superusers may use them; everyone else gets 403."""

import functools

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from rollen import export_jobs, exports
from rollen.audit_text import describe
from rollen.forms import (
    CompareFilterForm,
    OverviewFilterForm,
    OverviewSearchForm,
)
from rollen.selectors import (
    import_export_events,
    membership_roles,
    people_memberships,
    role_changes,
)
from rollen.services import export_record
from rollen.summary import team_roles, team_summaries
from teams.models import Team

PEOPLE_PER_PAGE = 50
CHANGES_SHOWN = 50  # per list on the comparison page; the export has them all (issue 21)


def hr_required(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_hr:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _filter_form(request, form_class):
    form = form_class(request.GET or None)
    for name in form.bad_fields():
        if name in form.date_fields:
            messages.warning(
                request,
                _("'%(value)s' is not a date we can read; showing today instead.")
                % {"value": request.GET.get(name, "")},
            )
        else:
            messages.warning(request, _("A filter could not be used and was left out."))
    return form


def _tab_query(request) -> str:
    """The filters the overview and the person list share, kept when switching tabs."""
    query = request.GET.copy()
    for name in list(query):
        if name not in ("peildatum", "team", "role", "municipality"):
            del query[name]
    return query.urlencode()


def _export_links(request, overview):
    query = request.GET.urlencode()
    links = []
    for fmt, label in (
        ("xlsx", _("Excel (.xlsx)")),
        ("csv-semicolon", _("CSV with ; (Dutch Excel)")),
        ("csv", _("CSV with ,")),
    ):
        url = reverse("rollen:export", kwargs={"overview": overview, "file_format": fmt})
        links.append((f"{url}?{query}" if query else url, label))
    return links


@require_GET
@hr_required
def matrix(request):
    """The summary of the whole organisation: counts per team and role, vulnerable teams
    first, paged (rollen.summary); each team's names are on its own page (team_roles)."""
    form = _filter_form(request, OverviewSearchForm)
    on = form.reference_date()
    roles, page = team_summaries(
        on=on, filters=form.filters(), search=form.search(), page_number=request.GET.get("pagina")
    )
    query = request.GET.copy()
    query.pop("pagina", None)
    context = {
        "form": form,
        "tab": "matrix",
        "roles": roles,
        "page": page,
        "on": on,
        "query": query.urlencode(),
        "export_links": _export_links(request, "matrix"),
        "tab_query": _tab_query(request),
    }
    return render(request, "rollen/matrix.html", context)


@require_GET
@hr_required
def team_roles_page(request, slug: str):
    """One team's holders per role by name, on any date (the matrix row of that team)."""
    team = get_object_or_404(Team, slug=slug)
    form = _filter_form(request, OverviewFilterForm)
    on = form.reference_date()
    context = {
        "team": team,
        "tab": "matrix",
        "matrix": team_roles(team=team, on=on, filters=form.filters()),
        "on": on,
        "tab_query": _tab_query(request),
    }
    return render(request, "rollen/team_roles.html", context)


@require_GET
@hr_required
def people(request):
    form = _filter_form(request, OverviewFilterForm)
    on = form.reference_date()
    page = Paginator(people_memberships(on=on, filters=form.filters()), PEOPLE_PER_PAGE).get_page(
        request.GET.get("pagina")
    )
    rows = [(membership, membership_roles(membership)) for membership in page]
    query = request.GET.copy()
    query.pop("pagina", None)
    context = {
        "form": form,
        "tab": "people",
        "page": page,
        "rows": rows,
        "on": on,
        "query": query.urlencode(),
        "export_links": _export_links(request, "personen"),
        "tab_query": _tab_query(request),
    }
    return render(request, "rollen/people.html", context)


@require_GET
@hr_required
def compare(request):
    form = _filter_form(request, CompareFilterForm)
    date_from, date_to = form.dates()
    gained, lost = role_changes(date_from=date_from, date_to=date_to, filters=form.filters())
    context = {
        "form": form,
        "tab": "compare",
        "date_from": date_from,
        "date_to": date_to,
        "gained": list(gained[: CHANGES_SHOWN + 1]),
        "lost": list(lost[: CHANGES_SHOWN + 1]),
        "limit": CHANGES_SHOWN,
        "export_links": _export_links(request, "vergelijking"),
    }
    return render(request, "rollen/compare.html", context)


def _audit_person(request):
    from teams.models import Employee

    number = request.GET.get("persoon", "")
    return Employee.objects.filter(pk=number).first() if number.isdigit() else None


@require_GET
@hr_required
def audit(request):
    person = _audit_person(request)
    events = list(import_export_events(limit=200 if person else 100, employee=person))
    for event in events:
        event.description = describe(event)
    return render(
        request,
        "rollen/audit.html",
        {"tab": "audit", "events": events, "person": person},
    )


@require_GET
@hr_required
def audit_export(request):
    """The audit tab as CSV (; for Dutch Excel), in plain words; itself an audited export."""
    person = _audit_person(request)
    events = import_export_events(limit=None, employee=person)
    columns = [
        exports.Column(_("When")), exports.Column(_("Who")), exports.Column(_("What")),
        exports.Column(_("Record")),
    ]  # fmt: skip
    rows = (
        [
            timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M"),
            event.actor.get_full_name() if event.actor else _("command line"),
            describe(event),
            event.object_repr,
        ]
        for event in events.iterator(chunk_size=500)
    )
    user = request.user

    def record(written):
        export_record(
            actor=user,
            overview="audit",
            file_format="csv-semicolon",
            filters={"persoon": person.pk if person else ""},
            rows=written,
        )

    response = StreamingHttpResponse(
        _in_language(
            exports.csv_stream(columns=columns, rows=rows, delimiter=";", on_done=record),
            translation.get_language(),
        ),
        content_type="text/csv; charset=utf-8",
    )
    suffix = f"-persoon-{person.pk}" if person else ""
    name = f"rollen-audit{suffix}-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _in_language(stream, language):
    """The rows are made while the response streams, after the view has returned: keep the
    request's language for role names and other texts in them."""
    with translation.override(language):
        yield from stream


@require_GET
@hr_required
def export(request, overview, file_format):
    """The overview as a file: streamed in the response, or, past
    settings.ZS_EXPORT_BACKGROUND_ROWS, made by a background task while the user is sent to
    a page that says when it is ready (rollen.export_jobs)."""
    prepared = export_jobs.prepare_export(overview, file_format, request.GET)
    if export_jobs.in_background(prepared):
        export_file = export_jobs.export_file_start(
            overview=overview,
            file_format=file_format,
            query=request.GET,
            filename=prepared.filename,
            actor=request.user,
        )
        return redirect("rollen:export_file", pk=export_file.pk)
    user = request.user

    def record(written: int) -> None:
        # The rows actually written, once the last one is (AVG: what left the portal).
        export_record(
            actor=user,
            overview=overview,
            file_format=file_format,
            filters=prepared.filters,
            rows=written,
        )

    stream = export_jobs.export_stream(prepared, file_format, on_done=record)
    response = StreamingHttpResponse(
        _in_language(stream, translation.get_language()),
        content_type=export_jobs.FORMATS[file_format][0],
    )
    response["Content-Disposition"] = f'attachment; filename="{prepared.filename}"'
    return response

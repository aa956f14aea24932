"""HR's person pages: search by name or personnel number, one person's history with dates,
and its export."""

from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from rollen import exports
from rollen.forms import OverviewFilterForm
from rollen.selectors import person_history, person_search
from rollen.services import export_record
from rollen.summary import team_summaries
from rollen.views import hr_required
from teams.models import Employee


@require_GET
@hr_required
def person_list(request):
    query = request.GET.get("q", "")
    people = list(person_search(query=query))
    return render(
        request,
        "rollen/person_search.html",
        {"tab": "persons", "query": query, "people": people},
    )


@require_GET
@hr_required
def person_detail(request, pk):
    employee = get_object_or_404(Employee, pk=pk)
    return render(
        request,
        "rollen/person_detail.html",
        {"tab": "persons", "history": person_history(employee=employee)},
    )


@require_GET
@hr_required
def person_export(request, pk):
    """The person's history as CSV (; for Dutch Excel), audited with the rows written."""
    employee = get_object_or_404(Employee, pk=pk)
    history = person_history(employee=employee)
    rows = [[_("membership"), m.team.name, "", m.since, m.until] for m in history.memberships] + [
        [_("role"), a.team.name, a.role.name, a.since, a.until] for a in history.assignments
    ]
    columns = [
        exports.Column(_("Kind")),
        exports.Column(_("Team")),
        exports.Column(_("Role")),
        exports.Column(_("Since")),
        exports.Column(_("Until")),
    ]
    user = request.user

    def record(written):
        export_record(
            actor=user,
            overview="persoon",
            file_format="csv-semicolon",
            filters={"employee": employee.pk},
            rows=written,
        )

    response = StreamingHttpResponse(
        exports.csv_stream(columns=columns, rows=rows, delimiter=";", on_done=record),
        content_type="text/csv; charset=utf-8",
    )
    name = employee.personnel_number or str(employee.pk)
    filename = f"rollen-persoon-{name}-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@hr_required
def counts(request):
    """Headcount per team and holders per role on any date, with FTE where known; paged."""
    form = OverviewFilterForm(request.GET or None)
    on = form.reference_date()
    roles, page = team_summaries(
        on=on, filters=form.filters(), vulnerable_first=False, page_number=request.GET.get("pagina")
    )
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "rollen/counts.html",
        {
            "tab": "counts",
            "form": form,
            "on": on,
            "roles": roles,
            "page": page,
            "query": query.urlencode(),
        },
    )

"""HR (P&O) pages: role overviews on any date, their exports, and the import of people and
teams. Only the HR group and superusers may use them; everyone else gets 403."""

import functools

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from audit.submissions import AlreadySubmitted, first_result, submit_once
from common.once import FIELD_NAME as ONCE_FIELD
from common.once import new_token
from rollen import exports
from rollen.forms import CompareFilterForm, ImportMappingForm, ImportUploadForm, OverviewFilterForm
from rollen.imports import (
    ImportChanged,
    ImportFileError,
    Table,
    guess_mapping,
    import_apply,
    import_plan,
    mapping_problems,
    read_csv,
)
from rollen.selectors import (
    import_export_events,
    membership_roles,
    people_memberships,
    role_changes,
    role_matrix,
)
from rollen.services import export_record

PEOPLE_PER_PAGE = 50
CHANGES_SHOWN = 500  # per list on the comparison page; the export has them all
SESSION_KEY = "rollen_import"


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
    form = _filter_form(request, OverviewFilterForm)
    on = form.reference_date()
    context = {
        "form": form,
        "tab": "matrix",
        "matrix": role_matrix(on=on, filters=form.filters()),
        "on": on,
        "export_links": _export_links(request, "matrix"),
        "tab_query": _tab_query(request),
    }
    return render(request, "rollen/matrix.html", context)


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


@require_GET
@hr_required
def audit(request):
    return render(
        request, "rollen/audit.html", {"tab": "audit", "events": import_export_events(limit=100)}
    )


FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "csv-semicolon": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


def _in_language(stream, language):
    """The rows are made while the response streams, after the view has returned: keep the
    request's language for role names and other texts in them."""
    with translation.override(language):
        yield from stream


@require_GET
@hr_required
def export(request, overview, file_format):
    if file_format not in FORMATS:
        raise Http404
    form: OverviewFilterForm
    if overview == "vergelijking":
        form = CompareFilterForm(request.GET or None)
        date_from, date_to = form.dates()
        data = exports.compare_export(date_from=date_from, date_to=date_to, filters=form.filters())
        dates = f"{date_from.isoformat()}-{date_to.isoformat()}"
        filters = {
            **form.filters().as_dict(),
            "from": date_from.isoformat(),
            "to": date_to.isoformat(),
        }
    elif overview in ("matrix", "personen"):
        form = OverviewFilterForm(request.GET or None)
        on = form.reference_date()
        build = exports.matrix_export if overview == "matrix" else exports.people_export
        data = build(on=on, filters=form.filters())
        dates = on.isoformat()
        filters = {**form.filters().as_dict(), "peildatum": on.isoformat()}
    else:
        raise Http404
    content_type, extension = FORMATS[file_format]
    export_record(
        actor=request.user,
        overview=overview,
        file_format=file_format,
        filters=filters,
        rows=data.row_count,
    )
    if extension == "csv":
        delimiter = ";" if file_format == "csv-semicolon" else ","
        stream = exports.csv_stream(columns=data.columns, rows=data.rows, delimiter=delimiter)
    else:
        stream = exports.xlsx_stream(title=data.name, columns=data.columns, rows=data.rows)
    response = StreamingHttpResponse(
        _in_language(stream, translation.get_language()), content_type=content_type
    )
    filename = f"rollen-{data.name}-{dates}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# Import: upload → column mapping and dry run → apply. The file's content waits in the
# session between the steps (size-limited by ZS_IMPORT_MAX_BYTES); only its owner sees it.


def _stored_table(request) -> tuple[Table, str] | None:
    stored = request.session.get(SESSION_KEY)
    if not stored:
        return None
    try:
        return read_csv(stored["content"].encode()), stored["filename"]
    except (ImportFileError, KeyError):
        return None


@hr_required
def import_upload(request):
    limit = settings.ZS_IMPORT_MAX_BYTES
    if request.method == "POST":
        # Refuse a body far over the limit before Django reads the upload.
        if int(request.META.get("CONTENT_LENGTH") or 0) > limit + 64 * 1024:
            messages.error(
                request,
                _("The file is too large. The limit is %(limit)s.")
                % {"limit": filesizeformat(limit)},
            )
            return redirect("rollen:import")
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            try:
                read_csv(data)  # refuse what cannot be read before keeping it
            except ImportFileError as error:
                form.add_error("file", str(error))
            else:
                request.session[SESSION_KEY] = {
                    "content": data.decode("utf-8-sig"),
                    "filename": upload.name[:200],
                }
                return redirect("rollen:import_check")
    else:
        form = ImportUploadForm()
    return render(
        request,
        "rollen/import_upload.html",
        {"form": form, "tab": "import", "limit": limit},
    )


def _mapping_form(request, table: Table, data) -> ImportMappingForm:
    initial = {f"column_{name}": index for name, index in guess_mapping(table.header).items()}
    return ImportMappingForm(data, header=table.header, initial=initial)


@require_GET
@hr_required
def import_check(request):
    stored = _stored_table(request)
    if stored is None:
        messages.info(request, _("Choose a file to import first."))
        return redirect("rollen:import")
    table, filename = stored
    form = _mapping_form(request, table, request.GET if "check" in request.GET else None)
    plan = problems = None
    if form.is_bound and form.is_valid():
        mapping = form.mapping()
        problems = mapping_problems(mapping, table.header)
        if problems:
            for problem in problems:
                form.add_error(None, problem)
        else:
            plan = import_plan(
                table=table,
                mapping=mapping,
                deactivate_missing=form.cleaned_data["deactivate_missing"],
                actor=request.user,
            )
    context = {
        "form": form,
        "tab": "import",
        "filename": filename,
        "table": table,
        "sample": table.rows[:5],
        "plan": plan,
        "query": request.GET.urlencode(),
        "once": new_token(),
    }
    return render(request, "rollen/import_check.html", context)


@require_POST
@hr_required
def import_apply_view(request):
    # The check page's form carries a one-time token: sent twice, the import runs once and
    # the second request shows where the first went (audit.submissions).
    token = request.POST.get(ONCE_FIELD, "")[:64]
    if first_result(token=token, actor=request.user) is not None:
        messages.info(request, _("This import was already done."))
        return redirect("rollen:audit")
    stored = _stored_table(request)
    if stored is None:
        messages.info(request, _("Choose a file to import first."))
        return redirect("rollen:import")
    table, filename = stored
    form = _mapping_form(request, table, request.POST)
    check_url = reverse("rollen:import_check") + "?" + request.POST.get("query", "")
    if not form.is_valid() or mapping_problems(form.mapping(), table.header):
        messages.error(request, _("Check the column choices again."))
        return redirect(check_url)
    applied = []

    def apply() -> str:
        applied.append(
            import_apply(
                table=table,
                mapping=form.mapping(),
                deactivate_missing=form.cleaned_data["deactivate_missing"],
                actor=request.user,
                expected_fingerprint=request.POST.get("fingerprint", ""),
                filename=filename,
            )
        )
        return reverse("rollen:audit")

    try:
        submit_once(token=token, actor=request.user, action="import.apply", create=apply)
    except AlreadySubmitted:
        messages.info(request, _("This import was already done."))
        return redirect("rollen:audit")
    except (ImportFileError, ImportChanged) as error:
        messages.error(request, str(error))
        return redirect(check_url)
    plan = applied[0]
    del request.session[SESSION_KEY]
    if plan.actions:
        messages.success(
            request,
            _("Import done: %(count)d changes from %(file)s.")
            % {"count": len(plan.actions), "file": filename},
        )
    else:
        messages.success(request, _("Import done: nothing to change, all was up to date."))
    return redirect("rollen:audit")

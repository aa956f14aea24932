"""HR's import pages: upload → column mapping and dry run → apply (rollen/imports)."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from rollen.forms import ImportApplyForm, ImportMappingForm, ImportUploadForm, SavedMappingForm
from rollen.imports import ImportFileError, Table, guess_mapping, mapping_problems
from rollen.imports.jobs import (
    ImportAlreadyApplied,
    import_file_set_options,
    import_file_start_apply,
    import_file_start_check,
    import_file_store,
    import_file_table,
    import_mapping_save,
)
from rollen.imports.parse import ENCODINGS, XLSX
from rollen.models import ImportFile, ImportStatus
from rollen.views import hr_required

# Import: upload → column mapping and dry run → apply. The file waits in an ImportFile row
# between the steps (size-limited by ZS_IMPORT_MAX_BYTES, removed after
# ZS_IMPORT_RETENTION_HOURS); only the person who uploaded it sees it. A large file is
# checked and applied by a Celery task while the page shows the progress.


def _import_file(request, pk) -> ImportFile:
    import_file = ImportFile.objects.filter(pk=pk).first()
    if import_file is None or (
        import_file.uploaded_by_id != request.user.pk and not request.user.is_superuser
    ):
        raise Http404
    return import_file


@hr_required
def import_upload(request):
    limit = settings.ZS_IMPORT_MAX_BYTES
    if request.method == "POST":
        # Refuse a body far over the limit before Django reads the upload.
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > limit + 64 * 1024:
            messages.error(
                request,
                _("The file is too large (%(size)s). The limit is %(limit)s.")
                % {"size": filesizeformat(length), "limit": filesizeformat(limit)},
            )
            return redirect("rollen:import")
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                import_file = import_file_store(
                    data=upload.read(), filename=upload.name, actor=request.user
                )
            except ImportFileError as error:
                form.add_error("file", str(error))
            else:
                return redirect("rollen:import_check", pk=import_file.pk)
    else:
        form = ImportUploadForm()
    return render(
        request,
        "rollen/import_upload.html",
        {"form": form, "tab": "import", "limit": limit},
    )


def _to_result(pk):
    """Back to the check page, scrolled to the progress or the result (below the long
    column form: at the top the user would see no change)."""
    return redirect(reverse("rollen:import_check", kwargs={"pk": pk}) + "#import-result")


def _mapping_form(import_file: ImportFile, table: Table, data, saved=None) -> ImportMappingForm:
    options = import_file.options
    if saved is not None:
        mapping = guess_mapping(table.header, saved=saved.columns)
    elif options.get("mapping"):
        mapping = options["mapping"]
    else:
        mapping = guess_mapping(table.header)
    initial: dict[str, object] = {f"column_{name}": index for name, index in mapping.items()}
    initial["deactivate_missing"] = options.get("deactivate_missing", False)
    initial["encoding"] = (saved.encoding if saved else "") or table.encoding
    return ImportMappingForm(
        data, header=table.header, initial=initial, spreadsheet=table.encoding == XLSX
    )


def _table_or_message(request, import_file):
    try:
        return import_file_table(import_file)
    except ImportFileError as error:
        messages.error(request, str(error))
        return None


@hr_required
def import_check(request, pk):
    import_file = _import_file(request, pk)
    table = _table_or_message(request, import_file)
    if table is None:
        # The chosen character set does not fit: fall back to the detected one.
        import_file.options = {**import_file.options, "encoding": ""}
        import_file.save(update_fields=["options"])
        table = import_file_table(import_file)
    saved_form = SavedMappingForm(request.GET or None)
    saved = saved_form.cleaned_data["source"] if saved_form.is_valid() else None
    if request.method == "POST":
        form = _mapping_form(import_file, table, request.POST)
        if import_file.busy:
            messages.info(request, _("This file is being processed. Wait until it is done."))
            return _to_result(pk)
        if form.is_valid():
            mapping = form.mapping()
            problems = mapping_problems(mapping, table.header)
            for problem in problems:
                form.add_error(None, problem)
            if not problems:
                encoding = form.cleaned_data.get("encoding") or ""
                if form.cleaned_data.get("save_as"):
                    import_mapping_save(
                        name=form.cleaned_data["save_as"],
                        mapping=mapping,
                        header=table.header,
                        encoding=encoding if table.encoding != XLSX else "",
                        actor=request.user,
                    )
                import_file_set_options(
                    import_file=import_file,
                    mapping=mapping,
                    deactivate_missing=form.cleaned_data["deactivate_missing"],
                    encoding=encoding if encoding != import_file.encoding else "",
                )
                import_file_start_check(import_file=import_file, table=table, actor=request.user)
                return _to_result(pk)
    else:
        form = _mapping_form(import_file, table, None, saved=saved)
    import_file.refresh_from_db()
    result = import_file.result if import_file.status != ImportStatus.UPLOADED else {}
    context = {
        "form": form,
        "saved_form": saved_form,
        "import_file": import_file,
        "tab": "import",
        "filename": import_file.filename,
        "table": table,
        "encoding_label": ENCODINGS.get(table.encoding, _("Excel (.xlsx)")),
        "sample": table.rows[:5],
        "result": result,
        "summary": result.get("summary", []),
        "problem_count": result.get("problem_count", len(result.get("problems", []))),
        "warning_count": result.get("warning_count", len(result.get("warnings", []))),
        "apply_form": ImportApplyForm(initial={"fingerprint": result.get("fingerprint", "")}),
    }
    return render(request, "rollen/import_check.html", context)


@require_GET
@hr_required
def import_progress(request, pk):
    """The progress bar alone (htmx polls it); a plain request gets the whole page."""
    import_file = _import_file(request, pk)
    if not request.headers.get("HX-Request"):
        return redirect("rollen:import_check", pk=pk)
    response = render(request, "rollen/_import_progress.html", {"import_file": import_file})
    if not import_file.busy:
        response["HX-Refresh"] = "true"  # done: show the result
    return response


@require_POST
@hr_required
def import_apply_view(request, pk):
    import_file = _import_file(request, pk)
    form = ImportApplyForm(request.POST)
    if not form.is_valid() or import_file.status not in (
        ImportStatus.CHECKED,
        ImportStatus.APPLIED,
        ImportStatus.APPLYING,
    ):
        messages.error(request, _("Check the file first."))
        return redirect("rollen:import_check", pk=pk)
    try:
        import_file_start_apply(
            import_file=import_file,
            actor=request.user,
            fingerprint=form.cleaned_data["fingerprint"],
            confirm_ends=form.cleaned_data["confirm_ends"],
            accept_email_matches=form.cleaned_data["accept_email_matches"],
        )
    except ImportAlreadyApplied as error:
        messages.info(request, str(error))
        return redirect("rollen:audit")
    import_file.refresh_from_db()
    if import_file.status == ImportStatus.APPLIED:
        applied = {key: count for key, _label, count in import_file.result["applied"]}
        total = sum(applied.values())
        if total:
            messages.success(
                request,
                _("Import done: %(count)d changes from %(file)s.")
                % {"count": import_file.result.get("action_count", total), "file": import_file},
            )
        else:
            messages.success(request, _("Import done: nothing to change, all was up to date."))
        return redirect("rollen:audit")
    if import_file.error:
        messages.error(request, import_file.error)
    return _to_result(pk)

"""The page of a large export made in the background (rollen.export_jobs): it says when the
file is ready (htmx asks every two seconds) and hands it out, to the person who asked only
(and the functional administrator, as for imports)."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from rollen.export_jobs import FORMATS, kept_until
from rollen.models import ExportFile, ExportStatus
from rollen.views import hr_required


def _export_file(request, pk, *, content: bool = False) -> ExportFile:
    files = ExportFile.objects.filter(pk=pk)
    if not request.user.is_superuser:  # the functional administrator, as for imports
        files = files.filter(requested_by=request.user)
    if not content:
        files = files.defer("content")
    export_file = files.first()
    if export_file is None or kept_until(export_file) < timezone.now():
        raise Http404
    return export_file


def _context(export_file: ExportFile) -> dict:
    return {"export_file": export_file, "tab": "matrix", "kept_until": kept_until(export_file)}


@require_GET
@hr_required
def export_file_page(request, pk):
    export_file = _export_file(request, pk)
    return render(request, "rollen/export_file.html", _context(export_file))


@require_GET
@hr_required
def export_file_status(request, pk):
    """The notice alone (htmx polls it); a plain request gets the whole page."""
    if not request.headers.get("HX-Request"):
        return redirect("rollen:export_file", pk=pk)
    export_file = _export_file(request, pk)
    return render(request, "rollen/_export_status.html", _context(export_file))


@require_GET
@hr_required
def export_file_download(request, pk):
    export_file = _export_file(request, pk, content=True)
    if export_file.status != ExportStatus.READY:
        raise Http404
    response = HttpResponse(
        bytes(export_file.content), content_type=FORMATS[export_file.file_format][0]
    )
    response["Content-Disposition"] = f'attachment; filename="{export_file.filename}"'
    return response

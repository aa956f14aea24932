"""HR overview exports as files: what the download view and the background task share, and
the background job for large exports (issue 21).

An export with more rows than settings.ZS_EXPORT_BACKGROUND_ROWS is not made in the web
request (an XLSX of 15,000 people takes seconds, and ten of them at once would hold every
worker): the request stores an ExportFile and queues a Celery task that writes the same
stream into it; the page the user is sent to says when the file is ready and offers it for
download to that user only, for settings.ZS_EXPORT_RETENTION_HOURS."""

import datetime
import logging
import tempfile
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.http import Http404, QueryDict
from django.utils import timezone, translation
from django.utils.text import slugify

from rollen import exports
from rollen.forms import CompareFilterForm, OverviewFilterForm
from rollen.models import ExportFile, ExportStatus
from rollen.services import export_record
from teams.models import Employee

logger = logging.getLogger(__name__)

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "csv-semicolon": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}
OVERVIEWS = ("matrix", "personen", "vergelijking")


@dataclass
class Prepared:
    data: exports.Export
    filename: str
    filters: dict  # for the audit log


def export_filename(name: str, dates: str, filters: dict, file_format: str) -> str:
    """rollen-<overview>-<date(s)>[-<filter values>][-puntkomma].<ext>: two exports with
    other filters or the two CSV kinds never get the same name."""
    parts = ["rollen", name, dates]
    for key in ("team", "role", "municipality"):
        if filters.get(key):
            parts.append(slugify(filters[key])[:40])
    if file_format == "csv-semicolon":
        parts.append("puntkomma")
    return "-".join(parts) + "." + FORMATS[file_format][1]


def prepare_export(overview: str, file_format: str, query: QueryDict) -> Prepared:
    """The export of `overview` with the filters in `query` (the overview page's GET):
    its columns, its row count and its rows (read lazily, in chunks)."""
    if file_format not in FORMATS or overview not in OVERVIEWS:
        raise Http404
    if overview == "vergelijking":
        form = CompareFilterForm(query or None)
        date_from, date_to = form.dates()
        data = exports.compare_export(date_from=date_from, date_to=date_to, filters=form.filters())
        dates = f"{date_from.isoformat()}-{date_to.isoformat()}"
        filters = {
            **form.filters().as_dict(),
            "from": date_from.isoformat(),
            "to": date_to.isoformat(),
        }
    else:
        overview_form = OverviewFilterForm(query or None)
        on = overview_form.reference_date()
        build = exports.matrix_export if overview == "matrix" else exports.people_export
        data = build(on=on, filters=overview_form.filters())
        dates = on.isoformat()
        filters = {**overview_form.filters().as_dict(), "peildatum": on.isoformat()}
    return Prepared(data, export_filename(data.name, dates, filters, file_format), filters)


def export_stream(prepared: Prepared, file_format: str, on_done=None):
    """The file as a generator of bytes."""
    data = prepared.data
    if FORMATS[file_format][1] == "csv":
        delimiter = ";" if file_format == "csv-semicolon" else ","
        return exports.csv_stream(
            columns=data.columns, rows=data.rows, delimiter=delimiter, on_done=on_done
        )
    return exports.xlsx_stream(
        title=data.name, columns=data.columns, rows=data.rows, on_done=on_done
    )


def in_background(prepared: Prepared) -> bool:
    return prepared.data.row_count > settings.ZS_EXPORT_BACKGROUND_ROWS


def purge_export_files(*, now: datetime.datetime | None = None) -> int:
    """Remove the export files older than the retention period (they hold personal data)."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(hours=settings.ZS_EXPORT_RETENTION_HOURS)
    deleted, _per_model = ExportFile.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def kept_until(export_file: ExportFile) -> datetime.datetime:
    return export_file.created_at + datetime.timedelta(hours=settings.ZS_EXPORT_RETENTION_HOURS)


def export_file_start(
    *, overview: str, file_format: str, query: QueryDict, filename: str, actor: Employee
) -> ExportFile:
    """Store the request for a large export and queue the task that makes it."""
    from rollen.tasks import build_export_file_task

    purge_export_files()
    export_file = ExportFile.objects.create(
        requested_by=actor,
        overview=overview,
        file_format=file_format,
        query=query.urlencode(),
        language=translation.get_language() or settings.LANGUAGE_CODE,
        filename=filename,
    )
    transaction.on_commit(lambda: build_export_file_task.delay(export_file.pk))
    return export_file


def export_file_build(*, export_file_id: int) -> None:
    """Make the file (the background task): the same stream the download view sends,
    written to a temporary file, then stored. Recorded in the audit log as an export by
    the person who asked for it, with the rows written."""
    claimed = ExportFile.objects.filter(pk=export_file_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING
    )
    if not claimed:
        return  # already made, being made, or removed
    export_file = ExportFile.objects.select_related("requested_by").get(pk=export_file_id)
    written = 0

    def done(rows: int) -> None:
        nonlocal written
        written = rows

    try:
        with translation.override(export_file.language):
            prepared = prepare_export(
                export_file.overview, export_file.file_format, QueryDict(export_file.query)
            )
            with tempfile.TemporaryFile() as file:
                for chunk in export_stream(prepared, export_file.file_format, on_done=done):
                    file.write(chunk)
                size = file.tell()
                file.seek(0)
                content = file.read()
    except Exception as error:
        logger.exception("export %s failed", export_file_id)
        ExportFile.objects.filter(pk=export_file_id).update(
            status=ExportStatus.FAILED, error=str(error)[:1000], finished_at=timezone.now()
        )
        return
    with transaction.atomic():
        ExportFile.objects.filter(pk=export_file_id).update(
            status=ExportStatus.READY,
            content=content,
            size=size,
            rows=written,
            filename=prepared.filename,
            finished_at=timezone.now(),
        )
        export_record(
            actor=export_file.requested_by,
            overview=export_file.overview,
            file_format=export_file.file_format,
            filters=prepared.filters,
            rows=written,
        )

"""The uploaded file as a job: kept in the database (rollen.models.ImportFile) between the
steps, checked and applied here, by the page for a small file and by a Celery task for a
large one (rollen.tasks). Applying claims the job first (a conditional update, as the
e-mails are claimed), so two applies of one plan cannot both run: the second is told."""

import datetime
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications import outbox
from rollen.imports.apply import ImportChanged, ImportNeedsConfirmation, import_apply, import_plan
from rollen.imports.parse import ImportFileError, Table, read_table
from rollen.imports.result import ImportPlan
from rollen.models import ImportFile, ImportStatus
from teams.models import Employee

ACTIONS_KEPT = 2000  # actions kept for the page; the counts cover them all
# Problems and warnings kept for the page, with their full count: a whole organisation's
# file with a problem on every line made a result page of 1.4 MB that took seconds.
LINES_KEPT = 500


class ImportAlreadyApplied(Exception):
    """This file was applied (or is being applied) already."""


def purge_import_files(*, now: datetime.datetime | None = None) -> int:
    """Remove the uploaded files older than the retention period (they hold personal data)."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(hours=settings.ZS_IMPORT_RETENTION_HOURS)
    deleted, _per_model = ImportFile.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def import_file_store(*, data: bytes, filename: str, actor: Employee) -> ImportFile:
    """Keep an uploaded file for the next steps, after checking it can be read at all
    (raises ImportFileError with the reason otherwise: nothing is kept)."""
    table = read_table(data, max_bytes=settings.ZS_IMPORT_MAX_BYTES)
    purge_import_files()
    return ImportFile.objects.create(
        uploaded_by=actor,
        filename=filename[:200],
        content=data,
        size=len(data),
        encoding=table.encoding,
    )


def import_file_table(import_file: ImportFile) -> Table:
    encoding = import_file.options.get("encoding") or import_file.encoding or None
    return read_table(bytes(import_file.content), encoding=encoding)


def _mapping(import_file: ImportFile) -> dict[str, int | None]:
    return dict(import_file.options.get("mapping", {}))


def plan_result(plan: ImportPlan) -> dict:
    """The plan as JSON for the page (kept on the job)."""
    return {
        "summary": plan.summary(),
        "actions": [[a.kind, a.description, a.row] for a in plan.actions[:ACTIONS_KEPT]],
        "action_count": len(plan.actions),
        "problems": plan.problems[:LINES_KEPT],
        "problem_count": len(plan.problems),
        "warnings": plan.warnings[:LINES_KEPT],
        "warning_count": len(plan.warnings),
        "fingerprint": plan.fingerprint,
        "has_problems": plan.has_problems,
        "ends_things": plan.ends_things,
        "manages_roles": plan.manages_roles,
    }


def _minutes() -> int:
    return settings.ZS_IMPORT_TASK_TIME_LIMIT // 60


def _set(import_file_id: int, **values) -> None:
    ImportFile.objects.filter(pk=import_file_id).update(**values)


def import_file_check(*, import_file_id: int, actor: Employee | None) -> ImportFile:
    """The dry run of the job's file with its options; the result is kept on the job."""
    import_file = ImportFile.objects.get(pk=import_file_id)
    _set(import_file_id, status=ImportStatus.CHECKING, progress=10, error="")
    try:
        table = import_file_table(import_file)
        _set(import_file_id, progress=30)
        plan = import_plan(
            table=table,
            mapping=_mapping(import_file),
            deactivate_missing=bool(import_file.options.get("deactivate_missing")),
            actor=actor,
        )
    except ImportFileError as error:
        _set(import_file_id, status=ImportStatus.FAILED, progress=100, error=str(error))
    except SoftTimeLimitExceeded:
        # The task's time limit (ZS_IMPORT_TASK_TIME_LIMIT): say so rather than leave the
        # page showing "busy" for ever. The dry run is rolled back: nothing changed.
        _set(
            import_file_id,
            status=ImportStatus.FAILED,
            progress=100,
            error=_(
                "Checking took too long (more than %(minutes)d minutes) and was stopped. "
                "Nothing was changed. Try again later, or split the file."
            )
            % {"minutes": _minutes()},
        )
    else:
        _set(
            import_file_id,
            status=ImportStatus.CHECKED,
            progress=100,
            result=plan_result(plan),
        )
    return ImportFile.objects.get(pk=import_file_id)


def import_file_claim(*, import_file: ImportFile) -> None:
    """Claim the checked job for applying, once. Raises ImportAlreadyApplied otherwise."""
    claimed = ImportFile.objects.filter(
        pk=import_file.pk, status=ImportStatus.CHECKED, applied_at__isnull=True
    ).update(status=ImportStatus.APPLYING, progress=0, error="")
    if not claimed:
        raise ImportAlreadyApplied(
            _("This file was already applied (or is being applied). Nothing was changed twice.")
        )


def import_file_apply(
    *,
    import_file_id: int,
    actor: Employee | None,
    fingerprint: str,
    confirm_ends: bool,
    accept_email_matches: bool,
) -> ImportFile:
    """Apply a claimed job (import_file_claim), all or nothing. On a problem the job goes
    back to `checked` with the reason, so the user can check again."""
    import_file = ImportFile.objects.get(pk=import_file_id)
    try:
        with transaction.atomic():
            locked = ImportFile.objects.select_for_update().get(pk=import_file_id)
            if locked.applied_at is not None:
                raise ImportAlreadyApplied(_("This file was already applied."))
            plan = import_apply(
                table=import_file_table(import_file),
                mapping=_mapping(import_file),
                deactivate_missing=bool(import_file.options.get("deactivate_missing")),
                actor=actor,
                expected_fingerprint=fingerprint,
                filename=import_file.filename,
                confirm_ends=confirm_ends,
                accept_email_matches=accept_email_matches,
            )
            locked.status = ImportStatus.APPLIED
            locked.applied_at = timezone.now()
            locked.progress = 100
            locked.result = {**locked.result, "applied": plan.summary()}
            locked.save(update_fields=["status", "applied_at", "progress", "result"])
    except (ImportFileError, ImportChanged, ImportNeedsConfirmation) as error:
        _set(import_file_id, status=ImportStatus.CHECKED, progress=0, error=str(error))
    except ImportAlreadyApplied:
        pass  # the task was delivered twice: the first delivery applied it
    except SoftTimeLimitExceeded:
        # The transaction is rolled back: nothing was written, and the job may be applied
        # again (not "already applied").
        _set(
            import_file_id,
            status=ImportStatus.CHECKED,
            progress=0,
            error=_(
                "Applying took too long (more than %(minutes)d minutes) and was stopped. "
                "Nothing was changed. Try again later, or split the file."
            )
            % {"minutes": _minutes()},
        )
    except IntegrityError:
        # Someone changed the same people at the same moment: nothing was written.
        _set(
            import_file_id,
            status=ImportStatus.CHECKED,
            progress=0,
            error=_("The data changed while applying. Check the file again. Nothing was changed."),
        )
    return ImportFile.objects.get(pk=import_file_id)


def import_file_set_options(
    *, import_file: ImportFile, mapping: dict, deactivate_missing: bool, encoding: str
) -> None:
    import_file.options = {
        "mapping": mapping,
        "deactivate_missing": deactivate_missing,
        "encoding": encoding,
    }
    import_file.status = ImportStatus.UPLOADED
    import_file.result = {}
    import_file.error = ""
    import_file.save(update_fields=["options", "status", "result", "error"])


def _in_background(table: Table) -> bool:
    return len(table.rows) > settings.ZS_IMPORT_BACKGROUND_ROWS


def import_file_start_check(*, import_file: ImportFile, table: Table, actor: Employee) -> None:
    """Check now (a small file) or in a Celery task after the commit (a large one)."""
    if not _in_background(table):
        import_file_check(import_file_id=import_file.pk, actor=actor)
        return
    with transaction.atomic():
        _set(import_file.pk, status=ImportStatus.CHECKING, progress=0)
        # Recorded with the status, handed to Celery after the commit; when the broker is
        # down the page still answers and the sweep hands it over later (0005-faults.md).
        outbox.after_commit(
            "rollen.tasks.check_import_file_task",
            import_file_id=import_file.pk,
            actor_id=actor.pk,
        )


def import_file_start_apply(
    *,
    import_file: ImportFile,
    actor: Employee,
    fingerprint: str,
    confirm_ends: bool,
    accept_email_matches: bool,
) -> None:
    """Claim the job (ImportAlreadyApplied when someone did) and apply it, now for a small
    file or in a Celery task for a large one. The task is recorded in the claim's transaction
    (notifications.outbox): a broker that is down delays it, never loses it."""
    arguments: dict[str, Any] = {
        "fingerprint": fingerprint,
        "confirm_ends": confirm_ends,
        "accept_email_matches": accept_email_matches,
    }
    if import_file.result.get("action_count", 0) <= settings.ZS_IMPORT_BACKGROUND_ROWS:
        import_file_claim(import_file=import_file)
        import_file_apply(import_file_id=import_file.pk, actor=actor, **arguments)
        return
    with transaction.atomic():
        import_file_claim(import_file=import_file)
        outbox.after_commit(
            "rollen.tasks.apply_import_file_task",
            import_file_id=import_file.pk,
            actor_id=actor.pk,
            **arguments,
        )


def import_mapping_save(
    *, name: str, mapping: dict, header: list[str], encoding: str, actor: Employee
):
    """Save the column choices under a source name (by column name, so a file with the
    columns in another order still fits)."""
    from audit.services import audit_record
    from rollen.models import ImportMapping

    columns = {field: header[index] for field, index in mapping.items() if index is not None}
    saved, _created = ImportMapping.objects.update_or_create(
        name=name.strip(), defaults={"columns": columns, "encoding": encoding, "saved_by": actor}
    )
    audit_record(
        actor=actor,
        action="import.mapping",
        obj=saved,
        details={"columns": columns, "encoding": encoding},
    )
    return saved

"""Issue #14 P3: the file kept in a model with a retention period; a large file checked and
applied as a Celery task (eager here) with progress on the page."""

import datetime

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.utils import timezone

from rollen.imports import jobs
from rollen.imports.jobs import (
    import_file_check,
    import_file_set_options,
    import_file_start_apply,
    import_file_store,
    import_file_table,
    purge_import_files,
)
from rollen.imports.parse import guess_mapping
from rollen.models import ImportFile, ImportStatus
from teams.models import Employee
from tests.rollen.hr_data import on_today  # noqa: F401
from tests.rollen.test_import_pages import browser, check, csrf_from, upload  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_today")]


def test_uploads_are_removed_after_the_retention_period(hr, settings):
    settings.ZS_IMPORT_RETENTION_HOURS = 24
    old = ImportFile.objects.create(uploaded_by=hr, filename="a.csv", content=b"x")
    ImportFile.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=25)
    )
    fresh = ImportFile.objects.create(uploaded_by=hr, filename="b.csv", content=b"x")
    assert purge_import_files() == 1
    assert list(ImportFile.objects.all()) == [fresh]


def test_a_large_file_runs_as_a_task_with_progress(
    team,
    browser,  # noqa: F811
    settings,
    django_capture_on_commit_callbacks,
):
    settings.ZS_IMPORT_BACKGROUND_ROWS = 2
    rows = "".join(f"P{n};Persoon {n};p{n}@example.org;Vergunningen;;\n" for n in range(5))
    text = "personeelsnummer;naam;e-mail;team;rollen;sinds\n" + rows
    url = upload(browser, text).url
    job = ImportFile.objects.get()
    # While the task runs the page shows the progress, polled by htmx.
    ImportFile.objects.filter(pk=job.pk).update(status=ImportStatus.CHECKING, progress=30)
    page = browser.get(url).content.decode()
    assert "30% klaar" in page and 'hx-trigger="every 2s"' in page
    fragment = browser.get(f"{url}voortgang/", headers={"HX-Request": "true"})
    assert "30% klaar" in fragment.content.decode() and "HX-Refresh" not in fragment
    assert browser.get(f"{url}voortgang/").status_code == 302  # a plain refresh: the page
    ImportFile.objects.filter(pk=job.pk).update(status=ImportStatus.UPLOADED, progress=0)
    with django_capture_on_commit_callbacks(execute=True):
        check(browser, url, text)  # queued after the commit; the task runs eagerly here
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED and job.result["action_count"] == 10
    page = browser.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(
            f"{url}toepassen/",
            {"fingerprint": job.result["fingerprint"], "csrfmiddlewaretoken": csrf_from(page)},
        )
    assert response.status_code == 302
    assert Employee.objects.filter(personnel_number__startswith="P").count() == 5
    job.refresh_from_db()
    assert job.status == ImportStatus.APPLIED and job.progress == 100
    fragment = browser.get(f"{url}voortgang/", headers={"HX-Request": "true"})
    assert fragment["HX-Refresh"] == "true"


def test_a_large_import_with_the_broker_down_waits_and_is_applied_once(
    team,
    browser,  # noqa: F811
    settings,
    monkeypatch,
    time_machine,
    django_capture_on_commit_callbacks,
):
    """Issue #15: the large file's check and apply go through the outbox. With the broker
    down the pages answer normally (no 500 from on_commit) and nothing is lost: the sweep
    hands the jobs over once the broker is back; a job run again changes nothing."""
    from kombu.exceptions import OperationalError

    from notifications import outbox
    from notifications.models import PendingJob
    from notifications.tasks import run_pending_job

    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6399. Connection refused.")

    settings.ZS_IMPORT_BACKGROUND_ROWS = 2
    rows = "".join(f"P{n};Persoon {n};p{n}@example.org;Vergunningen;;\n" for n in range(5))
    text = "personeelsnummer;naam;e-mail;team;rollen;sinds\n" + rows
    url = upload(browser, text).url
    job = ImportFile.objects.get()

    monkeypatch.setattr(run_pending_job, "delay", refuse)  # the broker is down
    with django_capture_on_commit_callbacks(execute=True) as handed:
        assert check(browser, url, text).status_code == 302
    assert len(handed) == 1  # the hand-over ran after the commit, and failed
    job.refresh_from_db()
    waiting = PendingJob.objects.get()
    assert waiting.task == "rollen.tasks.check_import_file_task"
    assert waiting.enqueued_at is None and "OperationalError" in waiting.last_error
    assert job.status == ImportStatus.CHECKING  # waits; the page shows the progress
    monkeypatch.undo()  # the broker is back
    time_machine.shift(datetime.timedelta(seconds=30))  # past the sweep's grace (time stands)
    assert outbox.sweep() == 1  # eager here: handed over and run
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED and job.result["action_count"] == 10

    monkeypatch.setattr(run_pending_job, "delay", refuse)
    page = browser.get(url)
    with django_capture_on_commit_callbacks(execute=True) as handed:
        response = browser.post(
            f"{url}toepassen/",
            {"fingerprint": job.result["fingerprint"], "csrfmiddlewaretoken": csrf_from(page)},
        )
    assert response.status_code == 302 and len(handed) == 1  # not a 500
    job.refresh_from_db()
    assert job.status == ImportStatus.APPLYING  # claimed: a second apply is refused
    assert not Employee.objects.filter(personnel_number__startswith="P").exists()
    apply_job = PendingJob.objects.get(task="rollen.tasks.apply_import_file_task")
    assert apply_job.enqueued_at is None
    monkeypatch.undo()
    time_machine.shift(datetime.timedelta(seconds=30))
    assert outbox.sweep() == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.APPLIED
    assert Employee.objects.filter(personnel_number__startswith="P").count() == 5
    applied_at = job.applied_at

    # Run both jobs again (a sweep while they waited in the queue): nothing changes.
    PendingJob.objects.update(done_at=None)
    for pending in PendingJob.objects.all():
        assert outbox.run(job_id=pending.pk) is True
    job.refresh_from_db()
    assert job.status == ImportStatus.APPLIED and job.applied_at == applied_at
    assert Employee.objects.filter(personnel_number__startswith="P").count() == 5
    assert not PendingJob.objects.filter(done_at__isnull=True).exists()


# A whole organisation takes minutes: the import tasks have their own time limit, and a
# check or apply stopped by it says so instead of leaving the page "busy" for ever.


def test_the_import_tasks_have_their_own_time_limit_below_the_redelivery(settings):
    from rollen.tasks import apply_import_file_task, check_import_file_task

    for task in (check_import_file_task, apply_import_file_task):
        assert task.soft_time_limit == settings.ZS_IMPORT_TASK_TIME_LIMIT >= 1200
        assert task.time_limit > task.soft_time_limit > settings.CELERY_TASK_SOFT_TIME_LIMIT
        # Redis gives an unacknowledged task to another worker after this: never mid-import.
        assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > task.time_limit


def _checked_job(hr, text):
    job = import_file_store(data=text.encode(), filename="hr.csv", actor=hr)
    table = import_file_table(job)
    import_file_set_options(
        import_file=job, mapping=guess_mapping(table.header), deactivate_missing=False, encoding=""
    )
    return import_file_check(import_file_id=job.pk, actor=hr)


FIVE = "personeelsnummer;naam;e-mail;team\n" + "".join(
    f"P{n};Persoon {n};p{n}@example.org;Vergunningen\n" for n in range(5)
)


def test_a_check_stopped_by_the_time_limit_says_so(team, hr, monkeypatch):
    job = _checked_job(hr, FIVE)

    def too_long(**kwargs):
        raise SoftTimeLimitExceeded

    monkeypatch.setattr(jobs, "import_plan", too_long)
    job = import_file_check(import_file_id=job.pk, actor=hr)
    assert job.status == ImportStatus.FAILED and not job.busy
    assert "duurde te lang (meer dan 20 minuten)" in job.error


def test_an_apply_stopped_by_the_time_limit_changes_nothing_and_may_be_retried(
    team, hr, monkeypatch
):
    job = _checked_job(hr, FIVE)
    real_apply = jobs.import_apply

    def too_long(**kwargs):
        real_apply(**kwargs)  # everything written, then the limit strikes before the commit
        raise SoftTimeLimitExceeded

    monkeypatch.setattr(jobs, "import_apply", too_long)
    start = {"fingerprint": job.result["fingerprint"], "confirm_ends": True}
    import_file_start_apply(import_file=job, actor=hr, accept_email_matches=True, **start)
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED and "duurde te lang" in job.error
    assert not Employee.objects.filter(personnel_number__startswith="P").exists()
    monkeypatch.setattr(jobs, "import_apply", real_apply)
    import_file_start_apply(import_file=job, actor=hr, accept_email_matches=True, **start)
    job.refresh_from_db()
    assert job.status == ImportStatus.APPLIED
    assert Employee.objects.filter(personnel_number__startswith="P").count() == 5
    # The task delivered a second time (a worker lost): nothing twice, no error.
    again = jobs.import_file_apply(
        import_file_id=job.pk, actor=hr, accept_email_matches=True, **start
    )
    assert again.status == ImportStatus.APPLIED and not again.error

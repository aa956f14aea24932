"""Issue #14 P3: the file kept in a model with a retention period; a large file checked and
applied as a Celery task (eager here) with progress on the page."""

import datetime

import pytest
from django.utils import timezone

from rollen.imports.jobs import purge_import_files
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

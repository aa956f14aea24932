"""Issue 21: an export past ZS_EXPORT_BACKGROUND_ROWS is made by a background task; the user
is sent to a page that says when it is ready, downloads it there (only the person who asked),
and it is removed after ZS_EXPORT_RETENTION_HOURS."""

import datetime
import io

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from audit.models import AuditEvent
from rollen.export_jobs import export_file_build, purge_export_files
from rollen.models import ExportFile, ExportStatus
from teams.models import HR_GROUP
from tests.factories import EmployeeFactory
from tests.rollen.hr_data import build_history, on_today  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_today")]

PEOPLE = "/rollen/export/personen/"


@pytest.fixture
def history(team, other_team):
    build_history(team, other_team)  # three memberships on the reference date


def streamed(client, url, **params) -> bytes:
    response = client.get(url, params)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    return b"".join(response.streaming_content)


def ask_in_background(client, url, capture, **params):
    """Request the export; run the task queued at commit (eager in the tests)."""
    with capture(execute=True):
        response = client.get(url, params)
    assert response.status_code == 302, response
    return ExportFile.objects.get(), response


def test_small_exports_stream_in_the_request(client_for, hr, history, settings):
    settings.ZS_EXPORT_BACKGROUND_ROWS = 3
    content = streamed(client_for(hr), f"{PEOPLE}csv/")
    assert b"Ann Aalders" in content
    assert not ExportFile.objects.exists()


@pytest.mark.parametrize("file_format", ["csv", "csv-semicolon"])
def test_past_the_threshold_the_same_file_is_made_in_the_background(
    client_for, hr, history, settings, django_capture_on_commit_callbacks, file_format
):
    client = client_for(hr)
    settings.ZS_EXPORT_BACKGROUND_ROWS = 3
    direct = streamed(client, f"{PEOPLE}{file_format}/", team="")
    settings.ZS_EXPORT_BACKGROUND_ROWS = 2
    export_file, response = ask_in_background(
        client, f"{PEOPLE}{file_format}/", django_capture_on_commit_callbacks, team=""
    )
    assert response.url == f"/rollen/export/bestand/{export_file.pk}/"
    assert export_file.status == ExportStatus.READY
    assert export_file.rows == 3 and export_file.size == len(direct)
    download = client.get(f"/rollen/export/bestand/{export_file.pk}/download/")
    assert download.status_code == 200
    assert download.content == direct
    assert download["Content-Disposition"] == (
        f'attachment; filename="rollen-personen-2026-11-28'
        f'{"-puntkomma" if file_format == "csv-semicolon" else ""}.csv"'
    )


def test_the_page_tells_when_it_is_ready_and_the_xlsx_reads_back(
    client_for, hr, history, settings, django_capture_on_commit_callbacks
):
    client = client_for(hr)
    settings.ZS_EXPORT_BACKGROUND_ROWS = 1
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.get(f"{PEOPLE}xlsx/", follow=True)
    export_file = ExportFile.objects.get()
    page = response.content.decode()
    # Not made yet: the page says so and asks again every two seconds.
    assert export_file.status == ExportStatus.QUEUED
    assert f'hx-get="/rollen/export/bestand/{export_file.pk}/status/"' in page
    assert "/download/" not in page
    assert client.get(f"/rollen/export/bestand/{export_file.pk}/download/").status_code == 404
    for callback in callbacks:
        callback()
    status = client.get(f"/rollen/export/bestand/{export_file.pk}/status/", HTTP_HX_REQUEST="true")
    html = status.content.decode()
    assert "hx-get" not in html
    assert f"/rollen/export/bestand/{export_file.pk}/download/" in html
    download = client.get(f"/rollen/export/bestand/{export_file.pk}/download/")
    sheet = openpyxl.load_workbook(io.BytesIO(download.content)).active
    names = sorted(row[0] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert names == ["Ann Aalders", "Bob Bakker", "Cas Claassen"]


def test_only_the_person_who_asked_gets_the_file(
    client, hr, history, settings, django_capture_on_commit_callbacks
):
    settings.ZS_EXPORT_BACKGROUND_ROWS = 1
    client.force_login(hr)
    export_file, _response = ask_in_background(
        client, f"{PEOPLE}csv/", django_capture_on_commit_callbacks
    )
    colleague = EmployeeFactory(username="hr2")
    colleague.groups.add(Group.objects.get(name=HR_GROUP))
    client.force_login(colleague)
    for suffix in ("", "status/", "download/"):
        url = f"/rollen/export/bestand/{export_file.pk}/{suffix}"
        assert client.get(url, HTTP_HX_REQUEST="true").status_code == 404, url


def test_the_export_is_audited_once_with_its_rows(
    client_for, hr, history, settings, django_capture_on_commit_callbacks
):
    settings.ZS_EXPORT_BACKGROUND_ROWS = 1
    export_file, _response = ask_in_background(
        client_for(hr), f"{PEOPLE}xlsx/", django_capture_on_commit_callbacks
    )
    events = AuditEvent.objects.filter(action="export", object_type="rollen.personen")
    assert [(e.actor_id, e.details["rows"]) for e in events] == [(hr.pk, 3)]
    export_file_build(export_file_id=export_file.pk)  # a second run of the task does nothing
    assert events.count() == 1


def test_kept_for_the_configured_hours_then_removed(
    client_for, hr, history, settings, django_capture_on_commit_callbacks
):
    settings.ZS_EXPORT_BACKGROUND_ROWS = 1
    settings.ZS_EXPORT_RETENTION_HOURS = 2
    client = client_for(hr)
    export_file, _response = ask_in_background(
        client, f"{PEOPLE}csv/", django_capture_on_commit_callbacks
    )
    url = f"/rollen/export/bestand/{export_file.pk}/download/"
    assert client.get(url).status_code == 200
    made = export_file.created_at
    assert purge_export_files(now=made + datetime.timedelta(hours=1, minutes=59)) == 0
    ExportFile.objects.filter(pk=export_file.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=2, minutes=1)
    )
    assert client.get(url).status_code == 404  # past its time, even before the purge
    assert purge_export_files() == 1
    assert not ExportFile.objects.exists()


def test_a_failed_export_says_so(
    client_for, hr, history, settings, django_capture_on_commit_callbacks, monkeypatch
):
    settings.ZS_EXPORT_BACKGROUND_ROWS = 1

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("rollen.export_jobs.export_stream", broken)
    client = client_for(hr)
    export_file, _response = ask_in_background(
        client, f"{PEOPLE}csv/", django_capture_on_commit_callbacks
    )
    assert export_file.status == ExportStatus.FAILED
    page = client.get(f"/rollen/export/bestand/{export_file.pk}/").content.decode()
    assert 'role="alert"' in page and "/download/" not in page
    assert client.get(f"/rollen/export/bestand/{export_file.pk}/download/").status_code == 404

"""HR's journey with a large export (issue 21): the request, the notice that the file is
being made, the page turning to "ready" by itself when the background task is done, the
download, and the file read back with openpyxl."""

import openpyxl

from rollen.export_jobs import export_file_build
from rollen.models import ExportFile, ExportStatus
from teams.models import Membership
from tests.e2e.conftest import PHONE, assert_accessible, log_in, screenshot


def test_large_export_is_made_in_the_background(
    page, live_server, demo_org, tmp_path, settings, monkeypatch
):
    # Past the threshold (the demo has ~40 memberships); the task is queued, not run, so the
    # page is seen while the file is being made; the test then does the worker's part.
    settings.ZS_EXPORT_BACKGROUND_ROWS = 10
    queued = []
    monkeypatch.setattr("rollen.tasks.build_export_file_task.delay", queued.append)
    log_in(page, live_server, "hr")
    page.goto(f"{live_server.url}/rollen/personen/")
    page.get_by_role("link", name="Excel (.xlsx)").click()
    page.wait_for_url("**/rollen/export/bestand/*/")
    notice = page.locator("#export-status [role=status]")
    assert "wordt daarom op de achtergrond gemaakt" in notice.inner_text()
    assert page.get_by_role("link", name="Download").count() == 0
    assert_accessible(page)
    screenshot(page, "hr-export-background-busy")

    export_file = ExportFile.objects.get()
    assert queued == [export_file.pk] and export_file.status == ExportStatus.QUEUED
    export_file_build(export_file_id=export_file.pk)
    link = page.get_by_role("link", name="Download rollen-personen-")
    link.wait_for(timeout=10_000)  # htmx asks every two seconds; no reload
    assert "Het bestand is klaar" in page.locator("#export-status [role=status]").inner_text()
    assert_accessible(page)
    screenshot(page, "hr-export-background-ready")
    page.set_viewport_size(PHONE)
    screenshot(page, "hr-export-background-ready-phone")

    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.startswith("rollen-personen-")
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("Naam", "Personeelsnummer", "E-mailadres", "Team")
    members = Membership.objects.filter(until__isnull=True).count()
    assert len(rows) - 1 >= members > 10  # one row per membership, more for two roles

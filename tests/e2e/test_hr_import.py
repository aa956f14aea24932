"""HR's import journey (#14): a Windows-1252 semicolon file with a saved mapping, the
check running in the background with its progress on the page, the summary, the
confirmation, the result and the person's history page."""

from playwright.sync_api import expect

from notifications import outbox
from notifications.tasks import run_pending_job
from rollen.models import ImportFile, ImportMapping
from teams.models import Employee, Membership, Team
from tests.e2e.conftest import assert_accessible, log_in, screenshot


def test_hr_imports_a_windows_file_with_a_saved_mapping(
    page, live_server, demo_org, tmp_path, settings, monkeypatch
):
    # The check runs as a background task (as for a whole organisation): recorded as an
    # outbox job and queued here, then run by the test below while the browser watches.
    settings.ZS_IMPORT_BACKGROUND_ROWS = 1
    queued = []
    monkeypatch.setattr(run_pending_job, "delay", queued.append)
    first, second = Team.objects.order_by("name")[:2]
    ImportMapping.objects.create(
        name="AFAS Profit",
        columns={
            "personnel_number": "Medewerker", "first_name": "Roepnaam",
            "name_prefix": "Voorvoegsel", "last_name": "Achternaam", "email": "E-mail werk",
            "team": "Organisatorische eenheid", "since": "Datum in dienst",
        },
        encoding="cp1252",
    )  # fmt: skip
    # Someone already in the portal moves to another team: a membership ends.
    mover = Membership.objects.filter(team=first, until__isnull=True).first().employee
    mover.personnel_number = "M-1"
    mover.save()
    text = (
        "Medewerker;Roepnaam;Voorvoegsel;Achternaam;E-mail werk;Organisatorische eenheid;"
        "Datum in dienst\r\n"
        f"M-900;Renée;van der;Wiel;renee.vanderwiel@example.org;{first.name};01-02-2025\r\n"
        f"M-1;{mover.name};;;{mover.email};{second.name};01-03-2025\r\n"
    )
    path = tmp_path / "afas-export.csv"
    path.write_bytes(text.encode("cp1252"))

    page.set_viewport_size({"width": 1366, "height": 900})  # HR's usual laptop screen
    log_in(page, live_server, "hr")
    page.goto(f"{live_server.url}/rollen/import/")
    screenshot(page, "hr-import-upload")
    page.get_by_label("Csv- of Excel-bestand").set_input_files(str(path))
    page.get_by_role("button", name="Uploaden en controleren").click()
    page.wait_for_url("**/rollen/import/*/")
    assert "Windows-1252" in page.content()
    page.get_by_label("Gebruik bewaarde kolomkeuzes").select_option(label="AFAS Profit")
    page.get_by_role("button", name="Gebruik deze kolomkeuzes").click()
    page.get_by_role("button", name="Controleer wat er verandert").click()
    progress = page.locator("#import-progress")
    progress.wait_for()
    expect(progress).to_be_in_viewport()  # scrolled to, below the long column form
    assert "Het bestand wordt gecontroleerd. 0% klaar." in progress.inner_text()
    assert_accessible(page)
    job = ImportFile.objects.get()
    ImportFile.objects.filter(pk=job.pk).update(progress=30)  # as the task does
    page.get_by_text("30% klaar").wait_for()  # htmx polls every 2 s: no reload by hand
    assert page.locator("#import-progress progress").evaluate("bar => bar.position") == 0.3
    screenshot(page, "hr-import-progress")
    [pending_job_id] = queued
    assert outbox.run(job_id=pending_job_id)  # the worker's turn
    settings.ZS_IMPORT_BACKGROUND_ROWS = 500  # the apply of these few changes: at once
    summary = page.locator("table.import-summary")
    summary.wait_for()
    expect(summary).to_be_in_viewport()  # the page reloaded itself at the result
    assert "Nieuwe mensen" in summary.inner_text()
    assert "Renée van der Wiel" in page.content()
    assert_accessible(page)
    screenshot(page, "hr-import-check")

    page.get_by_label("Ja, stop deze rollen en lidmaatschappen").check()
    page.get_by_role("button", name="Pas deze wijzigingen toe").click()
    page.wait_for_url("**/rollen/audit/")
    assert "Import klaar" in page.content()
    person = Employee.objects.get(personnel_number="M-900")
    assert person.name == "Renée van der Wiel"
    assert Membership.objects.get(employee=mover, team=first).until is not None

    page.get_by_role("link", name="Persoon zoeken").click()
    page.get_by_label("Naam of personeelsnummer").fill("M-900")
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_role("link", name="Renée van der Wiel").click()
    assert page.get_by_role("heading", name="Renée van der Wiel").is_visible()
    assert first.name in page.locator("table").first.inner_text()
    assert_accessible(page)
    screenshot(page, "hr-person-history")

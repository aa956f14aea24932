"""HR's journey: the role overview on a past date, the XLSX download, the other tabs."""

import datetime

import openpyxl
from django.utils import timezone

from tests.e2e.conftest import DESKTOP, PHONE, assert_accessible, log_in, screenshot


def test_hr_overview_on_a_past_date_and_xlsx_download(page, live_server, demo_org, tmp_path):
    log_in(page, live_server, "hr")
    page.get_by_role("link", name="Rollen (P&O)").click()
    assert page.get_by_role("heading", name="Rollen in de teams", level=1).is_visible()
    assert_accessible(page)
    screenshot(page, "hr-matrix-desktop")

    past = timezone.localdate() - datetime.timedelta(days=180)
    page.get_by_label("Peildatum").fill(past.isoformat())
    page.get_by_role("button", name="Toon").click()
    page.wait_for_url(f"**peildatum={past.isoformat()}**")
    caption = page.locator("caption").first.inner_text()
    assert str(past.year) in caption

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Excel (.xlsx)").click()
    download = download_info.value
    assert download.suggested_filename == f"rollen-matrix-{past.isoformat()}.xlsx"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    sheet = openpyxl.load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Team", "Gemeente")
    assert len(rows) == 1 + 4  # the header and the four demo teams
    table_teams = page.locator("table.role-summary tbody th").all_inner_texts()
    assert sorted(row[0] for row in rows[1:]) == sorted(
        text.splitlines()[0].strip() for text in table_teams
    )

    page.set_viewport_size(PHONE)
    screenshot(page, "hr-matrix-phone")
    page.set_viewport_size(DESKTOP)

    page.get_by_role("link", name="Per persoon").click()
    assert page.get_by_role("heading", name="Rollen in de teams").is_visible()
    assert_accessible(page)
    screenshot(page, "hr-people-desktop")

    page.get_by_role("link", name="Data vergelijken").click()
    page.get_by_label("Van").fill(past.isoformat())
    page.get_by_role("button", name="Toon").click()
    assert page.get_by_role("heading", name="Rol erbij").is_visible()
    assert_accessible(page)
    screenshot(page, "hr-compare-desktop")

    page.get_by_role("link", name="Importeren").click()
    assert page.get_by_role("heading", name="Stap 1 van 3: kies het bestand").is_visible()
    assert_accessible(page)
    screenshot(page, "hr-import-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "hr-import-phone")

    page.set_viewport_size(DESKTOP)
    page.get_by_role("link", name="Audit", exact=True).click()
    assert page.get_by_role("cell", name="Download van een overzicht: matrix (xlsx)").is_visible()
    assert_accessible(page)


def test_import_journey_in_the_browser(page, live_server, demo_org, tmp_path):
    log_in(page, live_server, "hr")
    page.goto(f"{live_server.url}/rollen/import/")
    csv_file = tmp_path / "hr.csv"
    csv_file.write_text(
        "personeelsnummer;naam;e-mail;team;rollen;sinds\n"
        "P900001;Zoë Zandbergen;zoe@example.org;Burgerzaken;vakman|facilitator;01-03-2026\n"
        "P900002;Yara Yilmaz;geen-mail;Onbekend;tovenaar;2026-13-01\n",
        encoding="utf-8-sig",
    )
    page.get_by_label("Csv- of Excel-bestand").set_input_files(str(csv_file))
    page.get_by_role("button", name="Uploaden en controleren").click()
    assert page.get_by_label("Team").input_value() == "3"  # guessed from the header
    page.get_by_role("button", name="Controleer wat er verandert").click()
    assert page.get_by_text("Er is geen team met de naam 'Onbekend'.").is_visible()
    assert page.get_by_role("button", name="Pas deze wijzigingen toe").count() == 0
    assert_accessible(page)
    screenshot(page, "hr-import-check-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "hr-import-check-phone")

"""HR's import journey (#14): a Windows-1252 semicolon file with a saved mapping, the
summary, the confirmation, the result and the person's history page."""

from rollen.models import ImportMapping
from teams.models import Employee, Membership, Team
from tests.e2e.conftest import assert_accessible, log_in, screenshot


def test_hr_imports_a_windows_file_with_a_saved_mapping(page, live_server, demo_org, tmp_path):
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

    log_in(page, live_server, "hr")
    page.goto(f"{live_server.url}/rollen/import/")
    page.get_by_label("Csv- of Excel-bestand").set_input_files(str(path))
    page.get_by_role("button", name="Uploaden en controleren").click()
    page.wait_for_url("**/rollen/import/*/")
    assert "Windows-1252" in page.content()
    page.get_by_label("Gebruik bewaarde kolomkeuzes").select_option(label="AFAS Profit")
    page.get_by_role("button", name="Gebruik deze kolomkeuzes").click()
    page.get_by_role("button", name="Controleer wat er verandert").click()
    summary = page.locator("table.import-summary")
    summary.wait_for()
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

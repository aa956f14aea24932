from tests.e2e.conftest import PHONE, assert_accessible, log_in, screenshot


def test_employee_logs_in_and_sees_their_team(page, live_server, demo_org):
    page.goto(live_server.url + "/")
    assert "/account/login/" in page.url  # every page needs log-in
    assert_accessible(page)
    screenshot(page, "login")

    log_in(page, live_server, "medewerker")
    assert page.get_by_role("heading", name="Welkom, Mila").is_visible()
    page.get_by_role("link", name="Burgerzaken").click()
    assert page.get_by_role("heading", name="Burgerzaken", level=1).is_visible()
    assert page.get_by_role("cell", name="Mila de Vries").is_visible()
    assert_accessible(page)
    screenshot(page, "team-desktop")
    page.set_viewport_size(PHONE)
    screenshot(page, "team-phone")


def test_wrong_password_is_explained(page, live_server, demo_org):
    page.goto(live_server.url + "/account/login/")
    page.get_by_label("Gebruikersnaam").fill("medewerker")
    page.get_by_label("Wachtwoord").fill("fout")
    page.get_by_role("button", name="Inloggen").click()
    assert page.get_by_role("alert").is_visible()
    assert "/account/login/" in page.url
    assert_accessible(page)


def test_language_switch_to_english(page, live_server, demo_org):
    log_in(page, live_server, "medewerker")
    page.get_by_label("Taal").select_option("en")
    page.get_by_role("button", name="Wissel").click()
    assert page.get_by_role("heading", name="My teams").is_visible()
    assert page.locator("html").get_attribute("lang") == "en"

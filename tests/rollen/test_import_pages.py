"""The import pages: upload → check (a POST, the file kept in an ImportFile) → apply, as a
browser would (CSRF enforced)."""

import io
import re

import pytest
from django.test import Client

from rollen.imports import guess_mapping, read_table
from rollen.models import ImportFile, ImportMapping, ImportStatus
from teams.models import Employee
from tests.rollen.hr_data import on_today  # noqa: F401
from tests.rollen.test_imports import BAD, GOOD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_today")]


def csrf_from(response):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())[1]


def upload(client, data, name="hr.csv"):
    page = client.get("/rollen/import/")
    file = io.BytesIO(data if isinstance(data, bytes) else data.encode("utf-8"))
    file.name = name
    return client.post("/rollen/import/", {"file": file, "csrfmiddlewaretoken": csrf_from(page)})


def mapping_params(data, **extra):
    header = read_table(data if isinstance(data, bytes) else data.encode()).header
    params = {f"column_{k}": "" if v is None else str(v) for k, v in guess_mapping(header).items()}
    return {**params, "check": "1", **extra}


def check(client, url, data, **extra):
    page = client.get(url)
    return client.post(
        url, {**mapping_params(data, **extra), "csrfmiddlewaretoken": csrf_from(page)}
    )


@pytest.fixture
def browser(hr):
    client = Client(enforce_csrf_checks=True)
    client.force_login(hr)
    return client


def test_upload_check_and_apply(team, other_team, browser, hr):
    response = upload(browser, GOOD)
    job = ImportFile.objects.get()
    assert response.status_code == 302 and response.url == f"/rollen/import/{job.pk}/"
    assert job.uploaded_by == hr and job.encoding == "utf-8"
    page = browser.get(response.url)
    assert page.context["form"]["column_team"].value() == 3  # guessed from the header
    assert "Tekenset: UTF-8" in page.content.decode()
    # The dry run is a POST; the result is kept on the job.
    assert check(browser, response.url, GOOD).status_code == 302
    page = browser.get(response.url)
    content = page.content.decode()
    assert "Dana Dekker komt in team Vergunningen op 2024-03-01" in content
    assert "Samenvatting" in content and "Nieuwe mensen" in content
    assert "Pas deze wijzigingen toe" in content
    job.refresh_from_db()
    apply_url = f"/rollen/import/{job.pk}/toepassen/"
    assert browser.post(apply_url, {"fingerprint": job.result["fingerprint"]}).status_code == 403
    data = {"fingerprint": job.result["fingerprint"], "csrfmiddlewaretoken": csrf_from(page)}
    response = browser.post(apply_url, data)
    assert response.status_code == 302 and response.url == "/rollen/audit/"
    assert Employee.objects.filter(personnel_number="P200").exists()
    job.refresh_from_db()
    assert job.status == ImportStatus.APPLIED
    # The same form again (a double click, a second tab): told, nothing twice.
    response = browser.post(apply_url, data, follow=True)
    assert "al toegepast" in response.content.decode()
    assert Employee.objects.filter(personnel_number="P200").count() == 1


def test_problems_show_and_apply_is_refused(team, other_team, browser):
    url = upload(browser, BAD).url
    check(browser, url, BAD)
    page = browser.get(url)
    content = page.content.decode()
    assert "Er is geen team met de naam" in content
    assert "Pas deze wijzigingen toe" not in content
    job = ImportFile.objects.get()
    browser.post(
        f"/rollen/import/{job.pk}/toepassen/",
        {"fingerprint": job.result["fingerprint"], "csrfmiddlewaretoken": csrf_from(page)},
    )
    assert not Employee.objects.filter(personnel_number="P305").exists()


def test_mapping_is_checked_and_can_be_saved_and_reused(team, other_team, browser):
    text = (
        "nr;volledige naam;mail;afdeling;functie;datum\n"
        "P1;A B;a@example.org;Vergunningen;vakman;2025-01-01\n"
    )
    url = upload(browser, text).url
    page = browser.get(url)
    assert page.context["form"]["column_roles"].value() is None  # "functie" not guessed
    response = browser.post(
        url,
        {"column_name": "1", "column_team": "1", "csrfmiddlewaretoken": csrf_from(page)},
    )
    assert response.status_code == 200
    assert "Je kunt elke kolom maar voor één veld gebruiken." in response.content.decode()
    params = {
        "column_personnel_number": "0", "column_name": "1", "column_email": "2",
        "column_team": "3", "column_roles": "4", "column_since": "5", "save_as": "Eigen systeem",
        "csrfmiddlewaretoken": csrf_from(page),
    }  # fmt: skip
    assert browser.post(url, params).status_code == 302
    assert ImportFile.objects.get().result["summary"][4][2] == 1  # one role started
    saved = ImportMapping.objects.get(name="Eigen systeem")
    assert saved.columns["roles"] == "functie"
    # Next file: the saved choices are offered and fill the form.
    url = upload(browser, text).url
    page = browser.get(url, {"source": saved.pk})
    assert page.context["form"]["column_roles"].value() == 4


def test_too_large_and_unreadable_uploads_are_refused(hr, client_for, settings):
    settings.ZS_IMPORT_MAX_BYTES = 1024
    client = client_for(hr)
    big = io.BytesIO(b"naam;team\n" + b"x;y\n" * 400)
    big.name = "big.csv"
    response = client.post("/rollen/import/", {"file": big})
    assert response.status_code == 200
    assert "Het bestand is te groot (1,6\xa0KB). Het maximum is 1,0\xa0KB." in (
        response.content.decode()
    )
    huge = io.BytesIO(b"naam;team\n" + b"x;y\n" * 40_000)
    huge.name = "huge.csv"
    response = client.post("/rollen/import/", {"file": huge}, follow=True)
    assert "KB). Het maximum is 1,0\xa0KB." in response.content.decode()
    pdf = io.BytesIO(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    pdf.name = "lijst.csv"
    response = client.post("/rollen/import/", {"file": pdf})
    assert "Dit is een pdf-bestand" in response.content.decode()
    assert not ImportFile.objects.exists()


def test_someone_elses_import_is_not_found(team, browser, client_for, hr, request):
    url = upload(browser, GOOD).url
    other_hr = request.getfixturevalue("superuser")
    assert client_for(other_hr).get(url).status_code == 200  # an administrator may
    from tests.factories import EmployeeFactory

    colleague = EmployeeFactory()
    colleague.groups.add(*hr.groups.all())
    assert client_for(colleague).get(url).status_code == 404


def test_a_file_with_a_problem_on_every_line_shows_the_first_500(team, browser, settings):
    # A whole organisation with the wrong team column: the page stays small and says so.
    settings.ZS_IMPORT_BACKGROUND_ROWS = 10_000
    text = "personeelsnummer;naam;e-mail;team\n" + "".join(
        f"P{n};Persoon {n};p{n}@example.org;Onbekend\n" for n in range(600)
    )
    url = upload(browser, text).url
    check(browser, url, text)
    job = ImportFile.objects.get()
    assert job.result["problem_count"] == 600 and len(job.result["problems"]) == 500
    content = browser.get(url).content.decode()
    assert "600 problemen: verbeter het bestand" in content
    assert "Problemen per regel (de eerste 500 staan hier)" in content
    assert content.count("Er is geen team met de naam") == 500
    assert "Pas deze wijzigingen toe" not in content

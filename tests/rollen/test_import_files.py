"""Issue #14 P2: the files HR systems really make."""

import datetime
import io

import pytest
from openpyxl import Workbook

from rollen.imports import guess_mapping, import_plan, parse_date, read_table
from tests.rollen.hr_data import on_today  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_today")]

ROWS = [
    ["personeelsnummer", "naam", "e-mail", "team", "rollen", "sinds"],
    ["P1", "José Müller", "jose@example.org", "Vergunningen", "vakman", "01-03-2024"],
]


def csv_bytes(rows, delimiter=";", encoding="utf-8", bom=False):
    text = "\r\n".join(delimiter.join(row) for row in rows) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)


@pytest.mark.parametrize(
    ("encoding", "bom", "detected"),
    [("utf-8", False, "utf-8"), ("utf-8", True, "utf-8"), ("cp1252", False, "cp1252")],
)
@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_encodings_and_delimiters(encoding, bom, detected, delimiter):
    table = read_table(csv_bytes(ROWS, delimiter, encoding, bom))
    assert table.encoding == detected and table.delimiter == delimiter
    assert table.header[0] == "personeelsnummer"
    assert table.rows == [ROWS[1]]


def test_latin1_is_detected_and_the_choice_can_be_overridden():
    data = "naam;team\nA\x81Bé;X\n".encode("latin-1")  # 0x81 is not in Windows-1252
    assert read_table(data).encoding == "latin-1"
    cp = "naam;team\nRené – Œ;X\n".encode("cp1252")
    assert read_table(cp).rows == [["René – Œ", "X"]]
    assert read_table(cp, encoding="latin-1").rows[0][0] != "René – Œ"  # the user's choice


def test_xlsx_first_sheet_with_dates_and_numbers(team):
    book = Workbook()
    sheet = book.active
    sheet.append(["Personeelsnummer", "Roepnaam", "Voorvoegsel", "Achternaam", "E-mail werk",
                  "Organisatorische eenheid", "Datum in dienst", "FTE"])  # fmt: skip
    sheet.append([1234, "Anne", "van der", "Berg", "anne@example.org", "Vergunningen",
                  datetime.datetime(2024, 3, 1, 0, 0), 0.8])  # fmt: skip
    sheet.append([])
    sheet.append([1235, "Bo", None, "Claes", "bo@example.org", "Vergunningen", None, 1])
    buffer = io.BytesIO()
    book.save(buffer)
    table = read_table(buffer.getvalue())
    assert table.encoding == "xlsx" and table.lines == [2, 4]
    mapping = guess_mapping(table.header)
    assert mapping["first_name"] == 1 and mapping["team"] == 5 and mapping["fte"] == 7
    plan = import_plan(table=table, mapping=mapping)
    assert not plan.has_problems, plan.problems
    first = plan.rows[0]
    assert (first.personnel_number, first.name, first.since) == (
        "1234", "Anne van der Berg", datetime.date(2024, 3, 1),
    )  # fmt: skip
    assert str(first.fte) == "0.8000" and plan.rows[1].name == "Bo Claes"


@pytest.mark.parametrize(
    "header",
    [
        # AFAS Profit
        ["Medewerker", "Roepnaam", "Voorvoegsel", "Achternaam", "E-mail werk",
         "Organisatorische eenheid", "Datum in dienst", "Datum uit dienst", "Deeltijdfactor"],
        # Visma Raet Youforce
        ["Personeelsnummer", "Roepnaam", "Voorvoegsels", "Achternaam", "E-mailadres",
         "Afdeling", "Datum in dienst", "Datum uit dienst", "FTE"],
    ],
)  # fmt: skip
def test_known_hr_system_headers(header):
    mapping = guess_mapping(header)
    assert mapping["first_name"] == 1 and mapping["last_name"] == 3 and mapping["email"] == 4
    assert mapping["team"] == 5 and mapping["since"] == 6 and mapping["until"] == 7
    assert mapping["fte"] == 8


@pytest.mark.parametrize(
    "text", ["2024-03-01", "01-03-2024", "20240301", "2024-03-01 00:00:00", "01-03-2024 08:30",
             "2024-03-01T00:00:00", "01/03/2024", "01.03.2024"],
)  # fmt: skip
def test_date_formats(text):
    assert parse_date(text) == datetime.date(2024, 3, 1)


def test_saved_mapping_by_column_name_wins_over_guesses():
    header = ["Code", "Naam", "Team", "Rol", "Mail"]
    mapping = guess_mapping(header, saved={"personnel_number": "code", "roles": "Rol"})
    assert mapping["personnel_number"] == 0 and mapping["roles"] == 3 and mapping["email"] == 4


def test_fte_and_department_are_kept_when_mapped(team):
    from rollen.imports import import_apply
    from teams.models import Employee

    text = (
        "Personeelsnummer;Naam;Team;Afdeling;Deeltijdfactor\nP5;Ed;Vergunningen;Publiekszaken;0,8\n"
    )
    table = read_table(text.encode())
    mapping = guess_mapping(table.header)
    assert mapping["department"] == 3 and mapping["fte"] == 4
    import_apply(table=table, mapping=mapping)
    person = Employee.objects.get(personnel_number="P5")
    details = person.hr_details
    assert (details.department, str(details.fte)) == ("Publiekszaken", "0.8000")
    assert import_plan(table=table, mapping=mapping).actions == []
    changed = read_table(text.replace("0,8", "90%").encode())
    plan = import_plan(table=changed, mapping=mapping)
    assert [a.kind for a in plan.actions] == ["update_details"]
    assert "0.8000 → 0.9000" in plan.actions[0].description

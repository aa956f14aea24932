import csv
import datetime
import io

import openpyxl
import pytest
from django.http import StreamingHttpResponse

from audit.models import AuditEvent
from rollen.exports import Column, csv_stream, neutralise, xlsx_stream
from tests.factories import EmployeeFactory, MembershipFactory, RoleAssignmentFactory, role
from tests.rollen.hr_data import PAST, build_history, on_today  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_today")]


def download(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    return response, b"".join(response.streaming_content)


def read_csv(content, delimiter=","):
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 byte order mark, for Excel
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=delimiter))


def read_xlsx(content):
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return workbook.active


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+31 6 123", "'+31 6 123"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Ann", "Ann"),
        ("a=b", "a=b"),
        ("", ""),
        (None, None),
        (datetime.date(2026, 1, 1), datetime.date(2026, 1, 1)),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_writers_neutralise_formulas_and_keep_dates():
    columns = [Column("Naam"), Column("Sinds")]
    rows = [['=HYPERLINK("http://x")', datetime.date(2026, 3, 1)], ["@cmd", None]]
    parsed = read_csv(b"".join(csv_stream(columns=columns, rows=rows, delimiter=";")), ";")
    assert parsed == [["Naam", "Sinds"], ['\'=HYPERLINK("http://x")', "2026-03-01"], ["'@cmd", ""]]
    sheet = read_xlsx(b"".join(xlsx_stream(title="t", columns=columns, rows=rows)))
    # XLSX: text cells hold the text itself, as text (no formula, no visible apostrophe).
    assert sheet["A2"].value == '=HYPERLINK("http://x")'
    assert sheet["A2"].data_type == "s" and sheet["A2"].quotePrefix
    assert sheet["A3"].value == "@cmd" and sheet["A3"].data_type == "s"
    assert sheet["B2"].value == datetime.datetime(2026, 3, 1)
    assert sheet["B2"].is_date


def test_matrix_export_xlsx_on_a_past_date(client_for, hr, team, other_team):
    build_history(team, other_team)
    response, content = download(
        client_for(hr), "/rollen/export/matrix/xlsx/", {"peildatum": PAST.isoformat()}
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="rollen-matrix-2025-06-01.xlsx"'
    )
    sheet = read_xlsx(content)
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:2] == ["Team", "Gemeente"]
    assert rows[0][2:] == [
        role(s).name_nl for s in ("ondernemer", "samenwerkingspartner", "vakman", "facilitator")
    ]
    assert rows[1] == ["Burgerzaken", "Beide gemeenten", None, None, None, None]
    assert rows[2] == ["Vergunningen", "Beide gemeenten", None, None, "Ann Aalders", "Bob Bakker"]
    assert sheet["A1"].font.b
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 13  # fitted: "Vergunningen" + 1
    event = AuditEvent.objects.get(action="export")
    assert event.actor == hr
    assert event.details["rows"] == 2
    assert event.details["filters"]["peildatum"] == "2025-06-01"
    assert event.details["format"] == "xlsx"


def test_people_export_csv_semicolon_with_real_rows(client_for, hr, team, other_team):
    ann, bob, cas = build_history(team, other_team)
    MembershipFactory(employee=EmployeeFactory(name="=cmd|' /C calc'!A0"), team=other_team)
    response, content = download(
        client_for(hr), "/rollen/export/personen/csv-semicolon/", {"team": other_team.slug}
    )
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="rollen-personen-2026-11-28-{other_team.slug}-puntkomma.csv"'
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = read_csv(content, ";")
    assert rows[0] == [
        "Naam", "Personeelsnummer", "E-mailadres", "Team", "Gemeente", "Lid sinds", "Rol",
        "Rol sinds",
    ]  # fmt: skip
    assert rows[1:] == [
        ["'=cmd|' /C calc'!A0", "", rows[1][2], "Burgerzaken", "Beide gemeenten",
         rows[1][5], "", ""],
        ["Cas Claassen", "P3", "cas@example.org", "Burgerzaken", "Beide gemeenten",
         "2026-02-01", role("samenwerkingspartner").name_nl, "2026-02-01"],
    ]  # fmt: skip


def test_people_export_xlsx_has_one_row_per_role_with_real_dates(client_for, hr, team, other_team):
    ann, bob, cas = build_history(team, other_team)
    RoleAssignmentFactory(
        employee=ann, team=team, role=role("ondernemer"), since=datetime.date(2025, 1, 1)
    )
    _response, content = download(
        client_for(hr), "/rollen/export/personen/xlsx/", {"team": team.slug}
    )
    sheet = read_xlsx(content)
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert [(r[0], r[6], r[7]) for r in rows] == [
        ("Ann Aalders", role("ondernemer").name_nl, datetime.datetime(2025, 1, 1)),
        ("Ann Aalders", role("vakman").name_nl, datetime.datetime(2024, 1, 1)),
        ("Bob Bakker", role("ondernemer").name_nl, datetime.datetime(2026, 1, 1)),
    ]
    assert sheet["F2"].is_date and sheet["H2"].is_date


def test_compare_export_csv(client_for, hr, team, other_team):
    build_history(team, other_team)
    response, content = download(
        client_for(hr),
        "/rollen/export/vergelijking/csv/",
        {"date_from": "2025-06-01", "date_to": "2026-11-28"},
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="rollen-vergelijking-2025-06-01-2026-11-28.csv"'
    )
    rows = read_csv(content)
    assert rows[0] == ["Wijziging", "Naam", "Personeelsnummer", "Team", "Rol", "Sinds", "Tot"]
    assert [(r[0], r[1], r[4]) for r in rows[1:]] == [
        ("erbij", "Cas Claassen", role("samenwerkingspartner").name_nl),
        ("erbij", "Bob Bakker", role("ondernemer").name_nl),
        ("eraf", "Bob Bakker", role("facilitator").name_nl),
    ]
    assert rows[3][6] == "2025-12-31"
    assert AuditEvent.objects.get(action="export").details["rows"] == 3


def test_unknown_export_is_404(client_for, hr):
    client = client_for(hr)
    assert client.get("/rollen/export/matrix/pdf/").status_code == 404
    assert client.get("/rollen/export/salarissen/csv/").status_code == 404
    assert not AuditEvent.objects.exists()


def test_export_query_count_does_not_grow(
    client_for, hr, team, other_team, django_assert_max_num_queries
):
    from tests.rollen.hr_data import add_people

    build_history(team, other_team)
    client = client_for(hr)
    download(client, "/rollen/export/personen/csv/")
    with django_assert_max_num_queries(15) as small:
        download(client, "/rollen/export/personen/csv/")
    add_people(team, 30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        _response, content = download(client, "/rollen/export/personen/csv/")
    assert len(read_csv(content)) == 1 + 3 + 30

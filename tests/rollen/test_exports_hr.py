"""Issue #14 P4: exports HR can use."""

import datetime
import io

import openpyxl
import pytest

from audit.models import AuditEvent
from rollen.exports import Column, csv_stream, xlsx_stream
from rollen.imports import guess_mapping, import_apply, read_table
from teams.models import Employee
from tests.factories import EmployeeFactory, MembershipFactory, RoleAssignmentFactory
from tests.rollen.hr_data import on_today  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_today")]


def test_header_cells_are_neutralised_too():
    columns = [Column("=SUM(A1)"), Column("Naam")]
    csv = b"".join(csv_stream(columns=columns, rows=[["x", "y"]])).decode("utf-8-sig")
    assert csv.splitlines()[0] == "'=SUM(A1),Naam"
    book = openpyxl.load_workbook(
        io.BytesIO(b"".join(xlsx_stream(title="t", columns=columns, rows=[["=1+1", "-5"]])))
    )
    sheet = book.active
    assert (sheet["A1"].value, sheet["A1"].data_type) == ("=SUM(A1)", "s")
    assert (sheet["A2"].value, sheet["A2"].data_type) == ("=1+1", "s")
    assert (sheet["B2"].value, sheet["B2"].data_type) == ("-5", "s")


def test_xlsx_layout_for_printing_and_filtering():
    rows = [["kort", datetime.date(2026, 1, 1)], ["x" * 300, None]]
    content = b"".join(xlsx_stream(title="t", columns=[Column("A"), Column("B")], rows=rows))
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet.auto_filter.ref == "A1:B3"
    assert sheet.column_dimensions["A"].width == 60  # capped
    assert sheet.column_dimensions["B"].width == 11
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.print_title_rows == "$1:$1"
    assert "&P" in sheet.oddFooter.center.text


def test_file_names_carry_overview_date_and_filters(client_for, hr, team):
    client = client_for(hr)
    names = set()
    for fmt in ("csv", "csv-semicolon", "xlsx"):
        response = client.get(f"/rollen/export/matrix/{fmt}/", {"team": team.slug})
        b"".join(response.streaming_content)
        names.add(response["Content-Disposition"])
    assert len(names) == 3
    assert any(f"rollen-matrix-2026-11-28-{team.slug}.csv" in name for name in names)


def test_audit_records_the_rows_actually_written(client_for, hr, team):
    for n in range(3):
        person = EmployeeFactory(name=f"P {n}")
        MembershipFactory(employee=person, team=team, since=datetime.date(2024, 1, 1))
    first = Employee.objects.get(name="P 0")
    from rollen.models import Role

    for role in Role.objects.all()[:2]:
        RoleAssignmentFactory(employee=first, team=team, role=role, since=datetime.date(2024, 1, 1))
    response = client_for(hr).get("/rollen/export/personen/csv/")
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    event = AuditEvent.objects.get(action="export")
    assert event.details["rows"] == len(lines) - 1 == 4  # two roles: two rows for P 0


def test_export_then_import_keeps_names(client_for, hr, team):
    person = EmployeeFactory(name="-Jan de Wit", email="jan@example.org", personnel_number="P1")
    MembershipFactory(employee=person, team=team, since=datetime.date(2024, 1, 1))
    RoleAssignmentFactory(employee=person, team=team, since=datetime.date(2024, 1, 1))
    for fmt in ("csv-semicolon", "xlsx"):
        response = client_for(hr).get(f"/rollen/export/personen/{fmt}/")
        table = read_table(b"".join(response.streaming_content))
        assert table.rows[0][0] == ("'-Jan de Wit" if fmt != "xlsx" else "-Jan de Wit")
        plan = import_apply(table=table, mapping=guess_mapping(table.header))
        assert plan.actions == [], (fmt, plan.actions)
        person.refresh_from_db()
        assert person.name == "-Jan de Wit"

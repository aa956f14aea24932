import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from rollen.imports import (
    ImportFileError,
    guess_mapping,
    import_apply,
    import_plan,
    mapping_problems,
    read_csv,
)
from rollen.models import RoleAssignment
from teams.models import Employee, Membership
from tests.factories import EmployeeFactory, MembershipFactory, RoleAssignmentFactory
from tests.rollen.hr_data import TODAY, on_today  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_today")]

YESTERDAY = TODAY - datetime.timedelta(days=1)
GOOD = (
    "personeelsnummer;naam;e-mail;team;rollen;sinds\n"
    "P200;Dana Dekker;dana@example.org;Vergunningen;"
    "vakman|Stimulerende facilitator/organisator;01-03-2024\n"
    "P201;Eva Elders;eva@example.org;vergunningen;;2025-01-15\n"
    "P201;Eva Elders;eva@example.org;Burgerzaken;samenwerkingspartner;2025-01-15\n"
)


def table(text, bom=False):
    data = text.encode("utf-8")
    return read_csv(b"\xef\xbb\xbf" + data if bom else data)


def plan_for(text, **kwargs):
    t = table(text)
    return import_plan(table=t, mapping=guess_mapping(t.header), **kwargs)


def apply(text, **kwargs):
    t = table(text)
    return import_apply(table=t, mapping=guess_mapping(t.header), **kwargs)


def test_reads_semicolon_and_comma_with_and_without_bom():
    semicolon = table(GOOD, bom=True)
    assert semicolon.delimiter == ";"
    assert semicolon.header[0] == "personeelsnummer"  # the BOM is not part of the name
    comma = table(GOOD.replace(";", ","))
    assert comma.delimiter == ","
    assert comma.rows == semicolon.rows
    assert {k: v for k, v in guess_mapping(semicolon.header).items() if v is not None} == {
        "personnel_number": 0, "name": 1, "email": 2, "team": 3, "roles": 4, "since": 5,
    }  # fmt: skip


def test_unreadable_files_are_refused():
    assert read_csv("naam;team\nJosé;X\n".encode("cp1252")).rows == [["José", "X"]]
    with pytest.raises(ImportFileError):
        read_csv(b"")


def test_mapping_must_name_the_required_columns():
    problems = mapping_problems(
        {"personnel_number": None, "name": 0, "email": None, "team": None, "roles": None,
         "since": 0}, ["naam"],
    )  # fmt: skip
    assert len(problems) == 3  # team, number-or-email, a column used twice


def test_dry_run_shows_what_will_happen_and_changes_nothing(team, other_team):
    plan = plan_for(GOOD)
    assert not plan.has_problems
    assert plan.counts() == {
        "create_person": 2, "start_membership": 3, "assign_role": 3,
    }  # fmt: skip
    descriptions = [a.description for a in plan.actions]
    assert "Dana Dekker komt in team Vergunningen op 2024-03-01" in descriptions
    assert not Employee.objects.filter(personnel_number="P200").exists()
    assert not Membership.objects.filter(team=team).exists()


def test_apply_creates_people_memberships_and_roles_and_is_idempotent(team, other_team, hr):
    plan = apply(GOOD, actor=hr, filename="hr.csv")
    assert len(plan.actions) == 8
    dana = Employee.objects.get(personnel_number="P200")
    assert dana.name == "Dana Dekker" and not dana.has_usable_password()
    assert Membership.objects.get(employee=dana).since == datetime.date(2024, 3, 1)
    assert sorted(
        RoleAssignment.objects.filter(employee=dana).values_list("role__slug", flat=True)
    ) == ["facilitator", "vakman"]
    eva = Employee.objects.get(personnel_number="P201")
    assert set(Membership.objects.filter(employee=eva).values_list("team__slug", flat=True)) == {
        "vergunningen", "burgerzaken",
    }  # fmt: skip
    event = AuditEvent.objects.get(action="import")
    assert event.actor == hr
    assert event.details["rows"] == 3
    assert event.details["changes"]["create_person"] == 2
    # Each membership and role the import made is audited with the HR person as actor.
    per_record = AuditEvent.objects.exclude(action="import")
    assert per_record.filter(object_type="rollen.roleassignment").count() == 3
    assert set(per_record.values_list("actor", flat=True)) == {hr.pk}
    # The same file again: nothing to change.
    assert plan_for(GOOD).actions == []
    again = apply(GOOD, actor=hr)
    assert again.actions == []
    assert Employee.objects.filter(personnel_number__in=["P200", "P201"]).count() == 2
    assert RoleAssignment.objects.filter(employee__in=[dana, eva]).count() == 3


def test_changed_file_updates_and_ends_but_deletes_nothing(team, other_team):
    apply(GOOD)
    changed = (
        "personeelsnummer;naam;e-mail;team;rollen;sinds\n"
        "P200;Dana de Dekker;dana@example.org;Vergunningen;vakman;01-03-2024\n"
        "P201;Eva Elders;eva@example.org;Burgerzaken;samenwerkingspartner;2025-01-15\n"
    )
    plan = plan_for(changed)
    assert plan.counts() == {"update_person": 1, "end_role": 1, "end_membership": 1}
    apply(changed)
    dana = Employee.objects.get(personnel_number="P200")
    assert dana.name == "Dana de Dekker"
    facilitator = RoleAssignment.objects.get(employee=dana, role__slug="facilitator")
    assert facilitator.until == YESTERDAY  # ended, kept
    eva_membership = Membership.objects.get(employee__personnel_number="P201", team=team)
    assert eva_membership.until == YESTERDAY
    assert plan_for(changed).actions == []


def test_existing_people_are_matched_by_number_or_email(team, other_team):
    existing = EmployeeFactory(name="Dana Dekker", email="DANA@example.org", personnel_number="")
    plan = plan_for(GOOD)
    assert "create_person" not in [a.kind for a in plan.actions[:1]]
    apply(GOOD)
    existing.refresh_from_db()
    assert existing.personnel_number == "P200"
    assert Employee.objects.filter(name="Dana Dekker").count() == 1


BAD = (
    "personeelsnummer;naam;e-mail;team;rollen;sinds\n"
    "P300;Fien Fransen;fien@example.org;Onbekend team;vakman;2025-01-01\n"  # 2 unknown team
    "P301;Gijs Gerritsen;gijs@example.org;Vergunningen;vakman;31-02-2025\n"  # 3 bad date
    "P302;Hans Hendriks;geen-mailadres;Vergunningen;vakman;2025-01-01\n"  # 4 bad e-mail
    "P303;Ilse Ijzer;ilse@example.org;Vergunningen;tovenaar;2025-01-01\n"  # 5 unknown role
    "P304;;jan@example.org;Vergunningen;vakman;2025-01-01\n"  # 6 missing name
    "P305;Kees Koster;kees@example.org;Vergunningen;vakman;2025-01-01\n"  # 7 fine
    "P305;Kees Koster;kees@example.org;Vergunningen;vakman;2025-01-01\n"  # 8 duplicate
    ";Lot Lammers;;Vergunningen;;\n"  # 9 no number, no e-mail
    "P306;Mo Meijer;mo@example.org;;vakman;2025-01-01\n"  # 10 missing team
)


def test_every_kind_of_bad_row_is_explained_per_line(team, other_team):
    plan = plan_for(BAD)
    assert plan.has_problems
    problems = dict(plan.problems)
    assert problems[2] == "Er is geen team met de naam 'Onbekend team'."
    assert problems[3] == (
        "Kolom 'Sinds': '31-02-2025' is geen datum. Schrijf het als 2026-03-01 of 01-03-2026."
    )
    assert problems[4] == "'geen-mailadres' is geen geldig e-mailadres."
    assert problems[5] == "Er is geen rol met de naam 'tovenaar'."
    assert problems[6] == "De naam ontbreekt."
    assert 7 not in problems
    assert problems[8] == "Deze persoon en dit team staan al op regel 7."
    assert problems[9] == "Het personeelsnummer en het e-mailadres ontbreken allebei."
    assert problems[10] == "Het team ontbreekt."
    with pytest.raises(ImportFileError):
        apply(BAD)
    assert not Employee.objects.filter(personnel_number__startswith="P30").exists()


def test_a_broken_portal_rule_is_a_problem_in_the_dry_run(team, other_team):
    person = EmployeeFactory(personnel_number="P400", name="Nora Nijs", email="nora@example.org")
    MembershipFactory(
        employee=person,
        team=team,
        since=datetime.date(2024, 1, 1),
        until=datetime.date(2025, 6, 30),
    )
    text = (
        "personeelsnummer;naam;e-mail;team;rollen;sinds\n"
        "P400;Nora Nijs;nora@example.org;Vergunningen;;2025-01-01\n"
    )
    plan = plan_for(text)
    assert plan.has_problems
    assert dict(plan.problems)[2] == (
        "Nora Nijs komt in team Vergunningen op 2025-01-01: "
        "Deze medewerker is in die periode al lid van dit team."
    )
    with pytest.raises(ImportFileError):
        apply(text)
    assert Membership.objects.filter(employee=person).count() == 1


def test_apply_is_all_or_nothing(team, other_team, monkeypatch):
    from rollen.imports import apply as imports

    original = imports.role_assign
    calls = []

    def failing_second_time(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            from django.core.exceptions import ValidationError

            raise ValidationError("kapot")
        return original(**kwargs)

    monkeypatch.setattr(imports, "role_assign", failing_second_time)
    with pytest.raises(ImportFileError, match="kapot"):
        apply(GOOD)
    assert not Employee.objects.filter(personnel_number__in=["P200", "P201"]).exists()
    assert not RoleAssignment.objects.exists()
    assert not AuditEvent.objects.filter(action="import").exists()


def test_deactivate_missing_marks_inactive_and_ends_memberships(team, other_team, hr, superuser):
    apply(GOOD)
    gone = EmployeeFactory(name="Olga Oud", personnel_number="P999")
    membership = MembershipFactory(employee=gone, team=team, since=datetime.date(2020, 1, 1))
    RoleAssignmentFactory(employee=gone, team=team, since=datetime.date(2020, 1, 1))
    hr.personnel_number = "P1000"  # the person importing is never deactivated
    hr.save()
    portal_only = EmployeeFactory(name="Piet Portaal")  # no personnel number: left alone
    assert plan_for(GOOD).actions == []  # without the flag
    plan = plan_for(GOOD, deactivate_missing=True, actor=hr)
    assert [(a.kind, a.description) for a in plan.actions] == [
        (
            "deactivate_person",
            "Olga Oud (P999) op inactief zetten (niet in het bestand); "
            "lidmaatschappen en rollen stoppen op 2026-11-27",
        )
    ]
    apply(GOOD, deactivate_missing=True, actor=hr)
    gone.refresh_from_db()
    membership.refresh_from_db()
    assert not gone.is_active
    assert membership.until == YESTERDAY
    assert RoleAssignment.objects.get(employee=gone).until == YESTERDAY
    for person in (hr, superuser, portal_only):
        person.refresh_from_db()
        assert person.is_active
    assert Employee.objects.filter(pk=gone.pk).exists()  # nothing deleted
    assert plan_for(GOOD, deactivate_missing=True, actor=hr).actions == []


def test_apply_refuses_a_plan_that_changed_since_the_check(team, other_team):
    t = table(GOOD)
    with pytest.raises(Exception, match="veranderd sinds je controle"):
        import_apply(table=t, mapping=guess_mapping(t.header), expected_fingerprint="0" * 16)


def test_command_dry_run_apply_and_again(team, other_team, tmp_path):
    path = tmp_path / "hr.csv"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.replace(";", ",").encode())
    out = io.StringIO()
    call_command("import_people", str(path), "--dry-run", stdout=out)
    assert "Proefrun: 8 wijzigingen gevonden" in out.getvalue()
    assert not Employee.objects.filter(personnel_number="P200").exists()
    out = io.StringIO()
    call_command("import_people", str(path), stdout=out)
    assert "Import klaar: 8 wijzigingen" in out.getvalue()
    assert AuditEvent.objects.get(action="import").details["source"] == "command"
    out = io.StringIO()
    call_command("import_people", str(path), stdout=out)
    assert "niets te veranderen" in out.getvalue()


def test_command_reports_problems_and_changes_nothing(team, other_team, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="problemen in het bestand"):
        call_command("import_people", str(path), stdout=io.StringIO(), stderr=err)
    assert "regel 2: Er is geen team met de naam 'Onbekend team'." in err.getvalue()
    with pytest.raises(CommandError, match="niet gevonden"):
        call_command("import_people", str(tmp_path / "missing.csv"))
    (tmp_path / "cols.csv").write_text("a;b\n1;2\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Kies de kolom"):
        call_command("import_people", str(tmp_path / "cols.csv"), stdout=io.StringIO())

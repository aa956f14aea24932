"""Issue #14 P1: HR data that HR can trust. The account-takeover path, roles left alone,
leaving ends everything, bad input explained per line, set-based lookups."""

import datetime

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail

from audit.models import AuditEvent
from rollen.imports import (
    ImportFileError,
    ImportNeedsConfirmation,
    guess_mapping,
    import_apply,
    import_plan,
    read_table,
)
from rollen.models import RoleAssignment
from rollen.selectors import OverviewFilters, people_memberships, role_holder_counts, role_matrix
from teams.models import Employee, Membership
from tests.factories import EmployeeFactory, MembershipFactory, RoleAssignmentFactory
from tests.rollen.hr_data import TODAY, on_today  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_today")]

HEADER = "personeelsnummer;naam;e-mail;team;rollen;sinds\n"


def plan_for(text, **kwargs):
    table = read_table(text.encode() if isinstance(text, str) else text)
    return import_plan(table=table, mapping=guess_mapping(table.header), **kwargs)


def apply(text, **kwargs):
    table = read_table(text.encode() if isinstance(text, str) else text)
    return import_apply(table=table, mapping=guess_mapping(table.header), **kwargs)


# The account takeover: number by e-mail, then a new e-mail by number, then a reset.


@pytest.mark.parametrize("kind", ["superuser", "staff", "hr", "management"])
def test_protected_accounts_are_never_reidentified(request, team, kind, hr):
    if kind in ("hr", "management"):
        target = request.getfixturevalue(kind)
        if kind == "hr":
            target = EmployeeFactory(name="Tweede HR", email="hr2@example.org")
            target.groups.add(*hr.groups.all())
    else:
        target = EmployeeFactory(
            name="Beheer", email="beheer@example.org", is_superuser=kind == "superuser",
            is_staff=True,
        )  # fmt: skip
    step1 = HEADER + f"P666;{target.name};{target.email};Vergunningen;;\n"
    plan = plan_for(step1, actor=hr)
    assert plan.has_problems
    line, problem = plan.problems[0]
    assert line == 2 and "alleen een beheerder" in problem.lower()
    with pytest.raises(ImportFileError):
        apply(step1, actor=hr)
    target.refresh_from_db()
    assert target.personnel_number == "" and target.email.endswith("@example.org")
    refused = AuditEvent.objects.filter(action="import.conflict", object_id=str(target.pk))
    assert refused.exists() and refused.first().details["fields"] == ["personnel_number"]


def test_a_protected_account_with_a_number_keeps_its_email(team, superuser, hr):
    Employee.objects.filter(pk=superuser.pk).update(personnel_number="P1")
    plan = plan_for(HEADER + f"P1;{superuser.name};aanvaller@example.org;Vergunningen;;\n")
    assert plan.has_problems
    superuser.refresh_from_db()
    assert superuser.email != "aanvaller@example.org"


def test_protected_account_may_still_join_a_team_unchanged(team, superuser):
    superuser.personnel_number = "P2"
    superuser.save()
    plan = plan_for(HEADER + f"P2;{superuser.name};{superuser.email};Vergunningen;;\n")
    assert not plan.has_problems
    assert [a.kind for a in plan.actions] == ["start_membership"]


def test_deactivate_missing_never_touches_staff_or_hr(team, hr, superuser):
    staff = EmployeeFactory(personnel_number="P7", is_staff=True)
    hr.personnel_number = "P8"
    hr.save()
    plan = plan_for(HEADER + "P9;Nieuw;n@example.org;Vergunningen;;\n", deactivate_missing=True)
    assert "deactivate_person" not in plan.counts()
    assert staff.is_active


def test_an_email_change_tells_the_old_address_and_ends_reset_links(
    team, django_capture_on_commit_callbacks
):
    person = EmployeeFactory(name="Roos Rood", email="roos@example.org", personnel_number="P10")
    token = default_token_generator.make_token(person)
    with django_capture_on_commit_callbacks(execute=True):
        apply(HEADER + "P10;Roos Rood;roos.rood@example.org;Vergunningen;;\n")
    person.refresh_from_db()
    assert person.email == "roos.rood@example.org"
    assert not default_token_generator.check_token(person, token)
    assert [m.to for m in mail.outbox] == [["roos@example.org"]]
    assert "e-mailadres" in mail.outbox[0].subject
    change = AuditEvent.objects.get(action="employee.update", object_id=str(person.pk))
    assert change.changes["email"] == ["roos@example.org", "roos.rood@example.org"]


def test_a_match_on_email_that_changes_the_number_must_be_accepted(team):
    person = EmployeeFactory(name="Sam", email="sam@example.org", personnel_number="P20")
    text = HEADER + "P21;Sam;sam@example.org;Vergunningen;;\n"
    plan = plan_for(text)
    assert plan.warnings and plan.warnings[0][0] == 2
    assert "gevonden op e-mailadres" in plan.warnings[0][1]
    assert "gevonden op e-mailadres" in plan.actions[0].description
    with pytest.raises(ImportNeedsConfirmation):
        apply(text, accept_email_matches=False)
    person.refresh_from_db()
    assert person.personnel_number == "P20"
    apply(text, accept_email_matches=True)
    person.refresh_from_db()
    assert person.personnel_number == "P21"


# Roles are left alone unless the file speaks about them; ends need a yes.


def test_without_a_roles_column_roles_are_left_alone(team, other_team):
    person = EmployeeFactory(name="Tim", email="tim@example.org", personnel_number="P30")
    MembershipFactory(employee=person, team=team, since=datetime.date(2024, 1, 1))
    held = RoleAssignmentFactory(employee=person, team=team, since=datetime.date(2024, 1, 1))
    text = "personeelsnummer;naam;e-mail;team;sinds\nP30;Tim;tim@example.org;Vergunningen;\n"
    plan = plan_for(text)
    assert plan.actions == [] and not plan.manages_roles
    apply(text)
    held.refresh_from_db()
    assert held.until is None


def test_the_plan_opens_with_a_summary_and_ends_need_a_confirmation(team, other_team):
    person = EmployeeFactory(name="Ula", email="ula@example.org", personnel_number="P40")
    MembershipFactory(employee=person, team=team, since=datetime.date(2024, 1, 1))
    RoleAssignmentFactory(employee=person, team=team, since=datetime.date(2024, 1, 1))
    text = HEADER + "P40;Ula;ula@example.org;Burgerzaken;;\n"
    plan = plan_for(text)
    summary = {key: count for key, _label, count in plan.summary()}
    assert summary == {
        "create_person": 0, "update_person": 0, "start_membership": 1, "end_membership": 1,
        "assign_role": 0, "roles_ended": 1, "deactivate_person": 0,
    }  # fmt: skip
    assert plan.ends_things
    with pytest.raises(ImportNeedsConfirmation):
        apply(text, confirm_ends=False)
    assert Membership.objects.get(employee=person, team=team).until is None
    apply(text, confirm_ends=True)
    assert Membership.objects.get(employee=person, team=team).until is not None


def test_memberships_and_roles_with_an_end_date_can_be_imported(team):
    text = HEADER.replace("sinds\n", "sinds;datum uit dienst\n") + (
        "P50;Vera;vera@example.org;Vergunningen;vakman;01-01-2024;31-12-2024\n"
    )
    apply(text)
    membership = Membership.objects.get(employee__personnel_number="P50")
    assert (membership.since, membership.until) == (
        datetime.date(2024, 1, 1), datetime.date(2024, 12, 31),
    )  # fmt: skip
    assert RoleAssignment.objects.get(employee=membership.employee).until == membership.until
    assert plan_for(text).actions == []  # again: nothing to do


# Leaving ends everything: inactive people never count as current holders.


def test_inactive_people_are_not_current_role_holders(team):
    gone = EmployeeFactory(name="Weg", is_active=False)
    here = EmployeeFactory(name="Hier")
    for person in (gone, here):
        MembershipFactory(employee=person, team=team, since=datetime.date(2024, 1, 1))
        RoleAssignmentFactory(employee=person, team=team, since=datetime.date(2024, 1, 1))
    role_id = RoleAssignment.objects.get(employee=here).role_id
    assert role_holder_counts(team_ids=[team.pk])[team.pk] == {role_id: 1}
    matrix = role_matrix(on=TODAY, filters=OverviewFilters())
    holders = [p for row in matrix.rows for cell in row.holders_per_role for p in cell]
    assert holders == [here]
    assert [m.employee for m in people_memberships(on=TODAY, filters=OverviewFilters())] == [here]
    # History stays: a role that ended before today still shows on a date in the past.
    ended = EmployeeFactory(name="Vroeger", is_active=False)
    MembershipFactory(
        employee=ended,
        team=team,
        since=datetime.date(2023, 1, 1),
        until=datetime.date(2023, 12, 31),
    )
    RoleAssignmentFactory(
        employee=ended,
        team=team,
        since=datetime.date(2023, 1, 1),
        until=datetime.date(2023, 12, 31),
    )
    then = role_holder_counts(team_ids=[team.pk], on=datetime.date(2023, 6, 1))[team.pk]
    assert sum(then.values()) == 1


# Bad input: a clear message naming the line and the field, never a 500.


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Het bestand is leeg."),
        (b"   \n\n", "Het bestand is leeg."),
        (b"%PDF-1.4\n...", "pdf-bestand"),
        (b"naam;team\nA\x00B;X\n", "Regel 2"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "Regel 2"),
        (b"\xff\xfen\x00a\x00", "UTF-16"),
        (b"PK\x03\x04garbage", "Excel"),
        (b"\n\nnaam;team\n", "eerste regel"),
    ],
)
def test_unreadable_files_say_why(data, message):
    with pytest.raises(ImportFileError, match=message):
        read_table(data)


def test_over_long_values_name_the_line_and_field(team):
    text = HEADER + f"P{'9' * 25};{'N' * 151};x@example.org;Vergunningen;;\n"
    problems = plan_for(text).problems
    assert (2, "Kolom 'Personeelsnummer' is te lang: 26 tekens, maximaal 20.") in problems
    assert (2, "Kolom 'Naam' is te lang: 151 tekens, maximaal 150.") in problems
    with pytest.raises(ImportFileError):
        apply(text)
    assert not Employee.objects.filter(email="x@example.org").exists()


def test_line_numbers_are_the_editors_and_names_are_cleaned(team):
    text = (
        HEADER
        + "\n"  # line 2: blank
        + 'P60;"  Xavi\nXander  ";xavi@example.org;Vergunningen;;\n'  # lines 3-4
        + "P61;Yara;yara@example.org;Onbekend;;\n"  # line 5
    )
    plan = plan_for(text)
    assert plan.problems == [(5, "Er is geen team met de naam 'Onbekend'.")]
    assert plan.rows[0].name == "Xavi Xander" and plan.rows[0].number == 3


def test_duplicate_numbers_with_other_details_are_problems(team):
    text = HEADER + "P70;Zoë;z@example.org;Vergunningen;;\nP70;Zoe;z2@example.org;Burgerzaken;;\n"
    assert dict(plan_for(text).problems)[3].startswith("Personeelsnummer P70")


def test_more_than_a_thousand_addresses_in_a_fixed_number_of_queries(
    team, django_assert_max_num_queries
):
    rows = "".join(f";Persoon {n};p{n}@example.org;Vergunningen;;\n" for n in range(1200))
    for n in range(0, 1200, 100):
        EmployeeFactory(email=f"P{n}@EXAMPLE.org")
    table = read_table((HEADER + rows).encode())
    from rollen.imports.plan import planned_work
    from rollen.imports.rows import parse_rows

    parsed = parse_rows(table, guess_mapping(table.header), TODAY)
    with django_assert_max_num_queries(10):
        work = planned_work(rows=parsed, today=TODAY, deactivate_missing=False, actor=None)
    kinds = [action.kind for action, _data in work.items]
    assert kinds.count("create_person") == 1200 - 12
    assert kinds.count("start_membership") == 1200


def test_inactive_people_are_not_shown_as_team_members(team):
    from rollen.selectors import team_members_with_roles

    gone = EmployeeFactory(name="Weg", is_active=False)
    here = EmployeeFactory(name="Hier")
    for person in (gone, here):
        MembershipFactory(employee=person, team=team, since=datetime.date(2024, 1, 1))
    assert [m.employee for m in team_members_with_roles(team=team)] == [here]


def test_the_old_address_notice_survives_a_broker_outage_and_is_sent_once(
    team, monkeypatch, time_machine, django_capture_on_commit_callbacks
):
    """Issue #15 for the notice of #14: recorded in the import's transaction (the outbox),
    swept up when the broker was down, claimed in the reminder log, never sent twice."""
    from kombu.exceptions import OperationalError

    from notifications import outbox
    from notifications.models import PendingJob, ReminderLog, ReminderStatus
    from notifications.tasks import run_pending_job

    def refuse(*args, **kwargs):
        raise OperationalError("Connection refused.")

    person = EmployeeFactory(name="Roos Rood", email="roos@example.org", personnel_number="P10")
    plan_for(HEADER + "P10;Roos Rood;roos.rood@example.org;Vergunningen;;\n")
    assert not PendingJob.objects.exists()  # a dry run records nothing
    monkeypatch.setattr(run_pending_job, "delay", refuse)  # the broker is down
    with django_capture_on_commit_callbacks(execute=True):
        apply(HEADER + "P10;Roos Rood;roos.rood@example.org;Vergunningen;;\n")
    assert mail.outbox == []
    job = PendingJob.objects.get(task="rollen.tasks.send_email_changed_notice")
    assert job.enqueued_at is None
    monkeypatch.undo()  # the broker is back
    time_machine.shift(datetime.timedelta(seconds=30))
    assert outbox.sweep() == 1
    assert [m.to for m in mail.outbox] == [["roos@example.org"]]
    log = ReminderLog.objects.get(kind="email_changed", recipient=person)
    assert log.status == ReminderStatus.SENT and "roos" not in log.period
    PendingJob.objects.update(done_at=None)  # the job runs again (a sweep while it waited)
    assert outbox.run(job_id=job.pk) is True
    assert len(mail.outbox) == 1

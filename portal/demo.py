"""A realistic, deterministic demo organisation (the size of MijnGemeenteDichtbij).

The same seed gives the same organisation. Building is idempotent per team: a team that
already exists is left as it is, so running the command twice adds nothing, and running it
with more teams adds only the new ones.
"""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from common.signals import send_rows_changed
from doelen.models import CheckIn, Confidence, Goal, GoalStatus, MeasureType, OrganisationObjective
from doelen.reference import ensure_objectives
from doelen.services import goals_recompute_last_check_in
from ontwikkeling.demo import seed_development
from ontwikkeling.personal.demo import seed_intentions
from ontwikkeling.reference import ensure_reference as ensure_development_reference
from portal.demo_data import (
    COMMENTS_ATTENTION,
    COMMENTS_ON_TRACK,
    FIRST_NAMES,
    GOAL_TEMPLATES,
    SURNAMES,
    TEAM_NAMES,
)
from portal.demo_teamwork import seed_teamwork
from rollen.models import Role, RoleAssignment
from rollen.reference import ensure_roles
from teams.models import HR_GROUP, Employee, Membership, Municipality, Team, UpdateRhythm
from teams.reference import ensure_groups

DEMO_PASSWORD = "demo"  # noqa: S105 - documented demo log-ins, local use only
DEMO_LOGINS = {
    "medewerker": "Mila de Vries",
    "leidinggevende": "Lars van den Heuvel",
    "hr": "Hanna Smits",
    "beheer": "Bram Beheerder",
}


@dataclass
class SeedReport:
    teams_created: int = 0
    teams_existing: int = 0
    employees_created: int = 0
    goals_created: int = 0
    check_ins_created: int = 0
    teams_with_scans_created: int = 0
    notes: list[str] = field(default_factory=list)


def ensure_reference_data() -> None:
    """The rows the data migrations create; restored here after a flush."""
    ensure_groups(Group)
    ensure_roles(Role)
    ensure_objectives(OrganisationObjective)
    ensure_development_reference()


def team_names(count: int) -> list[tuple[str, str]]:
    names: list[tuple[str, str]] = []
    for index in range(count):
        name, municipality = TEAM_NAMES[index % len(TEAM_NAMES)]
        round_number = index // len(TEAM_NAMES)
        names.append((name if round_number == 0 else f"{name} {round_number + 1}", municipality))
    return names


def seed_demo(*, teams: int, employees: int, seed: int, months: int = 6) -> SeedReport:
    """Build (or complete) the demo organisation. See the module docstring."""
    if teams < 1 or employees < teams or months < 1:
        raise ValueError("need at least one team, one employee per team and one month")
    rng = random.Random(seed)
    today = timezone.localdate()
    report = SeedReport()
    ensure_reference_data()
    roles = list(Role.objects.order_by("order"))
    objectives = {o.slug: o for o in OrganisationObjective.objects.all()}

    with transaction.atomic():
        people = _employees(rng, employees, report)
        demo = _demo_logins(report)
    names = team_names(teams)
    # Spread people over teams; each person belongs to one team, some to two.
    per_team: list[list[Employee]] = [[] for _ in names]
    for index, person in enumerate(people):
        per_team[index % len(names)].append(person)
    for index, person in enumerate(people[: len(people) // 10]):
        per_team[(index * 7 + 3) % len(names)].append(person)
    per_team[0].insert(0, demo["medewerker"])
    hr_team = next((i for i, (name, _m) in enumerate(names) if name == "P&O"), len(names) - 1)
    per_team[hr_team].insert(0, demo["hr"])
    managers = _managers(rng, people, len(names), demo["leidinggevende"])

    for index, (name, municipality) in enumerate(names):
        team_rng = random.Random(f"{seed}-{index}")
        slug = slugify(name.replace("&", "en"))
        if Team.objects.filter(slug=slug).exists():
            report.teams_existing += 1
            continue
        with transaction.atomic():
            _build_team(
                rng=team_rng,
                name=name,
                slug=slug,
                municipality=municipality,
                members=list(dict.fromkeys(per_team[index])),
                manager=managers[index],
                roles=roles,
                objectives=objectives,
                today=today,
                months=months,
                report=report,
            )
        report.teams_created += 1
    report.teams_with_scans_created = seed_development(seed=seed, today=today)
    seed_intentions(today=today)
    seed_teamwork(seed=seed, today=today)  # agreements and contributions (#20)
    return report


def _employees(rng: random.Random, count: int, report: SeedReport) -> list[Employee]:
    usernames = [f"mw{index:05d}" for index in range(1, count + 1)]
    existing = set(
        Employee.objects.filter(username__in=usernames).values_list("username", flat=True)
    )
    new = []
    for index, username in enumerate(usernames, 1):
        first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
        if username in existing:
            continue
        email_name = slugify(f"{first} {last}").replace("-", ".")
        new.append(
            Employee(
                username=username,
                name=f"{first} {last}",
                email=f"{email_name}.{index}@mijngemeentedichtbij.nl",
                personnel_number=f"P{100000 + index}",
                preferred_language="en" if index % 17 == 0 else "nl",
                password="!",  # unusable: generated people do not log in  # noqa: S106
            )
        )
    Employee.objects.bulk_create(new, batch_size=1000)
    report.employees_created += len(new)
    return list(Employee.objects.filter(username__in=usernames).order_by("username"))


def _demo_logins(report: SeedReport) -> dict[str, Employee]:
    users = {}
    for username, name in DEMO_LOGINS.items():
        user, created = Employee.objects.get_or_create(
            username=username,
            defaults={"name": name, "email": f"{username}@mijngemeentedichtbij.nl"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            if username == "beheer":
                user.is_staff = user.is_superuser = True
            user.save()
            report.employees_created += 1
        users[username] = user
    users["hr"].groups.add(Group.objects.get(name=HR_GROUP))
    return users


def _managers(rng, people, team_count, demo_manager) -> list[Employee]:
    """About one manager per four teams; the demo manager leads the first four."""
    pool = people[-max(1, team_count // 4) :]
    managers = [pool[index // 4 % len(pool)] for index in range(team_count)]
    for index in range(min(4, team_count)):
        managers[index] = demo_manager
    return managers


def _build_team(
    *, rng, name, slug, municipality, members, manager, roles, objectives, today, months, report
):
    served = (
        "Boxtel en Sint-Michielsgestel"
        if municipality == Municipality.BOTH
        else Municipality(municipality).label
    )
    team = Team.objects.create(
        name=name,
        slug=slug,
        municipality=municipality,
        purpose=f"Team {name} werkt voor de inwoners en ondernemers van {served}.",
        update_rhythm=rng.choice(
            [
                UpdateRhythm.WEEKLY,
                UpdateRhythm.BIWEEKLY,
                UpdateRhythm.BIWEEKLY,
                UpdateRhythm.MONTHLY,
            ]
        ),
    )
    team.managers.add(manager)

    memberships, assignments = [], []
    for person in members:
        since = today - datetime.timedelta(days=rng.randint(200, 2500))
        memberships.append(Membership(employee=person, team=team, since=since))
        # Most carry one or two roles; some changed role along the way (history).
        held = rng.sample(roles, k=rng.choice([1, 1, 2, 2, 3]))
        if person.username == "medewerker":
            held = [r for r in roles if r.slug in ("vakman", "samenwerkingspartner")]
        for role in held:
            role_since = since + datetime.timedelta(days=rng.randint(0, 150))
            if rng.random() < 0.25:
                previous = rng.choice([r for r in roles if r not in held])
                switched = role_since + datetime.timedelta(days=rng.randint(60, 150))
                if switched < today:
                    assignments.append(
                        RoleAssignment(
                            employee=person,
                            team=team,
                            role=previous,
                            since=role_since,
                            until=switched - datetime.timedelta(days=1),
                            note="Rol overgedragen aan een collega.",
                        )
                    )
                    role_since = switched
            assignments.append(
                RoleAssignment(employee=person, team=team, role=role, since=min(role_since, today))
            )
    Membership.objects.bulk_create(memberships)
    # Some teams lack a role entirely: the dashboards should show that vulnerability.
    if rng.random() < 0.2:
        missing = rng.choice(roles)
        assignments = [
            a
            for a in assignments
            if a.role_id != missing.pk or a.until or a.employee.username == "medewerker"
        ]
    RoleAssignment.objects.bulk_create(assignments)

    _build_goals(rng, team, members, objectives, today, months, report)
    # bulk_create sends no post_save: tell the listeners (the dashboards' cache) the team's
    # rows changed; portal does not import the dashboards (docs/architecture.md).
    send_rows_changed(Team, [team.pk])


def _build_goals(rng, team, members, objectives, today, months, report):
    goal_count = min(max(len(members) // 2, 4), 10)
    templates = rng.sample(GOAL_TEMPLATES, k=min(goal_count, len(GOAL_TEMPLATES)))
    history_start = today - datetime.timedelta(days=months * 30)
    check_ins, goal_ids = [], []
    for title, measure, unit, start, target, objective_slug in templates:
        start_date = history_start + datetime.timedelta(days=rng.randint(0, 30))
        due_date = today + datetime.timedelta(days=rng.randint(30, 240))
        status = rng.choices(
            [GoalStatus.ACTIVE, GoalStatus.ACHIEVED, GoalStatus.STOPPED, GoalStatus.ARCHIVED],
            weights=[80, 10, 5, 5],
        )[0]
        goal = Goal.objects.create(
            team=team,
            title=title,
            description=f"{title}: een doel van team {team.name}.",
            measure_type=measure,
            unit=unit,
            start_value=Decimal(start),
            target_value=Decimal(target),
            start_date=start_date,
            due_date=due_date,
            owner=rng.choice(members) if rng.random() < 0.8 else None,
            status=status,
            status_reason="" if status == GoalStatus.ACTIVE else "Afgesproken in het teamoverleg.",
        )
        if objective_slug in objectives:
            goal.objectives.add(objectives[objective_slug])
        report.goals_created += 1
        goal_ids.append(goal.pk)
        check_ins.extend(_goal_history(rng, goal, members, start_date, today))
    CheckIn.objects.bulk_create(check_ins, batch_size=2000)
    goals_recompute_last_check_in(goal_ids)  # bulk_create bypasses the check-in service
    report.check_ins_created += len(check_ins)


def _goal_history(rng, goal, members, start_date, today) -> list[CheckIn]:
    """Check-ins from the start date to today; some goals fall silent (stale)."""
    rhythm = goal.team.update_rhythm
    days_total = (today - start_date).days
    # One goal in ten went quiet a while ago, so stale-goal signals have something to show.
    silent_for = rng.choice([0] * 9 + [rng.randint(rhythm + 7, rhythm * 4)])
    span = float(goal.target_value - goal.start_value)
    # How fast this goal moves compared to the plan: most keep pace, some fall behind.
    pace = rng.uniform(0.85, 1.2) if rng.random() < 0.8 else rng.uniform(0.4, 0.8)
    result, day = [], rng.randint(1, 6)
    tz = timezone.get_current_timezone()
    while day <= days_total - silent_for:
        when = start_date + datetime.timedelta(days=day)
        expected = goal.expected_progress(when)
        progress = min(max(expected * pace + rng.uniform(-0.05, 0.05), 0.0), 1.0)
        if goal.measure_type == MeasureType.MILESTONE:
            value = Decimal(1 if progress >= 0.999 else 0)
        else:
            # Counts (evenings, initiatives) move in whole steps; percentages to one decimal.
            places = 1 if goal.measure_type == MeasureType.PERCENTAGE else 0
            value = goal.start_value + Decimal(str(round(span * progress, places)))
        gap = expected - progress
        confidence = (
            Confidence.OFF_TRACK
            if gap > 0.25
            else Confidence.NEEDS_ATTENTION
            if gap > 0.1
            else Confidence.ON_TRACK
        )
        comment = (
            rng.choice(COMMENTS_ON_TRACK)
            if confidence == Confidence.ON_TRACK
            else rng.choice(COMMENTS_ATTENTION)
        )
        author = goal.owner or rng.choice(members)
        created_at = datetime.datetime.combine(
            when, datetime.time(rng.randint(8, 17), rng.randint(0, 59)), tzinfo=tz
        )
        result.append(
            CheckIn(
                goal=goal,
                author=author,
                value=value,
                confidence=confidence,
                comment=comment,
                created_at=created_at,
            )
        )
        day += max(2, int(rhythm * rng.uniform(0.4, 1.1)))
    return result

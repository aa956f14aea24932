"""Demo data for personal development, for `seed_demo` (portal/demo.py): the demo employee
("medewerker") has intentions in both of their roles, one shared with their manager, one
private and one completed; a few colleagues in the same team have one each, so the
manager's dashboard shows a count. Written through the services, as on the page. Running it
twice adds nothing: a person who already has intentions is left alone."""

import datetime

from django.db import transaction
from django.utils import timezone

from ontwikkeling.personal import services
from ontwikkeling.personal.models import DevelopmentIntention, IntentionNote, Sharing
from rollen.models import Role, RoleAssignment
from teams.models import Employee, Membership

# (role, aim, how, days until the target date, sharing, notes as (days ago, text), done)
DEMO_EMPLOYEE = [
    (
        "samenwerkingspartner",
        "Partners in de wijk samenbrengen rond één vraag van een inwoner",
        "Twee keer meelopen met het wijkteam. Daarna zelf een keukentafelgesprek leiden met "
        "de woningcorporatie en de schuldhulp erbij.",
        90,
        Sharing.MANAGERS,
        [
            (40, "Meegelopen met het wijkteam Boxtel-Noord. Veel geleerd over wie wat doet."),
            (12, "Eerste gesprek zelf geleid. Volgende keer de corporatie eerder uitnodigen."),
        ],
        False,
    ),
    (
        "vakman",
        "Brieven over vergunningen schrijven die een inwoner in één keer begrijpt",
        "De cursus eenvoudige taal (B1) volgen en drie standaardbrieven herschrijven.",
        120,
        Sharing.PRIVATE,
        [(20, "Cursus begonnen. Eerste brief herschreven: van twee kantjes naar één.")],
        False,
    ),
    (
        "vakman",
        "Een aanvraag in één keer goed afhandelen, zonder terugbellen",
        "Een checklist maken met de vragen die we altijd missen.",
        30,
        Sharing.TEAM,
        [(60, "Checklist staat in de teamruimte. Minder telefoontjes achteraf.")],
        True,
    ),
]
# (aim, sharing, how, (days ago, first note)): each colleague their own words and pace.
COLLEAGUE_AIMS = [
    (
        "Vaker zelf een besluit nemen zonder eerst de leidinggevende te vragen",
        Sharing.MANAGERS,
        "Bij elke vraag eerst opschrijven wat ik zelf zou besluiten, en dat dan doen.",
        (18, "Twee keer zelf een uitzondering op de termijn toegestaan. Ging goed."),
    ),
    (
        "Een nieuw idee uit de wijk uitproberen en na een maand evalueren",
        Sharing.TEAM,
        "Het spreekuur in het dorpshuis een maand op dinsdagavond proberen.",
        (9, "Eerste avond: zes inwoners langs geweest, twee met een vraag over de Wmo."),
    ),
    (
        "Het teamoverleg beter voorbereiden en leiden",
        Sharing.PRIVATE,
        "",
        (25, "Agenda een dag vooraf rondgestuurd. Overleg duurde een kwartier korter."),
    ),
]


def _backdate(note: IntentionNote, days_ago: int, today: datetime.date) -> None:
    when = timezone.now() - datetime.timedelta(days=days_ago)
    IntentionNote.objects.filter(pk=note.pk).update(created_at=when)


def _write(person, role, aim, how, days, sharing, notes, done, today) -> None:
    made = services.intention_create(
        employee=person,
        role=role,
        aim=aim,
        approach=how,
        target_date=today + datetime.timedelta(days=days),
        sharing=sharing,
    )
    for days_ago, text in notes:
        note = services.intention_add_note(intention=made, author=person, text=text)
        _backdate(note, days_ago, today)
    if done:
        services.intention_set_status(intention=made, actor=person, status="completed")


def seed_intentions(*, today: datetime.date | None = None) -> int:
    """Returns the number of people who got intentions."""
    today = today or timezone.localdate()
    employee = Employee.objects.filter(username="medewerker").first()
    if employee is None or DevelopmentIntention.objects.filter(employee=employee).exists():
        return 0
    roles = {role.slug: role for role in Role.objects.all()}
    held = set(
        RoleAssignment.objects.current(today)
        .filter(employee=employee)
        .values_list("role__slug", flat=True)
    )
    seeded = 0
    with transaction.atomic():
        for slug, aim, how, days, sharing, notes, done in DEMO_EMPLOYEE:
            if slug in held:
                _write(employee, roles[slug], aim, how, days, sharing, notes, done, today)
        seeded += 1
        team_ids = Membership.objects.current(today).filter(employee=employee).values("team_id")
        colleagues = (
            RoleAssignment.objects.current(today)
            .filter(team_id__in=team_ids, employee__is_active=True)
            .exclude(employee=employee)
            .select_related("employee", "role")
            .order_by("employee__username", "role__order")
        )
        done_people: set[int] = set()
        for assignment in colleagues:
            if len(done_people) == len(COLLEAGUE_AIMS):
                break
            if assignment.employee_id in done_people:
                continue
            aim, sharing, how, note = COLLEAGUE_AIMS[len(done_people)]
            person, role = assignment.employee, assignment.role
            _write(person, role, aim, how, 60, sharing, [note], False, today)
            done_people.add(assignment.employee_id)
        seeded += len(done_people)
    return seeded

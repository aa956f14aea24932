"""Demo team agreements and contributions for `seed_demo` (portal/demo.py): per active team
without agreements four agreements that read like a real team's, one of them past its review
date, and on most active goals one or two members who contribute. Through the services, as
the pages store them; teams that already have agreements are left alone (idempotent)."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from afspraken.models import Agreement, AgreementVersion
from afspraken.services import AgreementData, agreement_create, agreement_update
from doelen.models import Goal
from doelen.services import contribution_add
from teams.models import Membership, Team

AGREEMENTS = [
    (
        "Zo plannen we",
        "Elke maandag om 9.00 uur plannen we samen de week in het teamoverleg. Wie er niet is, "
        "zet zijn punten vooraf in het planbord.",
    ),
    (
        "Zo nemen we besluiten",
        "We besluiten met consent: een voorstel gaat door als niemand een overwegend bezwaar "
        "heeft. Bezwaren bespreken we in hetzelfde overleg.",
    ),
    (
        "Zo vervangen we elkaar",
        "Iedereen heeft een buddy. Bij ziekte of vakantie neemt de buddy de lopende zaken over "
        "en zet een afwezigheidsmelding met zijn naam.",
    ),
    (
        "Zo gaan we om met een klacht",
        "Een klacht bellen we binnen twee werkdagen terug. Wie de klacht aanneemt, blijft het "
        "aanspreekpunt tot de inwoner een antwoord heeft.",
    ),
]
CONTRIBUTIONS = [
    "houdt de cijfers bij",
    "praat met de dorpsraad",
    "belt de aanvragers terug",
    "maakt de planning",
    "schrijft het bericht voor de website",
    "denkt mee over de aanpak",
]


def seed_teamwork(*, seed: int, today: datetime.date) -> int:
    """Seed every active team without agreements; the number of teams seeded."""
    seeded = 0
    for team in Team.objects.active().filter(agreements__isnull=True).order_by("pk"):
        members = [
            m.employee
            for m in Membership.objects.current(today)
            .filter(team=team, employee__is_active=True)
            .select_related("employee")
            .order_by("employee_id")
        ]
        if len(members) < 2:
            continue
        rng = random.Random(f"{seed}-teamwork-{team.pk}")
        with transaction.atomic():
            _seed_team(rng, team, members, today)
        seeded += 1
    return seeded


def _backdate(agreement, number: int, on: datetime.date) -> None:
    """Date a demo version on the day it was agreed or revised, in office hours, as if the
    team had recorded it then (the service stamps the moment of the seed run)."""
    when = datetime.datetime.combine(
        on, datetime.time(10, 0), tzinfo=timezone.get_current_timezone()
    )
    AgreementVersion.objects.filter(agreement=agreement, number=number).update(changed_at=when)
    if number == 1:
        Agreement.objects.filter(pk=agreement.pk).update(created_at=when)


def _seed_team(rng, team, members, today):
    actor = team.managers.first() or members[0]
    for index, (title, text) in enumerate(AGREEMENTS):
        agreed = today - datetime.timedelta(days=rng.randint(200, 400))
        # The first is past its review date (the signal and the reminder have something).
        review = (
            today - datetime.timedelta(days=rng.randint(40, 90))
            if index == 0
            else today + datetime.timedelta(days=rng.randint(30, 200))
        )
        data = AgreementData(
            title=title, text=text, owner=rng.choice(members), agreed_on=agreed, review_on=review
        )
        agreement = agreement_create(team=team, actor=actor, data=data)
        _backdate(agreement, 1, agreed)
        if index == 2:  # revised once: the history shows two versions
            data.text += " De buddy's staan op het planbord."
            data.note = "Aangevuld na de evaluatie."
            agreement_update(agreement=agreement, actor=rng.choice(members), data=data)
            revised = agreed + datetime.timedelta(days=rng.randint(30, (today - agreed).days - 1))
            _backdate(agreement, 2, revised)
    for goal in Goal.objects.active().filter(team=team).order_by("pk"):
        helpers = [m for m in members if m.pk != goal.owner_id]
        for person in rng.sample(helpers, k=min(len(helpers), rng.choice([0, 1, 1, 2]))):
            contribution_add(
                goal=goal, member=person, description=rng.choice(CONTRIBUTIONS), actor=actor
            )

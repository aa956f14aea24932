"""Demo data for the development programme, for `seed_demo` (portal/demo.py):
per active team one closed scan round about three months ago and one open round now, both
with answers from most members, and a few responsibilities handed over. Teams that already
have a scan round are left alone, so running it twice adds nothing.

Answers go through services.submit_scans (submit_scan's checks and storage for a whole
round at once), so the demo stores them as the portal does: apart from the people
(docs/decisions/0013-scan-privacy.md). The earlier round is then closed through
services.close_scan_round, which removes the respondent keys."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from ontwikkeling.models import (
    Responsibility,
    ResponsibilityState,
    ScanRound,
    Statement,
    TeamResponsibility,
)
from ontwikkeling.reference import ensure_reference
from ontwikkeling.services import close_scan_round, submit_scans
from teams.models import Membership, Team

# Demo log-ins that should still find the scan open for them to fill in.
LEAVE_OPEN_FOR = {"medewerker"}


def seed_development(*, seed: int, today: datetime.date | None = None) -> int:
    """Seed every active team without scan rounds. Returns the number of teams seeded."""
    ensure_reference()
    today = today or timezone.localdate()
    statements = list(Statement.objects.active().select_related("theme"))
    responsibilities = list(Responsibility.objects.filter(is_active=True).order_by("order"))
    seeded = 0
    for team in Team.objects.active().exclude(scan_rounds__isnull=False).order_by("pk"):
        rng = random.Random(f"{seed}-development-{team.pk}")
        with transaction.atomic():
            _seed_team(rng, team, statements, responsibilities, today)
        seeded += 1
    return seeded


def _seed_team(rng, team, statements, responsibilities, today):
    members = [
        m.employee
        for m in Membership.objects.current(today).filter(team=team).select_related("employee")
    ]
    if not members:
        return
    opener = team.managers.first() or members[0]
    # The team's level per theme, and how much it grows between the rounds.
    level = {s.theme_id: rng.uniform(2.4, 4.2) for s in statements}
    growth = {theme_id: rng.uniform(-0.4, 0.6) for theme_id in level}
    rounds = [
        (today - datetime.timedelta(days=100), today - datetime.timedelta(days=86), 0.0),
        (today - datetime.timedelta(days=5), today + datetime.timedelta(days=9), 1.0),
    ]
    for opens_on, closes_on, step in rounds:
        scan_round = ScanRound.objects.create(
            team=team, opens_on=opens_on, closes_on=closes_on, created_by=opener
        )
        current = set(
            Membership.objects.current(opens_on)
            .filter(team=team)
            .values_list("employee_id", flat=True)
        )
        answers = {}
        for person in members:
            if (person.username in LEAVE_OPEN_FOR and step) or rng.random() < 0.2:
                continue
            if person.pk not in current:
                continue
            scores = {}
            for statement in statements:
                centre = level[statement.theme_id] + growth[statement.theme_id] * step
                scores[statement.pk] = min(5, max(1, round(rng.gauss(centre, 0.8))))
            answers[person] = scores
        # Answered on the round's first day, as the members would have then; stored as
        # submit_scan stores them, in one rewrite of the round (15,000 people in minutes).
        if answers:
            submit_scans(scan_round=scan_round, scores_by_respondent=answers, on=opens_on)
        if closes_on < today:
            close_scan_round(scan_round=scan_round, closed_by=None, on=today)
    states = [ResponsibilityState.SHARED, ResponsibilityState.WITH_TEAM]
    for responsibility in rng.sample(responsibilities, k=rng.randint(1, 4)):
        since = today - datetime.timedelta(days=rng.randint(30, 300))
        TeamResponsibility.objects.create(
            team=team,
            responsibility=responsibility,
            state=ResponsibilityState.SHARED,
            since=since,
            changed_by=opener,
            note="Proefperiode afgesproken in het teamoverleg.",
        )
        if rng.random() < 0.5:
            TeamResponsibility.objects.create(
                team=team,
                responsibility=responsibility,
                state=rng.choice(states),
                since=since + datetime.timedelta(days=rng.randint(10, 29)),
                changed_by=opener,
            )

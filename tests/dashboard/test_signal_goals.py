"""Each signal about goals names the goals and their owners (issue #17: "each signal names the
goal(s) and owner(s) it is about and reports the oldest gap"), with frozen time: in the
figures of the manager's dashboard (one query for all teams), in those of the team dashboard
(from its own goals) and on both pages."""

import datetime
import html
import re

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from dashboards.figures import team_summaries
from dashboards.periods import Period
from dashboards.signals import GoalRef
from dashboards.team_dashboard import team_dashboard
from doelen.models import Confidence
from teams.models import Team, UpdateRhythm
from tests.dashboard.helpers import at, check_in, staff
from tests.factories import EmployeeFactory, GoalFactory, TeamFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 15)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def frozen():
    with time_machine.travel(at(TODAY, 12), tick=False):
        yield


@pytest.fixture
def team():
    team = TeamFactory(name="Burgerzaken", update_rhythm=UpdateRhythm.WEEKLY)
    staff(team)
    return team


def goal_for(team, title, owner="Anna de Vries", **kwargs):
    defaults = {"start_date": TODAY - 100 * DAY, "due_date": TODAY + 100 * DAY}
    with time_machine.travel(at(TODAY - 120 * DAY), tick=False):
        return GoalFactory(
            team=team,
            title=title,
            owner=EmployeeFactory(name=owner) if owner else None,
            **(defaults | kwargs),
        )


def both_summaries(team):
    """The team's summary as the manager's dashboard computes it and as the team dashboard
    does: the goals they name must agree."""
    on, period = TODAY, Period.quarter(TODAY)
    index = team_summaries(teams=Team.objects.filter(pk=team.pk), period=period, on=on)
    own = team_dashboard(team=team, period=period, on=on).summary
    return index.summaries[0], own


def named(summary, kind):
    (signal,) = [s for s in summary.signals if s.kind == kind]
    return [(goal.title, goal.owner) for goal in signal.goals]


def test_the_stale_signal_names_its_goals_and_owners_oldest_gap_first(frozen, team):
    check_in(goal_for(team, "Wachttijd balie", "Bram"), when=at(TODAY - 20 * DAY), value=60)
    check_in(goal_for(team, "Klanttevredenheid", "Carla"), when=at(TODAY - 90 * DAY), value=55)
    check_in(goal_for(team, "Digitale aanvragen", "Dirk"), when=at(TODAY - 2 * DAY), value=60)
    for summary in both_summaries(team):
        assert named(summary, "stale") == [
            ("Klanttevredenheid", "Carla"),
            ("Wachttijd balie", "Bram"),
        ]
        (signal,) = [s for s in summary.signals if s.kind == "stale"]
        assert signal.text == "2 doelen niet bijgewerkt, het oudste al 12 weken"  # oldest gap kept


def test_the_behind_signal_names_the_goals_behind_furthest_first(frozen, team):
    check_in(goal_for(team, "Wachttijd balie", "Bram"), when=at(TODAY - 2 * DAY), value=40)
    check_in(goal_for(team, "Klanttevredenheid", "Carla"), when=at(TODAY - 2 * DAY), value=10)
    check_in(goal_for(team, "Digitale aanvragen", "Dirk"), when=at(TODAY - 2 * DAY), value=55)
    for summary in both_summaries(team):  # 50% expected: Dirk's goal is on the line
        assert named(summary, "behind") == [
            ("Klanttevredenheid", "Carla"),
            ("Wachttijd balie", "Bram"),
        ]


def test_an_overdue_goal_is_a_signal_that_names_it(frozen, team):
    overdue = goal_for(team, "Archief opgeschoond", "Bram", due_date=TODAY - 5 * DAY)
    check_in(overdue, when=at(TODAY - 2 * DAY), value=100)
    check_in(goal_for(team, "Wachttijd balie", "Carla"), when=at(TODAY - 2 * DAY), value=50)
    for summary in both_summaries(team):
        assert named(summary, "overdue") == [("Archief opgeschoond", "Bram")]
        (signal,) = [s for s in summary.signals if s.kind == "overdue"]
        assert signal.text == "1 doel voorbij de einddatum en nog actief"
    with translation.override("en"):
        (signal,) = [s for s in both_summaries(team)[0].signals if s.kind == "overdue"]
        assert signal.text == "1 goal past its due date and still active"


def test_falling_confidence_names_the_goals_not_on_track(frozen, team):
    worried = goal_for(team, "Wachttijd balie", "Bram")
    calm = goal_for(team, "Klanttevredenheid", "Carla")
    for goal in (worried, calm):
        check_in(goal, when=at(datetime.date(2025, 11, 10)), value=40)
    check_in(calm, when=at(datetime.date(2026, 3, 1)), value=50)
    check_in(worried, when=at(datetime.date(2026, 3, 2)), value=45, confidence=Confidence.OFF_TRACK)
    for summary in both_summaries(team):
        assert named(summary, "confidence") == [("Wachttijd balie", "Bram")]


def test_a_goal_without_owner_is_named_as_such(frozen, team):
    check_in(goal_for(team, "Wachttijd balie", owner=None), when=at(TODAY - 90 * DAY), value=50)
    for summary in both_summaries(team):
        assert named(summary, "stale") == [("Wachttijd balie", None)]


# On the pages: all goals on the team dashboard, the first three on a manager's team card.


@pytest.fixture
def five_stale(team, manager):
    team.managers.add(manager)
    goals = []
    for index, owner in enumerate(("Bram", "Carla", "Dirk", "Eva", "Fatima")):
        goal = goal_for(team, f"Doel {owner}", owner)
        check_in(goal, when=at(TODAY - (60 - index) * DAY), value=50)
        goals.append(goal)
    return goals


def signal_items(response, kind):
    page = response.content.decode()
    return [
        re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", item))).strip()
        for item in re.findall(rf'<li class="signal-{kind}[^"]*">(.*?)</li>', page, re.S)
    ]


def test_the_team_card_names_the_first_three_goals_then_how_many_more(
    frozen, client_for, five_stale, manager
):
    client = client_for(manager)
    response = client.get(reverse("dashboard:index"))
    assert signal_items(response, "stale") == [
        "5 doelen niet bijgewerkt, het oudste al 8 weken (ernstig): Doel Bram (Bram), "
        "Doel Carla (Carla), Doel Dirk (Dirk) en 2 meer"
    ]
    page = response.content.decode()
    assert f'href="{five_stale[0].get_absolute_url()}"' in page
    assert f'href="{five_stale[3].get_absolute_url()}"' not in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert signal_items(client.get(reverse("dashboard:index")), "stale") == [
        "5 goals not updated, the oldest for 8 weeks (serious): Doel Bram (Bram), "
        "Doel Carla (Carla), Doel Dirk (Dirk) and 2 more"
    ]


def test_the_team_dashboard_names_every_goal_with_its_owner(
    frozen, client_for, five_stale, manager
):
    response = client_for(manager).get(
        reverse("dashboard:team", kwargs={"slug": five_stale[0].team.slug})
    )
    (item,) = signal_items(response, "stale")
    assert item.endswith(
        ": Doel Bram (Bram), Doel Carla (Carla), Doel Dirk (Dirk), Doel Eva (Eva), "
        "Doel Fatima (Fatima)"
    )
    page = response.content.decode()
    for goal in five_stale:
        assert f'<a href="{goal.get_absolute_url()}"' in page


def test_goal_ref_links_to_the_goal_page():
    assert GoalRef(pk=7, title="x", owner=None).get_absolute_url() == reverse(
        "doelen:detail", kwargs={"pk": 7}
    )


def test_a_renamed_owner_shows_on_the_cached_card(frozen, client_for, team, manager):
    """Owner names come from Employee (a declared source, dashboards.sources): the cached
    card follows a change of name."""
    team.managers.add(manager)
    owner = staff(team, holders=1, roles=("vakman",))[0]
    goal = goal_for(team, "Wachttijd balie", owner=None)
    goal.owner = owner
    goal.save()
    check_in(goal, when=at(TODAY - 60 * DAY), value=50)
    client = client_for(manager)
    assert signal_items(client.get(reverse("dashboard:index")), "stale")[0].endswith(
        f": Wachttijd balie ({owner.name})"
    )
    owner.name = "Anna Jansen"
    owner.save()
    assert signal_items(client.get(reverse("dashboard:index")), "stale")[0].endswith(
        ": Wachttijd balie (Anna Jansen)"
    )

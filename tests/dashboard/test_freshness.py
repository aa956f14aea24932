"""The dashboards' cache never shows old data: every table a dashboard page reads is a
declared source (dashboards/sources.py) or listed below as not one, with the reason; and
every declared source that a page reads has a write case here, made through the real
service, that raises the team's data version and shows on the page.

A new model that a dashboard starts to read therefore fails
`test_every_table_a_page_reads_is_declared` until it is declared in dashboards.sources, and
then `test_every_source_a_page_reads_has_a_write_case` until a case here shows that a write
to it reaches the page.
"""

import datetime
import re
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dashboards.cache import CACHE_ALIAS
from dashboards.models import TeamDataVersion
from dashboards.sources import source_tables
from doelen.models import Goal
from doelen.services import GoalData, goal_check_in, goal_create, goal_update
from ontwikkeling.models import Responsibility, ResponsibilityState, Statement, Theme
from ontwikkeling.personal.services import intention_create
from ontwikkeling.services import (
    change_responsibility_state,
    close_scan_round,
    open_scan_round,
    submit_scan,
)
from rollen.models import Role
from rollen.services import role_assign, team_leave
from teams.models import Membership
from teams.services import employee_anonymise, membership_start
from tests.dashboard.helpers import busy_team
from tests.dashboard.test_queries import main_of
from tests.factories import EmployeeFactory, objective, role
from tests.ontwikkeling.helpers import make_round, respond, scores_for

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()

# Tables the pages read that are not what a dashboard shows about a team, and why.
NOT_SOURCES = {
    "django_session": "who is logged in: the session, not the data shown",
    "teams_employee_groups": "the viewer's groups decide access (HR, management), checked on "
    "every request outside the cache",
    "auth_group": "the viewer's group names, as above",
    TeamDataVersion._meta.db_table: "the versions themselves",
}


@dataclass
class World:
    team: object
    other_team: object
    manager: object
    hr: object
    member: object
    goal: Goal


@pytest.fixture
def world(team, other_team, manager, hr, member) -> World:
    goals = busy_team(team)
    busy_team(other_team)
    goals[0].objectives.add(objective("kosten"))
    closed = make_round(
        team,
        opens_on=TODAY - datetime.timedelta(days=40),
        closes_on=TODAY - datetime.timedelta(days=30),
    )
    per_theme = {
        theme.slug: index + 1 for index, theme in enumerate(Theme.objects.order_by("order"))
    }
    for _ in range(settings.ZS_SCAN_MIN_ANSWERS):  # enough to publish the closed round
        respond(closed, EmployeeFactory(), per_theme)
    return World(team, other_team, manager, hr, member, goals[0])


def _pages(world: World):
    team_url = reverse("dashboard:team", kwargs={"slug": world.team.slug})
    return {
        "manager index": (world.manager, reverse("dashboard:index")),
        "HR index": (world.hr, reverse("dashboard:index")),
        "team dashboard": (world.hr, team_url),
        "organisation view": (world.hr, reverse("dashboard:organisation")),
    }


TABLE = re.compile(r'\b(?:FROM|JOIN)\s+"?(\w+)"?', re.IGNORECASE)


def tables_read(client, url) -> set[str]:
    """The tables a cold page (empty cache) reads."""
    caches[CACHE_ALIAS].clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return {table for query in queries.captured_queries for table in TABLE.findall(query["sql"])}


def _save(obj, **values):
    """The functional admin's door for reference data (the admin saves the object)."""
    for name, value in values.items():
        setattr(obj, name, value)
    obj.save()


def _goal_data(goal: Goal, **changes) -> GoalData:
    values = {
        "title": goal.title,
        "start_date": goal.start_date,
        "due_date": goal.due_date,
        "measure_type": goal.measure_type,
        "unit": goal.unit,
        "start_value": goal.start_value,
        "target_value": goal.target_value,
        "objectives": list(goal.objectives.all()),
    }
    return GoalData(**{**values, **changes})


def _overdue_agreement(w):
    from tests.factories import make_agreement

    return make_agreement(
        team=w.team,
        owner=w.member,
        agreed_on=TODAY - datetime.timedelta(days=200),
        review_on=TODAY - datetime.timedelta(days=20),
    )


def _revise(w, agreement):
    from afspraken.services import AgreementData, agreement_update

    agreement_update(
        agreement=agreement,
        actor=w.member,
        data=AgreementData(
            title="Herzien",
            text="Nog steeds zo.",
            owner=w.member,
            agreed_on=TODAY,
            review_on=TODAY + datetime.timedelta(days=100),
        ),
    )


def _contribute(w):
    from doelen.services import contribution_add
    from tests.factories import MembershipFactory

    helper = EmployeeFactory(name="Hulp Vaardig")
    MembershipFactory(employee=helper, team=w.team)
    contribution_add(goal=w.goal, member=helper, description="denkt mee", actor=w.manager)


def _open_round(w):
    return open_scan_round(
        team=w.team, opened_by=w.manager, closes_on=TODAY + datetime.timedelta(7)
    )


def _answer_and_close(w, scan_round):
    for number in range(settings.ZS_SCAN_MIN_ANSWERS):
        new = EmployeeFactory(name=f"Nina Nieuw {number}")
        membership_start(employee=new, team=w.team, since=TODAY - datetime.timedelta(days=1))
        submit_scan(scan_round=scan_round, respondent=new, scores=scores_for(2))
    close_scan_round(scan_round=scan_round, closed_by=w.manager)


@dataclass(frozen=True)
class WriteCase:
    tables: tuple[str, ...]  # the source tables this write changes
    page: str  # the page that shows it (see _pages)
    write: object  # write(world) -> None, through the real service
    shows: str | None = None  # text the page then shows (None: the page changed)
    gone: str | None = None  # text the page then no longer shows
    prepare: object = None  # prepare(world) -> state passed to write, before the first render
    team: str = "team"  # the World attribute of the team whose version rises


WRITE_CASES = {
    "team renamed": WriteCase(
        ("teams_team",),
        "HR index",
        # No service changes a team's details; the admin saves it.
        lambda w, _state: _save(w.team, name="Team Omgevingsloket"),
        shows="Team Omgevingsloket",
    ),
    "member joins": WriteCase(
        ("teams_membership",),
        "team dashboard",
        lambda w, _state: membership_start(
            employee=EmployeeFactory(name="Nina Nieuw"), team=w.team, since=TODAY
        ),
        shows="Nina Nieuw",
    ),
    "member leaves": WriteCase(
        ("teams_membership", "rollen_roleassignment"),
        "team dashboard",
        lambda w, _state: team_leave(
            membership=Membership.objects.get(team=w.team, employee=w.member),
            until=TODAY - datetime.timedelta(days=1),
        ),
        gone="Mila Lid",
    ),
    "member anonymised": WriteCase(
        ("teams_employee",),
        "team dashboard",
        # Anonymising deactivates: someone who left is no member on the dashboards (#14).
        lambda w, _state: employee_anonymise(employee=w.member, force=True),
        gone="Mila Lid",
    ),
    "team gets a manager": WriteCase(
        ("teams_team_managers",),
        "manager index",
        # No service appoints managers; the admin (or the HR import) adds them.
        lambda w, _state: w.other_team.managers.add(w.manager),
        shows="Burgerzaken",
        team="other_team",
    ),
    "role assigned": WriteCase(
        ("rollen_roleassignment",),
        "team dashboard",
        lambda w, _state: role_assign(
            employee=w.member, team=w.team, role=role("facilitator"), since=TODAY
        ),
    ),
    "role renamed": WriteCase(
        ("rollen_role",),
        "team dashboard",
        lambda w, _state: _save(Role.objects.get(slug="vakman"), name_nl="Vakspecialist"),
        shows="Vakspecialist",
    ),
    "goal added": WriteCase(
        ("doelen_goal",),
        "team dashboard",
        lambda w, _state: goal_create(
            team=w.team,
            actor=w.member,
            data=GoalData(
                title="Nieuw teamdoel",
                start_date=TODAY - datetime.timedelta(days=10),
                due_date=TODAY + datetime.timedelta(days=50),
            ),
        ),
        shows="Nieuw teamdoel",
    ),
    "check-in": WriteCase(
        ("doelen_checkin",),
        "HR index",
        lambda w, _state: goal_check_in(goal=w.goal, author=w.member, value=w.goal.target_value),
    ),
    "goal serves another objective": WriteCase(
        ("doelen_goal_objectives",),
        "organisation view",
        lambda w, _state: goal_update(
            goal=w.goal,
            actor=w.member,
            version=w.goal.version,
            data=_goal_data(w.goal, objectives=[objective("dichtbij")]),
        ),
    ),
    "objective renamed": WriteCase(
        ("doelen_organisationobjective",),
        "organisation view",
        lambda w, _state: _save(objective("kosten"), name_nl="Kosten in de hand"),
        shows="Kosten in de hand",
    ),
    "agreement past its review date": WriteCase(
        ("afspraken_agreement", "afspraken_agreementversion"),
        "team dashboard",
        lambda w, _state: _overdue_agreement(w),
        shows="werkafspraak niet herzien",
    ),
    "agreement revised": WriteCase(
        ("afspraken_agreementversion",),
        "manager index",
        lambda w, state: _revise(w, state),
        prepare=lambda w: _overdue_agreement(w),
        gone="werkafspraak niet herzien",
    ),
    "contribution added": WriteCase(
        ("doelen_goalcontribution",),
        "team dashboard",
        lambda w, _state: _contribute(w),
        shows="denkt mee",
    ),
    "scan round opened": WriteCase(
        ("ontwikkeling_scanround",),
        "team dashboard",
        lambda w, _state: _open_round(w),
    ),
    # While a round is open nothing about its answers shows (issue #13); answering and
    # then closing the round publishes them.
    "scan answered and round closed": WriteCase(
        (
            "ontwikkeling_scanround",
            "ontwikkeling_scanresponse",
            "ontwikkeling_answerset",
            "ontwikkeling_answer",
        ),
        "team dashboard",
        lambda w, state: _answer_and_close(w, state),
        prepare=lambda w: _open_round(w),
    ),
    "theme renamed": WriteCase(
        ("ontwikkeling_theme",),
        "team dashboard",
        lambda w, _state: _save(Theme.objects.order_by("order").first(), name_nl="Groeien"),
        shows="Groeien",
    ),
    "statement moved to another theme": WriteCase(
        ("ontwikkeling_statement",),
        "team dashboard",
        # Its answers then count for the other theme.
        lambda w, _state: _save(
            Statement.objects.order_by("pk").first(), theme=Theme.objects.order_by("-order")[0]
        ),
    ),
    "responsibility renamed": WriteCase(
        ("ontwikkeling_responsibility",),
        "organisation view",
        lambda w, _state: _save(
            Responsibility.objects.order_by("order").first(), name_nl="Eigen roosters"
        ),
        shows="Eigen roosters",
    ),
    "responsibility handed over": WriteCase(
        ("ontwikkeling_teamresponsibility",),
        "organisation view",
        lambda w, _state: change_responsibility_state(
            team=w.team,
            responsibility=Responsibility.objects.order_by("order").first(),
            state=ResponsibilityState.WITH_TEAM,
            since=TODAY,
            changed_by=w.manager,
        ),
    ),
    # Counts only (issue #20): a member's new intention changes "x of y members".
    "development intention written": WriteCase(
        ("ontwikkeling_developmentintention",),
        "manager index",
        lambda w, _state: intention_create(
            employee=w.member, role=Role.objects.get(slug="vakman"), aim="Beter adviseren"
        ),
        prepare=lambda w: role_assign(
            employee=w.member, team=w.team, role=Role.objects.get(slug="vakman"), since=TODAY
        ),
    ),
}


def _read_by_pages(world, client) -> dict[str, set[str]]:
    read = {}
    for name, (user, url) in _pages(world).items():
        client.force_login(user)
        read[name] = tables_read(client, url)
    return read


def test_every_table_a_page_reads_is_declared(world, client):
    declared = source_tables()
    for page, tables in _read_by_pages(world, client).items():
        undeclared = sorted(tables - declared - set(NOT_SOURCES))
        assert not undeclared, (
            f"The {page} reads {undeclared}, which dashboards/sources.py does not declare as a "
            "source: a write there would not raise the data version and the page would show "
            "old data. Declare it (or list it in NOT_SOURCES with the reason)."
        )


def test_every_source_a_page_reads_has_a_write_case(world, client):
    read = set().union(*_read_by_pages(world, client).values()) & source_tables()
    covered = {table for case in WRITE_CASES.values() for table in case.tables}
    assert not read - covered, f"No write case in WRITE_CASES for {sorted(read - covered)}"


def test_not_sources_are_not_declared():
    assert not set(NOT_SOURCES) & source_tables()


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return main_of(response)


def _version(team) -> int:
    return TeamDataVersion.objects.filter(team=team).values_list("number", flat=True).first() or 0


@pytest.mark.parametrize("case", WRITE_CASES.values(), ids=WRITE_CASES.keys())
def test_a_write_raises_the_version_and_shows_at_once(world, client, case):
    state = case.prepare(world) if case.prepare else None
    user, url = _pages(world)[case.page]
    client.force_login(user)
    before = _page(client, url)  # now in the cache
    assert _page(client, url) == before
    if case.shows:
        assert case.shows not in before
    if case.gone:
        assert case.gone in before
    team = getattr(world, case.team)
    version = _version(team)
    case.write(world, state)
    assert _version(team) > version, "the write did not raise the team's data version"
    client.force_login(user)
    after = _page(client, url)
    assert after != before
    if case.shows:
        assert case.shows in after
    if case.gone:
        assert case.gone not in after

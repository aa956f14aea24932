"""The API answers what the HR overviews, the goal pages and the dashboards show for the
same date, and never a scan answer."""

import datetime

from django.utils import timezone

from api.models import Scope
from dashboards.periods import Period
from dashboards.team_dashboard import goal_figures
from doelen.selectors import goals_for_team
from ontwikkeling.models import Answer
from rollen.selectors import OverviewFilters, people_memberships, role_changes, role_matrix
from teams.models import Team
from tests.factories import EmployeeFactory, RoleAssignmentFactory, role
from tests.ontwikkeling.helpers import make_round, respond


def _all(api_get, key, path):
    rows, url = [], path
    while url:
        body = api_get(url, key).json()
        rows += body["results"]
        url = body["next"]
    return rows


def test_role_assignments_match_the_role_matrix(organisation, make_key, api_get):
    key = make_key(Scope.ROLES)
    for on in (timezone.localdate(), timezone.localdate() - datetime.timedelta(days=30)):
        matrix = role_matrix(on=on, filters=OverviewFilters())
        expected = sorted(
            (row.team.slug, role_.slug, holder.pk)
            for row in matrix.rows
            for role_, holders in zip(matrix.roles, row.holders_per_role, strict=True)
            for holder in holders
        )
        rows = _all(api_get, key, f"/api/v1/role-assignments/?on={on}&page_size=5")
        assert sorted((r["team"], r["role"], r["person"]["id"]) for r in rows) == expected
        assert expected  # the comparison compares something


def test_memberships_match_the_person_list(organisation, make_key, api_get):
    on = timezone.localdate()
    filters = OverviewFilters(municipality="boxtel")
    expected = sorted(
        (m.team.slug, m.employee_id) for m in people_memberships(on=on, filters=filters)
    )
    rows = _all(
        api_get, make_key(Scope.TEAMS), "/api/v1/memberships/?municipality=boxtel&page_size=4"
    )
    assert sorted((r["team"], r["person"]["id"]) for r in rows) == expected and expected


def test_role_changes_match_the_comparison_page(organisation, make_key, api_get):
    today = timezone.localdate()
    before = today - datetime.timedelta(days=30)
    team = Team.objects.order_by("pk").first()
    RoleAssignmentFactory(
        team=team,
        employee=EmployeeFactory(),
        role=role("ondernemer"),
        since=before - datetime.timedelta(days=5),
        until=before + datetime.timedelta(days=5),
    )
    gained, lost = role_changes(date_from=before, date_to=today, filters=OverviewFilters())
    key = make_key(Scope.ROLES)
    for change, expected in (("gained", gained), ("lost", lost)):
        rows = _all(
            api_get,
            key,
            f"/api/v1/role-changes/?date_from={before}&date_to={today}&change={change}",
        )
        assert sorted(r["id"] for r in rows) == sorted(a.pk for a in expected)
    assert len(gained) == 12 and len(lost) == 1


def test_goal_progress_matches_the_goal_pages_and_the_dashboard(organisation, make_key, api_get):
    on = timezone.localdate()
    rows = {r["id"]: r for r in _all(api_get, make_key(Scope.GOALS), f"/api/v1/goals/?on={on}")}
    compared = 0
    for team in Team.objects.all():
        for progress in goals_for_team(team=team, on=on):
            row = rows[progress.goal.pk]
            assert (row["progress"], row["expected_progress"]) == (
                progress.progress,
                progress.expected,
            )
            assert float(row["latest_value"]) == float(progress.latest_value)
            compared += 1
        for figures in goal_figures(team=team, period=Period.year(on), on=on).figures:
            row = rows[figures.goal.pk]
            assert row["progress"] == round(figures.progress * 100)
            assert row["expected_progress"] == round(figures.expected * 100)
    assert compared == 4


def test_no_endpoint_exposes_a_scan_answer(organisation, all_scopes_key, api_get):
    # A second team with a closed round below the minimum: nothing of it is published.
    team = Team.objects.order_by("pk")[1]
    today = timezone.localdate()
    small = make_round(
        team,
        opens_on=today - datetime.timedelta(days=40),
        closes_on=today - datetime.timedelta(days=30),
    )
    respond(small, EmployeeFactory(), 1)
    answer_ids = set(Answer.objects.values_list("pk", flat=True))
    forbidden = {
        "score",
        "scores",
        "answer",
        "answers",
        "respondent",
        "respondents",
        "response",
        "responses",
    }
    for path in (
        "teams",
        "memberships",
        "role-assignments",
        "objectives",
        "goals",
        "check-ins",
        "scan-results",
    ):
        body = api_get(f"/api/v1/{path}/", all_scopes_key).json()
        assert not forbidden & set(_keys(body)), path
    results = {
        r["team"]: r["rounds"]
        for r in api_get("/api/v1/scan-results/", all_scopes_key).json()["results"]
    }
    assert results[team.slug] == []  # one response: not published
    published = [r for rounds in results.values() for r in rounds]
    assert len(published) == 1
    # Six people all answered 4: the published means are that, not anyone's row.
    assert {t["mean"] for t in published[0]["themes"]} == {4.0}
    assert str(sorted(answer_ids)) not in str(results) and 1.0 not in {
        t["mean"] for t in published[0]["themes"]
    }


def _keys(node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _keys(value)
    elif isinstance(node, list):
        for value in node:
            yield from _keys(value)

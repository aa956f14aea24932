"""Each named policy of teams.access over the personas, for an active and an archived team.

The pages that use the policies are checked by tests/security/authorisation_table.py; this
pins each policy itself, so a policy that changes shows here by name."""

from types import SimpleNamespace

import pytest

from teams.access import get_team_for_user, sees_all_teams, team_access

PERSONAS = ("member", "other_member", "manager", "other_manager", "hr", "outsider", "superuser")
Y, N = True, False

# One expected outcome per persona, in the order of PERSONAS, for the team being active.
#                       member other_m manager other_mgr hr  outsider superuser
STEERS = (Y, N, Y, N, N, N, Y)
POLICIES = {
    "can_edit": STEERS,
    "can_edit_goals": STEERS,
    "can_open_scan_round": STEERS,
    "can_add_development_goal": STEERS,
    "can_manage_responsibilities": STEERS,
    "can_edit_agreements": STEERS,
    "can_answer_scan": (Y, N, N, N, N, N, N),
    "can_view_dashboard": (Y, N, Y, N, Y, N, Y),
}
# On an archived team nobody changes anything; reading the dashboard stays as it was.
ARCHIVED = {name: (N,) * len(PERSONAS) for name in POLICIES}
ARCHIVED["can_view_dashboard"] = POLICIES["can_view_dashboard"]

ACTIVE_GOAL = SimpleNamespace(is_active=True)
CLOSED_GOAL = SimpleNamespace(is_active=False)


def _cases(table):
    return [
        pytest.param(name, persona, expected[index], id=f"{name}-{persona}")
        for name, expected in table.items()
        for index, persona in enumerate(PERSONAS)
    ]


@pytest.mark.parametrize(("policy", "persona", "expected"), _cases(POLICIES))
def test_policy_on_an_active_team(request, team, other_team, policy, persona, expected):
    user = request.getfixturevalue(persona)
    assert getattr(team_access(user, team), policy) is expected
    _team, access = get_team_for_user(user, team.slug)
    assert getattr(access, policy) is expected


@pytest.mark.parametrize(("policy", "persona", "expected"), _cases(ARCHIVED))
def test_policy_on_an_archived_team(request, team, other_team, policy, persona, expected):
    user = request.getfixturevalue(persona)
    team.is_active = False
    team.save()
    assert getattr(team_access(user, team), policy) is expected
    _team, access = get_team_for_user(user, team.slug)
    assert getattr(access, policy) is expected


@pytest.mark.parametrize("method", ["can_check_in", "can_change_goal", "can_change_contributions"])
@pytest.mark.parametrize(
    ("persona", "expected"),
    [pytest.param(p, e, id=p) for p, e in zip(PERSONAS, STEERS, strict=True)],
)
def test_goal_policies_need_an_active_goal(request, team, other_team, method, persona, expected):
    access = team_access(request.getfixturevalue(persona), team)
    assert getattr(access, method)(ACTIVE_GOAL) is expected
    assert getattr(access, method)(CLOSED_GOAL) is False


def test_goal_policies_on_an_archived_team(team, member, manager):
    team.is_active = False
    team.save()
    for user in (member, manager):
        access = team_access(user, team)
        assert access.can_check_in(ACTIVE_GOAL) is False
        assert access.can_change_goal(ACTIVE_GOAL) is False


def test_management_views_every_dashboard_but_steers_no_team(team, management):
    access = team_access(management, team)
    assert access.can_view_dashboard is True
    assert access.can_edit_goals is False
    assert access.can_answer_scan is False


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("member", False),
        ("other_member", False),
        ("manager", False),
        ("other_manager", False),
        ("hr", True),
        ("management", True),
        ("outsider", False),
        ("superuser", True),
    ],
)
def test_sees_all_teams(request, team, other_team, persona, expected):
    assert sees_all_teams(request.getfixturevalue(persona)) is expected


def test_anonymous_sees_no_teams():
    from django.contrib.auth.models import AnonymousUser

    assert sees_all_teams(AnonymousUser()) is False


def test_a_former_member_no_longer_steers(team, member):
    import datetime

    from teams.models import Membership

    Membership.objects.filter(employee=member, team=team).update(
        since=datetime.date(2020, 1, 1), until=datetime.date(2020, 12, 31)
    )
    access = team_access(member, team)
    assert access.is_member is False
    assert access.can_edit_goals is False
    assert access.can_answer_scan is False

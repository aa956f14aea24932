"""Who may do what with a team. One helper, used by every view that shows a team's data.

Every permission a page or template needs has a name here (a property or method of
`TeamAccess`, or a function of the user for what does not depend on a team), so a rule is
written once and read by name: views and templates ask `access.can_edit_goals`, never
`access.is_member or access.is_manager`. tests/teams/test_access.py checks each policy
over the personas; tests/security/authorisation_table.py checks the pages that use them.
"""

from dataclasses import dataclass
from typing import Protocol

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from teams.models import Membership, Team


class _GoalLike(Protocol):
    """What a policy needs to know about a goal (teams imports no other app)."""

    @property
    def is_active(self) -> bool: ...


def sees_all_teams(user) -> bool:
    """HR and management (and superusers) read the organisation-wide aggregates: the
    development overview, the organisation dashboard and every team's dashboard."""
    return bool(user.is_authenticated and (user.is_hr or user.is_management))


@dataclass(frozen=True)
class TeamAccess:
    """What one person may do with one team. `is_manager` counts superusers as managers of
    every team; `is_hr` and `is_management` count them as HR and management."""

    team: Team
    is_member: bool
    is_manager: bool
    is_hr: bool
    is_management: bool = False

    @property
    def _steers(self) -> bool:
        # Self-steering: an active team's members and managers steer it together.
        return self.team.is_active and (self.is_member or self.is_manager)

    @property
    def can_edit(self) -> bool:
        """The older, general name of `can_edit_goals` (the dashboards still use it)."""
        return self._steers

    @property
    def can_edit_goals(self) -> bool:
        """Members and the team's managers add and change goals (status, carry-over) while
        the team is active; self-steering teams work in the open, so everyone else who is
        logged in may read them."""
        return self._steers

    def can_check_in(self, goal: _GoalLike) -> bool:
        """Recording progress on `goal`: whoever edits the team's goals, on an active goal."""
        return self.can_edit_goals and goal.is_active

    def can_change_goal(self, goal: _GoalLike) -> bool:
        """Changing what `goal` is (title, measure, dates): whoever edits the team's goals,
        only while the goal is active (a closed goal is carried over instead)."""
        return self.can_edit_goals and goal.is_active

    def can_request_update(self, goal: _GoalLike) -> bool:
        """ "Vraag om een update": the team's members and managers ask a goal's owner for a
        progress update, on an active goal of an active team."""
        return self._steers and goal.is_active

    @property
    def can_react(self) -> bool:
        """Reacting to a check-in with a short comment: the team's members and managers,
        while the team is active (everyone else who is logged in reads the reactions)."""
        return self._steers

    @property
    def can_answer_scan(self) -> bool:
        """Only a member fills in the team scan of an active team, and only their own
        answers; managers, HR and superusers neither answer nor see answers."""
        return self.team.is_active and self.is_member

    @property
    def can_open_scan_round(self) -> bool:
        """Members and managers of an active team open a scan round."""
        return self._steers

    @property
    def can_add_development_goal(self) -> bool:
        """Members and managers of an active team turn a scan result into a development goal
        (a team goal, so the same people as `can_edit_goals`)."""
        return self._steers

    @property
    def can_manage_responsibilities(self) -> bool:
        """Members and managers of an active team record that a responsibility moved between
        manager and team; everyone may read the history."""
        return self._steers

    @property
    def can_edit_agreements(self) -> bool:
        """Members and managers of an active team record, change and retire the team's
        agreements (werkafspraken); everyone who is logged in reads them."""
        return self._steers

    def can_change_contributions(self, goal: _GoalLike) -> bool:
        """Adding or ending who contributes to `goal`: whoever edits the team's goals, on
        an active goal."""
        return self.can_edit_goals and goal.is_active

    @property
    def can_view_dashboard(self) -> bool:
        """The team's dashboard: its members and managers, HR and management."""
        return self.is_member or self.is_manager or self.is_hr or self.is_management


def _access(user, team: Team, *, is_member: bool, is_manager: bool) -> TeamAccess:
    return TeamAccess(
        team=team,
        is_member=is_member,
        is_manager=is_manager,
        is_hr=user.is_hr,
        is_management=user.is_management,
    )


def team_access(user, team: Team) -> TeamAccess:
    """What `user` may do with `team` (three queries; `get_team_for_user` needs one)."""
    return _access(
        user,
        team,
        is_member=Membership.objects.current().filter(team=team, employee=user).exists(),
        is_manager=user.is_superuser or team.managers.filter(pk=user.pk).exists(),
    )


def get_team_for_user(
    user, slug: str, teams: QuerySet[Team] | None = None
) -> tuple[Team, TeamAccess]:
    """The team with this slug (from `teams`, if given) and what `user` may do with it; 404
    if there is none. One query: whether the user is a member or manager comes with it."""
    teams = (Team.objects.all() if teams is None else teams).annotate(
        viewer_is_member=Exists(
            Membership.objects.current().filter(team_id=OuterRef("pk"), employee_id=user.pk)
        ),
        viewer_is_manager=Exists(
            Team.managers.through.objects.filter(team_id=OuterRef("pk"), employee_id=user.pk)
        ),
    )
    try:
        team = teams.get(slug=slug)
    except Team.DoesNotExist:
        raise Http404 from None
    return team, _access(
        user,
        team,
        is_member=team.viewer_is_member,
        is_manager=user.is_superuser or team.viewer_is_manager,
    )

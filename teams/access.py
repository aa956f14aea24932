"""Who may do what with a team. One helper, used by every view that shows a team's data."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from teams.models import Membership, Team


@dataclass(frozen=True)
class TeamAccess:
    team: Team
    is_member: bool
    is_manager: bool
    is_hr: bool

    @property
    def can_edit(self) -> bool:
        """Members and the team's managers change goals; self-steering teams work in the open,
        so everyone else who is logged in may read."""
        return self.team.is_active and (self.is_member or self.is_manager)


def team_access(user, team: Team) -> TeamAccess:
    is_member = Membership.objects.current().filter(team=team, employee=user).exists()
    is_manager = user.is_superuser or team.managers.filter(pk=user.pk).exists()
    return TeamAccess(team=team, is_member=is_member, is_manager=is_manager, is_hr=user.is_hr)


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
    access = TeamAccess(
        team=team,
        is_member=team.viewer_is_member,
        is_manager=user.is_superuser or team.viewer_is_manager,
        is_hr=user.is_hr,
    )
    return team, access

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from rollen.selectors import role_holder_counts, vulnerable_roles
from tests.factories import MembershipFactory, RoleAssignmentFactory, TeamFactory, role

pytestmark = pytest.mark.django_db


def hold(team, slug, until=None):
    membership = MembershipFactory(team=team)
    return RoleAssignmentFactory(
        employee=membership.employee, team=team, role=role(slug), until=until
    )


@override_settings(ZS_MIN_ROLE_HOLDERS=2)
def test_roles_with_fewer_than_two_holders_make_a_team_vulnerable(django_assert_num_queries):
    team, other = TeamFactory(), TeamFactory()
    for slug in (
        "ondernemer",
        "ondernemer",
        "samenwerkingspartner",
        "samenwerkingspartner",
        "vakman",
    ):
        hold(team, slug)
    hold(team, "facilitator")
    hold(team, "facilitator", until=timezone.localdate() - datetime.timedelta(days=1))  # ended
    with django_assert_num_queries(2):
        result = vulnerable_roles(team_ids=[team.pk, other.pk])
    assert [(r.slug, n) for r, n in result[team.pk]] == [("vakman", 1), ("facilitator", 1)]
    assert [n for _r, n in result[other.pk]] == [0, 0, 0, 0]
    counts = role_holder_counts(team_ids=[team.pk])
    assert counts[team.pk][role("ondernemer").pk] == 2

from ontwikkeling import selectors
from ontwikkeling.demo import seed_development
from ontwikkeling.models import ScanRound
from tests.factories import EmployeeFactory, MembershipFactory, TeamFactory


def test_demo_seeds_each_team_once_with_a_visible_profile(db):
    team = TeamFactory()
    demo_member = EmployeeFactory(username="medewerker")
    for person in [demo_member, *[EmployeeFactory() for _ in range(9)]]:
        MembershipFactory(employee=person, team=team)
    assert seed_development(seed=1) == 1
    assert seed_development(seed=1) == 0
    assert ScanRound.objects.filter(team=team).count() == 2
    profile = selectors.team_profile(team=team, viewer=demo_member)
    assert profile.current is not None
    assert profile.open_round is not None
    assert not profile.viewer_has_answered  # the demo log-in can still fill it in
    assert selectors.team_checklist(team=team)

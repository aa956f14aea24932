"""The person's agreements and contributions on the personal-data page and in the download;
anonymising keeps the agreements and contributions but not the person."""

import json

import pytest
from django.urls import reverse

from afspraken.models import Agreement
from audit.models import AuditEvent
from doelen.services import contribution_add
from teams.services import employee_anonymise
from tests.factories import GoalFactory, make_agreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(team, member, manager):
    agreement = make_agreement(
        team=team, owner=member, actor=manager, title="Klachten binnen 5 dagen"
    )
    goal = GoalFactory(team=team, title="Wachttijd omlaag")
    contribution_add(goal=goal, member=member, description="belt de aanvragers", actor=manager)
    return agreement


def test_page_and_download_list_them(client_for, member, history):
    client = client_for(member)
    html = client.get(reverse("personal_data")).content.decode()
    assert "Klachten binnen 5 dagen" in html and "belt de aanvragers" in html
    data = json.loads(client.get(reverse("personal_data_download")).content)
    assert data["agreements"][0]["title"] == "Klachten binnen 5 dagen"
    assert data["agreements"][0]["you_own_it"] is True
    assert data["contributions"][0]["description"] == "belt de aanvragers"
    # Covered by their own sections, not repeated as "other records".
    kinds = {record["kind"] for record in data["other_records"]}
    assert not kinds & {"afspraken.agreementversion", "doelen.goalcontribution"}


def test_the_writer_sees_what_they_wrote(client_for, manager, history):
    data = json.loads(client_for(manager).get(reverse("personal_data_download")).content)
    assert data["agreements"][0]["you_changed_it"] is True
    assert data["contributions"][0]["yours"] is False


def test_anonymising_keeps_the_agreement_not_the_person(client_for, team, member, manager, history):
    member.is_active = False
    member.save()
    employee_anonymise(employee=member)
    agreement = Agreement.objects.get()
    assert agreement.current.owner_id == member.pk
    html = client_for(manager).get(agreement.get_absolute_url()).content.decode()
    assert "Klachten binnen 5 dagen" in html
    assert f"Oud-medewerker {member.pk}" in html and "Mila Lid" not in html
    team_html = client_for(manager).get(team.get_absolute_url()).content.decode()
    assert "Mila Lid" not in team_html
    # The audit log recorded the owner by id, so no name stays behind there either.
    for event in AuditEvent.objects.filter(action__startswith="agreement."):
        assert "Mila" not in json.dumps(event.changes) + json.dumps(event.details)

"""Team agreements per persona: who reads, who records, changes (new versions, the old ones
kept) and retires (never deletes)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from afspraken.models import Agreement, AgreementVersion
from audit.models import AuditEvent
from tests.factories import EmployeeFactory, MembershipFactory, make_agreement

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _form(owner, **changes):
    data = {
        "title": "Zo nemen we besluiten",
        "text": "We besluiten met consent in het teamoverleg.",
        "owner": owner.pk,
        "agreed_on": TODAY.isoformat(),
        "review_on": (TODAY + datetime.timedelta(days=90)).isoformat(),
        "note": "",
    }
    return {**data, **changes}


@pytest.fixture
def agreement(team, member):
    return make_agreement(team=team, owner=member)


@pytest.mark.parametrize("persona", ["member", "other_member", "manager", "hr", "outsider"])
def test_everyone_logged_in_reads(request, client_for, team, agreement, persona):
    client = client_for(request.getfixturevalue(persona))
    for url in (
        agreement.get_absolute_url(),
        reverse("afspraken:list", kwargs={"slug": team.slug}),
        team.get_absolute_url(),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert "Zo vervangen we elkaar" in response.content.decode()


def test_anonymous_is_sent_to_log_in(client, team, agreement):
    for url in (agreement.get_absolute_url(), reverse("afspraken:list", args=[team.slug])):
        response = client.get(url)
        assert response.status_code == 302 and "/account/login/" in response["Location"]


@pytest.mark.parametrize(("persona", "may"), [("member", True), ("manager", True)])
def test_members_and_managers_record_one(request, client_for, team, member, persona, may):
    client = client_for(request.getfixturevalue(persona))
    response = client.post(reverse("afspraken:new", args=[team.slug]), _form(member))
    agreement = Agreement.objects.get()
    assert response.status_code == 302 and response["Location"] == agreement.get_absolute_url()
    assert agreement.current.title == "Zo nemen we besluiten" and agreement.current.number == 1
    assert AuditEvent.objects.filter(action="agreement.create").count() == 1


@pytest.mark.parametrize("persona", ["other_member", "hr", "outsider"])
def test_others_may_not_change(request, client_for, team, member, agreement, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.post(reverse("afspraken:new", args=[team.slug]), _form(member)).status_code == 403
    edit = reverse("afspraken:edit", args=[agreement.pk])
    assert client.get(edit).status_code == 403
    assert client.post(edit, _form(member)).status_code == 403
    retire = reverse("afspraken:retire", args=[agreement.pk])
    assert client.post(retire, {"reason": "weg"}).status_code == 403
    html = client.get(agreement.get_absolute_url()).content.decode()
    assert "Change agreement" not in html and "Afspraak wijzigen" not in html
    assert AgreementVersion.objects.count() == 1 and not Agreement.objects.get().is_retired


def test_every_change_appends_a_version(client_for, team, member, manager, agreement):
    first = agreement.current
    client = client_for(manager)
    edit = reverse("afspraken:edit", args=[agreement.pk])
    response = client.post(edit, _form(member, title="Zo vervangen we elkaar (buddy's)"))
    assert response.status_code == 302
    client_for(member).post(edit, _form(member, title="Buddy's", note="na evaluatie"))
    agreement.refresh_from_db()
    versions = list(agreement.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2, 3]
    assert versions[0] == first and versions[0].title == "Zo vervangen we elkaar"  # untouched
    assert agreement.current == versions[2] and versions[2].note == "na evaluatie"
    assert (versions[1].changed_by, versions[2].changed_by) == (manager, member)
    html = client.get(agreement.get_absolute_url()).content.decode()
    assert "Zo vervangen we elkaar (buddy&#x27;s)" in html and "na evaluatie" in html
    assert AuditEvent.objects.filter(action="agreement.update").count() == 2


def test_saving_without_a_change_adds_no_version(client_for, member, agreement):
    version = agreement.current
    data = _form(
        member,
        title=version.title,
        text=version.text,
        agreed_on=version.agreed_on.isoformat(),
        review_on=version.review_on.isoformat(),
    )
    response = client_for(member).post(reverse("afspraken:edit", args=[agreement.pk]), data)
    assert response.status_code == 200 and "Er is niets veranderd" in response.content.decode()
    assert agreement.versions.count() == 1


def test_bad_input_is_a_message_not_an_error(client_for, team, member, other_member):
    client = client_for(member)
    url = reverse("afspraken:new", args=[team.slug])
    response = client.post(url, _form(other_member))  # not in the team: not a choice
    assert response.status_code == 200 and "error-summary" in response.content.decode()
    response = client.post(url, _form(member, review_on="2026-01-01", agreed_on="2026-02-01"))
    assert response.status_code == 200 and "error-summary" in response.content.decode()
    response = client.post(url, _form(member, agreed_on="9999-01-01"))
    assert response.status_code == 200
    assert not Agreement.objects.exists()


def test_retire_keeps_everything(client_for, team, member, manager, agreement):
    client = client_for(manager)
    retire = reverse("afspraken:retire", args=[agreement.pk])
    assert client.post(retire, {"reason": ""}).status_code == 400
    response = client.post(retire, {"reason": "We werken nu met een rooster."})
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.is_retired and agreement.retired_by == manager
    assert agreement.retired_on == TODAY and agreement.versions.count() == 1
    team_html = client.get(team.get_absolute_url()).content.decode()
    assert "Zo vervangen we elkaar" not in team_html  # no longer in force
    list_html = client.get(reverse("afspraken:list", args=[team.slug])).content.decode()
    assert "Zo vervangen we elkaar" in list_html and "Lars Leiding" in list_html
    # A retired agreement no longer changes.
    response = client.post(reverse("afspraken:edit", args=[agreement.pk]), _form(member))
    assert response.status_code == 302 and agreement.versions.count() == 1
    assert AuditEvent.objects.filter(action="agreement.retire").count() == 1


def test_archived_team_changes_nothing(client_for, team, member, agreement):
    team.is_active = False
    team.save()
    client = client_for(member)
    assert client.get(reverse("afspraken:edit", args=[agreement.pk])).status_code == 403
    assert client.get(agreement.get_absolute_url()).status_code == 200


def _agreements(team, count):
    people = [EmployeeFactory() for _ in range(count)]
    for person in people:
        MembershipFactory(employee=person, team=team)
    for index, person in enumerate(people):
        agreement = make_agreement(team=team, owner=person, title=f"Afspraak {index}")
        from afspraken.services import AgreementData, agreement_update

        agreement_update(
            agreement=agreement,
            actor=person,
            data=AgreementData(
                title=f"Afspraak {index} herzien",
                text="Nieuwe tekst.",
                owner=people[0],
                agreed_on=TODAY,
                review_on=TODAY + datetime.timedelta(days=30),
            ),
        )
    return Agreement.objects.filter(team=team).order_by("pk")


@pytest.mark.parametrize("size", [2, 8])
def test_query_counts_do_not_grow(client_for, team, member, django_assert_num_queries, size):
    agreements = _agreements(team, size)
    retired = agreements.first()
    from afspraken.services import agreement_retire

    agreement_retire(agreement=retired, actor=member, reason="klaar")
    client = client_for(member)
    client.get("/")  # session and language settled
    with django_assert_num_queries(9):
        assert client.get(reverse("afspraken:list", args=[team.slug])).status_code == 200
    url = agreements.last().get_absolute_url()
    with django_assert_num_queries(11):
        assert client.get(url).status_code == 200

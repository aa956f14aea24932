"""Goal pages per persona: allowed, read-only, forbidden; forms posted as a browser would."""

import datetime
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from doelen.models import CheckIn, Confidence, Goal, GoalStatus, MeasureType
from doelen.services import goal_set_status
from tests.factories import CheckInFactory, GoalFactory, role

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
EDITORS = ["member", "manager"]
READERS = ["other_member", "other_manager", "hr", "management", "outsider"]


class _FormParser(HTMLParser):
    """The fields of one <form> as a browser would submit them."""

    def __init__(self, action):
        super().__init__()
        self.action, self.inside, self.data = action, False, []
        self.textarea = self.select = None
        self.found = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("action", "") == self.action and not self.found:
            self.inside = self.found = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and "disabled" not in attrs:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button"):
                self.data.append((name, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self.textarea = [name, ""]
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and "selected" in attrs:
            self.data.append((self.select, attrs.get("value", "")))

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea is not None:
            self.data.append((self.textarea[0], self.textarea[1].lstrip("\n")))
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "form" and self.inside:
            self.inside = False


def form_fields(html: str, action: str = "") -> dict:
    parser = _FormParser(action)
    parser.feed(html)
    assert parser.found, f"no form with action {action!r}"
    fields: dict = {}
    for name, value in parser.data:
        fields.setdefault(name, []).append(value)
    return {name: values if len(values) > 1 else values[0] for name, values in fields.items()}


@pytest.fixture
def goal(team, member):
    return GoalFactory(
        team=team,
        title="Vergunning binnen 4 weken",
        measure_type=MeasureType.NUMBER,
        unit="weken",
        start_value=Decimal(8),
        target_value=Decimal(4),
    )


@pytest.fixture
def persona(request):
    return request.getfixturevalue(request.param)


def url(name, goal):
    return reverse(f"doelen:{name}", kwargs={"pk": goal.pk})


# --- the goal page ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", EDITORS, indirect=True)
def test_editors_see_the_check_in_form_and_edit_actions(client_for, persona, goal):
    response = client_for(persona).get(goal.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="check-in"' in html and url("edit", goal) in html
    assert url("status", goal) in html and url("carry_over", goal) in html


@pytest.mark.parametrize("persona", READERS, indirect=True)
def test_others_read_the_goal_without_edit_actions(client_for, persona, goal):
    CheckInFactory(goal=goal, value=Decimal(6), comment="Halverwege")
    response = client_for(persona).get(goal.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Halverwege" in html and goal.title in html
    assert 'id="check-in"' not in html and url("edit", goal) not in html
    assert url("status", goal) not in html and url("carry_over", goal) not in html


def test_anonymous_is_sent_to_log_in(client, goal):
    for target in [
        goal.get_absolute_url(),
        url("edit", goal),
        reverse("doelen:new", kwargs={"slug": goal.team.slug}),
    ]:
        response = client.get(target)
        assert response.status_code == 302 and "/account/login/" in response["Location"]
    response = client.post(goal.get_absolute_url(), {"value": "5"})
    assert response.status_code == 302 and not CheckIn.objects.exists()


def test_goal_page_shows_history_chart_and_table(client_for, member, goal):
    CheckInFactory(goal=goal, author=member, value=Decimal(7), comment="Eerste stap")
    CheckInFactory(
        goal=goal,
        author=member,
        value=Decimal("6.5"),
        confidence=Confidence.NEEDS_ATTENTION,
        comment="Drukte",
    )
    html = client_for(member).get(goal.get_absolute_url()).content.decode()
    assert html.count('class="timeline-item"') == 2
    assert '<svg class="line-chart"' in html and 'role="img"' in html
    assert "chart-expected" in html and "chart-actual" in html
    assert "<caption>" in html and "6,5 weken" in html  # Dutch decimal comma
    assert "Drukte" in html.split('class="previous-check-in"')[1].split("</p>")[0]


def test_goal_page_query_count_does_not_grow_with_history(
    client_for, member, goal, django_assert_max_num_queries
):
    client = client_for(member)
    CheckInFactory(goal=goal, author=member)
    client.get(goal.get_absolute_url())
    with django_assert_max_num_queries(17) as small:
        client.get(goal.get_absolute_url())
    for _ in range(25):
        CheckInFactory(goal=goal, author=member)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(goal.get_absolute_url())


def test_unknown_goal_is_404_everywhere(client_for, member):
    client = client_for(member)
    for name in ["detail", "edit"]:
        assert client.get(reverse(f"doelen:{name}", kwargs={"pk": 99999})).status_code == 404
    for name in ["detail", "status", "carry_over"]:
        assert client.post(reverse(f"doelen:{name}", kwargs={"pk": 99999})).status_code == 404
    assert client.get(reverse("doelen:new", kwargs={"slug": "bestaat-niet"})).status_code == 404


def test_post_only_urls_refuse_get(client_for, member, goal):
    client = client_for(member)
    assert client.get(url("status", goal)).status_code == 405
    assert client.get(url("carry_over", goal)).status_code == 405


# --- check-in ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", EDITORS, indirect=True)
def test_editors_record_a_check_in_as_a_plain_form_post(persona, goal, client_for):
    client = client_for(persona)
    response = client.post(
        goal.get_absolute_url(),
        {"value": "7,5", "confidence": "on_track", "comment": ""},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == goal.get_absolute_url()
    assert "Je voortgang is opgeslagen" in response.content.decode()
    check_in = CheckIn.objects.get()
    assert (check_in.value, check_in.author) == (Decimal("7.5"), persona)
    assert AuditEvent.objects.filter(action="goal.check_in").count() == 1


@pytest.mark.parametrize("persona", READERS, indirect=True)
def test_readers_cannot_record_a_check_in(persona, goal, client_for):
    response = client_for(persona).post(
        goal.get_absolute_url(), {"value": "7", "confidence": "on_track"}
    )
    assert response.status_code == 403 and not CheckIn.objects.exists()


def test_check_in_with_csrf_enforced_as_a_browser_would(member, goal):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    html = client.get(goal.get_absolute_url()).content.decode()
    fields = form_fields(html, goal.get_absolute_url())
    assert fields["csrfmiddlewaretoken"] and fields["confidence"] == "on_track"
    fields.update(value="6")
    response = client.post(goal.get_absolute_url(), fields)
    assert response.status_code == 302 and CheckIn.objects.get().value == 6
    fields.pop("csrfmiddlewaretoken")
    assert client.post(goal.get_absolute_url(), fields).status_code == 403
    assert CheckIn.objects.count() == 1


def test_inline_check_in_with_htmx_returns_the_updated_fragment(client_for, member, goal):
    CheckInFactory(goal=goal, author=member, value=Decimal(7))
    response = client_for(member).post(
        goal.get_absolute_url(),
        {"value": "6", "confidence": "on_track", "comment": "Weer een week eraf"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="goal-live">') and "<html" not in html
    assert html.count('class="timeline-item"') == 2 and "Weer een week eraf" in html
    assert 'aria-valuenow="50"' in html  # 8 → 4 weeks, now at 6
    assert "Je voortgang is opgeslagen" in html and 'hx-post="' in html
    assert CheckIn.objects.count() == 2


def test_inline_check_in_with_errors_keeps_the_input(client_for, member, goal):
    response = client_for(member).post(
        goal.get_absolute_url(),
        {"value": "6", "confidence": "off_track", "comment": ""},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "Leg in een toelichting uit" in html and 'value="6"' in html
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize("confidence", [Confidence.NEEDS_ATTENTION, Confidence.OFF_TRACK])
def test_check_in_that_is_not_on_track_needs_a_comment(client_for, member, goal, confidence):
    response = client_for(member).post(
        goal.get_absolute_url(), {"value": "7", "confidence": confidence, "comment": "  "}
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'id="error-summary"' in html
    assert "Leg in een toelichting uit waarom het doel aandacht nodig heeft" in html
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [("", "Dit veld is verplicht"), ("abc", "Vul een getal in"), ("1" * 20, "cijfers")],
)
def test_check_in_with_a_bad_value_is_refused(client_for, member, goal, value, message):
    response = client_for(member).post(
        goal.get_absolute_url(), {"value": value, "confidence": "on_track"}
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert not CheckIn.objects.exists()


def test_percentage_check_in_outside_0_to_100_is_refused(client_for, member, team):
    goal = GoalFactory(team=team)
    response = client_for(member).post(
        goal.get_absolute_url(), {"value": "120", "confidence": "on_track"}
    )
    assert "tussen 0 en 100" in response.content.decode() and not CheckIn.objects.exists()


def test_milestone_check_in_is_a_choice(client_for, member, team):
    goal = GoalFactory(team=team, measure_type=MeasureType.MILESTONE, unit="", target_value=1)
    client = client_for(member)
    html = client.get(goal.get_absolute_url()).content.decode()
    assert 'type="radio" class="form-check-input"  name="value" value="1"' in html
    client.post(goal.get_absolute_url(), {"value": "1", "confidence": "on_track"})
    assert CheckIn.objects.get().value == 1


def test_comment_with_html_is_shown_escaped(client_for, member, goal):
    client = client_for(member)
    client.post(
        goal.get_absolute_url(),
        {"value": "7", "confidence": "on_track", "comment": "<script>alert(1)</script>"},
    )
    html = client.get(goal.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_check_in_on_a_finished_goal_is_not_offered(client_for, member, goal):
    goal.status = GoalStatus.ACHIEVED
    goal.save()
    client = client_for(member)
    assert 'id="check-in"' not in client.get(goal.get_absolute_url()).content.decode()
    response = client.post(
        goal.get_absolute_url(), {"value": "7", "confidence": "on_track"}, follow=True
    )
    assert "voortgang vastleggen bij een actief doel" in response.content.decode()
    assert not CheckIn.objects.exists()


def test_archived_team_is_read_only_for_its_members(client_for, member, goal):
    goal.team.is_active = False
    goal.team.save()
    client = client_for(member)
    html = client.get(goal.get_absolute_url()).content.decode()
    assert 'id="check-in"' not in html and url("edit", goal) not in html
    assert client.post(goal.get_absolute_url(), {"value": "7"}).status_code == 403
    assert client.get(url("edit", goal)).status_code == 403
    assert (
        client.post(url("status", goal), {"status": "achieved", "reason": "x"}).status_code == 403
    )
    new = reverse("doelen:new", kwargs={"slug": goal.team.slug})
    assert client.get(new).status_code == 403


# --- add a goal -------------------------------------------------------------------------------


def new_url(team):
    return reverse("doelen:new", kwargs={"slug": team.slug})


def goal_post(**overrides):
    values = {
        "title": "Meer digitale aanvragen",
        "description": "",
        "measure_type": "number",
        "unit": "aanvragen",
        "start_value": "100",
        "target_value": "250",
        "start_date": TODAY.isoformat(),
        "due_date": (TODAY + datetime.timedelta(days=180)).isoformat(),
        "owner": "",
    }
    values.update(overrides)
    return values


@pytest.mark.parametrize("persona", EDITORS, indirect=True)
def test_editors_add_a_goal(client_for, persona, team):
    response = client_for(persona).post(new_url(team), goal_post(driving_roles=[role("vakman").pk]))
    goal = Goal.objects.get()
    assert response.status_code == 302 and response["Location"] == goal.get_absolute_url()
    assert (goal.team, goal.created_by, goal.target_value) == (team, persona, 250)
    assert list(goal.driving_roles.all()) == [role("vakman")]
    assert AuditEvent.objects.filter(action="goal.create").count() == 1


@pytest.mark.parametrize("persona", READERS, indirect=True)
def test_readers_cannot_add_a_goal(client_for, persona, team):
    client = client_for(persona)
    assert client.get(new_url(team)).status_code == 403
    assert client.post(new_url(team), goal_post()).status_code == 403
    assert not Goal.objects.exists()


def test_add_a_goal_with_csrf_enforced_as_a_browser_would(member, team):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    html = client.get(new_url(team)).content.decode()
    fields = form_fields(html)
    assert fields["start_date"] == TODAY.isoformat()
    fields.update(
        title="Klanttevredenheid",
        measure_type="percentage",
        start_value="60",
        target_value="80",
        due_date=(TODAY + datetime.timedelta(days=90)).isoformat(),
        owner=str(member.pk),
    )
    response = client.post(new_url(team), fields)
    assert response.status_code == 302
    goal = Goal.objects.get()
    assert (goal.unit, goal.owner, goal.start_value) == ("%", member, 60)


def test_owner_is_limited_to_current_team_members(client_for, member, other_member, team):
    client = client_for(member)
    html = client.get(new_url(team)).content.decode()
    assert member.name in html and other_member.name not in html
    response = client.post(new_url(team), goal_post(owner=str(other_member.pk)))
    assert response.status_code == 200 and not Goal.objects.exists()
    assert "Kies een van de mogelijkheden" in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "Dit veld is verplicht"),
        ({"title": "x" * 201}, "title", "niet meer dan 200 tekens"),
        ({"start_value": "veel"}, "start_value", "Vul een getal in"),
        ({"target_value": ""}, "target_value", "Vul een getal in"),
        ({"target_value": "100"}, "target_value", "moet anders zijn"),
        (
            {
                "start_date": (TODAY + datetime.timedelta(days=9)).isoformat(),
                "due_date": (TODAY + datetime.timedelta(days=8)).isoformat(),
            },
            "due_date",
            "niet voor",
        ),
        ({"due_date": (TODAY - datetime.timedelta(days=1)).isoformat()}, "due_date", "al voorbij"),
        ({"start_date": "gisteren"}, "start_date", "Vul een datum in, bijvoorbeeld"),
        ({"measure_type": "percentage", "target_value": "150"}, "target_value", "tussen 0 en 100"),
        ({"measure_type": "gevoel"}, "measure_type", "Kies een van de mogelijkheden"),
    ],
)
def test_bad_goal_input_is_explained_next_to_the_field_and_on_top(
    client_for, member, team, overrides, field, message
):
    response = client_for(member).post(new_url(team), goal_post(**overrides))
    assert response.status_code == 200 and not Goal.objects.exists()
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert any(message.lower() in error.lower() for error in form.errors[field])
    html = response.content.decode()
    # The summary links to the field; for a radio group to its first radio (#id_…_0).
    target = f"id_{field}_0" if f'id="id_{field}_0"' in html else f"id_{field}"
    assert 'id="error-summary"' in html and f'href="#{target}"' in html
    assert f'id="{target}"' in html
    assert "is-invalid" in html


def test_empty_goal_form_shows_errors(client_for, member, team):
    response = client_for(member).post(new_url(team), {})
    assert response.status_code == 200 and not Goal.objects.exists()
    assert {"title", "start_date", "due_date", "measure_type"} <= set(
        response.context["form"].errors
    )


def test_milestone_goal_needs_no_values(client_for, member, team):
    client_for(member).post(
        new_url(team), goal_post(measure_type="milestone", start_value="", target_value="")
    )
    goal = Goal.objects.get()
    assert (goal.start_value, goal.target_value, goal.unit) == (0, 1, "")


def test_goal_title_with_html_is_shown_escaped(client_for, member, team):
    client = client_for(member)
    client.post(new_url(team), goal_post(title='<img src=x onerror="alert(1)">'))
    goal = Goal.objects.get()
    for page in [goal.get_absolute_url(), "/", team.get_absolute_url()]:
        html = client.get(page).content.decode()
        assert "<img src=x" not in html and "&lt;img src=x" in html


# --- change a goal ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", EDITORS, indirect=True)
def test_editors_change_a_goal(client_for, persona, goal):
    client = client_for(persona)
    fields = form_fields(client.get(url("edit", goal)).content.decode())
    fields["title"] = "Vergunning binnen 3 weken"
    response = client.post(url("edit", goal), fields)
    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.title, goal.version) == ("Vergunning binnen 3 weken", 2)
    event = AuditEvent.objects.get(action="goal.update")
    assert event.changes == {"title": ["Vergunning binnen 4 weken", "Vergunning binnen 3 weken"]}


@pytest.mark.parametrize("persona", READERS, indirect=True)
def test_readers_cannot_change_a_goal(client_for, persona, goal):
    client = client_for(persona)
    assert client.get(url("edit", goal)).status_code == 403
    response = client.post(url("edit", goal), goal_post(opened_version="1"))
    assert response.status_code == 403
    goal.refresh_from_db()
    assert goal.version == 1


def test_concurrent_edit_keeps_my_input_and_shows_their_change(member, manager, goal):
    mine = Client(enforce_csrf_checks=True)
    mine.force_login(member)
    fields = form_fields(mine.get(url("edit", goal)).content.decode())
    assert fields["opened_version"] == "1"

    theirs = Client()
    theirs.force_login(manager)
    their_fields = form_fields(theirs.get(url("edit", goal)).content.decode())
    their_fields["target_value"] = "3"
    assert theirs.post(url("edit", goal), their_fields).status_code == 302

    fields["title"] = "Mijn nieuwe titel"
    response = mine.post(url("edit", goal), fields)
    assert response.status_code == 200
    html = response.content.decode()
    goal.refresh_from_db()
    assert (goal.title, goal.target_value, goal.version) == ("Vergunning binnen 4 weken", 3, 2)
    assert "Iemand anders heeft dit doel gewijzigd" in html and manager.name in html
    conflict = html.split('class="alert alert-warning conflict"')[1].split("</table>")[0]
    assert "Streefwaarde" in conflict and "<td>3</td><td>4</td>" in conflict
    assert 'value="Mijn nieuwe titel"' in html  # my input is kept
    again = form_fields(html)
    assert again["opened_version"] == "2"

    assert mine.post(url("edit", goal), again).status_code == 302
    goal.refresh_from_db()
    assert (goal.title, goal.target_value, goal.version) == ("Mijn nieuwe titel", 4, 3)


def test_edit_of_a_goal_that_someone_closed_meanwhile_explains_it(client_for, member, goal):
    client = client_for(member)
    fields = form_fields(client.get(url("edit", goal)).content.decode())
    goal_set_status(goal=goal, actor=member, status=GoalStatus.STOPPED, reason="Geen budget")
    fields["title"] = "Toch nog iets anders"
    response = client.post(url("edit", goal), fields, follow=True)
    assert response.redirect_chain[-1][0] == goal.get_absolute_url()
    assert "Je kunt alleen een actief doel wijzigen" in response.content.decode()
    goal.refresh_from_db()
    assert goal.title == "Vergunning binnen 4 weken"


def test_goal_closed_while_saving_is_explained(client_for, member, manager, goal, monkeypatch):
    from doelen import views

    real_update = views.goal_update

    def closed_just_before(**kwargs):  # someone stops the goal between page and save
        goal_set_status(goal=goal, actor=manager, status=GoalStatus.STOPPED, reason="Stop")
        return real_update(**kwargs)

    monkeypatch.setattr(views, "goal_update", closed_just_before)
    client = client_for(member)
    fields = form_fields(client.get(url("edit", goal)).content.decode())
    response = client.post(url("edit", goal), fields, follow=True)
    assert "kan niet meer worden gewijzigd" in response.content.decode()
    goal.refresh_from_db()
    assert (goal.status, goal.version) == (GoalStatus.STOPPED, 2)


def test_measure_type_is_locked_once_there_are_check_ins(client_for, member, goal):
    CheckInFactory(goal=goal, author=member, value=Decimal(7))
    client = client_for(member)
    html = client.get(url("edit", goal)).content.decode()
    assert "niet meer veranderen" in html and "disabled" in html
    fields = form_fields(html)
    fields.update(measure_type="percentage", start_value="0", target_value="100")
    assert client.post(url("edit", goal), fields).status_code == 302
    goal.refresh_from_db()
    assert goal.measure_type == MeasureType.NUMBER  # a disabled field keeps its value


def test_a_finished_goal_cannot_be_edited(client_for, member, goal):
    goal.status = GoalStatus.STOPPED
    goal.save()
    response = client_for(member).get(url("edit", goal))
    assert response.status_code == 302 and response["Location"] == goal.get_absolute_url()


# --- status and carry-over ----------------------------------------------------------------


@pytest.mark.parametrize("persona", EDITORS, indirect=True)
def test_editors_finish_a_goal_with_a_reason(client_for, persona, goal):
    response = client_for(persona).post(
        url("status", goal), {"status": "achieved", "reason": "Gehaald in week 30"}
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.status, goal.status_reason) == (GoalStatus.ACHIEVED, "Gehaald in week 30")


@pytest.mark.parametrize("persona", READERS, indirect=True)
def test_readers_cannot_change_status_or_carry_over(client_for, persona, goal):
    client = client_for(persona)
    assert client.post(url("status", goal), {"status": "stopped", "reason": "x"}).status_code == 403
    response = client.post(
        url("carry_over", goal), {"start_date": TODAY.isoformat(), "due_date": TODAY.isoformat()}
    )
    assert response.status_code == 403
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACTIVE and Goal.objects.count() == 1


def test_status_change_without_reason_is_explained(client_for, member, goal):
    response = client_for(member).post(url("status", goal), {"status": "stopped", "reason": ""})
    assert response.status_code == 200 and "Dit veld is verplicht" in response.content.decode()
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACTIVE


def test_status_change_to_an_unknown_status_is_refused(client_for, member, goal):
    response = client_for(member).post(url("status", goal), {"status": "deleted", "reason": "x"})
    assert response.status_code == 200
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACTIVE


def test_carry_over_makes_a_new_goal_from_the_latest_value(client_for, member, goal):
    CheckInFactory(goal=goal, author=member, value=Decimal(6))
    start = TODAY + datetime.timedelta(days=1)
    response = client_for(member).post(
        url("carry_over", goal),
        {
            "start_date": start.isoformat(),
            "due_date": (start + datetime.timedelta(days=90)).isoformat(),
            "target_value": "3",
        },
    )
    new = Goal.objects.get(carried_over_from=goal)
    assert response.status_code == 302 and response["Location"] == new.get_absolute_url()
    assert (new.start_value, new.target_value, new.status) == (6, 3, GoalStatus.ACTIVE)
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ARCHIVED


def test_carry_over_with_dates_in_the_wrong_order_is_explained(client_for, member, goal):
    response = client_for(member).post(
        url("carry_over", goal),
        {"start_date": TODAY.isoformat(), "due_date": (TODAY - datetime.timedelta(1)).isoformat()},
    )
    assert response.status_code == 200 and Goal.objects.count() == 1
    assert "kan niet voor de startdatum liggen" in response.content.decode()

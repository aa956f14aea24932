"""Issue 13: no admin page shows a score, and no database column joins an answer to an
employee (docs/decisions/0013-scan-privacy.md)."""

import contextlib
import re

import pytest
from django.contrib import admin
from django.db import connection
from django.urls import NoReverseMatch, reverse

from ontwikkeling.models import Answer, AnswerSet, ScanResponse, ScanRound, Statement, Theme
from teams.models import Employee
from tests.ontwikkeling.helpers import make_round, new_member, respond

pytestmark = pytest.mark.django_db
SCAN_MODELS = [ScanRound, ScanResponse, AnswerSet, Answer, Statement, Theme]


def _admin_urls(model, obj):
    info = (model._meta.app_label, model._meta.model_name)
    urls = []
    for name, args in [
        ("changelist", []),
        ("change", [obj.pk]),
        ("delete", [obj.pk]),
        ("history", [obj.pk]),
    ]:
        with contextlib.suppress(NoReverseMatch):  # not registered: nothing to see
            urls.append(("get", reverse(f"admin:{info[0]}_{info[1]}_{name}", args=args), None))
    try:
        changelist = reverse(f"admin:{info[0]}_{info[1]}_changelist")
    except NoReverseMatch:
        return urls
    # "Delete selected" without confirming: the page that lists related objects.
    data = {"action": "delete_selected", "_selected_action": [obj.pk]}
    urls.append(("post", changelist, data))
    return urls


def _text(html: str) -> str:
    body = html.split("<body", 1)[-1]
    body = re.sub(r"<script.*?</script>", "", body, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


def test_no_admin_page_for_the_scan_shows_a_score(client, team, member, superuser):
    scan_round = make_round(team)
    people = [member, new_member(team, name="Anna Antwoord"), new_member(team)]
    for person, score in zip(people, [1, 4, 5], strict=True):
        respond(scan_round, person, score)
    keys = set(AnswerSet.objects.values_list("respondent_key", flat=True))
    statements = list(Statement.objects.values_list("text_nl", flat=True))
    assert Answer not in admin.site._registry and AnswerSet not in admin.site._registry
    client.force_login(superuser)
    objects = {
        ScanRound: scan_round,
        ScanResponse: ScanResponse.objects.filter(respondent=people[1]).first(),
        AnswerSet: AnswerSet.objects.first(),
        Answer: Answer.objects.first(),
        Statement: Statement.objects.first(),
        Theme: Theme.objects.first(),
    }
    visited = 0
    for model, obj in objects.items():
        for method, url, data in _admin_urls(model, obj):
            response = getattr(client, method)(url, data) if data else client.get(url)
            assert response.status_code in (200, 302, 403), (url, response.status_code)
            html = response.content.decode()
            text = _text(html)
            visited += 1
            assert not re.search(r"\bscore\b", text, re.I), url
            assert not any(key in html for key in keys), url
            assert not re.search(r":\s*[1-5]\s*<", html.split("<body", 1)[-1]), url
            if model in (ScanRound, ScanResponse, AnswerSet, Answer):
                # A statement next to a person or a round would be an answer.
                assert not any(statement in html for statement in statements), url
    assert visited >= 12
    # Deleting anything of the scan is not offered, not even to a superuser.
    for model in (ScanRound, ScanResponse):
        model_admin = admin.site._registry[model]
        request = type("R", (), {"user": superuser})()
        assert not model_admin.has_delete_permission(request, objects[model])
    assert ScanResponse.objects.count() == 3 and AnswerSet.objects.count() == 3


def test_superuser_can_close_a_round_in_the_admin(client, team, member, superuser):
    scan_round = make_round(team)
    respond(scan_round, member, 3)
    client.force_login(superuser)
    response = client.post(
        reverse("admin:ontwikkeling_scanround_changelist"),
        {"action": "close_rounds", "_selected_action": [scan_round.pk]},
        follow=True,
    )
    assert response.status_code == 200
    scan_round.refresh_from_db()
    assert scan_round.closed_at is not None
    assert not AnswerSet.objects.filter(respondent_key__isnull=False).exists()


def test_no_model_field_links_an_answer_to_a_person():
    for model in (AnswerSet, Answer):
        for field in model._meta.get_fields():
            remote = getattr(field, "related_model", None)
            assert remote is not Employee, (model, field.name)
            assert remote in (None, AnswerSet, Answer, ScanRound, Statement), (model, field.name)
            name = field.name.lower()
            assert not any(word in name for word in ("employee", "person", "respondent_id"))
            assert not name.endswith("_at") and "date" not in name and "time" not in name
    # The only way to a person goes through the round, which all answer sets share.
    assert {f.name for f in AnswerSet._meta.concrete_fields} == {"id", "round", "respondent_key"}
    assert AnswerSet._meta.pk.get_internal_type() == "UUIDField"  # no order in the ids
    assert not any(f.name in ("submitted_at", "updated_at") for f in ScanResponse._meta.fields)


def test_no_database_column_joins_an_answer_to_an_employee():
    employee_table = Employee._meta.db_table
    with connection.cursor() as cursor:
        for model in (AnswerSet, Answer):
            table = model._meta.db_table
            columns = {
                column.name
                for column in connection.introspection.get_table_description(cursor, table)
            }
            relations = connection.introspection.get_relations(cursor, table)
            targets = {target for _column, target in relations.values()}
            assert employee_table not in targets, table
            assert targets <= {
                ScanRound._meta.db_table,
                AnswerSet._meta.db_table,
                Statement._meta.db_table,
            }, (table, targets)
            for column in columns:
                assert "employee" not in column and not column.endswith("_at"), (table, column)
        participation = {
            column.name
            for column in connection.introspection.get_table_description(
                cursor, ScanResponse._meta.db_table
            )
        }
        assert participation == {"id", "round_id", "respondent_id"}  # who, never when

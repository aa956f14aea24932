"""Who gets in: keys, scopes, expiry, revocation, the audit of both and of the use."""

import datetime
import re

from django.utils import timezone

from api.models import ApiToken, ApiTokenUse, Scope
from api.services import create_token, hash_key, revoke_token
from audit.models import AuditEvent
from tests.api.conftest import COMMENT


def test_the_key_is_stored_only_as_its_hash(db, hr):
    token, key = create_token(
        name="Power BI",
        scopes=[Scope.ROLES],
        expires_at=timezone.now() + datetime.timedelta(1),
        actor=hr,
    )
    stored = ApiToken.objects.values_list("key_hash", "key_prefix").get(pk=token.pk)
    assert stored[0] == hash_key(key) and key not in stored[0]
    assert key.startswith(stored[1]) and len(stored[1]) < len(key) / 3
    event = AuditEvent.objects.get(action="api_token_create")
    assert event.actor == hr and key not in str(event.details)


def test_revoked_and_expired_keys_are_refused(organisation, make_key, api_get):
    key = make_key(Scope.TEAMS)
    assert api_get("/api/v1/teams/", key).status_code == 200
    token = ApiToken.objects.get(key_hash=hash_key(key))
    assert revoke_token(token=token, actor=None) is True
    assert revoke_token(token=token, actor=None) is False  # once
    response = api_get("/api/v1/teams/", key)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"
    assert AuditEvent.objects.filter(action="api_token_revoke").count() == 1

    expired = make_key(Scope.TEAMS, expires_in=datetime.timedelta(seconds=-1))
    assert api_get("/api/v1/teams/", expired).status_code == 401
    assert api_get("/api/v1/teams/", "zs_guessed").status_code == 401


def test_a_personal_session_does_not_open_the_api(organisation, client, superuser):
    client.force_login(superuser)
    response = client.get("/api/v1/teams/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_use_is_counted_per_token_per_day(organisation, make_key, api_get):
    key = make_key(Scope.TEAMS)
    for _ in range(3):
        api_get("/api/v1/teams/", key)
    use = ApiTokenUse.objects.get()
    assert (use.day, use.requests) == (timezone.localdate(), 3)


def test_without_the_comment_scope_no_comment_is_seen(organisation, make_key, api_get):
    plain = make_key(*(set(Scope.values) - {Scope.GOAL_COMMENTS}))
    for path in (
        "teams",
        "memberships",
        "role-assignments",
        "objectives",
        "goals",
        "check-ins",
        "scan-results",
    ):
        response = api_get(f"/api/v1/{path}/", plain)
        assert response.status_code == 200
        assert COMMENT not in response.content.decode()
    rows = api_get("/api/v1/check-ins/", plain).json()["results"]
    assert rows and all("comment" not in row for row in rows)

    with_comments = make_key(Scope.GOALS, Scope.GOAL_COMMENTS)
    rows = api_get("/api/v1/check-ins/", with_comments).json()["results"]
    assert rows and all(row["comment"] == COMMENT for row in rows)


def test_the_comment_scope_alone_opens_nothing(organisation, make_key, api_get):
    key = make_key(Scope.GOAL_COMMENTS)
    assert api_get("/api/v1/check-ins/", key).status_code == 403


def test_admin_shows_the_key_once_and_revokes(db, client, superuser):
    client.force_login(superuser)
    expires = (timezone.localtime() + datetime.timedelta(days=30)).strftime("%Y-%m-%d")
    response = client.post(
        "/admin/api/apitoken/add/",
        {
            "name": "Power BI P&O",
            "scopes": [Scope.ROLES, Scope.TEAMS],
            "expires_at_0": expires,
            "expires_at_1": "12:00:00",
        },
        follow=True,
    )
    assert response.status_code == 200
    token = ApiToken.objects.get()
    shown = [
        found
        for message in response.context["messages"]
        for found in re.findall(r"zs_[A-Za-z0-9_-]{40,}", str(message))
    ]
    assert len(shown) == 1
    key = shown[0]
    assert hash_key(key) == token.key_hash
    assert token.scopes == [Scope.ROLES, Scope.TEAMS] and token.created_by == superuser
    assert key not in client.get(f"/admin/api/apitoken/{token.pk}/change/").content.decode()
    client.post("/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == superuser

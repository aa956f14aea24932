"""Writes of the API app: creating and revoking tokens (audited one by one) and counting
requests per token per day (audited in aggregate)."""

import datetime
import hashlib
import secrets

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from api.models import ApiToken, ApiTokenUse, Scope
from audit.services import audit_record

KEY_PREFIX = "zs_"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_token(
    *, name: str, scopes: list[str], expires_at: datetime.datetime, actor
) -> tuple[ApiToken, str]:
    """A new token and its secret key. The key is returned once and never stored."""
    unknown = set(scopes) - set(Scope.values)
    if unknown:
        raise ValueError(f"unknown scopes: {sorted(unknown)}")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            name=name,
            key_prefix=key[:10],
            key_hash=hash_key(key),
            scopes=sorted(set(scopes)),
            expires_at=expires_at,
            created_by=actor if actor is not None and actor.is_authenticated else None,
        )
        audit_record(
            actor=actor,
            action="api_token_create",
            obj=token,
            details={"scopes": token.scopes, "expires_at": expires_at.isoformat()},
        )
    return token, key


def revoke_token(*, token: ApiToken, actor) -> bool:
    """Revoke the token; False when it was revoked already."""
    with transaction.atomic():
        changed = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(),
            revoked_by=actor if actor is not None and actor.is_authenticated else None,
        )
        if changed:
            audit_record(actor=actor, action="api_token_revoke", obj=token)
    token.refresh_from_db()
    return bool(changed)


def token_for_key(key: str) -> ApiToken | None:
    """The usable token with this key, or None (unknown, expired or revoked)."""
    return ApiToken.objects.usable().filter(key_hash=hash_key(key)).first()


def count_request(*, token: ApiToken, day: datetime.date | None = None) -> None:
    """Add one to the token's counter for the day (one row per token per day)."""
    day = day or timezone.localdate()
    if ApiTokenUse.objects.filter(token=token, day=day).update(requests=F("requests") + 1):
        return
    try:
        with transaction.atomic():
            ApiTokenUse.objects.create(token=token, day=day, requests=1)
    except IntegrityError:  # created by a parallel request in between
        ApiTokenUse.objects.filter(token=token, day=day).update(requests=F("requests") + 1)

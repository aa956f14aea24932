"""Record audit events. Call from services, inside their transaction, so that an event is
stored exactly when the change it describes is."""

import datetime
from decimal import Decimal

from django.db import models

from audit.models import AuditEvent


def _plain(value):
    """JSON-safe form of a field value."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple, set)):
        return [_plain(item) for item in value]
    return value


def diff(before: dict, after: dict) -> dict:
    """{field: [old, new]} for the fields whose value changed."""
    return {
        name: [_plain(before.get(name)), _plain(after.get(name))]
        for name in sorted(set(before) | set(after))
        if _plain(before.get(name)) != _plain(after.get(name))
    }


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_repr: str = "",
    changes: dict | None = None,
    details: dict | None = None,
) -> AuditEvent:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_repr = object_repr or str(obj)[:200]
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=object_type,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=object_repr[:200],
        changes=changes or {},
        details={key: _plain(value) for key, value in (details or {}).items()},
    )


def purge_expired(*, today: datetime.date) -> int:
    """Remove audit events older than AUDIT_RETENTION_DAYS before `today`; return how many.

    An event is kept for the whole retention period: the cut-off is the start of the day
    `today - AUDIT_RETENTION_DAYS` in the portal's time zone.
    """
    from django.conf import settings
    from django.utils import timezone

    first_kept_day = today - datetime.timedelta(days=settings.AUDIT_RETENTION_DAYS)
    cutoff = datetime.datetime.combine(
        first_kept_day, datetime.time.min, tzinfo=timezone.get_current_timezone()
    )
    deleted, _per_model = AuditEvent.objects.filter(at__lt=cutoff).delete()
    return deleted

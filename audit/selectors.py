"""Reads of the audit log that feed the audit page."""

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from audit.models import AuditEvent


def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def audit_events(
    *,
    action: str = "",
    object_type: str = "",
    actor_id: int | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    """Audit events, newest first, filtered; `date_to` is inclusive (local days)."""
    events = AuditEvent.objects.select_related("actor").order_by("-at", "-pk")
    if action:
        events = events.filter(action=action)
    if object_type:
        events = events.filter(object_type=object_type)
    if actor_id is not None:
        events = events.filter(actor_id=actor_id)
    if date_from is not None:
        events = events.filter(at__gte=_start_of(date_from))
    if date_to is not None:
        events = events.filter(at__lt=_start_of(date_to + datetime.timedelta(days=1)))
    return events


def audit_filter_choices() -> dict[str, list]:
    """The actions, kinds of record and actors that occur in the log, for the filter form."""
    from django.contrib.auth import get_user_model

    actions = list(
        AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct()
    )
    kinds = list(
        AuditEvent.objects.exclude(object_type="")
        .order_by("object_type")
        .values_list("object_type", flat=True)
        .distinct()
    )
    actor_ids = AuditEvent.objects.filter(actor__isnull=False).values("actor_id")
    actors = list(
        get_user_model()
        .objects.filter(pk__in=actor_ids)
        .order_by("name", "username")
        .values_list("pk", "name", "username")
    )
    return {"actions": actions, "kinds": kinds, "actors": actors}

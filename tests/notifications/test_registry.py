"""The registry of kinds: each kind has one owner, and nothing unregistered is sent."""

import pytest
from django.core import mail

from notifications import registry, sending
from notifications.models import ReminderLog
from notifications.registry import AlreadyRegistered, Kind, KindError, Registry, UnknownKind
from notifications.tasks import send_notification
from tests.factories import EmployeeFactory


def kind(name="ping", label="ping"):
    return Kind(name=name, label=label, select=lambda params, ids: [], templates="x", context=dict)


def test_a_kind_registered_twice_is_an_error():
    kinds = Registry()
    kinds.register(kind())
    with pytest.raises(AlreadyRegistered, match="'ping' is registered already"):
        kinds.register(kind(label="another app's ping"))
    assert kinds.get("ping").label == "ping"  # the first one stays


def test_an_apps_kind_cannot_be_registered_again():
    with pytest.raises(AlreadyRegistered):
        registry.register(kind(name="daily"))


def test_an_unknown_kind_is_refused_by_the_registry():
    with pytest.raises(UnknownKind, match="Unknown notification kind 'nope'"):
        registry.get("nope")
    assert "nope" not in registry.kinds
    assert registry.kinds.label("nope") == "nope"  # an old row still shows its name


@pytest.mark.parametrize("name", ["", "Daily", "scan-reminder", "1st", "x" * 41, "a.b"])
def test_a_kind_name_must_fit_the_log_and_the_message_id(name):
    with pytest.raises(KindError):
        kind(name=name)


@pytest.mark.django_db
def test_an_unknown_kind_is_refused_before_anything_is_written_or_sent():
    person = EmployeeFactory()
    with pytest.raises(UnknownKind):
        sending.claim(recipient_id=person.pk, kind="nope", period="p", token="t")
    with pytest.raises(UnknownKind):
        sending.send_once(
            recipient=person,
            kind="nope",
            period="p",
            build_message=lambda: pytest.fail("must not build a message"),
        )
    with pytest.raises(UnknownKind):
        send_notification.delay("nope", person.pk, {})
    assert not ReminderLog.objects.exists() and mail.outbox == []


def test_each_app_registers_its_own_kinds():
    assert list(registry.kinds) == [
        "agreement_review",
        "daily",
        "digest",
        "email_changed",
        "nudge",
        "reaction",
        "scan_invitation",
        "scan_reminder",
    ]
    from afspraken.reminders import KINDS as AFSPRAKEN
    from doelen import nudges, reactions
    from doelen.reminders import KINDS
    from ontwikkeling.notifications import KINDS as ONTWIKKELING
    from rollen import notices

    DOELEN = (*KINDS, nudges.KIND, reactions.KIND)
    assert {k.name for k in DOELEN} == {"daily", "digest", "nudge", "reaction"}
    assert {k.name for k in ONTWIKKELING} == {"scan_invitation", "scan_reminder"}
    assert {k.name for k in AFSPRAKEN} == {"agreement_review"}
    assert registry.get("email_changed") is notices.KIND
    assert all(registry.get(k.name) is k for k in (*DOELEN, *ONTWIKKELING, *AFSPRAKEN))

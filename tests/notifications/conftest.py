"""A kind of e-mail of the tests' own, so the generic mechanism is tested without doelen or
ontwikkeling: "ping" goes to the people in params["to"], once per params["period"]."""

import copy
from pathlib import Path

import pytest

from notifications import registry
from notifications.registry import Kind, Notification
from teams.models import Employee

PING = "test_ping"
TEMPLATES = Path(__file__).parent / "templates"


def select_ping(params, recipient_ids):
    people = Employee.objects.filter(pk__in=params["to"]).order_by("pk")
    if recipient_ids is not None:
        people = people.filter(pk__in=recipient_ids)
    return [
        Notification(
            kind=PING,
            recipient=person,
            period=params["period"],
            params=params,
            content=params.get("text", "ping"),
            item_count=1,
        )
        for person in people
    ]


@pytest.fixture
def ping_kind(settings):
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], TEMPLATES]
    settings.TEMPLATES = templates
    kind = Kind(
        name=PING,
        label="test ping",
        select=select_ping,
        templates="notifications_tests/ping",
        context=lambda notification: {"content": notification.content},
        html=True,
    )
    registry.register(kind)
    yield kind
    registry.kinds.unregister(PING)

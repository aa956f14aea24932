"""Sections of the start page that an app above the portal contributes, without the portal
importing that app (docs/architecture.md: dashboards and portal do not import each other;
docs/decisions/0017-nudges-and-reactions.md).

An app registers a section in its AppConfig.ready():

    start_sections.register("manager", render_manager_start)

`render(request, on)` returns the section's HTML, or "" when it has nothing for this
person. The portal's start page renders every registered section in name order.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

Section = Callable[[HttpRequest, datetime.date], str]

_sections: dict[str, Section] = {}


def register(name: str, render: Section) -> None:
    if name in _sections and _sections[name] is not render:
        raise ValueError(f"Start page section {name!r} is registered already.")
    _sections[name] = render


def unregister(name: str) -> None:
    _sections.pop(name, None)


def render_all(request: HttpRequest, on: datetime.date) -> list[SafeString]:
    """The HTML of every registered section that has something for this person."""
    rendered = (_sections[name](request, on) for name in sorted(_sections))
    # Each section renders a template, which escaped what it shows.
    return [mark_safe(html) for html in rendered if html]  # noqa: S308

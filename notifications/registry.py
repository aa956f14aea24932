"""The kinds of e-mail that go through the reminder log, each registered by the app it
belongs to (docs/decisions/0002-reminders.md).

notifications knows no kind itself: doelen registers the daily reminder and the weekly
digest, ontwikkeling the scan invitation and reminder, each in its AppConfig.ready(). A kind
tells the generic code what it cannot know:

- `name`: stored in the log's `kind` column and in the Message-ID; unique.
- `label`: how the admin shows it.
- `select(params, recipient_ids)`: who is due for it, with what. `params` are the JSON-safe
  values (ids, ISO dates) that identify the e-mails, as a plan passes them on to the send
  task; `recipient_ids` (or None for everyone) narrows the selection to some people, so the
  send task can check again, for one person, that the e-mail is still due.
- `templates` and `context(notification)`: how to write the e-mail for one recipient, in
  their language: `<templates>_subject.txt`, `<templates>.txt` and, with `html`,
  `<templates>.html`.

Each `Notification` that `select` returns carries its own `period`, the third part of the log
row's key (recipient, kind, period): the owning app decides what "once" means (once a day,
once an ISO week, once per scan round), so the registry holds no period function.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser

# Fits the log's `kind` column and a Message-ID's local part.
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class KindError(Exception):
    """Base of the registry's errors."""


class AlreadyRegistered(KindError):
    """A second kind with a name that is taken: two apps would share one log."""


class UnknownKind(KindError, LookupError):
    """A kind nobody registered: refused, so no log row gets a kind nobody can send."""


@dataclass
class Notification:
    """One e-mail due to one person: what a kind's `select` returns for each recipient.

    `params` are JSON-safe (ids, ISO dates): the send task gets them and selects again with
    them for this one recipient. `content` is anything the kind's `context` needs to write
    the e-mail; `item_count` is recorded in the log (e.g. the number of goals listed)."""

    kind: str
    recipient: AbstractUser
    period: str
    params: Mapping[str, Any] = field(default_factory=dict)
    content: Any = None
    item_count: int = 0
    # Another address than the recipient's own: only for a notice about the account that
    # must reach the address it had (the HR import changed it; rollen.notices).
    to: str = ""


@dataclass(frozen=True)
class Kind:
    """One kind of e-mail, as its owning app registers it (see the module docstring)."""

    name: str
    label: str | Promise
    select: Callable[[Mapping[str, Any], Collection[int] | None], list[Notification]]
    templates: str
    context: Callable[[Notification], dict[str, Any]]
    html: bool = False

    def __post_init__(self):
        if not NAME_PATTERN.match(str(self.name)):
            raise KindError(
                f"Kind name {self.name!r}: use lower case letters, digits and _ "
                "(at most 40), starting with a letter."
            )
        # A TextChoices member is a str subclass; store the plain value.
        object.__setattr__(self, "name", str(self.name))


class Registry:
    """Kinds by name. One instance, `kinds`, serves the portal; tests may make their own."""

    def __init__(self):
        self._kinds: dict[str, Kind] = {}

    def register(self, *kinds: Kind) -> None:
        for kind in kinds:
            if kind.name in self._kinds:
                raise AlreadyRegistered(
                    f"Notification kind {kind.name!r} is registered already "
                    f"({self._kinds[kind.name].label}); every kind has one owner."
                )
            self._kinds[kind.name] = kind

    def unregister(self, name: str) -> None:
        """Remove a kind (for tests that register one of their own)."""
        self.get(name)
        del self._kinds[name]

    def get(self, name: str) -> Kind:
        try:
            return self._kinds[name]
        except KeyError:
            raise UnknownKind(
                f"Unknown notification kind {name!r}; registered: {', '.join(self) or 'none'}."
            ) from None

    def label(self, name: str) -> str:
        """The kind's label, or the stored name itself when nobody registers it (any more)."""
        kind = self._kinds.get(name)
        return str(kind.label) if kind else name

    def __contains__(self, name: object) -> bool:
        return name in self._kinds

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._kinds))


kinds = Registry()
register = kinds.register
get = kinds.get

"""Store once per form token (common/once.py): `submit_once` runs what a form creates and
records its token in the same transaction; the same token again runs nothing.

    url, first = submit_once(token=form.once_token(), actor=user, action="goal.check_in",
                             create=lambda: goal_check_in(...).goal.get_absolute_url())

Two requests with one token at the same moment: the second insert of the token waits for
the first transaction (unique index) and then fails, so its own writes roll back. A form
that fails validation rolls back its token too, so the corrected form can be sent. A POST
without a token (an old page, a script) is not guarded.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import IntegrityError, transaction

from audit.models import Submission


class AlreadySubmitted(Exception):
    """This token was used: `url` shows what the first submission made ("" if unknown)."""

    def __init__(self, url: str):
        super().__init__("form already submitted")
        self.url = url


def submit_once(*, token: str, actor, action: str, create: Callable[[], str]) -> str:
    """Run `create()` (it writes and returns the address of what it made) once per token.
    Raises AlreadySubmitted with the first result's address for a token used before."""
    if not token:
        return create()
    earlier = _earlier(token, actor)
    if earlier is not None:
        raise AlreadySubmitted(earlier)
    try:
        with transaction.atomic():
            submission = Submission.objects.create(token=token, actor=actor, action=action)
            url = create()
            submission.result_url = url[:300]
            submission.save(update_fields=["result_url"])
            return url
    except IntegrityError:
        earlier = _earlier(token, actor)
        if earlier is None:
            raise
        raise AlreadySubmitted(earlier) from None


def first_result(*, token: str, actor) -> str | None:
    """The address of what an earlier submission with `token` made ("" when it was someone
    else's), or None when the token was not used."""
    return _earlier(token, actor) if token else None


def _earlier(token: str, actor) -> str | None:
    row = Submission.objects.filter(token=token).values_list("actor_id", "result_url").first()
    if row is None:
        return None
    actor_id, url = row
    return url if actor_id == actor.pk else ""


# A token is kept this long: a form sent again later than this is no double click.
KEEP_DAYS = 30


def purge_old(*, now=None) -> int:
    """Remove tokens older than KEEP_DAYS (nightly, with the audit purge); how many."""
    import datetime

    from django.utils import timezone

    now = now or timezone.now()
    deleted, _ = Submission.objects.filter(at__lt=now - datetime.timedelta(days=KEEP_DAYS)).delete()
    return deleted

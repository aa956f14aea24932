"""Signals any app may send.

`rows_changed`: sent after a write that bypasses `Model.save()` and `delete()` (so Django's
post_save/post_delete are not sent): `bulk_create`, `QuerySet.update`. Arguments:
`sender` is the model class, `pks` the primary keys of the rows written (None: possibly all
rows of the model). Apps low in the order (teams, rollen, doelen, ontwikkeling) send it
instead of calling the apps above them, which they may not import; the dashboards listen
(`dashboards.freshness`) to keep their cache fresh. Send it inside the transaction that
wrote the rows: receivers act only once it commits.
"""

from django.dispatch import Signal

rows_changed = Signal()


def send_rows_changed(model, pks=None) -> None:
    """Tell the listeners that rows of `model` (those with `pks`; None: any) changed."""
    rows_changed.send(sender=model, pks=None if pks is None else list(pks))

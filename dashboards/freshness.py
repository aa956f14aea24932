"""Keep the dashboards' cache fresh: raise each team's data version (`TeamDataVersion`)
after every committed write that changes what its dashboards show.

What counts is declared once, in `dashboards.sources`. `connect()` (called from
`DashboardsConfig.ready()`) connects receivers for those models: post_save, pre_delete
(the rows a delete removes still exist then, so their teams can be found), m2m_changed,
and `common.signals.rows_changed`, which the apps below the dashboards send after a bulk
write that bypasses save(). Code that may import the dashboards (the demo loader, bench
scripts) calls `mark_teams_changed(team_ids)` or `mark_all_changed()` instead.

The receivers only collect team ids; one set per transaction. The versions are raised once
that transaction commits (`transaction.on_commit`), in its own short transaction of two
statements (insert the missing rows, then raise the number to
max(number + 1, now in microseconds)): writers never hold, nor wait for, a version row
while their transaction runs, and a rolled-back write raises nothing. The version is read
before the data it guards (dashboards.cache), so between the commit and the raise a page
can cache data newer than its version says, never older. Should the raise itself fail
(the database went away just after the commit), it is logged and the pages of those teams
show the previous figures until their cache entries expire (DASHBOARD_CACHE_SECONDS).
"""

import logging
import time
from collections.abc import Iterable
from typing import cast

from django.db import DEFAULT_DB_ALIAS, connections, models, router, transaction
from django.db.models import F, QuerySet, Value
from django.db.models.functions import Coalesce, Greatest
from django.db.models.signals import m2m_changed, post_init, post_save, pre_delete

from common.signals import rows_changed
from dashboards.models import TeamDataVersion
from dashboards.sources import EVERY_TEAM, M2M_SOURCES, SOURCES, M2MSource, Source

logger = logging.getLogger(__name__)

LOADED = "_dashboards_loaded"  # what a source row held when it was loaded (moves, fields)
_MISSING = object()
CHUNK = 500


def with_data_version(teams: QuerySet) -> QuerySet:
    """Annotate a Team queryset with `data_version` (0 for a team without changes yet)."""
    return teams.annotate(data_version=Coalesce(F("dashboard_version__number"), Value(0)))


# Raising the versions


def _now_microseconds() -> int:
    return time.time_ns() // 1000


def raise_versions(team_ids: Iterable[int] = (), *, every_team=False, using=None) -> None:
    """Raise the versions of `team_ids` (or of every team) now: give teams without a row one,
    then set number = max(number + 1, now). Two statements per chunk of teams."""
    using = using or router.db_for_write(TeamDataVersion)
    table = TeamDataVersion._meta.db_table
    team_model = cast("type[models.Model]", TeamDataVersion._meta.get_field("team").related_model)
    team_table = team_model._meta.db_table
    now = _now_microseconds()
    # Table names from the models, numbers as parameters: nothing from outside.
    insert = (
        f"INSERT INTO {table} (team_id, number) SELECT t.id, %s FROM {team_table} AS t "  # noqa: S608  # nosec B608
        f"WHERE {{where}} NOT EXISTS (SELECT 1 FROM {table} AS v WHERE v.team_id = t.id) "
        "ON CONFLICT DO NOTHING"
    )
    number = Greatest(F("number") + 1, Value(now))
    versions = TeamDataVersion.objects.using(using)
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        if every_team:
            cursor.execute(insert.format(where=""), [now])
            versions.update(number=number)
            return
        ids = sorted(set(team_ids))
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(insert.format(where=f"t.id IN ({marks}) AND"), [now, *chunk])
            versions.filter(team_id__in=chunk).update(number=number)


class _Pending:
    """The teams one transaction changed; called once it commits."""

    def __init__(self, using: str):
        self.using = using
        self.team_ids: set[int] = set()
        self.every_team = False

    def __call__(self):
        try:
            raise_versions(self.team_ids, every_team=self.every_team, using=self.using)
        except Exception:
            logger.exception("Could not raise the dashboards' data versions")


def _in_transaction(connection) -> bool:
    """Whether a write on `connection` commits later (else it has committed already). The
    tests replace this (tests/conftest.py): there every test runs in a transaction that
    never commits."""
    return connection.in_atomic_block


def _pending(using: str) -> "_Pending | None":
    """This transaction's pending set (registered on commit once), or None outside one."""
    connection = transaction.get_connection(using)
    if not _in_transaction(connection):
        return None
    # The one registered earlier in this transaction, unless a savepoint rollback removed it.
    for _savepoints, func, _robust in connection.run_on_commit:
        if isinstance(func, _Pending):
            return func
    pending = _Pending(using)
    transaction.on_commit(pending, using=using)
    return pending


def mark_teams_changed(team_ids: Iterable[int], *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Raise the versions of these teams once the current transaction commits (now, outside
    one). For writes that bypass save() and delete(): bulk_create, QuerySet.update."""
    team_ids = {team_id for team_id in team_ids if team_id is not None}
    if not team_ids:
        return
    pending = _pending(using)
    if pending is None:
        raise_versions(team_ids, using=using)
    else:
        pending.team_ids |= team_ids


def mark_all_changed(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Raise every team's version once the current transaction commits (now, outside one)."""
    pending = _pending(using)
    if pending is None:
        raise_versions(every_team=True, using=using)
    else:
        pending.every_team = True


# From a row to its teams


def _cached_value(instance, lookup: str):
    """The value `lookup` leads to from `instance` without a query, or _MISSING."""
    obj = instance
    *relations, last = lookup.split("__")
    for name in relations:
        field = obj._meta.get_field(name)
        if not (field.many_to_one or field.one_to_one) or not field.is_cached(obj):
            return _MISSING
        obj = getattr(obj, name)
        if obj is None:
            return None
    if last == "pk":
        return obj.pk
    return obj.__dict__.get(last, _MISSING)


def _teams_of(model, lookup: str, *, instance=None, pks=None, using=None) -> set[int]:
    """The team ids `lookup` leads to from one row (instance) or from the rows with `pks`
    (None: all rows)."""
    if instance is not None:
        value = _cached_value(instance, lookup)
        if value is not _MISSING:
            return set() if value is None else {value}
        pks = [instance.pk]
    rows = model._base_manager.using(using or DEFAULT_DB_ALIAS)
    if pks is not None:
        rows = rows.filter(pk__in=pks)
    return set(rows.order_by().values_list(lookup, flat=True).distinct()) - {None}


# Receivers


def _remember(source: Source):
    def remember(sender, instance, **kwargs):
        loaded = {}
        if source.is_direct and source.teams is not None:
            loaded[source.teams] = instance.__dict__.get(_attname(sender, source.teams))
        for name in source.fields or ():
            loaded[name] = instance.__dict__.get(name, _MISSING)
        instance.__dict__[LOADED] = loaded

    return remember


def _attname(model, lookup: str) -> str:
    return model._meta.pk.attname if lookup == "pk" else lookup


def _saved(source: Source):
    def saved(sender, instance, created, update_fields=None, using=None, **kwargs):
        loaded = instance.__dict__.get(LOADED, {})
        if source.fields and not created:
            if update_fields is not None and not source.fields & set(update_fields):
                return  # a log-in saves only last_login
            if all(
                loaded.get(name, _MISSING) == instance.__dict__.get(name) for name in source.fields
            ):
                return
        if source.teams is EVERY_TEAM:
            mark_all_changed(using=using)
            return
        team_ids = _teams_of(sender, source.teams, instance=instance, using=using)
        if source.is_direct:
            team_ids.add(loaded.get(source.teams))  # moved from another team
        _remember(source)(sender, instance)  # a later save compares with what is saved now
        mark_teams_changed(team_ids, using=using)

    return saved


def _deleted(source: Source):
    def deleted(sender, instance, using=None, **kwargs):
        if source.teams is EVERY_TEAM:
            mark_all_changed(using=using)
        else:
            mark_teams_changed(
                _teams_of(sender, source.teams, instance=instance, using=using), using=using
            )

    return deleted


def _m2m_changed(source: M2MSource):
    def changed(sender, instance, action, reverse, model, pk_set, using=None, **kwargs):
        if action not in ("post_add", "post_remove", "pre_clear"):
            return
        owner = source.model_class
        if not reverse:
            team_ids = _teams_of(owner, source.teams, instance=instance, using=using)
        elif pk_set is not None:
            team_ids = _teams_of(owner, source.teams, pks=pk_set, using=using)
        else:  # cleared from the other side: which rows were linked
            field = cast("models.ManyToManyField", owner._meta.get_field(source.field))
            linked = sender._base_manager.using(using).filter(
                **{field.m2m_reverse_field_name(): instance.pk}
            )
            pks = linked.values_list(field.m2m_field_name(), flat=True)
            team_ids = _teams_of(owner, source.teams, pks=list(pks), using=using)
        mark_teams_changed(team_ids, using=using)

    return changed


def _rows_changed(sender, pks=None, using=None, **kwargs):
    source = _BY_MODEL.get(sender)
    if source is None:
        return
    if source.teams is EVERY_TEAM:
        mark_all_changed(using=using or DEFAULT_DB_ALIAS)
    else:
        mark_teams_changed(
            _teams_of(sender, source.teams, pks=pks, using=using),
            using=using or DEFAULT_DB_ALIAS,
        )


_BY_MODEL: dict = {}
_RECEIVERS: list = []  # kept alive: the signals hold weak references


def connect() -> None:
    """Connect the receivers for every declared source (once)."""
    if _BY_MODEL:
        return
    for source in SOURCES:
        model = source.model_class
        _BY_MODEL[model] = source
        receivers = [(post_save, _saved(source)), (pre_delete, _deleted(source))]
        if source.is_direct or source.fields:
            receivers.append((post_init, _remember(source)))
        for signal, receiver in receivers:
            signal.connect(receiver, sender=model, dispatch_uid=f"dashboards:{source.model}")
            _RECEIVERS.append(receiver)
    for m2m_source in M2M_SOURCES:
        receiver = _m2m_changed(m2m_source)
        m2m_changed.connect(
            receiver, sender=m2m_source.through, dispatch_uid=f"dashboards:{m2m_source.field}"
        )
        _RECEIVERS.append(receiver)
    rows_changed.connect(_rows_changed, dispatch_uid="dashboards:rows_changed")

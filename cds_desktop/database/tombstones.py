"""Tombstones are hidden by default: one criterion added to every ORM query.

Every ``SELECT`` a session of :class:`cds_desktop.database.Database` runs leaves
out records whose ``deleted_at`` is set, for every ``Synced`` entity in the
statement (the main entity, joined ones, subqueries).  Code that must see
tombstones (restore, the deleted-items list, audit, exchange) asks for them
explicitly, per statement or per session::

    session.scalars(select(Item).execution_options(include_deleted=True))
    with including_deleted(session): ...

What is not filtered: ``session.get`` (a primary key names one record, deleted
or not), relationship loads (``item.plan``, ``plan.items``: collections keep
their tombstones, callers check ``is_deleted``), refreshes of loaded objects,
and Core statements on tables (the exchange layer reads those on purpose).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import case, event
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from cds_desktop.models import Synced

INCLUDE_DELETED = "include_deleted"


def live(column):
    """SQL: the record is not a tombstone (``deleted_at IS NULL``).

    Written as a CASE on purpose: SQLite has no statistics unless ANALYZE ran and
    would otherwise drive queries by the ``deleted_at`` index, which matches
    nearly every row (a full scan of all communes' records).  With the condition
    not indexable, it starts from the selective ``plan_id`` / ``period_id`` /
    ``item_id`` / ``uuid`` indexes.  PostgreSQL does not plan both spellings alike: it gives the
    CASE a default selectivity (0.5 %), so its row estimates under this filter are far too low
    (a plan's 80 items guessed as 1) and it may choose row-by-row joins; the status engine's
    heavy queries are written to stay cheap whatever it guesses (``queries.missing_select``).
    """
    return case((column.is_(None), 1), else_=0) == 1


def _hide_tombstones(state: ORMExecuteState) -> None:
    if not state.is_select or state.is_column_load or state.is_relationship_load:
        return
    if state.execution_options.get(INCLUDE_DELETED) or state.session.info.get(INCLUDE_DELETED):
        return
    state.statement = state.statement.options(
        with_loader_criteria(Synced, lambda cls: live(cls.deleted_at), include_aliases=True,
                             propagate_to_loaders=False)
    )


def install(session_class: type[Session]) -> None:
    event.listen(session_class, "do_orm_execute", _hide_tombstones)


@contextmanager
def including_deleted(session: Session) -> Iterator[Session]:
    """Within the block, every query of *session* sees tombstones too."""
    before = session.info.get(INCLUDE_DELETED)
    session.info[INCLUDE_DELETED] = True
    try:
        yield session
    finally:
        if before is None:
            session.info.pop(INCLUDE_DELETED, None)
        else:
            session.info[INCLUDE_DELETED] = before

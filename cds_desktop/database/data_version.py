"""The data-version token: a one-row table that every write to the database changes, in the
same transaction as the write (migration 0008).

On SQLite, triggers on every table (after each inserted, updated or deleted row) bump
``counter`` and draw a new random ``stamp``: whatever writes (the ORM, bulk inserts of a
package import, a plain ``sqlite3`` connection), the token ``"<counter>:<stamp>"`` read
afterwards differs.  The random stamp also tells apart two databases that reached the same
counter along different histories (a backup restored, then edited).  SQLite's own
``PRAGMA data_version`` cannot serve: it is per connection and not kept in the file.

What the token validates: the dashboard's snapshot (:mod:`cds_desktop.services.dashboard_snapshot`),
shown at start before the data layer loads.  On a database server there are no triggers
(the light start-up path is SQLite-only): the token is None there.

A migration that adds a table must call :func:`trigger_statements` for it (the tests check
that every table has its three triggers).  Standard library only.
"""

from __future__ import annotations

import sqlite3

TABLE = "data_version"
# Tables whose writes do not change the data: the token itself and alembic's bookkeeping.
UNTRACKED = frozenset({TABLE, "alembic_version"})
TOKEN_SQL = f"SELECT counter, stamp FROM {TABLE} WHERE id = 1"
BUMP = f"UPDATE {TABLE} SET counter = counter + 1, stamp = hex(randomblob(8)) WHERE id = 1"
EVENTS = (("ins", "INSERT"), ("upd", "UPDATE"), ("del", "DELETE"))


def trigger_name(table: str, suffix: str) -> str:
    return f"dv_{table}_{suffix}"


def trigger_statements(table: str) -> list[str]:
    """The SQLite triggers that bump the token after every row written to *table*."""
    return [f'CREATE TRIGGER IF NOT EXISTS "{trigger_name(table, suffix)}" AFTER {event} ON "{table}" '
            f"FOR EACH ROW BEGIN {BUMP}; END" for suffix, event in EVENTS]


def drop_statements(table: str) -> list[str]:
    return [f'DROP TRIGGER IF EXISTS "{trigger_name(table, suffix)}"' for suffix, _event in EVENTS]


def tracked_tables(execute) -> list[str]:
    """The tables of a SQLite database the token follows; *execute(sql)* returns rows (``sqlite3``
    ``conn.execute`` or SQLAlchemy's ``exec_driver_sql``)."""
    rows = execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
    return sorted(name for name, sql in rows
                  if name not in UNTRACKED and not name.startswith("sqlite_")
                  and not (sql or "").upper().startswith("CREATE VIRTUAL"))


def token_text(row) -> str | None:
    return f"{row[0]}:{row[1]}" if row else None


def read_token(conn: sqlite3.Connection) -> str | None:
    """The token read with plain ``sqlite3`` (None before migration 0008 or on any error)."""
    try:
        return token_text(conn.execute(TOKEN_SQL).fetchone())
    except sqlite3.Error:
        return None


def database_token(db) -> str | None:
    """The token of an open :class:`~cds_desktop.database.Database` (None on a server: no triggers)."""
    if not db.is_sqlite:
        return None
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    try:
        with db.engine.connect() as conn:
            return token_text(conn.execute(text(TOKEN_SQL)).first())
    except SQLAlchemyError:
        return None


__all__ = ["TABLE", "TOKEN_SQL", "database_token", "read_token", "tracked_tables", "trigger_statements"]

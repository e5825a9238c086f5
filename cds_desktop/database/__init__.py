"""Engine, sessions, audit hook, migrations and backups.

The names below are loaded on first use: ``cds_desktop.database.errors`` and
``cds_desktop.database.migrate`` (the schema revision) must stay importable
without SQLAlchemy and the models, for the command line's quick paths.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cds_desktop.database.engine import Database
    from cds_desktop.database.errors import DatabaseError
    from cds_desktop.database.opening import open_database

__all__ = ["Database", "DatabaseError", "open_database"]


def __getattr__(name: str) -> Any:
    if name == "Database":
        from cds_desktop.database.engine import Database

        return Database
    if name == "DatabaseError":
        from cds_desktop.database.errors import DatabaseError

        return DatabaseError
    if name == "open_database":
        from cds_desktop.database.opening import open_database

        return open_database
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

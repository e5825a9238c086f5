"""Engine, sessions, audit hook, migrations and backups."""

from cds_desktop.database.engine import Database, DatabaseError, open_database

__all__ = ["Database", "DatabaseError", "open_database"]

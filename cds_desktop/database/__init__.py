"""Engine, sessions, audit hook, migrations and backups."""

from cds_desktop.database.engine import Database
from cds_desktop.database.errors import DatabaseError
from cds_desktop.database.opening import open_database

__all__ = ["Database", "DatabaseError", "open_database"]

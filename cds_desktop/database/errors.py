"""Errors of the data layer; ``str()`` is a Vietnamese message for the officer."""

from __future__ import annotations


class DatabaseError(Exception):
    """A failure the officer must be told about; ``str()`` is a Vietnamese message."""


class NewerSchemaError(DatabaseError):
    """The database was written by a newer version of CĐS Desktop."""

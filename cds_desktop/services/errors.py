"""The service layer's error (imports nothing, so that the command line can catch it
without loading the data layer)."""

from __future__ import annotations


class ServiceError(Exception):
    """A rule was broken or a record is missing; ``str()`` is a Vietnamese message for the officer."""

"""The import's fast timestamp formatting gives exactly what SQLAlchemy would store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy.dialects import postgresql, sqlite

from cds_desktop.exchange.apply import _bind_processor
from cds_desktop.models.base import UTCDateTime


def test_utc_timestamps_are_formatted_as_sqlalchemy_does():
    kind = UTCDateTime()
    dialect = sqlite.dialect()
    fast = _bind_processor(kind, dialect)
    ordinary = kind._cached_bind_processor(dialect)
    assert fast is not ordinary  # the fast path is in use on SQLite
    values = [None, datetime(2026, 11, 26, 19, 0, tzinfo=UTC), datetime(2026, 2, 28, 23, 59, 59, 999999, tzinfo=UTC),
              datetime(2026, 3, 1, 0, 30, tzinfo=timezone(timedelta(hours=7))), datetime(2026, 3, 1, 0, 30),
              datetime(1, 1, 1, tzinfo=UTC), datetime(987, 5, 6, 7, 8, 9, 10, tzinfo=UTC)]
    assert [fast(v) for v in values] == [ordinary(v) for v in values]
    assert fast(values[1]) == "2026-11-26 19:00:00.000000"


def test_other_backends_keep_sqlalchemys_processor():
    kind = UTCDateTime()
    dialect = postgresql.dialect()
    assert _bind_processor(kind, dialect) is kind._cached_bind_processor(dialect)

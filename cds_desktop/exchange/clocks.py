"""Version vectors: deciding whether "mine" and "theirs" changed since they last met.

Every record carries a scalar ``version`` (bumped by the audit hook on each
change) and the installation that made the last change (``changed_by``).  The
*vector* of a record maps installation ids to versions: ``{A: 3, B: 5}`` means
"this state includes A's change that produced version 3 and B's change that
produced version 5".

- A record that never went through an exchange has the vector
  ``{changed_by: version}`` (all its history happened here).
- When a record is merged, its vector is stored in ``exchange_clocks`` with the
  version it belongs to (``version_at``).  If the record has been edited here
  since (``version != version_at``), its current vector is the stored one plus
  ``{changed_by: version}``.
- Every component of a vector is at most the record's scalar version, and a
  resolution always takes ``max(mine, theirs) + 1``, so an installation's
  component only grows.

Comparing two vectors gives the merge decision: equal (nothing to do), theirs
dominates (they saw everything mine has: take theirs), mine dominates (a stale
package: keep mine), or concurrent (both changed since they last met: a
conflict, unless the contents are equal).  This handles packages passed on
through a third copy and conflicts already resolved on the other side, which a
per-peer "base version" cannot.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from sqlalchemy import select
from sqlalchemy.engine import Connection

from cds_desktop.models.exchange import ExchangeClock

Vector = dict[str, int]
Order = Literal["equal", "theirs", "mine", "concurrent"]
_CHUNK = 500


def current_vector(version: int, changed_by: str, stored: tuple[Vector, int] | None) -> Vector:
    """The vector of a record now, from its bookkeeping and its stored clock (if any)."""
    if stored is None:
        return {changed_by or "": version}
    vector, version_at = stored
    if version == version_at:
        return dict(vector)
    merged = dict(vector)
    key = changed_by or ""
    merged[key] = max(merged.get(key, 0), version)
    return merged


def compare(mine: Vector, theirs: Vector) -> Order:
    mine_more = theirs_more = False
    for key in mine.keys() | theirs.keys():
        a, b = mine.get(key, 0), theirs.get(key, 0)
        if a > b:
            mine_more = True
        elif b > a:
            theirs_more = True
    if mine_more and theirs_more:
        return "concurrent"
    if theirs_more:
        return "theirs"
    if mine_more:
        return "mine"
    return "equal"


def join(*vectors: Vector) -> Vector:
    out: Vector = {}
    for vector in vectors:
        for key, value in vector.items():
            if value > out.get(key, 0):
                out[key] = value
    return out


def load_clocks(conn: Connection, uuids: Iterable[str] | None = None) -> dict[str, tuple[Vector, int]]:
    """Stored clocks, for the given record uuids (all when None)."""
    table = ExchangeClock.__table__
    out: dict[str, tuple[Vector, int]] = {}
    if uuids is None:
        for uuid, vector, version_at in conn.execute(select(table.c.record_uuid, table.c.vector, table.c.version_at)):
            out[uuid] = (vector or {}, version_at)
        return out
    wanted = list(dict.fromkeys(uuids))
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start:start + _CHUNK]
        stmt = select(table.c.record_uuid, table.c.vector, table.c.version_at).where(table.c.record_uuid.in_(chunk))
        for uuid, vector, version_at in conn.execute(stmt):
            out[uuid] = (vector or {}, version_at)
    return out


def needs_row(vector: Vector, version: int, installation: str) -> bool:
    """False when the vector says only "all of it happened here" (derivable without a stored row)."""
    return vector != {installation: version}

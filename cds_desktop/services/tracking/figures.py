"""The dashboard's figures as plain data (no SQLAlchemy): the keys of the bars, a bar's
segments and a figure tile.  Light, so that the window can paint the dashboard from its
snapshot (:mod:`cds_desktop.services.dashboard_snapshot`) before the data layer loads;
:mod:`.dashboard` builds them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from cds_desktop.services.tracking import codes

if TYPE_CHECKING:
    from cds_desktop.services.tracking.dashboard import GroupFigures

TASK_KEYS = (codes.DONE, codes.DONE_LATE, codes.IN_PROGRESS, codes.NOT_STARTED, codes.BEHIND, codes.PAUSED,
             codes.CANCELLED, codes.NO_REPORT)
INDICATOR_KEYS = (codes.ACHIEVED, codes.NOT_ACHIEVED, codes.NO_DATA, codes.NOT_EVALUABLE)


@dataclass(frozen=True)
class Segment:
    """A part of a bar: how many items have one status (or evaluation), and which."""

    key: str
    count: int
    uuids: tuple[str, ...]


@dataclass(frozen=True)
class ChartRow:
    label: str
    depth: int
    segments: tuple[Segment, ...]

    @property
    def total(self) -> int:
        return sum(s.count for s in self.segments)


def chart_rows(groups: list[GroupFigures], keys: tuple[str, ...]) -> list[ChartRow]:
    """One stacked bar per group, one segment per status/evaluation in *keys* order."""
    return [ChartRow(g.display, g.depth, tuple(Segment(k, g.count(k), tuple(g.counts.get(k, ()))) for k in keys))
            for g in groups]


@dataclass(frozen=True)
class Tile:
    key: str
    title: str
    value: str
    note: str
    uuids: tuple[str, ...]

"""The rows the plan screen shows (plans to choose, the group tree, item rows), and a light
reader that reads them with plain ``sqlite3`` before SQLAlchemy is even imported.

The window paints the current plan at once from :class:`LightReader` (first paint), while
SQLAlchemy, the models and the services load in the background; then the ORM-backed
reads of :mod:`cds_desktop.services.plan_view` take over and give the very same rows
(the dataclasses below are shared, and the tests compare both paths).

This module imports only the standard library (and the parser-free display helpers of
:mod:`cds_desktop.services.targets`): never SQLAlchemy, never Qt.  The light reader is
only used on a SQLite file already at the newest schema; anything else (no file yet, a
migration to run, another database server) returns ``None`` and the window waits for
the ORM as before.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

log = logging.getLogger(__name__)

# The same values as cds_desktop.models (checked by the tests; importing models needs SQLAlchemy).
INDICATOR = "indicator"
TASK = "task"
SECTION_INDICATORS = "indicators"
SECTION_TASKS = "tasks"
LEAD = "lead"
COORDINATING = "coordinating"
SECTION_TITLES = {SECTION_INDICATORS: "Phụ lục 01 — Chỉ tiêu", SECTION_TASKS: "Phụ lục 02 — Nhiệm vụ"}
DB_FILENAME = "cds.sqlite"  # as cds_desktop.paths
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "database" / "migrations" / "versions"
_REVISION_FILE = re.compile(r"^(\d{4})_\w+\.py$")


def fmt_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


@dataclass(frozen=True)
class PlanChoice:
    uuid: str
    id: int
    number: str
    title: str
    year: int

    @property
    def label(self) -> str:
        number = self.number or "(chưa có số)"
        year = "" if str(self.year) in (self.title or "") else f" ({self.year})"
        return f"Kế hoạch {number} — {self.title}{year}"


@dataclass(eq=False)
class GroupNode:
    """A node of the group tree.  Section roots have ``uuid == ''`` and ``id is None``."""

    uuid: str
    id: int | None
    section: str
    label: str
    title: str
    own_count: int = 0
    children: list[GroupNode] = field(default_factory=list)
    parent: GroupNode | None = field(default=None, repr=False)

    @property
    def is_section(self) -> bool:
        return self.id is None

    @property
    def display(self) -> str:
        return f"{self.label}. {self.title}" if self.label else self.title

    @property
    def count(self) -> int:
        return self.own_count + sum(child.count for child in self.children)

    def subtree_ids(self) -> list[int]:
        ids = [] if self.id is None else [self.id]
        for child in self.children:
            ids.extend(child.subtree_ids())
        return ids

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def shape(self) -> tuple:
        """What the tree shows of this node and below (for comparisons)."""
        return (self.uuid, self.id, self.section, self.display, self.count, tuple(c.shape() for c in self.children))


def new_roots() -> dict[str, GroupNode]:
    return {s: GroupNode("", None, s, "", SECTION_TITLES[s]) for s in (SECTION_INDICATORS, SECTION_TASKS)}


def nest_groups(roots: dict[str, GroupNode], groups: list[tuple[GroupNode, int | None]]) -> list[GroupNode]:
    """Put (node, parent id) pairs, in document order, under their parents (or their section)."""
    nodes = {node.id: node for node, _parent_id in groups}
    for node, parent_id in groups:
        parent = nodes.get(parent_id) if parent_id is not None else None
        if parent is None or parent.section != node.section:
            parent = roots[node.section]
        node.parent = parent
        parent.children.append(node)
    return [roots[SECTION_INDICATORS], roots[SECTION_TASKS]]


@dataclass(frozen=True)
class ItemRow:
    uuid: str
    kind: str
    number: str
    content: str
    target: str
    target_understood: bool
    lead_text: str
    coordinating_text: str
    basis: str
    note: str
    deadline_text: str
    due_date: date | None
    deadline_understood: bool
    expected_result: str
    output_product: str


@dataclass(frozen=True)
class _TargetFields:
    target_text: str
    target_comparator: str
    target_value: float | None
    target_value_max: float | None
    target_unit: str


def head_revision() -> str:
    """The newest schema revision, from the migration file names (as database.migrate)."""
    names = (p.name for p in MIGRATIONS_DIR.glob("*.py"))
    return max((m.group(1) for m in map(_REVISION_FILE.match, names) if m), default="")


def sqlite_file(data_dir: str | os.PathLike[str] | None, db_url: str | None = None) -> Path | None:
    """The SQLite file the app will open, when it is a plain file that exists (else None)."""
    if db_url or os.environ.get("CDS_DATABASE_URL"):
        return None  # an explicit URL: the ORM path only
    chosen = data_dir or os.environ.get("CDS_DATA_DIR")
    if chosen:
        root = Path(chosen).expanduser().resolve()
    else:
        from cds_desktop.paths import app_paths

        root = app_paths().data_dir
    settings = root / "settings.json"
    if settings.exists():
        try:
            if json.loads(settings.read_text(encoding="utf-8")).get("database_url"):
                return None
        except (OSError, ValueError, AttributeError):
            return None  # the ORM path says what is wrong with it
    db_file = root / DB_FILENAME
    return db_file if db_file.is_file() and db_file.stat().st_size > 0 else None


def _live(alias: str) -> str:
    # "+" keeps SQLite from driving the query by the deleted_at index (see database.tombstones.live).
    return f"+{alias}.deleted_at IS NULL"


def _day(value) -> date | None:
    if not value:
        return None
    return date.fromisoformat(str(value)[:10])


class LightReader:
    """Plan rows read with ``sqlite3`` (read-only queries), for the first paint."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path

    @classmethod
    def open(cls, data_dir: str | os.PathLike[str] | None = None, db_url: str | None = None) -> LightReader | None:
        """A reader on the app's database file, or None when the light path does not apply."""
        path = sqlite_file(data_dir, db_url)
        if path is None:
            return None
        try:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5,
                                   check_same_thread=False)
        except sqlite3.Error as exc:
            log.info("Light path not used: %s", exc)
            return None
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            if not row or row[0] != head_revision():
                conn.close()
                return None  # a migration will run first
            if conn.execute("SELECT 1 FROM user_roles LIMIT 1").fetchone():
                conn.close()
                return None  # roles configured: only the ORM applies them (database.access)
        except sqlite3.Error as exc:
            log.info("Light path not used: %s", exc)
            conn.close()
            return None
        return cls(conn, path)

    def close(self) -> None:
        self.conn.close()

    def data_token(self) -> str | None:
        """The data-version token (:mod:`cds_desktop.database.data_version`)."""
        from cds_desktop.database.data_version import read_token

        return read_token(self.conn)

    # -- plans --------------------------------------------------------------
    def plan_choices(self) -> list[PlanChoice]:
        rows = self.conn.execute(
            f"SELECT p.uuid, p.id, p.number, p.title, p.year FROM plans p WHERE {_live('p')} "
            "ORDER BY p.year DESC, p.created_at"
        )
        return [PlanChoice(*row) for row in rows]

    def plan_summary(self, plan_id: int) -> str:
        counts = dict(self.conn.execute(
            f"SELECT i.kind, count(i.id) FROM items i WHERE i.plan_id = ? AND {_live('i')} GROUP BY i.kind",
            (plan_id,),
        ).fetchall())
        units = self.conn.execute(
            "SELECT count(DISTINCT a.unit_id) FROM assignments a JOIN items i ON i.id = a.item_id "
            f"JOIN units u ON u.id = a.unit_id WHERE i.plan_id = ? AND {_live('a')} AND {_live('i')} "
            f"AND {_live('u')}",
            (plan_id,),
        ).fetchone()[0]
        return f"{counts.get(INDICATOR, 0)} chỉ tiêu · {counts.get(TASK, 0)} nhiệm vụ · {units or 0} đơn vị"

    # -- group tree ----------------------------------------------------------
    def group_tree(self, plan_id: int) -> list[GroupNode]:
        roots = new_roots()
        counts: dict[int | None, int] = {}
        ungrouped: dict[str, int] = {}
        for group_id, kind, count in self.conn.execute(
            f"SELECT i.group_id, i.kind, count(i.id) FROM items i WHERE i.plan_id = ? AND {_live('i')} "
            "GROUP BY i.group_id, i.kind",
            (plan_id,),
        ):
            counts[group_id] = counts.get(group_id, 0) + count
            if group_id is None:
                ungrouped[kind] = ungrouped.get(kind, 0) + count
        roots[SECTION_INDICATORS].own_count = ungrouped.get(INDICATOR, 0)
        roots[SECTION_TASKS].own_count = ungrouped.get(TASK, 0)
        groups = [
            (GroupNode(uuid, gid, section, label, title, counts.get(gid, 0)), parent_id)
            for uuid, gid, section, label, title, parent_id in self.conn.execute(
                "SELECT g.uuid, g.id, g.section, g.label, g.title, g.parent_id FROM groups g "
                f"WHERE g.plan_id = ? AND {_live('g')} ORDER BY g.position",
                (plan_id,),
            )
        ]
        return nest_groups(roots, groups)

    # -- items ----------------------------------------------------------------
    def item_rows(self, plan_id: int, kind: str, group_ids: list[int] | None = None) -> list[ItemRow]:
        """The rows of an item table in document order (no search, no filter: the first view)."""
        from cds_desktop.services.target_display import display_target

        sql = (
            "SELECT i.id, i.uuid, i.kind, i.number, i.content, i.target_text, i.target_comparator, i.target_value, "
            "i.target_value_max, i.target_unit, i.target_understood, i.lead_text, i.coordinating_text, i.basis, "
            "i.note, i.deadline_text, i.due_date, i.deadline_understood, i.expected_result, i.output_product "
            f"FROM items i WHERE i.plan_id = ? AND i.kind = ? AND {_live('i')}"
        )
        params: list = [plan_id, kind]
        if group_ids is not None:
            sql += f" AND i.group_id IN ({', '.join('?' * len(group_ids))})" if group_ids else " AND 0"
            params.extend(group_ids)
        found = self.conn.execute(sql + " ORDER BY i.position, i.position", params).fetchall()
        names = self._assigned_names([r[0] for r in found])
        rows = []
        for (item_id, uuid, kind_, number, content, target_text, comparator, value, value_max, unit, understood,
             lead, coordinating, basis, note, deadline_text, due, deadline_understood, expected, output) in found:
            target = display_target(_TargetFields(target_text, comparator, value, value_max, unit))
            rows.append(ItemRow(
                uuid, kind_, number, content, target, bool(understood),
                lead or "; ".join(names.get((item_id, LEAD), [])),
                coordinating or "; ".join(names.get((item_id, COORDINATING), [])),
                basis, note, deadline_text, _day(due), bool(deadline_understood), expected, output,
            ))
        return rows

    def _assigned_names(self, item_ids: list[int]) -> dict[tuple[int, str], list[str]]:
        names: dict[tuple[int, str], list[str]] = {}
        for start in range(0, len(item_ids), 500):
            chunk = item_ids[start:start + 500]
            rows = self.conn.execute(
                "SELECT a.item_id, a.role, u.name FROM assignments a JOIN units u ON u.id = a.unit_id "
                f"WHERE a.item_id IN ({', '.join('?' * len(chunk))}) AND a.role IN (?, ?) "
                f"AND {_live('a')} AND {_live('u')} ORDER BY a.id",
                [*chunk, LEAD, COORDINATING],
            )
            for item_id, role, name in rows:
                names.setdefault((item_id, role), []).append(name)
        return names


__all__ = [
    "COORDINATING", "INDICATOR", "LEAD", "SECTION_INDICATORS", "SECTION_TASKS", "SECTION_TITLES", "TASK",
    "GroupNode", "ItemRow", "LightReader", "PlanChoice", "fmt_date", "head_revision", "nest_groups",
    "new_roots", "sqlite_file",
]

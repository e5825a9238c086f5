"""The appendices (Phụ lục 01 / 02) read with plain ``sqlite3``: the same document as the ORM
path (:func:`cds_desktop.reports.appendix.build_appendix`), without importing SQLAlchemy or
the models, which is most of the ``report`` command's start-up time.

Taken only when the file can be read as it is (:func:`.info_light.plain_sqlite_file`: the
default SQLite file, at the program's schema revision, with its installation id and no roles
configured) and the plan is the most recent one or named by its UUID or number.  Anything else returns
None and the caller opens the database the ordinary way (which also migrates, applies roles
and says what is wrong).  The queries leave tombstones out as the ORM path does: the plan, its
groups, items and the leaders are live records (``database.tombstones``); assignments and
their units are checked as :func:`.loading.assigned_names` checks them; the commune is read
whatever its state, as ``plan.commune`` is.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from cds_desktop.reports.appendix import appendix_document
from cds_desktop.reports.columns import CellContext
from cds_desktop.reports.document import ReportDocument
from cds_desktop.reports.tree import Progress, build_tree, no_progress
from cds_desktop.text import number_key, plan_number_keys
from cds_desktop.vocabulary import COORDINATING, LEAD, SECTION_INDICATORS, SECTION_OF_KIND, SECTION_TASKS

log = logging.getLogger(__name__)

APPENDIX_KINDS = {"phu-luc-01": SECTION_INDICATORS, "phu-luc-02": SECTION_TASKS}


@dataclass
class LightCommune:
    name: str
    kind: str


@dataclass
class LightPlan:
    """The fields of a ``Plan`` the appendix builder reads."""

    id: int
    uuid: str
    year: int
    number: str
    issue_date: date | None
    place: str
    title: str
    authority: str
    position: str
    signer: str
    appendices: dict
    commune: LightCommune


@dataclass
class LightGroup:
    id: int
    parent_id: int | None
    label: str
    title: str
    note: str


@dataclass
class LightItem:
    """The fields of an ``Item`` the appendix's cells read (``reports.columns``)."""

    id: int
    group_id: int | None
    number: str
    local_number: str
    content: str
    target_text: str
    target_comparator: str
    target_value: float | None
    target_value_max: float | None
    target_unit: str
    guiding_agency: str
    lead_text: str
    coordinating_text: str
    leader_text: str
    leader_id: int | None
    deadline_text: str
    expected_result: str
    output_product: str
    basis: str
    note: str
    extra: dict = field(default_factory=dict)


_PLAN_FIELDS = ("p.id, p.uuid, p.year, p.number, p.issue_date, p.place, p.title, p.authority, p.position, "
                "p.signer, p.appendices, c.name, c.kind")
_ITEM_FIELDS = ("i.id, i.group_id, i.number, i.local_number, i.content, i.target_text, i.target_comparator, "
                "i.target_value, i.target_value_max, i.target_unit, i.guiding_agency, i.lead_text, "
                "i.coordinating_text, i.leader_text, i.leader_id, i.deadline_text, i.expected_result, "
                "i.output_product, i.basis, i.note, i.extra")


def _live(alias: str) -> str:
    # "+": SQLite must not drive the query by the deleted_at index (see database.tombstones.live)
    return f"+{alias}.deleted_at IS NULL"


def _json(text: Any) -> Any:
    return json.loads(text) if isinstance(text, str | bytes) else text


def _day(value: Any) -> date | None:
    return date.fromisoformat(str(value)[:10]) if value else None


def read_plan(conn: sqlite3.Connection, plan_ref: str | None) -> LightPlan | None:
    """The plan ``services.lookup.resolve_plan`` finds: the most recent live plan, or the one *plan_ref*
    names by its UUID or, alone among the plans, by its number; None otherwise (the ordinary path
    then finds it by words of its title, or says which plans match or why there is none)."""
    sql = f"SELECT {_PLAN_FIELDS} FROM plans p JOIN communes c ON c.id = p.commune_id WHERE {_live('p')}"
    ref = (plan_ref or "").strip()
    row = conn.execute(sql + " AND p.uuid = ?", (ref.lower(),)).fetchone() if ref else None
    if row is None:
        rows = conn.execute(sql + " ORDER BY p.year DESC, p.created_at").fetchall()
        if ref:
            key = number_key(ref)
            rows = [r for r in rows if key in plan_number_keys(r[3])]
            if len(rows) != 1:
                return None
        if not rows:
            return None
        row = rows[0]
    (plan_id, uuid, year, number, issue_date, place, title, authority, position, signer, appendices,
     commune_name, commune_kind) = row
    # values as SQLite gives them, as the ORM does (a NULL stays None); dates and JSON decoded as its types do
    return LightPlan(plan_id, uuid, year, number, _day(issue_date), place, title, authority, position, signer,
                     _json(appendices) or {}, LightCommune(commune_name, commune_kind))


def read_section(conn: sqlite3.Connection, plan_id: int, section: str) -> tuple[list[LightGroup], list[LightItem]]:
    kind = next(k for k, s in SECTION_OF_KIND.items() if s == section)
    groups = [
        LightGroup(gid, parent_id, label, title, note)
        for gid, parent_id, label, title, note in conn.execute(
            "SELECT g.id, g.parent_id, g.label, g.title, g.note FROM groups g "
            f"WHERE g.plan_id = ? AND g.section = ? AND {_live('g')} ORDER BY g.position, g.id",
            (plan_id, section),
        )
    ]
    items = [
        LightItem(*row[:-1], extra=_json(row[-1]) or {})
        for row in conn.execute(
            f"SELECT {_ITEM_FIELDS} FROM items i WHERE i.plan_id = ? AND i.kind = ? AND {_live('i')} "
            "ORDER BY i.position, i.id",
            (plan_id, kind),
        )
    ]
    return groups, items


def read_names(conn: sqlite3.Connection, items: list[LightItem]) -> CellContext:
    """The live units assigned to each item (lead, coordinating; in assignment order) and the leaders."""
    lead: dict[int, list[str]] = {}
    coordinating: dict[int, list[str]] = {}
    ids = [i.id for i in items]
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for item_id, role, name in conn.execute(
            "SELECT a.item_id, a.role, u.name FROM assignments a JOIN units u ON u.id = a.unit_id "
            f"WHERE a.item_id IN ({', '.join('?' * len(chunk))}) AND {_live('a')} AND {_live('u')} "
            "ORDER BY a.item_id, a.position, a.id",
            chunk,
        ):
            target = lead if role == LEAD else coordinating if role == COORDINATING else None
            if target is not None:
                target.setdefault(item_id, []).append(name)
    leaders: dict[int, str] = {}
    leader_ids = sorted({i.leader_id for i in items if i.leader_id})
    for start in range(0, len(leader_ids), 500):
        chunk = leader_ids[start:start + 500]
        leaders.update(conn.execute(
            f"SELECT p.id, p.name FROM people p WHERE p.id IN ({', '.join('?' * len(chunk))}) AND {_live('p')}",
            chunk,
        ).fetchall())
    return CellContext(lead, coordinating, leaders)


def light_appendix(
    data_dir: str | os.PathLike[str] | None, db_url: str | None, kind: str, plan_ref: str | None = None,
    column_keys: list[str] | None = None, progress: Progress = no_progress,
) -> ReportDocument | None:
    """Phụ lục 01 or 02 (*kind* ``phu-luc-01`` / ``phu-luc-02``) read with ``sqlite3``, or None when
    the ordinary path must build it (see the module's docstring)."""
    section = APPENDIX_KINDS.get(kind)
    if section is None:
        return None
    from cds_desktop.services.info_light import plain_sqlite_file

    db_file = plain_sqlite_file(data_dir, db_url)
    if db_file is None:
        return None
    try:
        conn = sqlite3.connect(f"{db_file.resolve().as_uri()}?mode=ro", uri=True, timeout=5, isolation_level=None)
    except sqlite3.Error as exc:
        log.info("Light report path not used: %s", exc)
        return None
    try:
        conn.execute("BEGIN")  # one read transaction: the plan, its tree and the names from the same state
        plan = read_plan(conn, plan_ref)
        if plan is None:
            return None
        groups, items = read_section(conn, plan.id, section)
        names = read_names(conn, items)
    except (sqlite3.Error, ValueError) as exc:  # the ordinary path will say what is wrong
        log.info("Light report path not used for %s: %s", db_file, exc)
        return None
    finally:
        conn.close()
    return appendix_document(plan, section, build_tree(groups, items), names, column_keys, progress)

"""Layout of the appendix tables (Phụ lục 01 / 02): widths, alignment, and how
each cell is read from an item.  The columns themselves (keys, item fields,
standard headers) are :mod:`cds_desktop.services.columns`.

The default column set of an appendix is the plan's own
(``Plan.appendices[section]["columns"]``, headers as the plan wrote them);
when the plan has none, :data:`STANDARD_COLUMNS` is used.  The officer may
choose another set; headers of columns the plan did not have come from
:data:`STANDARD_HEADERS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cds_desktop.reports.document import Align, Column
from cds_desktop.services.columns import COLUMNS, EXTRA_PREFIX, STANDARD_COLUMNS
from cds_desktop.services.errors import ServiceError
from cds_desktop.services.target_display import display_target
from cds_desktop.vocabulary import SECTION_INDICATORS, SECTION_TASKS

if TYPE_CHECKING:  # the light report path reads plain rows with the same fields, without SQLAlchemy
    from cds_desktop.models import Item, Plan


@dataclass(frozen=True)
class ColumnKind:
    weight: float
    align: Align
    min_mm: float = 0.0


# Width and alignment of every column of services.columns.COLUMNS.
COLUMN_KINDS: dict[str, ColumnKind] = {
    "number": ColumnKind(0.0, "center", 12.0),
    "local_number": ColumnKind(0.0, "center", 13.0),
    "content": ColumnKind(5.0, "left", 40.0),
    "target": ColumnKind(1.3, "center", 18.0),
    "guiding_agency": ColumnKind(1.6, "center", 20.0),
    "lead": ColumnKind(1.7, "center", 20.0),
    "coordinating": ColumnKind(1.7, "center", 20.0),
    "leader": ColumnKind(1.4, "center", 18.0),
    "deadline": ColumnKind(1.3, "center", 18.0),
    "expected_result": ColumnKind(2.6, "left", 25.0),
    "output_product": ColumnKind(2.1, "left", 22.0),
    "basis": ColumnKind(1.7, "left", 20.0),
    "note": ColumnKind(1.1, "left", 15.0),
}
EXTRA_KIND = ColumnKind(1.3, "left", 15.0)  # "extra:<header>" columns the model had no place for

STANDARD_HEADERS: dict[str, dict[str, str]] = {
    section: {key: spec.header(section) for key, spec in COLUMNS.items()}
    for section in (SECTION_INDICATORS, SECTION_TASKS)
}


def _target(item: Item, names: CellContext) -> str:
    return display_target(item, as_written=names.unit_column)


class CellContext:
    """What cell readers may need besides the item: unit and leader names by id."""

    def __init__(self, lead_names: dict[int, list[str]] | None = None,
                 coordinating_names: dict[int, list[str]] | None = None,
                 leader_names: dict[int, str] | None = None) -> None:
        self.lead_names = lead_names or {}
        self.coordinating_names = coordinating_names or {}
        self.leader_names = leader_names or {}
        self.unit_column = False  # the plan's own "Đơn vị tính" column is printed: targets as written


def _units(text: str, names: list[str] | None) -> str:
    """The cell as the plan wrote it; the assigned units when the plan wrote nothing."""
    return text or "; ".join(names or [])


Reader = Callable[["Item", CellContext], str]
# Cells that are more than their field as written; every other column prints its field (services.columns).
READERS: dict[str, Reader] = {
    "target": _target,
    "lead": lambda i, c: _units(i.lead_text, c.lead_names.get(i.id)),
    "coordinating": lambda i, c: _units(i.coordinating_text, c.coordinating_names.get(i.id)),
    "leader": lambda i, c: i.leader_text or c.leader_names.get(i.leader_id or -1, ""),
}


def read_cell(key: str, item: Item, ctx: CellContext) -> str:
    if key.startswith(EXTRA_PREFIX):
        return str((item.extra or {}).get(key[len(EXTRA_PREFIX):], ""))
    reader = READERS.get(key)
    if reader is not None:
        return reader(item, ctx)
    return getattr(item, COLUMNS[key].fields[0]) or ""


def _own_columns(plan: Plan, section: str) -> list[tuple[str, str, str]]:
    """The plan's own (key, header, upper header) triples for *section*; [] when it has none."""
    spec = (plan.appendices or {}).get(section) or {}
    out = []
    for col in spec.get("columns") or []:
        key = str(col.get("key", ""))
        if key == "extra" and col.get("header"):  # a column the model has no field for: item.extra[header]
            key = EXTRA_PREFIX + str(col["header"])
        if key in COLUMNS or key.startswith(EXTRA_PREFIX):
            header = str(col.get("header") or STANDARD_HEADERS[section].get(key, key))
            out.append((key, header, str(col.get("parent") or "")))
    return out


def plan_columns(plan: Plan, section: str) -> list[tuple[str, str]]:
    """The plan's own (key, header) list for *section*; [] when it has none."""
    return [(key, header) for key, header, _ in _own_columns(plan, section)]


def plan_parents(plan: Plan, section: str) -> dict[str, str]:
    """The upper header cell of the plan's two-row header over each column key that had one."""
    return {key: parent for key, _, parent in _own_columns(plan, section) if parent}


def available_columns(plan: Plan | None, section: str) -> list[tuple[str, str]]:
    """Every column the officer may choose, with the header it would print."""
    own = dict(plan_columns(plan, section)) if plan is not None else {}
    keys = [k for k in COLUMNS if k != "local_number"]
    keys += [k for k in own if k.startswith(EXTRA_PREFIX)]
    return [(k, own.get(k) or STANDARD_HEADERS[section].get(k, k)) for k in keys]


def default_column_keys(plan: Plan | None, section: str) -> list[str]:
    own = plan_columns(plan, section) if plan is not None else []
    return [k for k, _ in own] if own else list(STANDARD_COLUMNS[section])


def resolve_columns(plan: Plan, section: str, keys: list[str] | None, two_level: bool) -> list[Column]:
    """Column specs for the chosen *keys* (None: the plan's own set).

    The numbering and content columns are always present.  With two-level
    numbering (running number differs from the number within the group) a
    "Chi tiết" column follows the running number, as in the Phù Đổng plan.
    """
    own = dict(plan_columns(plan, section))
    parents = plan_parents(plan, section)
    chosen = list(keys) if keys else default_column_keys(plan, section)
    unknown = [k for k in chosen if k not in COLUMNS and not (k.startswith(EXTRA_PREFIX) and k in own)]
    if unknown:
        raise ServiceError(
            "Cột không hợp lệ: " + ", ".join(unknown) + ". Các cột: " + ", ".join(COLUMNS)
        )
    chosen = list(dict.fromkeys(chosen))  # no duplicates, order kept
    if "content" not in chosen:
        chosen.insert(0, "content")
    if "number" not in chosen:
        chosen.insert(0, "number")
    if two_level and "local_number" not in chosen:
        chosen.insert(chosen.index("number") + 1, "local_number")
    if not two_level and "local_number" in chosen and "local_number" not in own:
        chosen.remove("local_number")
    columns = []
    for key in chosen:
        kind = EXTRA_KIND if key.startswith(EXTRA_PREFIX) else COLUMN_KINDS[key]
        header = own.get(key) or STANDARD_HEADERS[section].get(key) or key.removeprefix(EXTRA_PREFIX)
        if key == "number" and two_level and "local_number" not in own and "/" in header:
            header = header.split("/")[0].strip() or "STT"  # "STT/chi tiết" split into two columns
        columns.append(Column(key=key, header=header, weight=kind.weight, align=kind.align, min_mm=kind.min_mm,
                              parent=parents.get(key, "")))
    return columns

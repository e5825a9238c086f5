"""One table row read into an item's values: content, target, units, leader and deadline as written,
the units and people in them sorted out (a person's name or a fragment of one is never a unit), and
the flags that tell the officer what was guessed.  Used by :mod:`cds_desktop.importers.build`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from cds_desktop.importers.people import area_of_heads, parse_leaders, people_in_units
from cds_desktop.importers.roles import chair_by_title, marked_roles
from cds_desktop.importers.rows import Entry
from cds_desktop.importers.units import split_units

if TYPE_CHECKING:
    from cds_desktop.importers.build import Analysis


def _units(analysis: Analysis, names: list[str]) -> list[str]:
    keys: list[str] = []
    for name in names:
        key = analysis.book.add(name)
        if key not in keys:
            keys.append(key)
    return keys


def item_values(analysis: Analysis, entry: Entry, kind: str, group: str | None, known: set[str]) -> dict[str, Any]:
    v = entry.values
    lead_lines, coord_lines = entry.unit_lines.get("lead", ""), entry.unit_lines.get("coordinating", "")
    match = re.search(r"(?i)\bphối hợp\s*:", lead_lines)
    if match:  # one "Đơn vị thực hiện" cell: "Chủ trì: A; Phối hợp: B"
        coord_lines = "\n".join(x for x in (lead_lines[match.end():], coord_lines) if x.strip())
        lead_lines = lead_lines[:match.start()]
    leaders = parse_leaders(v.get("leader", "")) if v.get("leader") else []
    chair = chair_by_title(analysis.front, v.get("leader", "")) if v.get("leader") and not leaders else None
    lead_names, coord_names = marked_roles(split_units(lead_lines), split_units(coord_lines))
    written_leaders = [p.name for p in leaders]
    found, leaders, flags = people_in_units(
        {"lead": lead_names, "coordinating": coord_names}, leaders, known,
        {"lead": "Đơn vị chủ trì", "coordinating": "Đơn vị phối hợp"})
    if chair is not None and not leaders:
        leaders = [chair]
        flags.append(f"Ô «Lãnh đạo chỉ đạo» chỉ ghi chức danh («{v['leader']}»): đã hiểu là {chair.name}, người ký "
                     "kế hoạch; hãy kiểm tra.")
    elif v.get("leader") and not leaders:
        flags.append(f"Ô «Lãnh đạo chỉ đạo» ghi «{v['leader'][:80]}», không có tên người: chưa gán lãnh đạo cho dòng "
                     "này; hãy kiểm tra.")
    if flags:  # shown on the row in the preview, with what the cells were read as
        entry.warnings.extend(f for f in flags if f not in entry.warnings)
        entry.reading = {"Lãnh đạo": ", ".join(p.name for p in leaders), "Chủ trì": "; ".join(found["lead"]),
                         "Phối hợp": "; ".join(found["coordinating"])}
    texts = _repaired_texts(v, {"lead": lead_names, "coordinating": coord_names}, found, written_leaders, leaders)
    target, expected = v.get("target", ""), v.get("expected_result", "")
    if kind == "indicator" and not target and expected:  # one "Kết quả cần đạt" column for tasks and indicators:
        target, expected = expected, ""  # an indicator's result to reach is its target
    return {
        "kind": kind,
        "group": group,
        "number": entry.number,
        "local_number": entry.local_number,
        "content": v.get("content", ""),
        "target_text": target,
        "guiding_agency": v.get("guiding_agency", ""),
        "lead": _units(analysis, found["lead"]),
        "lead_text": texts["lead"],
        "coordinating": _units(analysis, found["coordinating"]),
        "coordinating_text": texts["coordinating"],
        "leader": leaders[0].name if leaders else "",
        "leader_text": texts["leader"],
        "_leaders": leaders,
        "_person_flags": flags,
        "deadline_text": v.get("deadline", ""),
        "basis": v.get("basis", ""),
        "note": v.get("note", ""),
        "expected_result": expected,
        "output_product": v.get("output_product", ""),
        "extra": dict(entry.extra),
    }


def _repaired_texts(values: dict[str, str], read: dict[str, list[str]], found: dict[str, list[str]],
                    written_leaders: list[str], leaders: list) -> dict[str, str]:
    """The unit and leader cells as the plan is printed back: as written, unless a converter damaged them and
    the reader repaired the row (a middle name pushed into the unit cell, a leader cell shifted into the units):
    then the repaired units, and the leader's name put back whole."""
    texts = {key: values.get(key, "") for key in ("lead", "coordinating", "leader")}
    for role in ("lead", "coordinating"):  # ("Trưởng các thôn" read as "Các thôn" is no damage: kept as written)
        if found.get(role, []) != [area_of_heads(name) or name for name in read.get(role, [])]:
            texts[role] = "; ".join(found.get(role, []))
    for old, person in zip(written_leaders, leaders, strict=False):
        if old and person.name != old and old in texts["leader"]:
            texts["leader"] = texts["leader"].replace(old, person.name, 1)
    return texts

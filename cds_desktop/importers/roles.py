"""Who does what in a row: the units that lead and coordinate, and the leader.

- one cell for both roles, marked "(chủ trì)" / "(phối hợp)";
- a leader cell naming only the chairman's position ("Chủ tịch UBND xã"): the chairman who signed the plan;
- the people the document names whole: the catalogue :func:`cds_desktop.importers.people.people_in_units`
  uses to put back names a converter split across cells.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from cds_desktop.importers.frontmatter import FrontMatter, position_title
from cds_desktop.importers.people import PersonInfo, parse_leaders
from cds_desktop.importers.rows import Entry
from cds_desktop.text import fold

ROLE_MARK = re.compile(r"(?i)\s*\((chủ trì|phối hợp)\)\s*$")


def marked_roles(lead: list[str], coordinating: list[str]) -> tuple[list[str], list[str]]:
    """One cell for both roles: "Văn phòng HĐND-UBND (chủ trì); Công an xã, các thôn (phối hợp)".  When a unit is
    marked as the one leading, the unmarked others in the cell coordinate."""
    marks = [(name, (ROLE_MARK.search(name).group(1).lower() if ROLE_MARK.search(name) else "")) for name in lead]
    if not any(mark for _, mark in marks):
        return lead, coordinating
    leading = any(mark == "chủ trì" for _, mark in marks)
    out_lead = [ROLE_MARK.sub("", n) for n, mark in marks if mark == "chủ trì" or (not mark and not leading)]
    out_coord = [ROLE_MARK.sub("", n) for n, mark in marks if mark == "phối hợp" or (not mark and leading)]
    return out_lead, out_coord + [c for c in coordinating if c not in out_coord]


def chair_by_title(front: FrontMatter, cell: str) -> PersonInfo | None:
    """"Chủ tịch UBND xã" in a leader cell: the chairman who signed the plan (not a vice-chairman)."""
    if not front.signer or fold(front.position.split("\n")[-1]) != "chu tich":
        return None
    if not re.fullmatch(r"(d/c |d\.c |dong chi )?(chu tich|ct)( (ubnd|uy ban nhan dan)( (xa|phuong)( [a-z ]{2,30})?)?)?",
                        fold(cell).strip(" .;")):
        return None
    return PersonInfo(front.signer, position_title(front.position, front.commune_kind, front.authority))


def known_people(front: FrontMatter, tables: Iterable[list[Entry]]) -> set[str]:
    """Names of the people the document names whole (signature, contacts, leader cells): the catalogue that
    puts back names a converter split across cells."""
    names = {front.signer} if front.signer else set()
    names |= {c.name for c in front.contacts}
    for entries in tables:
        for entry in entries:
            if entry.kind == "item" and entry.values.get("leader"):
                names |= {p.name for p in parse_leaders(entry.values["leader"])}
    return {n for n in names if len(n.split()) >= 2}

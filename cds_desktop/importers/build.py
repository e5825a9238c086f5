"""From a read document to a ``cds-plan-draft/1`` dict, with warnings for the officer.

:func:`analyse` reads a :class:`Document` once; :func:`rebuild` turns the
analysis (with whatever the officer changed in the preview: a column's
meaning, excluded or merged rows, fixed cells, merged units, the plan's data)
into the draft and the warnings.  Warnings are ``{"table", "row", "message"}``
with the detected table's number and the source row (line of a text file, row
of a sheet or of a Word table).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from cds_desktop.importers import rows as rowmod
from cds_desktop.importers.document import Document
from cds_desktop.importers.frontmatter import (
    Appendix,
    FrontMatter,
    position_title,
    read_appendix,
    read_front_matter,
)
from cds_desktop.importers.people import PersonInfo
from cds_desktop.importers.roles import known_people
from cds_desktop.importers.row_values import item_values
from cds_desktop.importers.rows import Entry
from cds_desktop.importers.tables import DetectedTable, Layout, segment
from cds_desktop.importers.template import UNIT_PLAN, read_unit_template
from cds_desktop.importers.units import UnitBook, match_key
from cds_desktop.services.plan_draft import DRAFT_FORMAT
from cds_desktop.services.plans import path_label
from cds_desktop.text import fold

SECTION_KIND = {"indicators": "indicator", "tasks": "task"}
KEY_PREFIX = {"indicators": "ind-", "tasks": "task-"}
_SECTION_WORD = {"indicators": "chỉ tiêu", "tasks": "nhiệm vụ"}


@dataclass
class Analysis:
    """Everything the importer understood, and what the officer changed."""

    layout: Layout
    front: FrontMatter = field(default_factory=FrontMatter)
    book: UnitBook = field(default_factory=UnitBook)
    entries: dict[int, list[Entry]] = field(default_factory=dict)
    appendices: dict[int, Appendix] = field(default_factory=dict)
    meta_overrides: dict[str, Any] = field(default_factory=dict)  # officer: plan fields, commune, year
    unit_merges: dict[str, str] = field(default_factory=dict)  # officer: unit key -> key it joins
    draft: dict[str, Any] = field(default_factory=dict)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    item_rows: list[tuple[int, int]] = field(default_factory=list)  # draft item -> (table, first row ref)
    item_flags: list[list[str]] = field(default_factory=list)  # draft item -> what the reader was unsure of
    group_refs: dict[str, tuple[int, int]] = field(default_factory=dict)  # group key -> (table, row ref)
    unit_keys: list[str] = field(default_factory=list)  # key of each draft unit, in order
    stated: set[str] = field(default_factory=set)  # plan fields the document states (not defaults)

    @property
    def name(self) -> str:
        return self.layout.name

    @property
    def tables(self) -> list[DetectedTable]:
        return self.layout.tables

    def counts(self) -> dict[str, int]:
        items = self.draft.get("items", [])
        return {kind: sum(1 for i in items if i["kind"] == kind) for kind in ("indicator", "task")}


def analyse(doc: Document) -> Analysis:
    """Read the document's tables and text; build the draft."""
    return rebuild(Analysis(layout=segment(doc)))


def _totals_after_tables(analysis: Analysis) -> None:
    """A "Tổng cộng: 27 chỉ tiêu" line right under a table declares the table's total."""
    segments = analysis.layout.segments
    for i, table in enumerate(segments):
        if not isinstance(table, DetectedTable) or table.declared_total is not None:
            continue
        following = next((s for s in segments[i + 1:] if not isinstance(s, str) or s.strip()), None)
        if isinstance(following, str):
            match = re.match(r"(?i)^\W*(tổng cộng|tổng số|tổng|cộng)\b\D{0,30}?(\d{1,3})\s*(chỉ tiêu|nhiệm vụ)", following)
            if match:
                table.declared_total = int(match.group(2))


def _warn(analysis: Analysis, table: int | None, row: int | None, message: str) -> None:
    analysis.warnings.append({"table": table, "row": row, "message": message})


def rebuild(analysis: Analysis) -> Analysis:
    """(Re)compute the draft and the warnings from the tables as they now stand."""
    analysis.warnings = []
    analysis.front = read_front_matter(analysis.layout)
    for note in analysis.layout.notes:
        _warn(analysis, None, None, note)
    front = analysis.front
    commune = analysis.meta_overrides.get("commune") or front.commune
    commune_kind = analysis.meta_overrides.get("commune_kind") or front.commune_kind
    analysis.book = UnitBook(commune=commune, commune_kind=commune_kind)
    analysis.entries, analysis.appendices = {}, {}
    for table in analysis.tables:
        if table.kind in SECTION_KIND:
            analysis.entries[table.number] = rowmod.interpret(table)
            analysis.appendices[table.number] = read_appendix(table)
            if table.kind_unsure and not table.kind_locked and not _section_switches(analysis, table):
                _warn(analysis, table.number, table.header_rows[0].ref if table.header_rows else None,
                      f"Không rõ bảng này là bảng chỉ tiêu hay nhiệm vụ: đã đọc là {table.kind_label.lower()}; "
                      "hãy kiểm tra (có thể đổi loại bảng).")
            for column in table.columns:
                if column.inferred and column.score < 100:  # (100: the officer chose)
                    _warn(analysis, table.number, table.header_rows[0].ref if table.header_rows else None,
                          f"Cột {column.index + 1} «{column.header or '(không tiêu đề)'}» được hiểu là "
                          f"«{column.label}» vì {column.inferred}.")
        else:
            for row in table.rows:
                row.role = "skip"
            _warn(analysis, table.number, table.rows[0].ref if table.rows else None,
                  f"Bảng «{table.header_text[:60]}» là {table.kind_label.lower()}.")
    _totals_after_tables(analysis)
    groups, items = _groups_and_items(analysis)
    for key, into in analysis.unit_merges.items():
        analysis.book.merge(key, into)
    people = _people(analysis, items)
    analysis.unit_keys = _used_units(analysis, items)
    analysis.draft = {
        "format": DRAFT_FORMAT,
        "source": analysis.name,
        "commune": {"name": commune, "kind": analysis.meta_overrides.get("commune_kind") or front.commune_kind,
                    "city": "Hà Nội"},
        "plan": _plan(analysis, people),
        "units": [analysis.book.spec(k) for k in analysis.unit_keys],
        "people": people,
        "groups": groups,
        "items": [_finish_item(analysis, item) for item in items],
    }
    _check_totals(analysis)
    _check_front(analysis)
    return analysis


def _groups_and_items(analysis: Analysis) -> tuple[list[dict], list[dict]]:
    groups: dict[str, dict] = {}
    items: list[dict] = []
    analysis.item_rows, analysis.item_flags = [], []
    known = known_people(analysis.front, analysis.entries.values())
    for table in analysis.tables:
        if table.kind not in SECTION_KIND:
            continue
        section = table.kind
        stack: list[tuple[int, dict]] = []
        top_rank: int | None = None
        for entry in analysis.entries[table.number]:
            if entry.kind == "group":
                if not entry.label:  # a title without a label: one level below the last labelled group
                    labelled = [rank for rank, g in stack if g["label"]]
                    entry.rank = labelled[-1] + 1 if labelled else 1
                top_rank = entry.rank if top_rank is None else min(top_rank, entry.rank)
                if entry.rank <= top_rank:
                    section = rowmod.section_switch(entry.title) or section
                    stack = []
                while stack and stack[-1][0] >= entry.rank:
                    stack.pop()
                parent = stack[-1][1] if stack else None
                path = ([parent["path"]] if parent else []) + [path_label(entry.label, entry.title)]
                key = KEY_PREFIX[section] + "/".join(path)
                group = groups.get(key)
                if group is None:
                    group = {"key": key, "section": section, "label": entry.label, "title": entry.title,
                             "parent": parent["key"] if parent else None, "note": entry.note,
                             "declared_count": entry.declared, "path": "/".join(path),
                             "_ref": (table.number, entry.ref)}
                    groups[key] = group
                elif entry.note and entry.note not in group["note"]:
                    group["note"] = f"{group['note']} {entry.note}".strip()
                stack.append((entry.rank, group))
                continue
            for message in entry.warnings:
                _warn(analysis, table.number, entry.ref, message)
            if not entry.values.get("content"):
                continue
            item = item_values(analysis, entry, SECTION_KIND[section], stack[-1][1]["key"] if stack else None, known)
            item["_ref"] = (table.number, entry.ref)
            for message in item["_person_flags"]:
                _warn(analysis, table.number, entry.ref, message)
            item["_flags"] = list(dict.fromkeys(entry.warnings + [w for r in entry.rows for w in r.warnings]
                                                + item["_person_flags"]))
            items.append(item)
        for row in table.rows:
            for message in row.warnings:
                _warn(analysis, table.number, row.ref, message)
    ordered = [{k: v for k, v in g.items() if not k.startswith("_") and k != "path"} for g in groups.values()]
    analysis.group_refs = {g["key"]: g["_ref"] for g in groups.values()}
    return ordered, items


def _used_units(analysis: Analysis, items: list[dict]) -> list[str]:
    keys: list[str] = []
    for item in items:
        for key in item["lead"] + item["coordinating"]:
            key = analysis.book.resolve(key)
            if key not in keys:
                keys.append(key)
    return keys


def _finish_item(analysis: Analysis, item: dict) -> dict:
    out = {k: v for k, v in item.items() if not k.startswith("_")}
    for role in ("lead", "coordinating"):
        names = [analysis.book.name(k) for k in item[role]]
        out[role] = list(dict.fromkeys(names))
    analysis.item_rows.append(item["_ref"])
    analysis.item_flags.append(item["_flags"])
    return out


def _person_unit(analysis: Analysis, title: str, used: set[str]) -> str | None:
    for match in re.finditer(r"(Văn phòng|Phòng|phòng|Công an|Trạm|Trung tâm)\s[^(,;]+", title):
        text = match.group(0)
        text = re.sub(r"^phòng", "Phòng", re.sub(r"^(Trưởng|Phó trưởng)\s+", "", text))
        key = analysis.book.resolve(match_key(text, analysis.book.commune))
        if key in used:
            return analysis.book.name(key)
    return None


def _people(analysis: Analysis, items: list[dict]) -> list[dict]:
    front = analysis.front
    used = set(_used_units(analysis, items))
    found: dict[str, dict] = {}

    def add(person: PersonInfo) -> None:
        key = fold(person.name)
        entry = found.setdefault(key, {"name": person.name, "title": "", "phone": "", "unit": None})
        entry["title"] = entry["title"] or person.title
        entry["phone"] = entry["phone"] or person.phone
        entry["unit"] = entry["unit"] or _person_unit(analysis, person.title, used)

    if front.signer:
        add(PersonInfo(front.signer, position_title(front.position or "CHỦ TỊCH", front.commune_kind, front.authority)))
    for contact in front.contacts:
        add(contact)
    for item in items:
        for person in item["_leaders"]:
            add(person)
    return list(found.values())


def _columns(table: DetectedTable) -> list[dict]:
    return [{"key": c.field, "header": c.header, **({"parent": c.parent} if c.parent else {})}
            for c in table.columns if c.field not in ("ignore", "group") and c.part_of is None]


def _section_switches(analysis: Analysis, table: DetectedTable) -> set[str]:
    """The sections the table's part headings switch to («A. CHỈ TIÊU», «B. NHIỆM VỤ»)."""
    return {s for e in analysis.entries[table.number] if e.kind == "group" and (s := rowmod.section_switch(e.title))}


def _sections_within(analysis: Analysis, table: DetectedTable) -> set[str]:
    """The sections a table's part headings switch to besides its own kind."""
    return {s for s in _section_switches(analysis, table) if s in SECTION_KIND and s != table.kind}


def _columns_for(section: str, columns: list[dict]) -> list[dict]:
    """A shared table's columns as the other section prints them: its «Kết quả cần đạt» column held
    the indicators' targets (an indicator has no expected result, see items.item_values)."""
    if section != "indicators" or any(c["key"] == "target" for c in columns):
        return columns
    return [{**c, "key": "target"} if c["key"] == "expected_result" else c for c in columns]


def _plan(analysis: Analysis, people: list[dict]) -> dict[str, Any]:
    front = analysis.front
    appendices: dict[str, Any] = {}
    for table in analysis.tables:
        if table.kind in SECTION_KIND and table.kind not in appendices:
            apx = analysis.appendices[table.number]
            declared = apx.declared_total if apx.declared_total is not None else table.declared_total
            appendices[table.kind] = {"label": apx.label, "title": apx.title,
                                      "declared_total": declared, "columns": _columns(table)}
        elif table.kind == UNIT_PLAN and UNIT_PLAN not in appendices:  # the template units answer with
            appendices[UNIT_PLAN] = read_unit_template(analysis.layout, table)
    for table in analysis.tables:  # one table held both (a «A. CHỈ TIÊU» / «B. NHIỆM VỤ» part in it)
        if table.kind in SECTION_KIND:
            for other in _sections_within(analysis, table) - set(appendices):
                apx = analysis.appendices[table.number]
                appendices[other] = {"label": apx.label, "title": apx.title, "declared_total": None,
                                     "columns": _columns_for(other, _columns(table))}
    if front.issuer:  # another body than the People's Committee issued it: its header prints as written
        appendices["header"] = {"issuer": front.issuer, "national_title": front.national_title}
    contacts = [{"name": p.name, "title": p.title, "phone": p.phone,
                 "unit": next((x["unit"] for x in people if fold(x["name"]) == fold(p.name)), None)}
                for p in front.contacts]
    plan = {
        "year": front.year, "kind": front.kind or "Kế hoạch chuyển đổi số", "number": front.number,
        "issue_date": front.issue_date.isoformat() if front.issue_date else None, "place": front.place,
        "title": front.title or (f"Kế hoạch chuyển đổi số năm {front.year}" if front.year else ""),
        "authority": front.authority or "TM. ỦY BAN NHÂN DÂN", "position": front.position or "CHỦ TỊCH",
        "signer": front.signer, "recipients": front.recipients, "status": front.status,
        "report_day": front.report_day, "contacts": contacts, "appendices": appendices,
    }
    stated = {"kind": front.kind, "number": front.number, "issue_date": front.issue_date, "place": front.place, "title": front.title,
              "authority": front.authority, "position": front.position, "signer": front.signer,
              "recipients": front.recipients, "report_day": front.report_day, "contacts": contacts,
              "appendices": appendices, "status": front.status == "issued"}
    analysis.stated = {key for key, value in stated.items() if value}
    for key, value in analysis.meta_overrides.items():
        if key in plan or key == "tracking_start":  # the officer's start of tracking (preview, --track-from)
            plan[key] = value
            analysis.stated.add(key)
    return plan


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]", " ", fold(text)).split())


def _check_totals(analysis: Analysis) -> None:
    draft = analysis.draft
    refs = analysis.group_refs
    per_group: dict[str, int] = {}
    children: dict[str | None, list[str]] = {}
    for group in draft["groups"]:
        children.setdefault(group["parent"], []).append(group["key"])
    for item in draft["items"]:
        per_group[item["group"]] = per_group.get(item["group"], 0) + 1

    def subtree(key: str) -> int:
        return per_group.get(key, 0) + sum(subtree(k) for k in children.get(key, []))

    for table in analysis.tables:
        apx = analysis.appendices.get(table.number)
        if apx is None:
            continue
        section_groups = [g for g in draft["groups"] if g["section"] == table.kind]
        for name, count in apx.declared_groups:
            match = next((g for g in section_groups if _norm(g["title"]) == _norm(name)), None) or next(
                (g for g in section_groups if _norm(name) and (_norm(name) in _norm(g["title"])
                                                               or _norm(g["title"]) in _norm(name))), None)
            if match is None:
                _warn(analysis, table.number, None, f"Văn bản nêu nhóm «{name}» ({count} {_SECTION_WORD[table.kind]}) "
                      "nhưng không tìm thấy nhóm này trong bảng.")
            elif match["declared_count"] is None:
                match["declared_count"] = count
    for group in draft["groups"]:
        declared = group["declared_count"]
        found = subtree(group["key"])
        if declared is not None and declared != found:
            table_no, ref = refs.get(group["key"], (None, None))
            word = _SECTION_WORD[group["section"]]
            _warn(analysis, table_no, ref, f"Nhóm «{group['label']}. {group['title']}» ghi {declared} {word} "
                  f"nhưng đọc được {found} {word}.")
    done: set[str] = set()
    for table in analysis.tables:
        apx = analysis.appendices.get(table.number)
        declared = apx.declared_total if apx is not None and apx.declared_total is not None else table.declared_total
        if apx is None or declared is None or table.kind in done:
            continue
        done.add(table.kind)
        found = sum(1 for i in draft["items"] if i["kind"] == SECTION_KIND[table.kind])
        if found != declared:
            word = _SECTION_WORD[table.kind]
            _warn(analysis, table.number, None, f"Văn bản ghi tổng số {declared} {word} nhưng đọc được {found} {word}.")


def _check_front(analysis: Analysis) -> None:
    plan, commune = analysis.draft["plan"], analysis.draft["commune"]
    if not any(t.kind in SECTION_KIND for t in analysis.tables):
        _warn(analysis, None, None, "Không tìm thấy bảng chỉ tiêu hay nhiệm vụ nào.")
    if not commune["name"]:
        _warn(analysis, None, None, "Không xác định được tên xã/phường của kế hoạch.")
    if not plan["year"]:
        _warn(analysis, None, None, "Không xác định được năm của kế hoạch.")
    if not plan["number"] or not plan["issue_date"]:
        _warn(analysis, None, None, "Văn bản chưa có số hoặc ngày ban hành: kế hoạch được nhập ở trạng thái dự thảo.")

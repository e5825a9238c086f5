"""Reading the rows of a detected table: items, group rows, notes, continuations, damage.

- group rows: ``A``, ``B``, ``I``, ``II``, ``I.1``, "I. Chính quyền số", "II.
  Kinh tế số (05 chỉ tiêu)", a roman numeral alone on its row, and numbered
  rows ``1`` followed by ``1.1``, ``1.2`` that carry no unit;
- note rows ("Theo Kế hoạch ... không có chỉ tiêu đối với cấp xã") become
  the group's note;
- continuation rows (empty numbering, carrying on the row above after a page
  break or a wrap) are joined into the row they continue;
- header rows repeated at page breaks, column-number rows and separators are
  dropped; rows that look damaged are flagged.

:func:`interpret` sets each :class:`TableRow`'s role and returns the entries
(groups and items) in document order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cds_desktop.importers import headers, people, units
from cds_desktop.importers.document import RawRow
from cds_desktop.importers.groups import ITEM_NUMBER, find_numbered_groups, find_unlabelled_groups
from cds_desktop.importers.tables import DetectedTable, TableRow, is_placeholder
from cds_desktop.text import clean_text, fold

ITEM_FIELDS = (
    "content", "target", "guiding_agency", "lead", "coordinating", "leader", "deadline", "basis", "note",
    "expected_result", "output_product",
)
UNIT_FIELDS = ("lead", "coordinating")
FILL_DOWN = set(ITEM_FIELDS) - {"content"}

_ROMAN = r"(?=[IVXL])L?X{0,3}(?:IX|IV|V?I{0,3})"
_LABEL = re.compile(
    rf"^(?:(?:[Pp]hần|PHẦN|[Nn]hóm|NHÓM|[Mm]ục|MỤC)\s+(?P<word_label>\d{{1,2}}|{_ROMAN}|[A-H])(?=[\s.:)\-–]|$)|"
    rf"(?P<label>{_ROMAN}(?:\.\d{{1,2}}){{0,2}}|[A-H](?:\.(?:{_ROMAN}|\d{{1,2}}))?))"
    rf"(?P<sep>\s*[.:)\-–]\s*|\s+|$)(?P<rest>.*)$",
    re.S,
)
_DECLARED = re.compile(r"\s*[(\[]\s*(\d{1,3})\s*(chỉ tiêu|nhiệm vụ|nội dung|mục|CHỈ TIÊU|NHIỆM VỤ)\s*[)\]]\s*")
_NOTE_LIKE = re.compile(r"(?i)không có chỉ tiêu|không giao chỉ tiêu|^\(?\s*(ghi chú|lưu ý)\b|^\s*<i>")
_SEPARATOR = re.compile(r"^[-=_:.|+*\s]+$")
_TOTAL = re.compile(r"(?i)^(tổng cộng|tổng số|tổng|cộng)\b")


@dataclass
class Entry:
    """A group or an item read from one or more rows."""

    kind: str  # "group" | "item"
    rows: list[TableRow]
    label: str = ""
    title: str = ""
    note: str = ""
    rank: int = 0
    declared: int | None = None
    number: str = ""
    local_number: str = ""
    values: dict[str, str] = field(default_factory=dict)
    unit_lines: dict[str, str] = field(default_factory=dict)  # lead/coordinating with line breaks kept
    extra: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    reading: dict[str, str] = field(default_factory=dict)  # what a flagged cell was read as (for the preview)

    @property
    def ref(self) -> int:
        return self.rows[0].ref if self.rows else 0


def group_rank(label: str) -> int:
    if re.fullmatch(r"[A-H]", label):
        return 0
    if re.fullmatch(r"[A-H]\..+", label):
        return 1
    if re.fullmatch(r"\d+(\.\d+)*", label):
        return 4 + label.count(".")
    return 1 + label.count(".")


def split_declared(title: str) -> tuple[str, int | None]:
    """"Kinh tế số (05 chỉ tiêu)" -> ("Kinh tế số", 5)."""
    match = _DECLARED.search(title)
    if not match:
        match = re.search(r"\s*[:\-–]\s*(\d{1,3})\s*(chỉ tiêu|nhiệm vụ)\s*$", title)
    if not match:
        return title, None
    return (title[:match.start()] + " " + title[match.end():]).strip(" :-–"), int(match.group(1))


def _clean_number(text: str) -> str:
    return clean_text(text).rstrip(".").strip()


def _group(values: list[str], label_cols: list[int], content: int) -> tuple[str, str, str] | None:
    """``(label, title, note)`` when the row is a group row."""
    numbering = [i for i in label_cols if values[i]]
    candidates = sorted(i for i in [*label_cols, content] if values[i])
    if not candidates:
        return None
    first = candidates[0]
    match = _LABEL.match(values[first])
    if not match:
        return None
    rest = match.group("rest").strip()
    others = [i for i, v in enumerate(values) if v and i != first]
    if first == content and (numbering or not rest) and not (
            not numbering and not rest and len(others) == 1 and others[0] > content):
        return None  # (a numeral alone in the content column with its title in the next column is a group)
    if rest and match.group("sep").strip() == "" and match.group("sep") and not rest[0].isupper():
        return None
    if any(ITEM_NUMBER.match(values[i]) for i in numbering if i != first):
        return None
    title = rest
    if not title and others:
        title, others = values[others[0]], others[1:]
    note = " ".join(values[i] for i in others)
    return match.group("label") or match.group("word_label"), title, note


def _join(parts: list[str], unit_field: bool) -> str:
    """Join a cell with its continuation: a new line when a unit cell goes on with a capital letter."""
    out = ""
    for part in parts:
        if not out:
            out = part
        elif unit_field and part[:1].isupper():
            out = f"{out}\n{part}"
        else:
            out = f"{out} {part}"
    return out


def interpret(table: DetectedTable) -> list[Entry]:
    """Set the role of every row of *table* and return its groups and items in order."""
    n_col, l_col, c_col = table.col("number"), table.col("local_number"), table.col("content")
    label_cols = [c for c in (n_col, l_col) if c is not None]
    width = len(table.columns)
    plans: list[tuple[TableRow, str, tuple]] = []
    for row in table.rows:
        row.warnings = [w for w in row.warnings if w.startswith("Dòng có nhiều ô") or w in row.notes]
        raw = [row.value(i) for i in range(width)]
        values = [clean_text(v) for v in raw]
        filled = [v for v in values if v]
        if not filled or all(_SEPARATOR.match(v) for v in filled):
            plans.append((row, "skip", ()))
            continue
        fake = RawRow(raw, row.ref)
        if headers.is_column_index_row(fake) or headers.repeats_header(fake, table.header_rows):
            plans.append((row, "header", ()))
            continue
        if c_col is None:
            plans.append((row, "skip", ()))
            continue
        group = _group(values, label_cols, c_col)
        if group is not None:
            plans.append((row, "group", group))
            continue
        number = _clean_number(values[n_col]) if n_col is not None else ""
        local = _clean_number(values[l_col]) if l_col is not None else ""
        numbered = [x for x in (number, local) if ITEM_NUMBER.match(x)]
        if not numbered and _TOTAL.match(filled[0]) and re.search(r"\d", " ".join(filled)):
            counts = re.findall(r"(\d{1,3})\s*(?:chỉ tiêu|nhiệm vụ)?", " ".join(filled))
            table.declared_total = int(counts[-1]) if counts else None
            plans.append((row, "skip", ()))
            continue
        if is_placeholder(values[c_col]):
            plans.append((row, "skip", ()))
            continue
        plans.append((row, "item" if numbered else "loose", (number, local)))
    find_numbered_groups(plans, table)
    find_unlabelled_groups(plans, table)
    items = sum(1 for _, role, _ in plans if role == "item")
    loose = sum(1 for row, role, _ in plans if role == "loose" and c_col is not None and row.value(c_col).strip())
    unnumbered = not label_cols or (loose >= 3 and items < 0.3 * (items + loose))
    return _entries(table, plans, unnumbered)


def _new_item(table: DetectedTable, row: TableRow, numbers: tuple) -> Entry:
    number, local = numbers if numbers else ("", "")
    if table.col("number") is None:
        number = local
    if table.col("local_number") is None or not local:
        local = number
    return Entry("item", [row], number=number, local_number=local)


def _entries(table: DetectedTable, plans: list[tuple[TableRow, str, tuple]], unnumbered: bool) -> list[Entry]:
    c_col = table.col("content")
    g_col = table.col("group")
    group_value = ""
    entries: list[Entry] = []
    last: Entry | None = None
    for row, role, data in plans:
        if row.excluded:
            row.role = role if role in ("skip", "header") else "excluded"
            continue
        if row.merge_up and last is not None:
            role = "continuation"
        if role in ("skip", "header"):
            row.role = role
            continue
        if role == "group_title" and last is not None and last.kind == "group":
            last.rows.append(row)
            row.role = "continuation"
            continue
        content = clean_text(row.value(c_col)) if c_col is not None else ""
        if role == "group":
            label, title, note = data
            title, declared = split_declared(clean_text(title))
            note = clean_text(note)
            only_count = _DECLARED.fullmatch(note)
            if only_count:  # "I | Chính quyền số | (02 chỉ tiêu)"
                declared, note = declared or int(only_count.group(1)), ""
            last = Entry("group", [row], label=label, title=title, note=note,
                         rank=group_rank(label), declared=declared)
            if not label and not title.isupper():
                row.warnings.append(f"Dòng chỉ có chữ «{title[:60]}», không có số thứ tự: đã hiểu là tên nhóm, "
                                    "hãy kiểm tra.")
            entries.append(last)
            row.role = "group"
            continue
        if role == "loose":
            role = _place_loose(table, row, content, last, entries, unnumbered)
            if role in ("note", "title"):
                continue
        if role == "continuation" and last is not None:
            last.rows.append(row)
            row.role = "continuation"
            continue
        in_group = clean_text(row.value(g_col)) if g_col is not None else ""
        if in_group and in_group != group_value:  # a "Lĩnh vực" column: a new value starts a group
            group_value = in_group
            match = _LABEL.match(in_group)
            label = (match.group("label") or match.group("word_label") or "") if match and match.group("rest") else ""
            title = match.group("rest").strip() if label else in_group
            title, declared = split_declared(title)
            entries.append(Entry("group", [row], label=label, title=title, rank=group_rank(label) if label else 1,
                                 declared=declared))
        last = _new_item(table, row, data if role == "item" and data else ("", ""))
        entries.append(last)
        row.role = "item"
    for entry in entries:
        if entry.kind == "item":
            _fill(table, entry, entries)
    _check_numbers(entries)
    return entries


def _place_loose(table: DetectedTable, row: TableRow, content: str, last: Entry | None,
                 entries: list[Entry], unnumbered: bool) -> str:
    """Decide what an unnumbered row is: an item, a continuation, a group's title or note."""
    starts_item = bool(content) and (content[0].isupper() or content[0].isdigit() or content[0] in "-+•")
    note_like = bool(_NOTE_LIKE.search(" ".join(row.cells)))
    if unnumbered:
        return "item" if starts_item or last is None else "continuation"
    if last is None or (last.kind == "group" and last.title and starts_item and not note_like
                        and _has_units(table, row)):
        row.warnings.append("Dòng không có số thứ tự: đã nhập như một mục riêng, hãy kiểm tra.")
        return "item"
    text = " ".join(v for v in (clean_text(c) for c in row.cells) if v)
    if last.kind == "group" and not last.title:
        last.title, last.declared = split_declared(text)
        last.rows.append(row)
        row.role = "continuation"
        return "title"
    if last.kind == "group" or note_like:
        group = _current_group(entries)
        if group is not None:
            group.note = f"{group.note} {text}".strip()
            row.role = "note"
            return "note"
    if starts_item and content[:1].isupper() and _has_units(table, row):
        row.warnings.append("Dòng không có số thứ tự, đã gộp vào dòng trên: hãy kiểm tra.")
    return "continuation"


def _has_units(table: DetectedTable, row: TableRow) -> bool:
    return any(row.value(c).strip() for c in (table.col("lead"), table.col("coordinating")) if c is not None)


def _current_group(entries: list[Entry]) -> Entry | None:
    return next((e for e in reversed(entries) if e.kind == "group"), None)


def _fill(table: DetectedTable, entry: Entry, entries: list[Entry]) -> None:
    previous = next((e for e in reversed(entries[:entries.index(entry)]) if e.kind == "item"), None)
    for column in table.columns:
        if column.part_of is not None:
            continue  # read with the column whose merged header covers it
        group = [column.index] + [c.index for c in table.columns if c.part_of == column.index]
        parts = [clean_text(" ".join(r.value(i) for i in group if r.value(i).strip()), keep_newlines=True)
                 for r in entry.rows]
        parts = [p for p in parts if p]
        name = column.field
        unit_field = name in UNIT_FIELDS
        text = _join(parts, unit_field)
        if not text and name in FILL_DOWN and column.index in entry.rows[0].vmerged and previous is not None:
            text = previous.values.get(name, "") if not unit_field else previous.unit_lines.get(name, "")
        if name in ITEM_FIELDS:
            if unit_field:
                entry.unit_lines[name] = text
            entry.values[name] = clean_text(text)
        elif name == "extra" and text:
            entry.extra[column.header or f"Cột {column.index + 1}"] = clean_text(text)
    _check_damage(table, entry)


def _check_damage(table: DetectedTable, entry: Entry) -> None:
    values = entry.values
    content = values.get("content", "")
    if not content:
        longest = max(((len(v), k) for k, v in values.items() if v), default=(0, ""))
        shifted = f" (có chữ ở cột «{_field_label(longest[1])}»: có thể các ô bị lệch cột)" if longest[0] > 30 else ""
        entry.warnings.append(f"Dòng không có nội dung{shifted}: không nhập được, hãy sửa hoặc bỏ dòng này.")
        return
    if people.looks_like_person(content):
        entry.warnings.append("Nội dung trông giống tên người: có thể các ô bị lệch cột.")
    elif units.looks_like_unit(content):
        entry.warnings.append("Nội dung trông giống tên đơn vị: có thể các ô bị lệch cột.")
    from cds_desktop.services.deadlines import parse_deadline

    lead = values.get("lead", "")
    if lead:
        deadline = parse_deadline(lead)
        if deadline.kind in ("date", "recurring") or re.search(r"(?i)\bquý\s+[IV]+|/20\d\d\b", lead):
            entry.warnings.append(f"Ô «Đơn vị chủ trì» trông giống thời hạn («{lead}»): có thể các ô bị lệch cột.")
        # people in unit cells are taken out and flagged when the units are read (people.people_in_units)
    elif table.col("lead") is not None:
        entry.warnings.append("Chưa có đơn vị chủ trì.")
    deadline_text = values.get("deadline", "")
    if deadline_text and units.looks_like_unit(deadline_text):
        entry.warnings.append(f"Ô «Thời hạn» trông giống tên đơn vị («{deadline_text}»): có thể các ô bị lệch cột.")


def _field_label(name: str) -> str:
    return headers.FIELDS.get(name, name)


def _check_numbers(entries: list[Entry]) -> None:
    """Flag repeated numbers and gaps within a group (a lost or merged row)."""
    previous: str | None = None
    seen: set[str] = set()
    for entry in entries:
        if entry.kind == "group":
            previous, seen = None, set()
            continue
        number = entry.local_number or entry.number
        if not number.isdigit():
            previous = None
            continue
        if number in seen:
            entry.warnings.append(f"Số thứ tự «{number}» lặp lại trong nhóm: hãy kiểm tra.")
        elif previous is not None and previous.isdigit() and int(number) > int(previous) + 1:
            entry.warnings.append(f"Số thứ tự nhảy từ «{previous}» sang «{number}»: có thể thiếu một dòng.")
        seen.add(number)
        previous = number


def section_switch(title: str) -> str | None:
    """A group titled "CHỈ TIÊU" / "NHIỆM VỤ" in a combined table switches what its rows are."""
    folded = fold(title)
    if re.match(r"^(cac )?(chi tieu|muc tieu)\b", folded):
        return "indicators"
    if re.match(r"^(cac )?(nhiem vu|giai phap)\b", folded):
        return "tasks"
    return None

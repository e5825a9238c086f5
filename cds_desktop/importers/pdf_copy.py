"""Tables in text copied out of a PDF viewer, rebuilt.

A viewer copies a table without tabs: the text of each cell in the order it
was drawn, one printed line per line, and cells printed on the same line
glued by a space ("1 Công khai đầy" is the number and the first line of the
content; "Các thôn Đ/c Trịnh Văn" a one-line unit cell and the first line of
the leader cell).  The header words are broken the same way ("Lãnh đạo chỉ"
/ "đạo").

Rebuilt here:

- the header: from a line starting with "STT"/"TT" to the first numbered
  line, its words cut into column names, each read as a known header
  ("Cơ quan chủ trì", "Thời gian hoàn thành"…);
- rows: a row starts at a line whose number follows the previous one (or
  starts again at 1), a group row at a line starting with a group numeral
  ("I.", "II", "A");
- cells: the words of a row are cut into one run per column, in column order
  (a column may be empty), choosing the cut that best fits what each column
  holds (a target is short and has figures, a unit starts like a unit, a
  leader names a person, a deadline reads like a date or a period) and how a
  viewer glues cells: a cell glued to the next on the same line is one line
  long, a cell followed by a line break is longer (cells aligned at the top).

Nothing here is tuned to one document; whatever the reading cannot settle
is left to the preview, which flags doubtful rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from cds_desktop.importers.document import RawRow, RawTable
from cds_desktop.importers.pdf_copy_cells import fit_cells
from cds_desktop.importers.pdf_copy_doubt import doubtful_cell
from cds_desktop.importers.pdf_copy_rows import BREAK_NOTE, read_row
from cds_desktop.text import fold

_HEADER_START = re.compile(r"^(s\.?\s?tt|tt|so tt|so thu tu|thu tu)\b")
_GROUP = re.compile(r"^([IVX]{1,5}|[A-H])(?:[.)]\s*|\s+)(?=\S)|^([IVX]{1,5}|[A-H])[.)]?$")
_INT = re.compile(r"^\d{1,3}\.?$")
_DECIMAL = re.compile(r"^(\d{1,2})\.(\d{1,2})\.?$")  # "1.1": a row numbered within the numbered group "1"
_SUB_ITEM = re.compile(r"^([a-h])\)$")  # "a)", "b)": the sub-items of the numbered row above
_PAGE_MARK = re.compile(r"^(trang\s+|-\s*)?(\d{1,3})(\s*/\s*\d{1,3}|\s*-)?$")
_STOP = re.compile(r"^(phu luc|noi nhan|tm\.|kt\.|t/m|\(kem theo)\b")
_NUMBER_FIELDS = {"number", "local_number", "number+local"}
_MERGED = {"lead", "leader"}

_PARENT = re.compile(r"^(don vi|co quan|bo phan|phong|to chuc)? ?(thuc hien|phu trach|trien khai)$")
_SUB = re.compile(r"^(chu tri|phoi hop|don vi chu tri|don vi phoi hop)$")


@dataclass
class _Column:
    header: str
    field: str


@lru_cache(maxsize=2048)
def _score(text: str) -> tuple[str, int]:
    from cds_desktop.importers.headers import score_header
    from cds_desktop.services.measure_units import UNIT_HEADERS

    if fold(text).strip(" .:") in UNIT_HEADERS:  # "Đơn vị tính": a column of its own, kept as an extra
        return "measure", 9
    return score_header(text)


def _is_header_start(line: str) -> bool:
    return bool(_HEADER_START.match(fold(line)))


def _row_start(line: str) -> bool:
    words = line.split()
    return bool(words) and (bool(_INT.match(words[0])) or bool(_GROUP.match(line)))


def _first_row(line: str) -> bool:
    """The first row under a header: numbered 1, or the first group ("I", "A")."""
    words = line.split()
    if not words:
        return False
    if _INT.match(words[0]):
        return words[0].rstrip(".") in ("1", "01")
    group = _GROUP.match(line)
    return bool(group) and (group.group(1) or group.group(2)) in ("I", "A")


def _sub_columns(columns: list[_Column]) -> list[_Column]:
    """A two-row header copied out: "Đơn vị thực hiện" over "Chủ trì | Phối hợp" comes out as the whole
    first row, then "Chủ trì Phối hợp"; the sub-columns take the place of the column above them."""
    parent = next((k for k, c in enumerate(columns)
                   if _PARENT.match(fold(c.header)) and k + 1 < len(columns)), None)
    if parent is None:
        return columns
    subs = [k for k in range(parent + 1, len(columns)) if _SUB.match(fold(columns[k].header))]
    if len(subs) < 2 or subs != list(range(subs[0], subs[0] + len(subs))) or subs[-1] != len(columns) - 1:
        return columns
    moved = [columns[k] for k in subs]
    rest = [c for k, c in enumerate(columns[:subs[0]]) if k != parent]
    return rest[:parent] + moved + rest[parent:]


def parse_header(lines: list[str], start: int) -> tuple[list[_Column], int] | None:
    """Columns named by the header beginning at *start*; also the index of the line after it."""
    end = start + 1
    while end < len(lines) and end - start < 14 and lines[end].strip() and not _first_row(lines[end]):
        end += 1
    words = " ".join(lines[start:end]).split()
    if len(words) < 3 or len(words) > 60:
        return None
    n = len(words)
    best: list[tuple[float, int]] = [(0.0, -1)] + [(-1e9, -1)] * n
    for j in range(1, n + 1):
        for i in range(max(0, j - 9), j):
            field, weight = _score(" ".join(words[i:j]))
            if weight < 5 or best[i][0] <= -1e9:
                continue
            value = best[i][0] + weight - 4
            if i and (words[i][:1].islower() or words[i][:1] == "(" or words[i][:1].isdigit()):
                continue  # a column name starts with a capital: "hợp" ends "Cơ quan phối hợp", "2026" "Chỉ tiêu năm"
            if value > best[j][0]:
                best[j] = (value, i)
    if best[n][0] <= -1e9:
        return None
    cuts: list[tuple[int, int]] = []
    j = n
    while j > 0:
        i = best[j][1]
        cuts.append((i, j))
        j = i
    cuts.reverse()
    columns: list[_Column] = []
    for i, j in cuts:
        text = " ".join(words[i:j])
        columns.append(_Column(text, _score(text)[0]))
    if len(columns) < 3 or columns[0].field not in _NUMBER_FIELDS:
        return None
    return _sub_columns(columns), end


# --- tables --------------------------------------------------------------------------------------


def _place_lone_unit(cells: list[str], fields: list[str], lead_above: str) -> bool:
    """One unit in a row with a lead and a coordinating column: it is the lead, unless the row above
    has another lead (then that lead is a merged cell running down, and this unit coordinates) and the row
    has no leader of its own (a leader printed in the row says its cells are not merged with the row above).
    True when the unit was taken as coordinating (a guess the preview should show)."""
    if "lead" not in fields or "coordinating" not in fields:
        return False
    lead, coordinating = fields.index("lead"), fields.index("coordinating")
    unit = cells[lead] or cells[coordinating]
    if not unit or (cells[lead] and cells[coordinating]):
        return False
    leader = fields.index("leader") if "leader" in fields else None
    if leader is not None and cells[leader]:
        lead_above = ""  # the row has its own leader: its cells were not merged with the row above
    if lead_above and fold(unit) != fold(lead_above):
        cells[lead], cells[coordinating] = "", unit
        return True
    cells[lead], cells[coordinating] = unit, ""
    return False


def _next_row(line: str, numbers: list[int]) -> bool:
    """*line* starts the next row: a group numeral, or the number that follows the last one (or 1 again)."""
    words = line.split()
    if not words:
        return False
    decimal = _DECIMAL.match(words[0])
    if decimal:  # "1.2" after "1.1", "2.1" after the group row "2"
        major, minor = int(decimal.group(1)), int(decimal.group(2))
        if (major == numbers[0] and minor in (numbers[1] + 1, 1)) or (major == numbers[0] + 1 and minor == 1):
            numbers[0], numbers[1] = major, minor
            return True
        return False
    sub = _SUB_ITEM.match(words[0])
    if sub and len(words) > 1 and words[1][:1].isupper() and numbers[0]:
        letter = ord(sub.group(1)) - ord("a") + 1  # "a)" under a numbered row, then "b)", "c)"…
        if letter in (numbers[2] + 1, 1):
            numbers[2] = letter
            return True
        return False
    if not _INT.match(words[0]):
        if _GROUP.match(line):
            numbers[1] = numbers[2] = 0
            return True
        return False
    value = int(words[0].rstrip("."))
    local = int(words[1].rstrip(".")) if len(words) > 1 and _INT.match(words[1]) else None
    after = words[2 if local is not None else 1] if len(words) > (2 if local is not None else 1) else ""
    if after[:1].islower() or after[:1] == "%":
        return False  # "5 thôn", "5 %": a figure of the row above (a baseline, a target), not row 5
    if value in (numbers[0] + 1, numbers[0] + 2, 1) or (local is not None and local in (numbers[1] + 1, 1)):
        numbers[0] = value
        numbers[1] = local if local is not None else value
        numbers[2] = 0
        return True
    return False


def _page_number(lines: list[str], i: int, numbers: list[int]) -> bool:
    """Line *i* is a page's number printed in its header or footer ("3", "- 3 -", "Trang 3", "3/5"), not the
    number of the next row nor the end of a wrapped date: a page's number stands before a repeated header,
    or before the rest of a cell, in lower case."""
    line = lines[i].strip()
    marked = _PAGE_MARK.match(fold(line))
    if not marked:
        return False
    if marked.group(1) or marked.group(3):
        return True
    after = next((t.strip() for t in lines[i + 1:] if t.strip()), "")
    if not after or _is_header_start(after):
        return True
    before = next((t.strip() for t in reversed(lines[:i]) if t.strip()), "")
    if before[-1:].isdigit() or before[-1:] in "/-–":
        return False  # the end of a date or a figure wrapped onto its own line ("15/10/202" / "6")
    return after[:1].islower() and int(marked.group(2)) not in (numbers[0] + 1, 1)


def _repeated(lines: list[str], start: int, words: list[str]) -> int | None:
    """The index after the header *words* printed again from line *start*, or None."""
    seen: list[str] = []
    i = start
    while i < len(lines) and len(seen) < len(words):
        seen.extend(lines[i].split())
        if seen != words[:len(seen)]:
            return None
        i += 1
    return i if seen == words else None


def _group_goes_on(records: list[tuple[int, list[list[str]]]]) -> bool:
    """The last record is a group row whose title, in capitals, may run over more lines
    ("B NHIỆM VỤ PHỐI HỢP" / "VỚI CÁC SỞ, NGÀNH" / "THÀNH PHỐ")."""
    if not records or len(records[-1][1]) != 1:
        return False
    lines = records[-1][1][0]
    head = lines[0]
    return (bool(_GROUP.match(head)) and not _INT.match(head.split()[0])
            and all(line.isupper() for line in lines) and len(lines) < 4)


def _strip_numbers(line: str, count: int) -> tuple[list[str], str]:
    words = line.split()
    if words and _SUB_ITEM.match(words[0]):  # a sub-item: "a)" is its number, in the last numbering column
        return [""] * (count - 1) + [words[0]], " ".join(words[1:])
    numbers: list[str] = []
    while words and len(numbers) < count and (_INT.match(words[0]) or _DECIMAL.match(words[0])):
        numbers.append(words.pop(0).rstrip("."))
    return numbers, " ".join(words)


def _table(lines: list[str], start: int, columns: list[_Column], index: int,
           header_words: list[str]) -> tuple[RawTable, int]:
    numbering = 2 if columns[0].field == "number+local" else sum(1 for c in columns if c.field in _NUMBER_FIELDS)
    number_cols = sum(1 for c in columns if c.field in _NUMBER_FIELDS)
    fields = [c.field for c in columns if c.field not in _NUMBER_FIELDS]
    if fields.count("content") > 1:  # "Nội dung | Mục tiêu": the second holds the target
        later = [k for k, f in enumerate(fields) if f == "content"][1:]
        for k in later:
            fields[k] = "target"
    width = number_cols + len(fields) if columns[0].field != "number+local" else 1 + len(fields) + 1
    header = [c.header for c in columns]
    if columns[0].field == "number+local":
        header = [columns[0].header, ""] + header[1:]
    rows = [RawRow(header + [""] * (width - len(header)), start + 1)]
    # A record is a row as (first line, parts); a row cut by a page break has a second part after the
    # header repeated at the top of the next page.
    records: list[tuple[int, list[list[str]]]] = []
    cut = False
    numbers = [0, 0, 0]  # the last overall and in-group numbers seen, and the last sub-item's letter (a = 1)
    i = start
    signature = [c.field for c in columns]
    while i < len(lines):
        line = lines[i].strip()
        if not line:
            i += 1
            continue
        if _is_header_start(line):
            again = _repeated(lines, i, header_words)
            if again is None:
                again_parsed = parse_header(lines, i)
                if again_parsed is None or [c.field for c in again_parsed[0]] != signature:
                    break
                again = again_parsed[1]
            i = again  # the header repeated on a new page
            cut = bool(records)
            continue
        if _page_number(lines, i, numbers):
            i += 1  # the page's number: the row above goes on after it
            cut = bool(records)
            continue
        if _STOP.match(fold(line)):
            break
        if line.isupper() and len(line.split()) >= 4 and not _GROUP.match(line) and not _group_goes_on(records):
            break
        if not records or _next_row(line, numbers):
            records.append((i, [[line]]))
        elif cut:
            records[-1][1].append([line])
        else:
            records[-1][1][-1].append(line)
        cut = False
        i += 1
    starts = [p[0][0].split() for _, p in records if _INT.match(p[0][0].split()[0])]
    if numbering == 1 and starts and sum(1 for w in starts if len(w) > 1 and _INT.match(w[1])) >= 0.6 * len(starts):
        # numbered twice (overall and within the group) under one numbering header
        numbering = number_cols = number_cols + 1
        width += 1
        rows[0].cells.insert(1, "")
        rows[0].spans = [1] * len(rows[0].cells)
    last: RawRow | None = None
    lead_above = ""
    columns_by_index = {number_cols + k: [c.header for c in columns if c.field not in _NUMBER_FIELDS][k]
                        for k in range(len(fields))}
    for k_record, (first, parts) in enumerate(records):
        head = parts[0][0]
        group = _GROUP.match(head)
        following = records[k_record + 1][1][0][0].split()[0] if k_record + 1 < len(records) else ""
        if _INT.match(head.split()[0]) and following.startswith(head.split()[0].rstrip(".") + ".") \
                and _DECIMAL.match(following):  # "1 Hạ tầng số" over "1.1 …": a numbered group row
            group = re.match(r"^(\d{1,3})\.?\s*", head)
        if group and (not _INT.match(head.split()[0]) or group.group(0).strip().rstrip(".").isdigit()):
            title = " ".join([head[group.end():]] + parts[0][1:] + [t for p in parts[1:] for t in p]).strip()
            cells = [group.group(1) or group.group(2)] + [""] * (width - 1)
            cells[number_cols if number_cols else 1] = title
            rows.append(RawRow(cells, first + 1))
            last, lead_above = None, ""  # a merged cell does not run over a group row
            continue
        numbers, rest = _strip_numbers(head, numbering)
        order_note = ""
        if len(parts) == 1:  # no page break marked: maybe one the copy left no trace of, or a glued first line
            cells, unsure, order_note = read_row([rest] + parts[0][1:], fields)
        else:
            cells, unsure = fit_cells([rest] + parts[0][1:], fields, cut=True)
        for k, part in enumerate(parts[1:], start=2):  # the rest of each cell, printed on the next page
            more, unsure_more = fit_cells(part, fields, continued=True, cut=k < len(parts), before=cells)
            cells = [f"{a} {b}".strip() for a, b in zip(cells, more, strict=True)]
            unsure |= unsure_more
        notes: list[str] = []
        # a cell is doubtful when it does not read as its column, or when another cut reads almost as well
        doubtful = [columns_by_index[number_cols + k] for k, f in enumerate(fields)
                    if doubtful_cell(f, cells[k]) or (k in unsure and cells[k])]
        if doubtful:
            notes.append("Bản sao chép từ PDF không giữ ranh giới ô: " + ", ".join(f"«{n}»" for n in doubtful)
                         + " được tách theo phỏng đoán, hãy kiểm tra.")
        if len(parts) > 1 or order_note:
            notes.append(order_note or BREAK_NOTE)
        if _place_lone_unit(cells, fields, lead_above if last is not None else ""):
            notes.append("Dòng chỉ có một đơn vị: đã đọc là đơn vị phối hợp, còn đơn vị chủ trì lấy theo dòng trên "
                         "(ô gộp trong bản PDF), hãy kiểm tra.")
        row = (numbers + [""] * number_cols)[:number_cols] + cells
        row += [""] * (width - len(row))
        # A lead unit or leader printed once for several rows (a merged cell) is not repeated in the
        # copy: an empty one under a filled one is taken as merged, and filled from above.
        merged = {number_cols + k for k, f in enumerate(fields) if f in _MERGED and not cells[k]
                  and last is not None and (last.cells[number_cols + k] or number_cols + k in last.vmerged)}
        named = [columns_by_index[c] for c in sorted(merged) if c in columns_by_index]
        if named and not any("ô gộp" in note for note in notes):
            notes.append("Ô " + ", ".join(f"«{n}»" for n in named) + " trống trong bản sao chép: đã lấy theo dòng "
                         "trên (ô gộp trong bản PDF), hãy kiểm tra.")
        rows.append(RawRow(row, first + 1, vmerged=merged, notes=notes))
        last = rows[-1]
        if "lead" in fields and cells[fields.index("lead")]:
            lead_above = cells[fields.index("lead")]
    _flag_empty_columns(rows[1:], fields, number_cols, columns_by_index)
    return RawTable(rows, "text", index), i


_FREE_TEXT = {"expected_result", "output_product", "solution"}  # filled on every row of a plan (a note is not)


def _flag_empty_columns(rows: list[RawRow], fields: list[str], number_cols: int, names: dict[int, str]) -> None:
    """A free-text column ("Kết quả, sản phẩm") that came out empty in most rows: nothing in the copied text
    tells where its cells begin, so they were most likely glued to the cell before; every row says so."""
    items = [r for r in rows if any(r.cells[number_cols:])]
    if len(items) < 2:
        return
    for k, field in enumerate(fields):
        column = number_cols + k
        if field not in _FREE_TEXT or column not in names:
            continue
        empty = [r for r in items if not r.cells[column].strip()]
        if len(empty) >= 0.6 * len(items):
            for row in empty:
                row.notes.append(f"Cột «{names[column]}» trống ở hầu hết các dòng của bản sao chép từ PDF: chữ của nó "
                                 "có thể đã bị ghép vào ô bên trái; hãy kiểm tra.")


def rebuild(text: str) -> list[str | RawTable] | None:
    """Paragraphs and rebuilt tables of text copied out of a PDF, or None when it holds no such table."""
    lines = text.split("\n")
    blocks: list[str | RawTable] = []
    count = 0
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        parsed = parse_header(lines, i) if _is_header_start(line) else None
        if parsed is not None:
            columns, body = parsed
            table, end = _table(lines, body, columns, count + 1, " ".join(lines[i:body]).split())
            if len(table.rows) >= 3:
                count += 1
                blocks.append(table)
                i = end
                continue
        blocks.append(line)
        i += 1
    return blocks if count else None

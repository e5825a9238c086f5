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
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from cds_desktop.importers.document import RawRow, RawTable
from cds_desktop.text import fold

_HEADER_START = re.compile(r"^(s\.?\s?tt|tt|so tt|so thu tu|thu tu)\b")
_GROUP = re.compile(r"^([IVX]{1,5}|[A-H])(?:[.)]\s*|\s+)(?=\S)|^([IVX]{1,5}|[A-H])[.)]?$")
_INT = re.compile(r"^\d{1,3}\.?$")
_STOP = re.compile(r"^(phu luc|noi nhan|tm\.|kt\.|t/m|\(kem theo)\b")
_NUMBER_FIELDS = {"number", "local_number", "number+local"}
_MERGED = {"lead", "leader"}

_UNIT = re.compile(
    r"^(cac |toan the |moi )?(van phong|phong|ban|trung tam|cong an|quan su|doan|hoi|uy ban|ubnd|mttq|mat tran|"
    r"dang uy|tram|truong|buu dien|so|bo phan|diem|to|thon|xom|khu|to dan pho|doanh nghiep|hop tac xa|ngan hang|"
    r"chi nhanh|cong ty|tap doan|vien thong|viettel|vnpt|mobifone|nguoi dan|ho|dai|chuyen gia|don vi|co quan|"
    r"cong chuc|can bo|bo|tong cong ty|trung uong|thanh pho|xa|phuong)\b")
_PERSON = re.compile(r"^(d/c|d\.c|dc|dong chi|ong|ba)\b|chu tich|\bpct\b|bi thu|pho chu tich|uvbtv|uvbch")
_DEADLINE = re.compile(
    r"^(quy|thang|nam|tuan|truoc|tu|den|trong|hang|hang nam|thuong xuyen|giai doan|dinh ky|ngay|"
    r"theo (ke hoach|tien do|chi dao|huong dan)|lien tuc|nhiem vu thuong xuyen|\d{1,2}/\d{4}|\d{1,2}/\d{1,2}/\d{4}|20\d\d)\b")
_BASIS = re.compile(r"^(quyet dinh|ke hoach|nghi quyet|chi thi|thong tu|luat|nghi dinh|cong van|theo|thuc te|can cu|"
                    r"van ban|de an|chuong trinh|huong dan|qd|kh|nq)\b")
_TARGET_FULL = re.compile(r"^(>=|<=|≥|≤|>|<|tren|duoi|toi thieu|toi da|it nhat|dat|tu|khoang)?\s*\d+([.,]\d+)?\s*"
                          r"(%|[a-z ]{0,25})(\s*(-|–|den)\s*\d+([.,]\d+)?\s*%?)?$")
_DEADLINE_FULL = re.compile(r"(quy|thang) [ivx\d]+(, ?[ivx\d]+)*/+\d{4}|nam \d{4}|thuong xuyen|\d{1,2}/\d{1,2}/\d{4}|hang (nam|quy|thang)")
# a whole deadline: what follows it in the same cell run is the next cell ("Thường xuyên | Tin, bài…")
_DEADLINE_WHOLE = re.compile(r"^((quy|thang) [ivx\d]+(, ?[ivx\d]+)*/+\d{4}|nam \d{4}|thuong xuyen|\d{1,2}/\d{1,2}/\d{4}|"
                             r"hang (nam|quy|thang))$")
# the rest of a date ("III, IV/2026", "9/2026"): never the start of a cell other than a deadline
_DATE_TAIL = re.compile(r"^([ivx]+[,/]|\d{1,2}/\d{4})")
# words that never end a deadline ("Quý" | "III, IV/2026") or a content cell ("… tối thiểu" | "30 hộ")
_DEADLINE_DANGLING = {"quy", "thang", "nam", "tuan", "truoc", "den", "tu", "trong", "giai doan"}
_TARGET_LEAD = ("toi thieu", "toi da", "it nhat", "tren", "duoi")
_PARENT = re.compile(r"^(don vi|co quan|bo phan|phong|to chuc)? ?(thuc hien|phu trach|trien khai)$")
_SUB = re.compile(r"^(chu tri|phoi hop|don vi chu tri|don vi phoi hop)$")
_DANGLING = {"-", "–", "va", "cua", "cac", "cho", "tren", "tai", "voi", "theo", "ve", "trong", "den", "tu", "nhung"}
# the same words with their marks: folded, "từ" (from) and "tử" ("điện tử") are one word
_DANGLING_WORDS = {"-", "–", "và", "của", "các", "cho", "trên", "tại", "với", "theo", "về", "trong", "đến", "từ", "những"}
_BARE_UNIT = {"van phong", "phong", "trung tam", "ban", "cac phong", "uy ban", "cong an", "so", "doan", "hoi",
              "van phong hdnd", "van phong hdnd -", "trung tam phuc vu", "trung tam dich vu"}
_TITLE_END = re.compile(r"(chu tich|bi thu|\bpct|truong ban|giam doc|thuong truc)$")
_PERSON_START = re.compile(r"^(d/c|d\.c|dong chi)\b")
_NOT_PERSON = re.compile(r"\b(van phong|trung tam|cong an|cac phong|phong van hoa|phong kinh te)\b")
_LONGEST = {"number": 3, "target": 10, "deadline": 14, "leader": 20, "lead": 30, "coordinating": 40, "content": 150}


@dataclass
class _Column:
    header: str
    field: str


@lru_cache(maxsize=2048)
def _score(text: str) -> tuple[str, int]:
    from cds_desktop.importers.headers import score_header

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
            if i and (words[i][:1].islower() or words[i][:1] == "("):
                continue  # a column name starts with a capital: "hợp" ends "Cơ quan phối hợp"
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


# --- cells ---------------------------------------------------------------------------------------


class _Fitter:
    """How well a run of a row's words reads as a cell of a field, computed on the row's folded words."""

    def __init__(self, tokens: list[str], continued: bool, cut: bool) -> None:
        self.tokens = tokens
        self.folded = [fold(t) for t in tokens]
        self.lower = [unicodedata.normalize("NFC", t.lower()) for t in tokens]
        self.continued, self.cut = continued, cut
        persons = [0]
        for i, f in enumerate(self.folded):
            prev = self.folded[i - 1] if i else ""
            hit = f in ("d/c", "d.c", "pct") or (f == "tich" and prev == "chu") or (f == "thu" and prev == "bi") \
                or (f == "chi" and prev == "dong")
            persons.append(persons[-1] + hit)
        self.persons = persons

    def text(self, p: int, q: int) -> str:
        return " ".join(self.folded[p:q])

    def fit(self, field: str, p: int, q: int) -> float:
        """0 for an empty cell; a *continued* cell is the rest of one cut by a page break (it may start in
        lower case, the content may be over); in a *cut* row cells may stop mid-phrase."""
        count = q - p
        if not count:
            return -12.0 if field == "content" and not self.continued else 0.0
        first = self.tokens[p][:1]
        score = 0.0 if self.continued else (0.6 if first.isupper() or not first.isalpha() else -2.5)
        last = self.folded[q - 1]
        if not self.cut and (self.lower[q - 1] in _DANGLING_WORDS or last[-1:] in "-–,("):
            score -= 3.0  # a cell does not stop after "-", "của", "và"…
        if self.continued and field != "content":
            return score - 0.3 - 0.15 * count  # the short cells' rest is short; the content's is long
        if field not in ("deadline", "schedule", "completion") and _DATE_TAIL.match(self.folded[p]):
            score -= 4.0  # "III, IV/2026" is the end of a deadline cut after "Quý"
        if field == "content":
            short_deadline = count <= 3 and _DEADLINE.match(self.text(p, q))
            if self.text(max(p, q - 2), q).endswith(_TARGET_LEAD):
                score -= 3.0  # "… hợp tác Tối thiểu" | "30 hộ": the target starts there
            return score + min(count, 40) * 0.05 - (3.0 if short_deadline else 0.0)
        person = self.persons[q] > self.persons[p]
        if field == "target":
            folded = self.text(p, q)
            if _TARGET_FULL.match(folded):
                return score + 4.0
            text = " ".join(self.tokens[p:q])
            return score + (0.5 if count <= 6 and "%" in text and not person else -4.0)
        if field in ("lead", "coordinating", "guiding_agency"):
            head = self.text(p, min(q, p + 4))
            unit = bool(_UNIT.match(head)) and (self.cut or count > 4 or self.text(p, q) not in _BARE_UNIT)
            return score + (2.5 if unit else -3.0) - (3.0 if person else 0.0)
        if field in ("leader", "specialist", "co_specialist"):
            folded = self.text(p, q)
            title_end = bool(_TITLE_END.search(folded))  # "… Phó Chủ tịch" goes on: "UBND xã"
            if not self.continued and self.folded[p] not in ("d/c", "d.c", "dong") \
                    and any(f in ("d/c", "d.c") for f in self.folded[p + 1:q]):
                score -= 2.5  # "Nông dân xã; Hội Đ/c Trần…": the person starts at "Đ/c", the words before are a unit
            return (score + (3.0 if person or _PERSON.search(folded) else -3.0)
                    - (3.0 if _NOT_PERSON.search(folded) else 0.0) - (1.5 if title_end else 0.0))
        if field == "basis":
            return score + (2.5 if _BASIS.match(self.text(p, min(q, p + 4))) else -1.5)
        if field in ("deadline", "schedule", "completion"):
            folded = self.text(p, q)
            if not (_DEADLINE.match(folded) and count <= 12):
                return score - 2.5
            if not self.cut and _ends_dangling(self.folded[p:q]):
                score -= 3.0
            for k in range(p + 1, q):
                if self.tokens[k][:1].isupper() and _DEADLINE_WHOLE.match(self.text(p, k)):
                    score -= 3.0  # a whole deadline, then a new cell starting in capitals
                    break
            return score + 3.0 + (1.0 if _DEADLINE_FULL.search(folded) else 0.0) - 0.6 * max(0, count - 5)
        return score - 0.5  # note, expected result…: anything


def split_cells(lines: list[str], fields: list[str], continued: bool = False, cut: bool = False,
                before: list[str] | None = None) -> list[str]:
    """Cut the words of one row's *lines* into one cell per field, in order (cells may be empty).

    *cut*: the row goes on after a page break (its cells may stop mid-phrase); *continued*: this is
    what follows the page break, *before* the cells printed before it (only those can go on)."""
    tokens: list[str] = []
    line_of: list[int] = []
    for index, line in enumerate(lines):
        for word in line.split():
            tokens.append(word)
            line_of.append(index)
    n, m = len(tokens), len(fields)
    # lines starting like a unit ("Văn phòng…", "Trung tâm…"): a content cell running over one is suspect
    unit_start = [0] * (n + 1)
    for i in range(n):
        starts = i > 0 and line_of[i] != line_of[i - 1] and tokens[i][:1].isupper()
        head = fold(" ".join(tokens[i:i + 3]))
        hit = starts and (bool(_UNIT.match(head)) or bool(_PERSON_START.match(head)))
        unit_start[i + 1] = unit_start[i] + hit
    neg = -1e9
    # best[c][p]: best score with the first c fields holding tokens[:p]
    best = [[neg] * (n + 1) for _ in range(m + 1)]
    back = [[-1] * (n + 1) for _ in range(m + 1)]
    best[0][0] = 0.0
    fitter = _Fitter(tokens, continued, cut)
    open_cells = [_unfinished(f, t) for f, t in zip(fields, before, strict=True)] if before is not None else []
    ends = [q for q in range(1, n + 1) if q == n or line_of[q - 1] != line_of[q]]
    line_end = [0] * n  # the end of the line each word is on
    for q in reversed(ends):
        for i in range(q - 1, -1, -1):
            if line_end[i]:
                break
            line_end[i] = q
    for c in range(m):
        field = fields[c]
        for p in range(n + 1):
            if best[c][p] <= neg:
                continue
            stop = min(n, p + _LONGEST.get(field, 40))
            if c == m - 1:
                candidates: range | list[int] = range(n, stop + 1)
            else:
                # a cell ends on its first line (glued to the next) or at a line break: a cell running
                # over lines and ending inside one is scored -5 by _shape, never worth looking at
                first_end = line_end[p] if p < n else n
                candidates = list(range(p, min(first_end, stop) + 1)) + [e for e in ends if first_end < e <= stop]
            for q in candidates:
                value = best[c][p] + fitter.fit(field, p, q) + _shape(line_of, p, q, n)
                if before is not None and q > p:
                    value += (2.0 if open_cells[c] else 0.0) if before[c] else -2.0
                if field == "content" and q - p > 1:
                    value -= 2.0 * (unit_start[q] - unit_start[p + 1])
                if q < n and c == m - 1:
                    continue
                if value > best[c + 1][q]:
                    best[c + 1][q] = value
                    back[c + 1][q] = p
    cells = [""] * m
    q = n
    for c in range(m, 0, -1):
        p = back[c][q]
        if p < 0:
            return [" ".join(tokens)] + [""] * (m - 1)
        cells[c - 1] = _join(tokens, line_of, p, q)
        q = p
    return cells


# a unit's head word, with its marks (folded, "Hội" is the end of "Xã hội")
_UNIT_HEAD = {"hội", "phòng", "ban", "đoàn", "trung", "tâm", "văn", "sở", "công", "doanh", "tổ", "các"}


def _ends_with_head(text: str) -> bool:
    """A unit cell ending on a head word ("Hội Nông dân xã; Hội"), not "Xã hội", goes on."""
    words = [unicodedata.normalize("NFC", w.lower()) for w in text.split()]
    return bool(words) and words[-1] in _UNIT_HEAD and (len(words) < 2 or words[-2] != "xã")


def _unfinished(field: str, text: str) -> bool:
    """*text*, printed before a page break, stops mid-cell: after "-", "của", a unit's head word
    ("Hội", "Phòng"), a leader's title ("PCT", waiting for "UBND xã")."""
    words = fold(text).split()
    if not words:
        return False
    if field == "content":
        return True  # the longest cell of a row, the one most often running over a page break
    last = words[-1]
    if last in _DANGLING or last[-1:] in "-–,;(" or last in _DEADLINE_DANGLING and field == "deadline":
        return True
    if field in ("lead", "coordinating") and _ends_with_head(text):
        return True
    return field in ("leader", "specialist", "co_specialist") and bool(_TITLE_END.search(" ".join(words)))


def _ends_dangling(words: list[str]) -> bool:
    """A deadline ending "… Quý" waits for its numeral ("Hằng tháng", "mỗi quý" are whole)."""
    return bool(words) and words[-1] in _DEADLINE_DANGLING and (len(words) < 2 or words[-2] not in ("hang", "moi"))


def _doubtful(field: str, text: str) -> bool:
    """*text*, cut out for a *field* cell, does not read as one: the cut is a guess the preview must show."""
    folded = fold(text)
    if not folded:
        return False
    words = folded.split()
    if field in ("deadline", "schedule", "completion"):
        whole = any(_DEADLINE_WHOLE.match(" ".join(words[:k])) for k in range(1, len(words)))
        return not _DEADLINE.match(folded) or len(words) > 12 or _ends_dangling(words) or whole
    if field in ("leader", "specialist", "co_specialist"):
        return not (_PERSON.search(folded) or any(w in ("d/c", "d.c", "pct") for w in words)) \
            or (bool(_NOT_PERSON.search(folded)) and not _PERSON_START.match(folded))
    if field in ("lead", "coordinating"):
        return not _UNIT.match(folded) or any(w in ("d/c", "d.c") for w in words) or _ends_with_head(text)
    if field == "target":
        return not _TARGET_FULL.match(folded) and "%" not in text
    return False


def _shape(line_of: list[int], p: int, q: int, n: int) -> float:
    """How a viewer glues cells: a cell ending inside a line is one line long; one ending at a line break is longer."""
    if q == p or q >= n:
        return 0.0
    single = line_of[p] == line_of[q - 1]
    inside = line_of[q - 1] == line_of[q]
    if inside:
        return -0.8 if single else -5.0
    return -1.0 if single else 0.0


def _join(tokens: list[str], line_of: list[int], p: int, q: int) -> str:
    out = ""
    for i in range(p, q):
        word = tokens[i]
        if not out:
            out = word
        elif line_of[i] != line_of[i - 1] and out.endswith("-") and len(out) > 1 and not out[-2].isspace():
            out += word
        else:
            out += " " + word
    return out


# --- tables --------------------------------------------------------------------------------------


def _place_lone_unit(cells: list[str], fields: list[str], lead_above: str) -> bool:
    """One unit in a row with a lead and a coordinating column: it is the lead, unless the row above
    has another lead (then that lead is a merged cell running down, and this unit coordinates).
    True when the unit was taken as coordinating (a guess the preview should show)."""
    if "lead" not in fields or "coordinating" not in fields:
        return False
    lead, coordinating = fields.index("lead"), fields.index("coordinating")
    unit = cells[lead] or cells[coordinating]
    if not unit or (cells[lead] and cells[coordinating]):
        return False
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
    if not _INT.match(words[0]):
        if _GROUP.match(line):
            numbers[1] = 0
            return True
        return False
    value = int(words[0].rstrip("."))
    local = int(words[1].rstrip(".")) if len(words) > 1 and _INT.match(words[1]) else None
    if value in (numbers[0] + 1, numbers[0] + 2, 1) or (local is not None and local in (numbers[1] + 1, 1)):
        numbers[0] = value
        numbers[1] = local if local is not None else value
        return True
    return False


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
    numbers: list[str] = []
    while words and len(numbers) < count and _INT.match(words[0]):
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
    numbers = [0, 0]  # the last overall and in-group numbers seen
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
    for first, parts in records:
        head = parts[0][0]
        group = _GROUP.match(head)
        if group and not _INT.match(head.split()[0]):
            title = " ".join([head[group.end():]] + parts[0][1:] + [t for p in parts[1:] for t in p]).strip()
            cells = [group.group(1) or group.group(2)] + [""] * (width - 1)
            cells[number_cols if number_cols else 1] = title
            rows.append(RawRow(cells, first + 1))
            last, lead_above = None, ""  # a merged cell does not run over a group row
            continue
        numbers, rest = _strip_numbers(head, numbering)
        cells = split_cells([rest] + parts[0][1:], fields, cut=len(parts) > 1)
        for k, part in enumerate(parts[1:], start=2):  # the rest of each cell, printed on the next page
            more = split_cells(part, fields, continued=True, cut=k < len(parts), before=cells)
            cells = [f"{a} {b}".strip() for a, b in zip(cells, more, strict=True)]
        notes: list[str] = []
        doubtful = [columns_by_index[number_cols + k] for k, f in enumerate(fields) if _doubtful(f, cells[k])]
        if doubtful:
            notes.append("Bản sao chép từ PDF không giữ ranh giới ô: " + ", ".join(f"«{n}»" for n in doubtful)
                         + " được tách theo phỏng đoán, hãy kiểm tra.")
        if len(parts) > 1:
            notes.append("Dòng bị ngắt sang trang sau trong bản sao chép từ PDF: hai phần đã được ghép lại, hãy kiểm tra.")
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
    return RawTable(rows, "text", index), i


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

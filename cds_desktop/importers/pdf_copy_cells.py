"""The cells of a row copied out of a PDF viewer: the words of a row cut into one run per column.

A viewer glues cells printed on the same line with a space; the cut chosen is the one that best fits
what each column holds (a target is short and has figures, a unit starts like a unit, a leader names a
person, a deadline reads like a date or a period) and how cells are laid out (a cell glued to the next
on the same line is one line long).  Used by :mod:`cds_desktop.importers.pdf_copy`.
"""

from __future__ import annotations

import re
import unicodedata

from cds_desktop.importers.people import is_surname
from cds_desktop.text import date_cut_inside_year, fold

_UNIT = re.compile(
    r"^(cac |toan the |moi )?(van phong|phong|ban|trung tam|cong an|quan su|doan|hoi|uy ban|ubnd|mttq|mat tran|"
    r"dang uy|tram|truong|buu dien|so|bo phan|diem|to|thon|xom|khu|to dan pho|doanh nghiep|doanh$|hop tac xa|ngan hang|"
    r"chi nhanh|cong ty|tap doan|vien thong|viettel|vnpt|mobifone|nguoi dan|ho|dai|chuyen gia|don vi|co quan|"
    r"cong chuc|can bo|bo|tong cong ty|trung uong|thanh pho|xa|phuong|doi|chi cuc|hiep hoi)\b")
_PERSON = re.compile(r"^(d/c|d\.c|dc|dong chi|ong|ba)\b|chu tich|\bpct\b|bi thu|pho chu tich|uvbtv|uvbch")
_DEADLINE = re.compile(
    r"^(quy|thang|nam|tuan|truoc|tu|den|trong|hang|hang nam|thuong xuyen|giai doan|dinh ky|ngay|"
    r"theo (ke hoach|tien do|chi dao|huong dan)|lien tuc|nhiem vu thuong xuyen|\d{1,2}/\d{4}|\d{1,2}/\d{1,2}/\d{4}|20\d\d|"
    r"\d{1,2} (thang|quy) (dau|cuoi)|(dau|cuoi|giua) (nam|quy|thang))\b")
_BASIS = re.compile(r"^(quyet dinh|ke hoach|nghi quyet|chi thi|thong tu|luat|nghi dinh|cong van|theo|thuc te|can cu|"
                    r"van ban|de an|chuong trinh|huong dan|qd|kh|nq)\b")
_TARGET_FULL = re.compile(r"^(>=|<=|≥|≤|>|<|tren|duoi|toi thieu|toi da|it nhat|dat|tu|khoang)?\s*\d+([.,]\d+)?\s*"
                          r"(%|[a-z ]{0,25})(\s*(-|–|den)\s*\d+([.,]\d+)?\s*%?)?$")
_DEADLINE_FULL = re.compile(r"(quy|thang) [ivx\d]+(, ?[ivx\d]+)*/+\d{4}|nam \d{4}|thuong xuyen|\d{1,2}/\d{1,2}/\d{4}|hang (nam|quy|thang)")
# a whole deadline: what follows it in the same cell run is the next cell ("Thường xuyên | Tin, bài…")
_DEADLINE_WHOLE = re.compile(r"^((quy|thang) [ivx\d]+(, ?[ivx\d]+)*/+\d{4}|nam \d{4}|thuong xuyen|\d{1,2}/\d{1,2}/\d{4}|"
                             r"hang (nam|quy|thang)|\d{1,2} (thang|quy) (dau|cuoi) nam( \d{4})?)$")
# the rest of a date ("III, IV/2026", "9/2026"): never the start of a cell other than a deadline
_DATE_TAIL = re.compile(r"^([ivx]+[,/]|\d{1,2}/\d{4})")
# words that never end a deadline ("Quý" | "III, IV/2026") or a content cell ("… tối thiểu" | "30 hộ")
_DEADLINE_DANGLING = {"quy", "thang", "nam", "tuan", "truoc", "den", "tu", "trong", "giai doan"}
_TARGET_LEAD = ("toi thieu", "toi da", "it nhat", "tren", "duoi")
_DANGLING = {"-", "–", "va", "cua", "cac", "cho", "tren", "tai", "voi", "theo", "ve", "trong", "den", "tu", "nhung"}
# the same words with their marks: folded, "từ" (from) and "tử" ("điện tử") are one word
_DANGLING_WORDS = {"-", "–", "và", "của", "các", "cho", "trên", "tại", "với", "theo", "về", "trong", "đến", "từ", "những"}
_BARE_UNIT = {"van phong", "phong", "trung tam", "ban", "cac phong", "uy ban", "cong an", "so", "doan", "hoi",
              "van phong hdnd", "van phong hdnd -", "trung tam phuc vu", "trung tam dich vu"}
_TITLE_END = re.compile(r"(chu tich|bi thu|\bpct|truong ban|giam doc|thuong truc)$")
# words that may follow a whole deadline in its cell ("Năm 2026 và các năm tiếp theo", "Quý II/2026 trở đi")
_DEADLINE_GOES_ON = {"va", "tro", "den", "-", "–", "hoac", ";", "(", "cho", "sau"}
# a line starting like a deadline ("Năm học", "Quý II", "Tháng 9"): a content cell running over one is suspect
_DEADLINE_LINE = re.compile(r"^(nam hoc|quy [ivx]+\b|thang \d|truoc \d|hang (thang|quy|nam)|thuong xuyen)")
# middle names that never end a person's name ("Đ/c Vũ Văn" goes on: "Toàn")
_MIDDLE_NAMES = {"Văn", "Thị", "Hữu", "Đình", "Bá"}
_PERSON_START = re.compile(r"^(d/c|d\.c|dong chi)\b")
_NOT_PERSON = re.compile(r"\b(van phong|trung tam|cong an|cac phong|phong van hoa|phong kinh te)\b")
_LONGEST = {"number": 3, "measure": 4, "target": 10, "deadline": 14, "leader": 20, "lead": 30, "coordinating": 40, "content": 150}


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
                or (f == "chi" and prev == "dong") or self._bare_name_at(i)
            persons.append(persons[-1] + hit)
        self.persons = persons
        # running counts of date tails ("II/2026") and of words in title case ("Hệ"), to test a run at once
        self.dates = [0]
        self.titled = [0]
        for t, f in zip(tokens, self.folded, strict=True):
            self.dates.append(self.dates[-1] + bool(_DATE_TAIL.match(f)))
            self.titled.append(self.titled[-1] + (t[:1].isupper() and t[1:].islower() and t.isalpha()))

    def _bare_name_at(self, i: int) -> bool:
        """A person's name without "Đ/c" starts here: a family name and two more capitalised words
        ("Nguyễn Thị Lan" in a "Cán bộ theo dõi" column)."""
        words = self.tokens[i:i + 3]
        if len(words) < 3 or not is_surname(words[0]) or not all(w[:1].isupper() and w.isalpha() for w in words):
            return False
        if i and self.folded[i - 1] in ("d/c", "d.c", "chi"):
            return False  # "Đ/c Bùi Quang Vinh": the person is already counted at "Đ/c"
        if i + 2 < len(self.tokens) and is_surname(self.tokens[i + 2]) and len(self.tokens) > i + 4 \
                and all(w[:1].isupper() and w.isalpha() for w in self.tokens[i + 2:i + 5]):
            return False  # "Viettel Hà Nội Hoàng Minh Tuấn": the name is the one after "Hà Nội"
        if _DEADLINE_LINE.match(" ".join(self.folded[i + 2:i + 4])):
            return False  # "Viettel Hà Nội Quý I/2026": the third word starts a deadline, not a given name
        return not _UNIT.match(" ".join(self.folded[i + 2:i + 5]))  # "Bùi Quang | Văn phòng HĐND": a unit follows

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
            if field in ("lead", "coordinating") and _ends_with_head(" ".join(self.tokens[p:q])):
                score -= 2.0  # the rest of a unit ends the unit: not on "Phụ" (waiting for "nữ")
            if field in ("leader", "specialist", "co_specialist") and first.islower():
                score -= 2.0  # the rest of a leader's cell is a name or a title: never in lower case
            if field in ("leader", "specialist", "co_specialist") and _TITLE_END.search(self.text(p, q)):
                score -= 1.5  # "Vinh, PCT" waits for "UBND xã"
            return score - 0.3 - 0.15 * count  # the short cells' rest is short; the content's is long
        if field not in ("deadline", "schedule", "completion") and _DATE_TAIL.match(self.folded[p]):
            score -= 4.0  # "III, IV/2026" is the end of a deadline cut after "Quý"
        if field == "content":
            short_deadline = count <= 3 and _DEADLINE.match(self.text(p, q))
            if self.text(max(p, q - 2), q).endswith(_TARGET_LEAD):
                score -= 3.0  # "… hợp tác Tối thiểu" | "30 hộ": the target starts there
            return score + min(count, 40) * 0.05 - (3.0 if short_deadline else 0.0)
        person = self.persons[q] > self.persons[p]
        if field in ("lead", "coordinating", "leader") and self.dates[q] > self.dates[p + 1]:
            score -= 3.0  # "Phòng Kinh tế II/2026": the rest of a deadline is not in a unit or a leader's cell
        if field == "target":
            folded = self.text(p, q)
            if _TARGET_FULL.match(folded):
                return score + 4.0
            text = " ".join(self.tokens[p:q])
            return score + (0.5 if count <= 6 and "%" in text and not person else -4.0)
        if field in ("lead", "coordinating", "guiding_agency"):
            head = self.text(p, min(q, p + 4))
            unit = bool(_UNIT.match(head)) and (self.cut or count > 4 or self.text(p, q) not in _BARE_UNIT)
            if self.lower[q - 1] in _DANGLING_WORDS:
                score -= 1.5  # "Văn phòng HĐND và" | "UBND": worse than an empty cell, the next unit goes on
            if p and self.folded[p] in ("ubnd", "hdnd") and count <= 2 \
                    and _TITLE_END.search(" ".join(self.folded[max(0, p - 3):p])):
                score -= 4.0  # "… Phó Chủ tịch" | "UBND phường": the end of the leader's title, not a unit
            if not self.cut and count >= 2 and self.folded[q - 2] in ("phong", "tam") \
                    and self.tokens[q - 1][:1].isupper() and not self.tokens[q - 1].isupper():
                score -= 2.5  # "Phòng Kinh", "Trung tâm Phục": a department's name has two words at least
            return score + (2.5 if unit else -3.0) - (3.0 if person else 0.0)
        if field in ("leader", "specialist", "co_specialist"):
            folded = self.text(p, q)
            title_end = bool(_TITLE_END.search(folded))  # "… Phó Chủ tịch" goes on: "UBND xã"
            if not self.continued and self.folded[p] not in ("d/c", "d.c", "dong") \
                    and any(f in ("d/c", "d.c") for f in self.folded[p + 1:q]):
                score -= 2.5  # "Nông dân xã; Hội Đ/c Trần…": the person starts at "Đ/c", the words before are a unit
            elif not self.continued and not self._bare_name_at(p) and self.folded[p] not in ("d/c", "d.c", "dong") \
                    and any(self._bare_name_at(k) for k in range(p + 1, q)):
                score -= 2.5  # "OCOP trên sàn Đỗ Văn Nam": the name starts the leader cell, the words before are not his
            if not self.cut and self.tokens[q - 1] in _MIDDLE_NAMES:
                score -= 2.5  # "Đ/c Vũ Văn": a name does not end on its middle name
            return (score + (3.0 if person or _PERSON.search(folded) else -3.0)
                    - (3.0 if _NOT_PERSON.search(folded) else 0.0) - ((1.5 if self.cut else 3.0) if title_end else 0.0))
        if field == "measure":  # "Đơn vị tính": "%", "Cuộc", "Doanh nghiệp"; never a figure
            text = " ".join(self.tokens[p:q])
            return score + (2.0 if count <= 3 and not any(ch.isdigit() or ch in "≥≤<>=" for ch in text) and not person else -3.0)
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
                if k + 1 < q and _DEADLINE_WHOLE.match(self.text(p, k)) and self.folded[k] not in _DEADLINE_GOES_ON:
                    score -= 2.0  # "Quý II/2026 camera vận hành": words after a whole deadline are the next cell
                    break
            if not self.continued and self.folded[p] != "theo" and self.titled[q] > self.titled[p + 1]:
                score -= 2.5  # "Quý Hệ thống": a word in title case after the first starts the next cell
            return score + 3.0 + (1.0 if _DEADLINE_FULL.search(folded) else 0.0) - 0.6 * max(0, count - 5)
        return score - 0.5  # note, expected result…: anything


# Two readings of a row whose scores differ by less than this are both plausible: the cut is a guess.
_MARGIN = 1.0


def words_by_line(lines: list[str]) -> tuple[list[str], list[int]]:
    """The words of *lines* in order, and the index of the line each one is on."""
    tokens: list[str] = []
    line_of: list[int] = []
    for index, line in enumerate(lines):
        for word in line.split():
            tokens.append(word)
            line_of.append(index)
    return tokens, line_of


def split_cells(lines: list[str], fields: list[str], continued: bool = False, cut: bool = False,
                before: list[str] | None = None) -> list[str]:
    """Cut the words of one row's *lines* into one cell per field, in order (cells may be empty)."""
    return fit_cells(lines, fields, continued, cut, before)[0]


def fit_cells(lines: list[str], fields: list[str], continued: bool = False, cut: bool = False,
              before: list[str] | None = None) -> tuple[list[str], set[int]]:
    """Cut the words of one row's *lines* into one cell per field (see :func:`fit_cells_scored`)."""
    cells, unsure, _ = fit_cells_scored(lines, fields, continued, cut, before)
    return cells, unsure


def fit_cells_scored(lines: list[str], fields: list[str], continued: bool = False, cut: bool = False,
                     before: list[str] | None = None) -> tuple[list[str], set[int], float]:
    """Cut the words of one row's *lines* into one cell per field, in order (cells may be empty); also
    the indexes of the cells whose edges are unsure (another cut reads almost as well).

    *cut*: the row goes on after a page break (its cells may stop mid-phrase); *continued*: this is
    what follows the page break, *before* the cells printed before it (only those can go on).  Also the
    score of the reading (how well every cell reads as its column), to weigh it against other readings."""
    tokens, line_of = words_by_line(lines)
    n, m = len(tokens), len(fields)
    # lines starting like a unit ("Văn phòng…", "Trung tâm…"): a content cell running over one is suspect
    unit_start = [0] * (n + 1)
    for i in range(n):
        starts = i > 0 and line_of[i] != line_of[i - 1] and tokens[i][:1].isupper()
        head = fold(" ".join(tokens[i:i + 3]))
        hit = starts and (bool(_UNIT.match(head)) or bool(_PERSON_START.match(head))
                          or bool(_DEADLINE_LINE.match(head)))
        unit_start[i + 1] = unit_start[i] + hit
    neg = -1e9
    fitter = _Fitter(tokens, continued, cut)
    open_cells = [_unfinished(f, t) for f, t in zip(fields, before, strict=True)] if before is not None else []
    ends = [q for q in range(1, n + 1) if q == n or line_of[q - 1] != line_of[q]]
    line_end = [0] * n  # the end of the line each word is on
    for q in reversed(ends):
        for i in range(q - 1, -1, -1):
            if line_end[i]:
                break
            line_end[i] = q

    def edges(c: int, p: int) -> list[tuple[int, float]]:
        """The ends *q* the cell of field *c* starting at word *p* may take, with the score of tokens[p:q]."""
        field = fields[c]
        stop = min(n, p + _LONGEST.get(field, 40))
        if c == m - 1:
            candidates: range | list[int] = range(n, stop + 1)
        else:
            # a cell ends on its first line (glued to the next) or at a line break: a cell running
            # over lines and ending inside one is scored -5 by _shape, never worth looking at
            first_end = line_end[p] if p < n else n
            candidates = list(range(p, min(first_end, stop) + 1)) + [e for e in ends if first_end < e <= stop]
        out = []
        for q in candidates:
            value = fitter.fit(field, p, q) + _shape(line_of, p, q, n)
            if before is not None and q > p:
                value += (2.0 if open_cells[c] else 0.0) if before[c] else -2.0
                if before[c] and fold(before[c].split()[-1]) == fitter.folded[p]:
                    value -= 1.5  # "Văn hóa - Xã" / "xã hội": a cell does not say one word twice across the break
                if field in ("leader", "specialist", "co_specialist") and q - p <= 2 and before[c] \
                        and _PERSON_START.match(fold(before[c])) \
                        and all(t.istitle() and t.isalpha() for t in tokens[p:q]):
                    value += 1.5  # "Đ/c Tạ Thị Phương" / "Lan", "Đ/c Tạ Thị" / "Phương Lan": the rest of the name
                if field != "content" and before[c] and before[c].split()[-1].isalpha() \
                        and before[c].split()[-1].islower() and tokens[p][:1].isupper() \
                        and not _TITLE_END.search(fold(before[c])):  # "… Phó Chủ tịch" / "UBND xã" goes on
                    value -= 0.5  # "Hội chợ và gian" / "hàng số": a word in lower case goes on in lower case
                if field in ("lead", "coordinating") and before[c].endswith(",") and tokens[p][:1].islower():
                    value -= 1.5  # "Phòng Kinh tế," goes on with another field's name: "Hạ tầng và Đô thị"
            if field == "content" and q - p > 1:
                value -= 2.0 * (unit_start[q] - unit_start[p + 1])
            out.append((q, value))
        return out

    # best[c][p]: best score with the first c fields holding tokens[:p]; rest[c][p]: best score with
    # fields c… holding tokens[p:]
    best = [[neg] * (n + 1) for _ in range(m + 1)]
    back = [[-1] * (n + 1) for _ in range(m + 1)]
    best[0][0] = 0.0
    rest = [[neg] * (n + 1) for _ in range(m + 1)]
    rest[m][n] = 0.0
    moves = {(c, p): edges(c, p) for c in range(m) for p in range(n + 1)}
    for c in range(m):
        for p in range(n + 1):
            if best[c][p] <= neg:
                continue
            for q, value in moves[c, p]:
                if best[c][p] + value > best[c + 1][q]:
                    best[c + 1][q] = best[c][p] + value
                    back[c + 1][q] = p
    for c in range(m - 1, -1, -1):
        for p in range(n + 1):
            rest[c][p] = max((value + rest[c + 1][q] for q, value in moves[c, p] if rest[c + 1][q] > neg),
                             default=neg)
    cells = [""] * m
    cuts = [0] * (m + 1)
    q = n
    cuts[m] = n
    for c in range(m, 0, -1):
        p = back[c][q]
        if p < 0:
            return [" ".join(tokens)] + [""] * (m - 1), set(range(m)) if n else set(), neg
        cells[c - 1] = _join(tokens, line_of, p, q)
        cuts[c - 1] = q = p
    total = best[m][n]
    unsure: set[int] = set()
    for c in range(1, m):  # the edge between cells c - 1 and c, at word cuts[c]
        rival = max((best[c][q] + rest[c][q] for q in range(n + 1) if q != cuts[c]
                     and best[c][q] > neg and rest[c][q] > neg), default=neg)
        if rival > total - _MARGIN:
            unsure.update({c - 1, c})
    tailed = _content_tail(cells, fields)
    if tailed != cells:  # the end of the content moved back from the last cell: a guess to show
        unsure.update({fields.index("content"), max(c for c, text in enumerate(cells) if text)})
    return tailed, unsure, total


def _content_tail(cells: list[str], fields: list[str]) -> list[str]:
    """The last lines of a tall content cell, which a viewer copies after every other cell of the row:
    "Nguyễn Thị Lan đồng ở 10 thôn" in the last (leader) column is the name, then the content's end."""
    filled = [c for c, text in enumerate(cells) if text]
    if not filled or "content" not in fields:
        return cells
    last = filled[-1]
    words = cells[last].split()
    if fields[last] not in ("leader", "specialist", "co_specialist") or len(words) < 4:
        return cells
    if not (is_surname(words[0]) and all(w[:1].isupper() and w.isalpha() for w in words[1:3])
            and words[3][:1].islower()):
        return cells
    content = fields.index("content")
    cells = list(cells)
    cells[last] = " ".join(words[:3])
    cells[content] = f"{cells[content]} {' '.join(words[3:])}".strip()
    return cells


# a unit's head word, with its marks (folded, "Hội" is the end of "Xã hội")
_UNIT_HEAD = {"hội", "phòng", "ban", "đoàn", "trung", "tâm", "văn", "sở", "công", "doanh", "tổ", "các"}


# first syllables of words inside a unit's name ("Hội Phụ" / "nữ", "Doanh nghiệp viễn" / "thông", "Phòng, ban
# chuyên" / "môn"): a unit cell ending on one goes on
_UNIT_FIRST_SYLLABLES = {"viễn", "chuyên", "phụ", "nông", "cựu", "thanh", "doanh", "kinh", "văn", "dịch", "địa"}


def _ends_with_head(text: str) -> bool:
    """A unit cell ending on a head word ("Hội Nông dân xã; Hội"), not "Xã hội", goes on."""
    words = [unicodedata.normalize("NFC", w.lower()) for w in text.split()]
    lower_hoi = text.split()[-1:] == ["hội"]  # "hội" in lower case ends "Xã hội"; the head is "Hội"
    return bool(words) and (words[-1] in _UNIT_HEAD and (len(words) < 2 or words[-2] != "xã") and not lower_hoi
                            or words[-1] in _UNIT_FIRST_SYLLABLES
                            or words[-1] == "xã" and len(words) > 2 and words[-2] in ("-", "–"))  # "Văn hóa - Xã"


def _unfinished(field: str, text: str) -> bool:
    """*text*, printed before a page break, stops mid-cell: after "-", "của", a unit's head word
    ("Hội", "Phòng"), a leader's title ("PCT", waiting for "UBND xã")."""
    words = fold(text).split()
    if not words:
        return False
    if field == "content":
        return True  # the longest cell of a row, the one most often running over a page break
    last = words[-1]
    marked = unicodedata.normalize("NFC", text.split()[-1].lower())  # "cửa" is not "của"
    if marked in _DANGLING_WORDS or last[-1:] in "-–,;(" or last in _DEADLINE_DANGLING and field == "deadline":
        return True
    if field in ("lead", "coordinating") and _ends_with_head(text):
        return True
    if field in ("leader", "specialist", "co_specialist") and words[0] in ("d/c", "d.c") and len(words) <= 3:
        return True  # "Đ/c Bùi Quang": the given name and the title follow
    return field in ("leader", "specialist", "co_specialist") and bool(_TITLE_END.search(" ".join(words)))


def _ends_dangling(words: list[str]) -> bool:
    """A deadline ending "… Quý" waits for its numeral ("Hằng tháng", "mỗi quý" are whole)."""
    return bool(words) and words[-1] in _DEADLINE_DANGLING and (len(words) < 2 or words[-2] not in ("hang", "moi"))


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
        elif line_of[i] != line_of[i - 1] and date_cut_inside_year(out, word):
            out += word  # a date wrapped inside its year: "15/10/202" / "6"
        else:
            out += " " + word
    return out

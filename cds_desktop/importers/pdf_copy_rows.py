"""One row of text copied out of a PDF viewer, read in the order the viewer printed it.

Most rows come out cell after cell (every line of the first cell, then of the next…), and
:func:`~cds_desktop.importers.pdf_copy_cells.fit_cells` cuts them.  Two other orders are weighed here
against that reading, each only on a clear sign, and a row read either way is flagged:

- a row cut by a page break that left no mark in the copy (no repeated header, no page number): the
  cells printed on the first page, then the rest of each cell from the top of the next page.  The sign:
  a unit cell has ended ("… xã", "… UBND") and a line in lower case follows that does not go on with it
  ("trực tuyến", the end of the content);
- a "banner" row: its first line holds the first line of every cell, glued in one line ("Lắp đặt hệ
  Đ/c Vũ Văn Công an Phòng Kinh Quý Hệ thống"), the rest of each cell follows.  The sign: a first line
  far wider than any other line of the row, with more words than there are columns.

A row whose content ends inside a word ("… cung" / "cấp") is tried cut at every line in lower case.
"""

from __future__ import annotations

import unicodedata

from cds_desktop.importers.pdf_copy_cells import (
    _LONGEST,
    _PERSON,
    _UNIT,
    _Fitter,
    _join,
    _shape,
    fit_cells_scored,
    words_by_line,
)
from cds_desktop.text import fold

# the last word of a unit's name, as printed (lower case "xã": "Văn hóa - Xã" goes on with "hội")
_UNIT_END = {"xã", "phường", "xã;", "phường;", "UBND", "HĐND", "UBND;", "HĐND;"}
# a line in lower case that still belongs to the unit above it ("UBND" / "phường", "Các phòng" / "chuyên môn")
_UNIT_GOES_ON = {"va", "cac", "tai", "tren", "cung", "thuoc", "lien", "chuyen", "xa", "phuong", "thi", "hoi", "dan",
                 "huyen", "quan", "thanh", "tinh", "doan", "the"}
# first syllables of words that never end a phrase in a plan ("cung cấp", "hoạt động", "triển khai"…)
_FIRST_SYLLABLES = {"cung", "hoạt", "triển", "chuyển", "dịch", "giải", "hướng", "tuyên", "quản", "kích"}
# a reading in another order must beat the cell-after-cell one by this much
_BETTER = 1.0
BREAK_NOTE = "Dòng bị ngắt sang trang sau trong bản sao chép từ PDF: hai phần đã được ghép lại, hãy kiểm tra."
BANNER_NOTE = ("Dòng đầu của mọi ô bị dính thành một dòng trong bản sao chép từ PDF: các ô đã được tách lại theo "
               "phỏng đoán, hãy kiểm tra.")


def _silent_breaks(lines: list[str]) -> list[int]:
    """Lines after which a page break most likely fell: a unit ended, a lower-case line follows."""
    out = []
    for s in range(1, len(lines)):
        before, after = lines[s - 1].split(), lines[s].split()
        if not (before and after and after[0][:1].islower() and after[0][:1].isalpha()):
            continue
        if before[-1] in _UNIT_END and fold(after[0]) not in _UNIT_GOES_ON:
            out.append(s)
    return out


def _cut_word(content: str) -> bool:
    """The content ends inside a word of two syllables ("… thủ tục hành chính cung" / "cấp …", "… cộng đồng
    hoạt" / "động …"): the rest of it was printed elsewhere, most likely on the next page."""
    words = content.split()
    return bool(words) and unicodedata.normalize("NFC", words[-1].lower()) in _FIRST_SYLLABLES


def _banner(lines: list[str], fields: list[str]) -> bool:
    if len(lines) < 3 or len(fields) < 3:
        return False
    widths = sorted(len(line) for line in lines[1:])
    return len(lines[0].split()) >= len(fields) + 2 and len(lines[0]) > 2.5 * widths[len(widths) // 2] \
        and len(lines[0]) > max(widths) + 10


def _foreign_start(tokens: list[str], k: int) -> bool:
    """A line of a content cell starting like another cell: a unit, a person ("Đ/c"), a title, a name's end."""
    head = fold(" ".join(tokens[k:k + 3]))
    return bool(_UNIT.match(head) or _PERSON.search(head)) or tokens[k].endswith(",")


def fit_tails(heads: list[str], lines: list[str], fields: list[str]) -> tuple[list[str], float]:
    """The rest of every cell whose first line is in *heads*, cut out of *lines* in column order, each
    whole cell (head and rest) read as its column."""
    tokens, line_of = words_by_line(lines)
    n, m = len(tokens), len(fields)
    ends = [q for q in range(1, n + 1) if q == n or line_of[q - 1] != line_of[q]]
    head_words = [h.split() for h in heads]
    neg = -1e9
    best = [[neg] * (n + 1) for _ in range(m + 1)]
    back = [[-1] * (n + 1) for _ in range(m + 1)]
    best[0][0] = 0.0
    for c in range(m):
        field = fields[c]
        for p in range(n + 1):
            if best[c][p] <= neg:
                continue
            stop = min(n, p + _LONGEST.get(field, 40))
            if c == m - 1:
                candidates = [n] if n - p <= _LONGEST.get(field, 40) else []
            else:
                first_end = next((e for e in ends if e > p), n)
                candidates = list(range(p, min(first_end, stop) + 1)) + [e for e in ends if first_end < e <= stop]
            for q in candidates:
                whole = head_words[c] + tokens[p:q]
                value = _Fitter(whole, False, False).fit(field, 0, len(whole)) + _shape(line_of, p, q, n)
                if not head_words[c] and q > p:
                    value -= 3.0  # a cell empty on the first line is empty
                if field == "content":
                    value -= 2.0 * sum(1 for k in range(p + 1, q) if line_of[k] != line_of[k - 1]
                                       and tokens[k][:1].isupper() and _foreign_start(tokens, k))
                if best[c][p] + value > best[c + 1][q]:
                    best[c + 1][q] = best[c][p] + value
                    back[c + 1][q] = p
    if best[m][n] <= neg:
        return list(heads), neg
    cells = [""] * m
    q = n
    for c in range(m, 0, -1):
        p = back[c][q]
        cells[c - 1] = " ".join(head_words[c - 1] + [_join(tokens, line_of, p, q)] if q > p else head_words[c - 1])
        q = p
    return cells, best[m][n]


def _content_end_line(lines: list[str], cells: list[str], fields: list[str]) -> int:
    """The index of the line holding the last word of the content cell of *cells* (0 when none)."""
    if "content" not in fields:
        return 0
    count = sum(len(cells[k].split()) for k in range(fields.index("content") + 1))
    for index, line in enumerate(lines):
        count -= len(line.split())
        if count <= 0:
            return index
    return len(lines) - 1


def read_row(lines: list[str], fields: list[str]) -> tuple[list[str], set[int], str]:
    """The cells of a row copied without a page break marked in it, the cells whose edges are unsure, and
    a note for the preview when the row was read in another order than cell after cell ("" otherwise)."""
    cells, unsure, score = fit_cells_scored(lines, fields)
    chosen: tuple[float, list[str], set[int], str] = (score + _BETTER, cells, unsure, "")
    # a break falls after the content's first part: lines inside the content of this reading are not tried
    after_content = _content_end_line(lines, cells, fields)
    breaks = [s for s in _silent_breaks(lines) if s > after_content]
    # a content cut inside a word: the break is at one of the lines in lower case; of two readings almost as
    # good, the later break (what went to the next page is the content's end, as short as the reading allows)
    tie = 0.0
    if not breaks and "content" in fields and _cut_word(cells[fields.index("content")]):
        breaks, tie = [s for s in range(after_content + 1, len(lines)) if lines[s][:1].islower()], 0.25
    readings = []
    for s in breaks:  # the sign itself weighs for the break: no margin asked
        first, unsure_first, s1 = fit_cells_scored(lines[:s], fields)
        more, unsure_more, s2 = fit_cells_scored(lines[s:], fields, continued=True, before=first)
        joined = [f"{a} {b}".strip() for a, b in zip(first, more, strict=True)]
        readings.append((s1 + s2, joined, unsure_first | unsure_more))
    if readings and max(r[0] for r in readings) > score:
        top = max(r[0] for r in readings)
        total, joined, unsure_break = [r for r in readings if r[0] >= top - tie][-1]
        chosen = (max(total, score + _BETTER), joined, unsure_break, BREAK_NOTE)
    if _banner(lines, fields):
        heads, _, _ = fit_cells_scored(lines[:1], fields, cut=True)
        whole, s_banner = fit_tails(heads, lines[1:], fields)
        s_banner -= 0.8 * max(0, sum(1 for h in heads if h) - 1)  # heads glued inside one line
        if s_banner > chosen[0]:
            chosen = (s_banner, whole, set(), BANNER_NOTE)
    return chosen[1], chosen[2], chosen[3]

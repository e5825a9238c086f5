"""Tables printed without rules, rebuilt from the positions of their words.

A borderless table starts at a header line (``STT`` at its left, or at least
three cells that read as column headers).  The header cells are the clusters
of the header lines' words; the boundary between two columns is the place
between two header cells that the words below cross least (the gutter).
Below the header every piece of a line (words separated by less than a
column gap) goes to the column it starts in; a new row starts with a line
that has something in a numbering column, or after a vertical gap.  The
table ends at an appendix title, a signature block, a prose line running
across the table, or a large gap; a table reaching the bottom of the page
goes on at the top of the next one, with or without a repeated header.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from cds_desktop.importers.document import RawRow
from cds_desktop.importers.pdf import Line, Page, Word
from cds_desktop.text import fold

NUMBERISH = re.compile(r"^(\d{1,3}(\.\d{1,3})*\.?|[IVXLC]{1,6}\.?|[A-H]\.?|[a-h]\)|\(\d{1,2}\))$")
_NUMBER_HEADER = re.compile(r"^(s\.?\s?tt|tt|so tt|so thu tu|thu tu)\b")
_STOP = re.compile(r"^(phu luc|noi nhan|tm\.|kt\.|t/m|uy ban nhan dan|chu tich|nguoi lap|bieu mau|mau so|danh sach)\b")


@dataclass
class Layout:
    """Columns of a borderless table: boundaries (``len = columns + 1``), header centres, numbering columns."""

    bounds: list[float]
    centres: list[float]
    number_cols: set[int]
    header_key: str = ""  # the first header line, folded
    header_lines: int = 1


def column_gap(line: Line) -> float:
    return 0.6 * max(statistics.median(w.height for w in line.words), 4.0)


def pieces(line: Line) -> list[list[Word]]:
    gap = column_gap(line)
    out: list[list[Word]] = [[line.words[0]]]
    for word in line.words[1:]:
        if word.x0 - out[-1][-1].x1 > gap:
            out.append([word])
        else:
            out[-1].append(word)
    return out


def _text(words: list[Word]) -> str:
    return " ".join(w.text for w in words)


def is_header_line(line: Line) -> bool:
    parts = pieces(line)
    if len(parts) < 3:
        return False
    if _NUMBER_HEADER.match(fold(_text(parts[0]))):
        return True
    from cds_desktop.importers.headers import score_header

    return sum(1 for p in parts if score_header(_text(p))[1] >= 7) >= 3


def _is_stop(line: Line) -> bool:
    return bool(_STOP.match(fold(line.text)))


def _header_band(lines: list[Line], start: int, carried: Layout | None) -> int:
    """Index of the first line after the header lines starting at *start*.

    A header repeated at the top of a page has as many lines as where it was first printed
    (the rest of a row cut by the page break may follow it, without a number)."""
    if carried is not None and carried.header_key == fold(lines[start].text):
        return min(start + carried.header_lines, len(lines))
    end = start + 1
    while end < len(lines) and end - start < 8:
        prev, line = lines[end - 1], lines[end]
        if line.top - prev.bottom > 0.8 * max(prev.height, 1.0) or NUMBERISH.match(line.words[0].text):
            break
        end += 1
    return end


def _clusters(lines: list[Line]) -> list[list[Word]]:
    words = sorted((w for line in lines for w in line.words), key=lambda w: w.x0)
    gap = 0.6 * max(statistics.median(w.height for w in words), 4.0)
    out: list[list[Word]] = []
    right = -1e9
    for w in words:
        if out and w.x0 <= right + gap:
            out[-1].append(w)
            right = max(right, w.x1)
        else:
            out.append([w])
            right = w.x1
    return out


def _gutter(words: list[Word], lo: float, hi: float) -> float:
    """The x between *lo* and *hi* crossed by the fewest words (middle of the widest such run)."""
    if hi <= lo:
        return (lo + hi) / 2
    events: list[tuple[float, int]] = []
    for w in words:
        if w.x1 > lo and w.x0 < hi:
            events.append((max(w.x0, lo), 1))
            events.append((min(w.x1, hi), -1))
    events.sort()
    best = (10**9, 0.0, (lo + hi) / 2)  # (count, -width, x)
    x, count = lo, 0
    for pos, delta in events + [(hi, 0)]:
        if pos > x:
            candidate = (count, -(pos - x), (x + pos) / 2)
            if candidate[:2] < best[:2]:
                best = candidate
        count += delta
        x = max(x, pos)
    return best[2]


def _layout(header: list[Line], body: list[Line]) -> tuple[Layout, list[str]] | None:
    clusters = _clusters(header)
    if len(clusters) < 3:
        return None
    line_of = {id(w): i for i, line in enumerate(header) for w in line.words}
    texts = [" ".join(w.text for w in sorted(c, key=lambda w: (line_of[id(w)], w.x0))) for c in clusters]
    words = [w for line in body for w in line.words]
    bounds = [min(w.x0 for w in clusters[0]) - 40.0]
    for left, right in zip(clusters, clusters[1:], strict=False):
        bounds.append(_gutter(words, max(w.x1 for w in left), min(w.x0 for w in right)))
    bounds.append(max(w.x1 for w in clusters[-1]) + 400.0)
    centres = [(min(w.x0 for w in c) + max(w.x1 for w in c)) / 2 for c in clusters]
    layout = Layout(bounds, centres, set(), fold(header[0].text), len(header))
    for c, text in enumerate(texts):
        if _NUMBER_HEADER.match(fold(text)) or fold(text) in ("chi tiet", "tt chi tiet"):
            layout.number_cols.add(c)
    return layout, texts


def _column(layout: Layout, x: float) -> int:
    c = 0
    while c + 1 < len(layout.bounds) - 1 and layout.bounds[c + 1] <= x + 1:
        c += 1
    return c


def _table_end(lines: list[Line], start: int, layout: Layout) -> int:
    width = layout.bounds[-2] - layout.bounds[1] if len(layout.bounds) > 3 else 300.0
    for i in range(start, len(lines)):
        line = lines[i]
        prev = lines[i - 1] if i > 0 else None
        if _is_stop(line) or is_header_line(line):
            return i
        if prev is not None and i > start and line.top - prev.bottom > 2.2 * max(prev.height, 1.0):
            return i
        parts = pieces(line)
        if (len(parts) == 1 and line.x1 - line.x0 > 0.55 * width and line.x0 < layout.bounds[1] - 2
                and not NUMBERISH.match(line.words[0].text)):
            return i
    return len(lines)


def rows_of(lines: list[Line], layout: Layout, first_ref: int = 1) -> list[RawRow]:
    """Data rows: line pieces put in columns, rows started by a number or a gap."""
    from cds_desktop.importers.pdf_layout import join_cell_lines

    n = len(layout.bounds) - 1
    rows: list[tuple[list[list[Line]], list[int]]] = []
    prev: Line | None = None
    for line in lines:
        placed = [(_column(layout, p[0].x0), p) for p in pieces(line)]
        numbered = any(c in layout.number_cols and NUMBERISH.match(p[0].text) for c, p in placed)
        gap = prev is not None and line.top - prev.bottom > 0.8 * max(prev.height, 1.0)
        if not rows or numbered or gap:
            rows.append(([[] for _ in range(n)], [1] * n))
        cells, spans = rows[-1]
        for c, words in placed:
            cells[c].append(Line(list(words)))
            reach = c + 1
            while reach < n and layout.bounds[reach] < words[-1].x1 - 3:
                reach += 1
            spans[c] = max(spans[c], reach - c)
        prev = line
    # Where the text of each column stops at the most (the column's right limit, less a little).
    limits = [layout.bounds[c + 1] for c in range(n)]
    for c in range(n):
        ends = [line.x1 for cells, spans in rows if spans[c] == 1 for line in cells[c]]
        if len(ends) >= 3:
            limits[c] = min(limits[c], max(ends)) - 1.5
    out: list[RawRow] = []
    for index, (cells, spans) in enumerate(rows):
        texts = [join_cell_lines(cell, limits[c]) if cell else "" for c, cell in enumerate(cells)]
        row_spans = [1] * n
        c = 0
        while c < n:
            span = spans[c] if texts[c] else 1
            span = max(1, min(span, n - c))
            if any(texts[k] for k in range(c + 1, c + span)):
                span = 1
            row_spans[c] = span
            for k in range(c + 1, c + span):
                row_spans[k] = 0
            c += span
        out.append(RawRow(texts, first_ref + index, row_spans))
    return out


def borderless_tables(lines: list[Line], page: Page, ruled: list, carried: Layout | None):
    """Borderless tables among *lines* of *page*: ``(tables, ids of lines used, layout open at the page end)``."""
    from cds_desktop.importers.pdf_layout import PageTable, _is_page_number

    found: list[PageTable] = []
    consumed: set[int] = set()
    content = [line for line in lines if not _is_page_number(line, page)]
    i = 0
    if carried is not None and content and not is_header_line(content[0]) and not _is_stop(content[0]):
        first_ruled = min((t.top for t in ruled), default=page.height)
        if content[0].top < first_ruled:
            end = _table_end(content, 0, carried)
            body = content[:end]
            found.append(PageTable(rows_of(body, carried), list(carried.centres), body[0].top, body[-1].bottom,
                                   page.number))
            consumed.update(id(line) for line in body)
            i = end
    open_layout: Layout | None = carried if i == len(content) and found else None
    while i < len(content):
        if not is_header_line(content[i]):
            i += 1
            continue
        band = _header_band(content, i, open_layout or carried)
        header = content[i:band]
        probe = content[band:band + 80]
        made = _layout(header, probe)
        if made is None:
            i += 1
            continue
        layout, texts = made
        end = _table_end(content, band, layout) if band < len(content) else band
        body = content[band:end]
        header_row = RawRow(texts, 1)
        rows = [header_row] + rows_of(body, layout, 2)
        last = body[-1] if body else header[-1]
        found.append(PageTable(rows, list(layout.centres), header[0].top, last.bottom, page.number, 1))
        consumed.update(id(line) for line in header + body)
        open_layout = layout if end == len(content) else None
        i = max(end, i + 1)
    return found, consumed, open_layout

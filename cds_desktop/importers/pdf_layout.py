"""From a PDF page's words and rules to paragraphs and raw tables, in reading order.

See :mod:`cds_desktop.importers.pdf` for the overview.  Everything works on
positions in points, top-down (``top`` grows down the page).
"""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass, field

from cds_desktop.importers.document import Block, RawRow, RawTable
from cds_desktop.importers.pdf import Line, Page, Word
from cds_desktop.importers.pdf_words import borderless_tables
from cds_desktop.text import date_cut_inside_year, fold

log = logging.getLogger(__name__)

_PAGE_NUMBER = re.compile(r"^(trang\s*)?[-–]?\s*\d{1,3}\s*[-–]?(\s*/\s*\d{1,3})?$", re.I)


@dataclass
class PageTable:
    """A table as found on one page, before tables continued over pages are joined."""

    rows: list[RawRow]
    xs: list[float]  # column boundaries
    top: float
    bottom: float
    page: int
    header_rows: int = 0  # rows known to be the header (borderless tables)
    last_page: int = 0  # page of its last part, once parts on later pages are joined to it
    text_bottom: float = 0.0  # lowest text of its last part

    def __post_init__(self) -> None:
        self.last_page = self.last_page or self.page
        self.text_bottom = self.text_bottom or self.bottom


@dataclass
class _Item:
    top: float
    block: str | PageTable
    page: int = 0
    lines: list[Line] = field(default_factory=list)


# --- lines -------------------------------------------------------------------------------------


def group_lines(words: list[Word]) -> list[Line]:
    """Words into printed lines (words whose middles are level), top to bottom."""
    if not words:
        return []
    ordered = sorted(words, key=lambda w: w.top + w.bottom)
    lines: list[list[Word]] = [[ordered[0]]]
    level = ordered[0].top + ordered[0].bottom  # twice the middle of the current line
    reach = 0.8 * max(ordered[0].bottom - ordered[0].top, 1.0)
    for word in ordered[1:]:
        middle = word.top + word.bottom
        if middle - level <= reach:
            lines[-1].append(word)
        else:
            lines.append([word])
            level, reach = middle, 0.8 * max(word.bottom - word.top, 1.0)
    return [Line(ws) for ws in lines]


def join_cell_lines(lines: list[Line], right: float) -> str:
    """Text of a table cell: wrapped lines joined by a space, lines ended on purpose by a line break.

    A line ended on purpose when the next line's first word would have fitted
    after it, before the cell's right limit *right*.
    """
    out = ""
    for i, line in enumerate(lines):
        text = line.text
        if i == 0:
            out = text
            continue
        prev = lines[i - 1]
        first = line.words[0]
        space = 0.28 * first.height
        if date_cut_inside_year(out, text):
            out += text  # "15/10/202" / "6": a date too wide for its column, broken inside its year
        elif prev.x1 + space + (first.x1 - first.x0) < right:
            out += "\n" + text
        elif out.endswith("-") and len(out) > 1 and not out[-2].isspace():
            out += text
        else:
            out += " " + text
    return out.strip()


def segments(line: Line, gap: float) -> list[list[Word]]:
    """Pieces of a line separated by more than *gap* points."""
    out: list[list[Word]] = [[line.words[0]]]
    for word in line.words[1:]:
        if word.x0 - out[-1][-1].x1 > gap:
            out.append([word])
        else:
            out[-1].append(word)
    return out


# --- ruled tables ------------------------------------------------------------------------------


def _cluster(values: list[float], tolerance: float = 2.0) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tolerance:
            continue
        out.append(v)
    return out


def _index(grid: list[float], value: float) -> int:
    """Index of the grid line nearest to *value* (*grid* sorted)."""
    i = bisect.bisect_left(grid, value)
    if i == 0:
        return 0
    if i == len(grid):
        return i - 1
    return i if grid[i] - value < value - grid[i - 1] else i - 1


def ruled_tables(page: Page) -> tuple[list[PageTable], set[int]]:
    """Tables closed by rules on *page*; also the ids of the words they hold."""
    if len(page.edges) < 4:
        return [], set()
    from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges

    edges = [dict(e, doctop=e["top"]) for e in page.edges]
    edges = merge_edges(edges, 3, 3, 3, 3)
    edges = [e for e in edges if (e["x1"] - e["x0"] if e["orientation"] == "h" else e["bottom"] - e["top"]) >= 3]
    cells = intersections_to_cells(edges_to_intersections(edges, 3, 3))
    tables: list[PageTable] = []
    used: set[int] = set()
    for boxes in cells_to_tables(cells):
        xs = _cluster([b[0] for b in boxes] + [b[2] for b in boxes])
        ys = _cluster([b[1] for b in boxes] + [b[3] for b in boxes])
        if len(xs) < 3 or len(ys) < 2:
            continue  # a framed paragraph, not a table
        table = _grid_table(page, boxes, xs, ys, used)
        if table is not None:
            tables.append(table)
    return tables, used


def _grid_table(page: Page, boxes: list, xs: list[float], ys: list[float], used: set[int]) -> PageTable | None:
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    cells = [[""] * n_cols for _ in range(n_rows)]
    spans = [[1] * n_cols for _ in range(n_rows)]
    vmerged: list[set[int]] = [set() for _ in range(n_rows)]
    x0, top, x1, bottom = xs[0], ys[0], xs[-1], ys[-1]
    inside = [w for w in page.words if x0 - 1 <= w.cx <= x1 + 1 and top - 1 <= w.cy <= bottom + 1]
    if not inside:
        return None
    owner: dict[tuple[int, int], int] = {}  # grid square -> the box covering it
    for b, box in enumerate(boxes):
        for r in range(_index(ys, box[1]), _index(ys, box[3])):
            for c in range(_index(xs, box[0]), _index(xs, box[2])):
                owner[(r, c)] = b
    held: list[list[Word]] = [[] for _ in boxes]
    for w in inside:
        r = min(max(bisect.bisect_right(ys, w.cy) - 1, 0), n_rows - 1)
        c = min(max(bisect.bisect_right(xs, w.cx) - 1, 0), n_cols - 1)
        b = owner.get((r, c))
        if b is not None:
            held[b].append(w)
    placed: list[tuple[tuple, list[Line]]] = []
    margins: list[float] = []
    for box, words in zip(boxes, held, strict=True):
        lines = group_lines(words) if words else []
        placed.append((box, lines))
        if lines:
            margins.append(min(line.x0 for line in lines) - box[0])
    # Cells have the same padding left and right; most cells are aligned left.
    padding = min(max(sorted(margins)[len(margins) // 2] if margins else 5.0, 0.5), 15.0)
    for box, lines in placed:
        r0, r1 = _index(ys, box[1]), _index(ys, box[3])
        c0, c1 = _index(xs, box[0]), _index(xs, box[2])
        if r1 <= r0 or c1 <= c0:
            continue
        cells[r0][c0] = join_cell_lines(lines, box[2] - padding - 1.5) if lines else ""
        spans[r0][c0] = c1 - c0
        for c in range(c0 + 1, c1):
            spans[r0][c] = 0
        for r in range(r0 + 1, r1):
            vmerged[r].add(c0)
            spans[r][c0] = c1 - c0
            for c in range(c0 + 1, c1):
                spans[r][c] = 0
    for w in inside:
        used.add(id(w))
    rows = [RawRow(cells[r], r + 1, spans[r], vmerged[r]) for r in range(n_rows)]
    return PageTable(rows, xs, top, bottom, page.number, text_bottom=max(w.bottom for w in inside))


# --- paragraphs --------------------------------------------------------------------------------


def _is_page_number(line: Line, page: Page) -> bool:
    edge = 0.09 * page.height
    return (line.top < edge or line.bottom > page.height - edge) and bool(_PAGE_NUMBER.match(line.text.strip()))


def paragraphs(lines: list[Line], page: Page) -> list[_Item]:
    """Page text outside tables as paragraphs: a line wrapped onto the next is joined to it."""
    items: list[_Item] = []
    pieces: list[Line] = []
    for line in lines:
        if _is_page_number(line, page):
            continue
        gap = 2.5 * max(min(w.height for w in line.words), 4.0)
        parts = segments(line, gap)
        if len(parts) > 1:  # pieces of a split line (the two halves of the letterhead) stay apart
            pieces.extend(Line(p, split=True) for p in parts)
        else:
            pieces.append(line)
    right = max((p.x1 for p in pieces if not p.split), default=page.width)
    current: list[Line] = []
    for piece in pieces:
        if current and not piece.split and not current[-1].split and _continues(current[-1], piece, right):
            current.append(piece)
            continue
        if current:
            items.append(_Item(current[0].top, " ".join(p.text for p in current), page.number, current))
        current = [piece]
    if current:
        items.append(_Item(current[0].top, " ".join(p.text for p in current), page.number, current))
    return items


_LIST_START = re.compile(r"^([-–+•*]|\d{1,2}(\.\d{1,2})*[.)]|[a-zđ][)]|[IVX]{1,5}\.)(\s|$)")


def _continues(prev: Line, line: Line, right: float) -> bool:
    """*line* continues the paragraph of *prev* (prev was filled up to the right margin)."""
    first = line.words[0]
    height = max(prev.height, 1.0)
    if line.top - prev.bottom > 0.9 * height or line.top < prev.top:
        return False
    if prev.x1 + 0.28 * first.height + (first.x1 - first.x0) < right - 2:
        return False
    if line.x0 > prev.x0 + 2 * height and line.x0 > prev.x0 + 10:
        return False
    return not _LIST_START.match(line.text)


# --- the whole document ------------------------------------------------------------------------


def _row_key(row: RawRow) -> tuple[str, ...]:
    return tuple(fold(c).replace(" ", "") for c in row.cells)


def _same_columns(a: PageTable, b: PageTable) -> bool:
    if len(a.xs) != len(b.xs):
        return False
    return all(abs(x - y) <= 6 for x, y in zip(a.xs, b.xs, strict=True))


def _join(first: PageTable, nxt: PageTable, floor: float) -> None:
    """Append the rows of *nxt* (the same table continued on the next page) to *first*.

    *floor* is the lowest a table's text reaches on any page: a part ending there
    was cut by the page break, perhaps in the middle of a row.
    """
    rows = list(nxt.rows)
    head = {_row_key(r) for r in first.rows[:3] if any(c.strip() for c in r.cells)}
    while rows and _row_key(rows[0]) in head:
        rows.pop(0)
    if rows and first.rows and _cut_row(first.rows[-1], rows[0], first.text_bottom >= floor - 6):
        last, part = first.rows[-1], rows.pop(0)
        for c, text in enumerate(part.cells):
            if text.strip() and c < len(last.cells):
                last.cells[c] = (last.cells[c] + " " + text).strip()
        if not texts_lower(part):
            last.notes.append(f"Dòng bị ngắt sang trang {nxt.page}: phần đầu trang đã được ghép vào dòng này, hãy kiểm tra.")
    offset = first.rows[-1].ref if first.rows else 0
    for r in rows:
        r.ref += offset
    first.rows.extend(rows)
    first.bottom = nxt.bottom
    first.text_bottom = nxt.text_bottom
    first.last_page = nxt.page


def texts_lower(part: RawRow) -> bool:
    """The rest of a cut row plainly goes on (its first text starts in lower case)."""
    return part.cells[part.filled[0]].strip()[:1].islower()


_LABEL = re.compile(r"^([IVXLC]{1,6}|[A-H]|\d{1,3})([.)]|\s|$)")


def _cut_row(last: RawRow, part: RawRow, at_floor: bool) -> bool:
    """*part* is the rest of *last*, cut by the page break: no number, and either the text goes on
    in lower case or the first part reached the bottom of the page; a group label is never a rest."""
    if part.cell(0).strip() or not part.filled:
        return False
    texts = [part.cells[c].strip() for c in part.filled]
    if _LABEL.match(texts[0]) or not all(last.cell(c).strip() for c in part.filled):
        return False
    return texts[0][:1].islower() or at_floor


def document_blocks(pages: list[Page]) -> list[Block]:
    """Paragraphs and tables of every page, tables continued over a page break joined."""
    items: list[_Item] = []
    carried = None
    for page in pages:
        if not page.words:
            continue
        tables, used = ruled_tables(page)
        free = [w for w in page.words if id(w) not in used]
        lines = group_lines(free)
        found, consumed, carried = borderless_tables(lines, page, tables, carried)
        page_items = [_Item(t.top, t, page.number) for t in tables + found]
        rest = [line for line in lines if id(line) not in consumed]
        page_items.extend(paragraphs(rest, page))
        page_items.sort(key=lambda item: item.top)
        items.extend(page_items)
    floor = max((item.block.text_bottom for item in items if isinstance(item.block, PageTable)), default=0.0)
    blocks: list[Block] = []
    last_table: PageTable | None = None
    for item in items:
        if isinstance(item.block, PageTable):
            table = item.block
            if (last_table is not None and blocks and blocks[-1] is last_table and table.page == last_table.last_page + 1
                    and _same_columns(last_table, table)):
                _join(last_table, table, floor)
                continue
            blocks.append(table)
            last_table = table
        else:
            blocks.append(item.block)
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, PageTable):
            out.append(RawTable(block.rows, "pdf", 0, page=block.page))
        else:
            out.append(block)
    return out

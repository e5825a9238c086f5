"""Page geometry shared by the PDF and Excel renderers: margins, column widths,
estimated row heights, and rows too tall for a page cut into continuation rows."""

from __future__ import annotations

import math
from dataclasses import replace
from statistics import fmean

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from cds_desktop.reports.document import DATA, GROUP, TOTAL, Row, TableBlock
from cds_desktop.reports.fonts import FontSet
from cds_desktop.reports.pdf_cells import HYPHEN_BREAK, WordMeasure

# Nghị định 30/2020/NĐ-CP: top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
MARGINS_MM = {"top": 20.0, "bottom": 20.0, "left": 30.0, "right": 15.0}
PAGE_NUMBER_SIZE = 13
MAX_WORD_SHARE = 0.22  # a single long token never claims more than this share of the width
LEADING = 1.18  # line height / font size in tables
CELL_V_PAD = 5.0  # top + bottom padding of a table cell, points
COMFORT_CAP = 0.14  # share of the width above which a column's comfort is left to the shares
MIN_DEMAND = 8.0  # characters: an (almost) empty column still gets a sensible share


class _WordWidths:
    def __init__(self, font: str, size: float, hyphen_parts: bool) -> None:
        self.font = font
        self.size = size
        self.hyphen_parts = hyphen_parts
        self.cache: dict[str, float] = {}

    def longest(self, text: str) -> float:
        """The widest word, or with *hyphen_parts* the widest piece between hyphens."""
        best = 0.0
        cache = self.cache
        for word in text.split():
            for part in HYPHEN_BREAK.split(word) if self.hyphen_parts and "-" in word else (word,):
                w = cache.get(part)
                if w is None:
                    w = cache[part] = stringWidth(part, self.font, self.size)
                if w > best:
                    best = w
        return best


def _minimums(block: TableBlock, avail: float, fonts: FontSet, pad: float, hyphen_parts: bool = False) -> list[float]:
    """Each column at least its own minimum, its header's longest word and its cells' longest
    word (with *hyphen_parts*: the longest piece between hyphens, for very crowded tables)."""
    n = block.n_cols
    bold = _WordWidths(fonts.face(True), block.font_size, hyphen_parts)
    regular = _WordWidths(fonts.face(False), block.font_size, hyphen_parts)
    mins = [c.min_mm * mm for c in block.columns]
    slack = 2 * pad + 1.0
    spans = {(r0, c0): c1 - c0 + 1 for r0, c0, _r1, c1 in block.header_spans}
    for r, row in enumerate(block.header_rows):
        for i, text in enumerate(row[:n]):
            if text:
                across = spans.get((r, i), 1)  # a merged header shares its need among its columns
                need = (bold.longest(text) + slack) / across
                for k in range(i, min(i + across, n)):
                    mins[k] = max(mins[k], need)
    cap = avail * MAX_WORD_SHARE
    for row in block.rows:
        if row.kind == GROUP:
            label = next((i for i, t in enumerate(row.cells) if t), 0)
            mins[label] = max(mins[label], min(bold.longest(row.cells[label]), cap) + slack)
            continue
        if row.kind not in (DATA, TOTAL):
            continue
        measure = bold if row.kind == TOTAL else regular
        for i, text in enumerate(row.cells[:n]):
            if text:
                mins[i] = max(mins[i], min(measure.longest(text), cap) + slack)
    return mins


def _comfortable(block: TableBlock, avail: float, fonts: FontSet, pad: float) -> list[float]:
    """Widths at which a column's typical (median) cell and its header take about two
    lines: short texts such as unit names or deadlines then stay compact
    ("Văn phòng / HĐND-UBND") instead of one word a line."""
    regular, bold = fonts.face(False), fonts.face(True)
    rows = [r for r in block.rows if r.kind == DATA]
    single_headers = len(block.header_rows) == 1 and not block.header_spans
    out = []
    for i, column in enumerate(block.columns):
        if column.weight <= 0:
            out.append(0.0)
            continue
        texts = sorted((r.cells[i] for r in rows if r.cells[i]), key=len)
        need = stringWidth(texts[len(texts) // 2], regular, block.font_size) / 1.7 if texts else 0.0
        if single_headers:  # a short header ("Ghi chú") on one line, a long one on about two
            header = block.header_rows[0][i]
            share = 1.0 if len(header.split()) <= 2 else 2.2
            need = max(need, stringWidth(header, bold, block.font_size) / share)
        out.append(min(need + 2 * pad + 2, avail * COMFORT_CAP))
    return out


def _demands(block: TableBlock) -> list[float]:
    """How much text each column holds on average (characters per data row)."""
    rows = [r for r in block.rows if r.kind in (DATA, TOTAL)]
    if not rows:
        return [MIN_DEMAND] * block.n_cols
    return [max(fmean(len(r.cells[i]) for r in rows), MIN_DEMAND) for i in range(block.n_cols)]


def column_widths_pt(block: TableBlock, avail: float, fonts: FontSet, pad: float) -> list[float]:
    """Column widths (points) filling *avail*.

    Every column is at least as wide as its minimum and its longest word
    (if the page allows, wide enough for its typical cell in two lines); the
    rest of the width goes to the flexible columns in proportion to
    ``sqrt(weight × mean text length)``: a column that holds much text gets
    room, so rows stay short, and the weights keep the plan's proportions.
    """
    n = block.n_cols
    mins = _minimums(block, avail, fonts, pad)
    comfortable = [max(m, c) for m, c in zip(mins, _comfortable(block, avail, fonts, pad), strict=True)]
    if sum(comfortable) <= avail * 0.85:
        mins = comfortable
    elif sum(mins) >= avail:  # crowded: let words break after their hyphens
        mins = _minimums(block, avail, fonts, pad, hyphen_parts=True)
    if sum(mins) >= avail:
        scale = avail / sum(mins)
        return [m * scale for m in mins]
    demands = _demands(block)
    shares = [math.sqrt(c.weight * d) if c.weight > 0 else 0.0 for c, d in zip(block.columns, demands, strict=True)]
    widths = list(mins)
    free = {i for i in range(n) if shares[i] > 0}
    flexible = bool(free)
    while free:
        fixed = sum(widths[i] for i in range(n) if i not in free)
        remaining = avail - fixed
        total = sum(shares[i] for i in free)
        proposal = {i: remaining * shares[i] / total for i in free}
        short = [i for i in free if proposal[i] < mins[i]]
        if not short:
            for i in free:
                widths[i] = proposal[i]
            break
        for i in short:
            widths[i] = mins[i]
            free.discard(i)
    if not flexible:  # only fixed columns: spread the spare width evenly
        spare = (avail - sum(widths)) / n
        widths = [w + spare for w in widths]
    return widths


def header_height(block: TableBlock, widths: list[float], fonts: FontSet, pad: float) -> float:
    measure = WordMeasure(fonts.face(True), block.font_size)
    total = 0.0
    for row in block.header_rows:
        lines = max((len(measure.wrap(t, max(w - 2 * pad, 5))) for t, w in zip(row, widths, strict=False) if t),
                    default=1)
        total += lines * block.font_size * LEADING + CELL_V_PAD
    return total


def split_tall_rows(block: TableBlock, widths: list[float], fonts: FontSet, pad: float, limit: float) -> list[Row]:
    """The block's rows, with every data row taller than *limit* points cut into
    rows of at most *limit* (the later ones marked ``continued``), so that a row
    never needs more than a page and page breaks fall between rows.

    Cells are wrapped with the renderers' own algorithm at the cells' inner
    width and each piece keeps its lines as forced line breaks, so it shows
    exactly those lines (and the text is unchanged: no space is added where a
    line broke after a hyphen)."""
    leading = block.font_size * LEADING
    per_row = max(int((limit - CELL_V_PAD) // leading), 1)
    measures = {False: WordMeasure(fonts.face(False), block.font_size),
                True: WordMeasure(fonts.face(True), block.font_size)}
    out: list[Row] = []
    for row in block.rows:
        if row.kind not in (DATA, TOTAL):
            out.append(row)
            continue
        measure = measures[row.kind == TOTAL]
        inner = [max(w - 2 * pad, 5) for w in widths]
        # Cheap upper bound first (generous average glyph width): most rows need no wrapping here.
        bound = max((len(t) * block.font_size * 0.8 / w + t.count("\n") + 2 for t, w in zip(row.cells, inner,
                                                                                           strict=False)), default=1)
        if bound * leading + CELL_V_PAD <= limit:
            out.append(row)
            continue
        cells = [[line for line, _w in measure.wrap(text, width)] if text else []
                 for text, width in zip(row.cells, inner, strict=False)]
        tallest = max((len(c) for c in cells), default=1)
        if tallest * leading + CELL_V_PAD <= limit:
            out.append(row)
            continue
        for start in range(0, tallest, per_row):
            # A cell that fits in the first piece keeps its text as written (no forced breaks: a unit
            # list or a deadline reads back the same); only the cells that go on are cut into lines.
            pieces = [(text if start == 0 else "") if len(lines) <= per_row
                      else "\n".join(lines[start:start + per_row]).strip("\n")
                      for text, lines in zip(row.cells, cells, strict=False)]
            out.append(replace(row, cells=pieces, continued=start > 0))
    return out

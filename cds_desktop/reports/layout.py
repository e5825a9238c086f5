"""Page geometry shared by the PDF and Excel renderers: margins, column widths,
estimated row heights."""

from __future__ import annotations

import math

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from cds_desktop.reports.document import DATA, GROUP, TOTAL, TableBlock
from cds_desktop.reports.fonts import FontSet

# Nghị định 30/2020/NĐ-CP: top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
MARGINS_MM = {"top": 20.0, "bottom": 20.0, "left": 30.0, "right": 15.0}
PAGE_NUMBER_SIZE = 13
MAX_WORD_SHARE = 0.22  # a single long token never claims more than this share of the width


class _WordWidths:
    def __init__(self, font: str, size: float) -> None:
        self.font = font
        self.size = size
        self.cache: dict[str, float] = {}

    def longest(self, text: str) -> float:
        best = 0.0
        cache = self.cache
        for word in text.split():
            w = cache.get(word)
            if w is None:
                w = cache[word] = stringWidth(word, self.font, self.size)
            if w > best:
                best = w
        return best


def column_widths_pt(block: TableBlock, avail: float, fonts: FontSet, pad: float) -> list[float]:
    """Column widths (points) filling *avail*: every column at least as wide as
    its minimum, its header's longest word and its cells' longest word, the
    rest of the width shared by the columns' weights."""
    n = block.n_cols
    bold = _WordWidths(fonts.face(True), block.font_size)
    regular = _WordWidths(fonts.face(False), block.font_size)
    mins = [c.min_mm * mm for c in block.columns]
    slack = 2 * pad + 1.0
    for row in block.header_rows:
        for i, text in enumerate(row[:n]):
            if text:
                mins[i] = max(mins[i], bold.longest(text) + slack)
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
    if sum(mins) >= avail:
        scale = avail / sum(mins)
        return [m * scale for m in mins]
    widths = list(mins)
    flexible = [i for i, c in enumerate(block.columns) if c.weight > 0]
    free = set(flexible)
    while free:
        fixed = sum(widths[i] for i in range(n) if i not in free)
        remaining = avail - fixed
        total_weight = sum(block.columns[i].weight for i in free)
        shares = {i: remaining * block.columns[i].weight / total_weight for i in free}
        short = [i for i in free if shares[i] < mins[i]]
        if not short:
            for i in free:
                widths[i] = shares[i]
            break
        for i in short:
            widths[i] = mins[i]
            free.discard(i)
    if not flexible:  # only fixed columns: spread the spare width evenly
        spare = (avail - sum(widths)) / n
        widths = [w + spare for w in widths]
    return widths


def estimate_lines(text: str, width_pt: float, font: str, size: float) -> int:
    """How many lines *text* takes when wrapped at word boundaries in *width_pt*."""
    if not text:
        return 1
    space = stringWidth(" ", font, size)
    lines = 0
    for para in text.split("\n"):
        lines += 1
        x = 0.0
        for word in para.split():
            w = stringWidth(word, font, size)
            if x and x + space + w > width_pt:
                lines += 1
                x = w
            else:
                x = x + space + w if x else w
            if w > width_pt:  # a word longer than the line is split over several
                extra = math.ceil(w / width_pt) - 1
                lines += extra
                x = w - extra * width_pt
    return max(lines, 1)

"""A light table-cell flowable: plain text wrapped at word boundaries.

Table cells hold plain text, so they need none of the markup parsing of
reportlab's ``Paragraph``; word widths are cached per font, and the wrapped
lines are cached per width (a table asks every cell for its size several
times).  This keeps a 300-row appendix well under a second.  Cells split
between lines when a row is taller than a page.
"""

from __future__ import annotations

import re

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

Line = tuple[str, float]  # text, width
# A line may break after a hyphen between two letters or digits ("HĐND-|UBND", "2026-|2030").
HYPHEN_BREAK = re.compile(r"(?<=\w-)(?=\w)")


class WordMeasure:
    """Word widths of one font at one size, cached."""

    def __init__(self, font: str, size: float) -> None:
        self.font = font
        self.size = size
        self.space = stringWidth(" ", font, size)
        self._cache: dict[str, float] = {}

    def width(self, word: str) -> float:
        w = self._cache.get(word)
        if w is None:
            w = self._cache[word] = stringWidth(word, self.font, self.size)
        return w

    def _break_word(self, word: str, width: float) -> list[Line]:
        """A word wider than the line, cut into pieces that fit (never clipped)."""
        pieces: list[Line] = []
        current = ""
        for ch in word:
            trial = current + ch
            if current and stringWidth(trial, self.font, self.size) > width:
                pieces.append((current, stringWidth(current, self.font, self.size)))
                current = ch
            else:
                current = trial
        if current:
            pieces.append((current, stringWidth(current, self.font, self.size)))
        return pieces

    def wrap(self, text: str, width: float) -> list[Line]:
        """Greedy word wrap.  A word wider than a whole line breaks after its hyphens
        ("HĐND-" / "UBND"), as word processors do, and is cut only where that is not enough."""
        lines: list[Line] = []
        space = self.space
        for para in text.split("\n"):
            words = para.split()
            if not words:
                lines.append(("", 0.0))
                continue
            current = ""
            current_w = 0.0
            for word in words:
                ww = self.width(word)
                if ww <= width or "-" not in word:
                    parts: list[str] = [word]
                else:
                    parts = HYPHEN_BREAK.split(word)
                for j, part in enumerate(parts):
                    pw = ww if len(parts) == 1 else self.width(part)
                    glue_w = space if (j == 0 and current) else 0.0
                    if current and current_w + glue_w + pw > width:
                        lines.append((current, current_w))
                        current, current_w, glue_w = "", 0.0, 0.0
                    if pw > width and not current:
                        pieces = self._break_word(part, width)
                        lines.extend(pieces[:-1])
                        current, current_w = pieces[-1]
                        continue
                    current += (" " if glue_w else "") + part
                    current_w += glue_w + pw
            lines.append((current, current_w))
        return lines

    def parts(self, word: str) -> list[str]:
        return HYPHEN_BREAK.split(word) if "-" in word else [word]


class TextCell(Flowable):
    """Wrapped plain text in a table cell, aligned left, centre or right."""

    def __init__(self, text: str, measure: WordMeasure, leading: float, align: str = "left") -> None:
        super().__init__()
        self.text = text
        self.measure = measure
        self.leading = leading
        self.align = align
        self._lines: list[Line] | None = None
        self._for_width = -1.0
        self.width = 0.0
        self.height = 0.0

    def _wrapped(self, width: float) -> list[Line]:
        if self._lines is None or width != self._for_width:
            self._lines = self.measure.wrap(self.text, width)
            self._for_width = width
        return self._lines

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        lines = self._wrapped(avail_width)
        self.width = avail_width
        self.height = len(lines) * self.leading + self.descent()
        return avail_width, self.height

    def descent(self) -> float:
        return self.measure.size * 0.22

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        lines = self._wrapped(avail_width)
        fit = int((avail_height - self.descent()) // self.leading)
        if fit <= 0 or fit >= len(lines):
            return []
        # Each part keeps its lines as forced breaks and wraps again at whatever width
        # it is drawn: the same lines at this width, never an overflow at a narrower one.
        return [
            TextCell("\n".join(t for t, _ in lines[:fit]), self.measure, self.leading, self.align),
            TextCell("\n".join(t for t, _ in lines[fit:]), self.measure, self.leading, self.align),
        ]

    def draw(self) -> None:
        # One text object per cell; lines advance with T* (no coordinates to format) and
        # centred or right-aligned lines shift with a relative Td: far cheaper than an
        # absolute text matrix per line.
        canv = self.canv
        lines = self._lines or []
        text = canv.beginText()
        text.setFont(self.measure.font, self.measure.size, self.leading)
        text.setTextOrigin(0, self.height - self.measure.size)  # baseline of the first line
        offset = 0.0
        for line, line_w in lines:
            if line and self.align != "left":
                x = (self.width - line_w) / 2 if self.align == "center" else self.width - line_w
                if abs(x - offset) > 0.01:
                    text.moveCursor(x - offset, 0)
                    offset = x
            text.textLine(line)
        canv.drawText(text)

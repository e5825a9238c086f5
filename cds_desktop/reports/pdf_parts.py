"""The pieces a PDF report is built of (reportlab): paragraph styles, the rule under a heading, the
start of a section, the room kept for a signature, page numbers, the ruled table, and the frame's
size.  Assembled by :mod:`cds_desktop.reports.pdf`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    LongTable,
    PageTemplate,
    TableStyle,
)

from cds_desktop.reports.document import (
    LANDSCAPE,
    STYLES,
)
from cds_desktop.reports.fonts import FontSet
from cds_desktop.reports.layout import (
    MARGINS_MM,
    PAGE_NUMBER_SIZE,
)

ALIGNS = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}
PAD = 3.0  # cell padding, points
TALL_ROW_SHARE = 0.3  # rows taller than this share of the frame may break across pages
KEEP_WITH_NEXT = ("label", "title", "subtitle", "heading", "caption")  # never the last line of a page
SIGNATURE_BOX_MM = (80, 26)  # the room left for the signature (width at most, height)
BLACK = colors.black


def _escape(text: str) -> str:
    """``xml.sax.saxutils.escape`` without importing it (it loads urllib, http and email: ~25 ms a process)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def markup(text: str) -> str:
    """Plain text as paragraph markup: escaped, line breaks kept."""
    return _escape(text).replace("\n", "<br/>")


class Styles:
    """ParagraphStyle cache for one font set."""

    def __init__(self, fonts: FontSet) -> None:
        self.fonts = fonts
        self._cache: dict[tuple, ParagraphStyle] = {}

    def get(self, size: float, bold: bool = False, italic: bool = False, align: str = "left",
            indent: float = 0.0, before: float = 0.0, after: float = 0.0, leading: float | None = None) -> ParagraphStyle:
        key = (size, bold, italic, align, indent, before, after, leading)
        style = self._cache.get(key)
        if style is None:
            style = ParagraphStyle(
                f"s{len(self._cache)}", fontName=self.fonts.face(bold, italic), fontSize=size,
                leading=leading or size * 1.18, alignment=ALIGNS[align], firstLineIndent=indent,
                spaceBefore=before, spaceAfter=after, textColor=BLACK, splitLongWords=1,
                bulletFontName=self.fonts.regular,
                allowWidows=0, allowOrphans=0,
            )
            self._cache[key] = style
        return style

    def named(self, name: str) -> ParagraphStyle:
        key = ("named", name)
        style = self._cache.get(key)
        if style is None:
            size, bold, italic, align, before, after = STYLES[name]
            indent = 10 * mm if name == "body" else 0.0
            base = self.get(size, bold, italic, align, indent, before, after)
            style = ParagraphStyle(f"{name}-{len(self._cache)}", parent=base,
                                   keepWithNext=1 if name in KEEP_WITH_NEXT else 0)
            self._cache[key] = style
        return style


class Rule(Flowable):
    """A horizontal rule of a given length, centred in the space it gets."""

    def __init__(self, length: float, thickness: float = 0.6, space_before: float = 3.5) -> None:
        super().__init__()
        self.length = length
        self.thickness = thickness
        self.space_before = space_before
        self._avail = length

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._avail = avail_width
        return avail_width, self.space_before + self.thickness + 1

    def draw(self) -> None:
        x0 = max((self._avail - self.length) / 2, 0)
        self.canv.setLineWidth(self.thickness)
        self.canv.setStrokeColor(BLACK)
        self.canv.line(x0, 1, x0 + min(self.length, self._avail), 1)


class SectionStart(Flowable):
    """Zero-size marker: the page it lands on is page 1 of a new section."""

    def __init__(self, title: str, key: str) -> None:
        super().__init__()
        self.title = title
        self.key = key

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        canv = self.canv
        canv._cds_section_start = canv.getPageNumber()  # type: ignore[attr-defined]
        canv.bookmarkPage(self.key)
        canv.addOutlineEntry(self.title, self.key, level=0)


@dataclass(frozen=True)
class SignatureSpot:
    """Where a signature block leaves room for the signature: page (0-based) and box
    ``(x1, y1, x2, y2)`` in PDF points (origin bottom-left) — where a digital signature's
    visible box goes (:mod:`.pdf_sign`)."""

    page: int
    box: tuple[float, float, float, float]


class SignatureRoom(Flowable):
    """The empty space between the signer's title and name (where one signs by hand); records
    where it was drawn into *spots*."""

    def __init__(self, width: float, height: float, spots: list[SignatureSpot]) -> None:
        super().__init__()
        self.width, self.height, self.spots = width, height, spots

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return min(self.width, avail_width), self.height

    def draw(self) -> None:
        x, y = self.canv.absolutePosition(0, 0)
        wide = min(self.width, SIGNATURE_BOX_MM[0] * mm)
        left = x + (self.width - wide) / 2
        page = self.canv.getPageNumber() - 1
        self.spots.append(SignatureSpot(page, (round(left, 1), round(y + 1, 1), round(left + wide, 1),
                                               round(y + self.height - 1, 1))))


def page_number(canv, doc) -> None:
    start = getattr(canv, "_cds_section_start", 1)
    number = canv.getPageNumber() - start + 1
    if number <= 1:
        return
    width, height = canv._pagesize
    canv.saveState()
    canv.setFont(doc.fonts.regular, PAGE_NUMBER_SIZE)
    canv.setFillColor(BLACK)
    left, right = MARGINS_MM["left"] * mm, MARGINS_MM["right"] * mm
    canv.drawCentredString(left + (width - left - right) / 2, height - MARGINS_MM["top"] * mm / 2 - 4, str(number))
    canv.restoreState()


class ReportDoc(BaseDocTemplate):
    def __init__(self, filename: str, fonts: FontSet, first: str, **kw) -> None:
        super().__init__(filename, pagesize=A4, **kw)
        self.fonts = fonts
        templates = []
        for orientation in (first, "portrait" if first == LANDSCAPE else LANDSCAPE):
            size = landscape(A4) if orientation == LANDSCAPE else A4
            frame = Frame(
                MARGINS_MM["left"] * mm, MARGINS_MM["bottom"] * mm,
                size[0] - (MARGINS_MM["left"] + MARGINS_MM["right"]) * mm,
                size[1] - (MARGINS_MM["top"] + MARGINS_MM["bottom"]) * mm,
                leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id=f"f-{orientation}",
            )
            templates.append(PageTemplate(id=orientation, frames=[frame], onPageEnd=page_number, pagesize=size))
        self.addPageTemplates(templates)


def frame_width(orientation: str) -> float:
    page_w = landscape(A4)[0] if orientation == LANDSCAPE else A4[0]
    return page_w - (MARGINS_MM["left"] + MARGINS_MM["right"]) * mm


def frame_height(orientation: str) -> float:
    page_h = landscape(A4)[1] if orientation == LANDSCAPE else A4[1]
    return page_h - (MARGINS_MM["top"] + MARGINS_MM["bottom"]) * mm


@lru_cache(maxsize=8)
def fits(text: str, font: str, size: float, width: float) -> bool:
    return stringWidth(text, font, size) <= width


class RuledTable(LongTable):
    """A table whose part on every page but the last is closed by a rule under its last row,
    also when the page breaks between a row and its continuation (a page never ends open)."""

    rule_pages = False  # set for tables with continuation rows (the others have every rule already)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts = super().split(availWidth, availHeight)
        if self.rule_pages and len(parts) > 1:
            parts[0].setStyle(TableStyle([("LINEBELOW", (0, -1), (-1, -1), 0.5, BLACK)]))
            for part in parts:
                part.rule_pages = True
        return parts

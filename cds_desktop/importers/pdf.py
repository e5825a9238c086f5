"""Read a born-digital PDF plan (Word / LibreOffice export, the e-office copy) into a :class:`Document`.

The page content is read once per page with PDFium (``pypdfium2``): every
character with its box, and every drawn path (table rules are paths).  From
those:

- characters become words and words become printed lines;
- ruled tables are found from the rules with pdfplumber's table finder
  (rules snapped and joined, their crossings, the smallest boxes they close,
  boxes grouped into tables); merged cells keep their spans;
- a table continued on the next page is joined to its first part, the header
  rows the word processor repeated at the top of the page are dropped, and a
  row that the page break cut in two is put back together;
- a table drawn without rules is found from its header line and rebuilt from
  the words' positions (:mod:`cds_desktop.importers.pdf_layout`);
- every other line is page text, made into paragraphs (the plan's title,
  number, date and signer are read from them downstream).

pdfminer (under pdfplumber) interprets a page in pure Python, about ten
times slower than PDFium; only pdfplumber's table geometry is used here.

A PDF without a text layer (a scan) or one that needs a password is refused
with a clear message, as is a damaged file.
"""

from __future__ import annotations

import ctypes
import logging
import re
import unicodedata
from dataclasses import dataclass, field

from cds_desktop.importers.document import Document, ImportFailure, RawRow, RawTable

log = logging.getLogger(__name__)

MAX_PAGES = 500


def _fail(name: str, what: str) -> ImportFailure:
    return ImportFailure(f"Không nhập được tệp «{name}»: {what}")


@dataclass(slots=True)
class Word:
    x0: float
    x1: float
    top: float
    bottom: float
    text: str

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(slots=True)
class Line:
    """Words printed on one line, left to right."""

    words: list[Word]
    top: float = 0.0
    bottom: float = 0.0
    x0: float = 0.0
    x1: float = 0.0
    split: bool = False  # one of several pieces of a printed line

    def __post_init__(self) -> None:
        self.words.sort(key=lambda w: w.x0)
        self.top = min(w.top for w in self.words)
        self.bottom = max(w.bottom for w in self.words)
        self.x0 = self.words[0].x0
        self.x1 = max(w.x1 for w in self.words)

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclass
class Page:
    number: int  # 1-based
    width: float
    height: float
    words: list[Word]
    edges: list[dict] = field(default_factory=list)
    images: int = 0


# --- reading pages -------------------------------------------------------------------------------

_TOKEN = re.compile(r"[^ \t\r\n\xa0\u2002\u2003\u2009\u200b]+")


def _page_words(textpage, page_height: float) -> list[Word]:
    """Words of a page: runs of characters without a space, split again where the print jumps."""
    import pypdfium2.raw as pdfium_c

    count = textpage.count_chars()
    if count <= 0:
        return []
    text = textpage.get_text_range(0, count)
    if len(text) != count:  # characters outside the BMP: one index each
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(textpage, i)) for i in range(count))
    text = text.replace("\ufffe", "-").replace("\x02", "-")  # PDFium's mark for a hyphen ending a line
    raw = textpage.raw
    rect = pdfium_c.FS_RECTF()
    rect_ref = ctypes.byref(rect)
    get_box = pdfium_c.FPDFText_GetLooseCharBox

    def box(i: int) -> tuple[float, float, float, float] | None:
        if not get_box(raw, i, rect_ref):
            return None
        return rect.left, rect.right, page_height - rect.top, page_height - rect.bottom

    words: list[Word] = []
    for match in _TOKEN.finditer(text):
        start, end = match.start(), match.end() - 1
        first, last = box(start), box(end)
        if first is not None and last is not None:
            height = max(first[3] - first[2], 1.0)
            if (abs((first[2] + first[3]) / 2 - (last[2] + last[3]) / 2) < 0.45 * height
                    and first[0] <= last[0] + 0.5 and last[1] - first[0] <= (end - start + 1) * 1.1 * height):
                words.append(Word(first[0], max(first[1], last[1]), min(first[2], last[2]),
                                  max(first[3], last[3]), match.group()))
                continue
        words.extend(_split_run(text, start, end, box))
    for word in words:
        if not word.text.isascii():
            word.text = unicodedata.normalize("NFC", word.text)
    return words


def _split_run(text: str, start: int, end: int, box) -> list[Word]:
    """A run of characters that is not one printed word: cut it where the print jumps."""
    words: list[Word] = []
    chars: list[str] = []
    x0 = x1 = top = bottom = 0.0
    for i in range(start, end + 1):
        ch = text[i]
        b = box(i)
        if b is None:
            continue
        cx0, cx1, ctop, cbottom = b
        if chars:
            height = bottom - top
            same_line = abs((ctop + cbottom) / 2 - (top + bottom) / 2) < 0.45 * max(height, 1.0)
            if unicodedata.combining(ch) or (same_line and x1 - 0.4 * height <= cx0 <= x1 + 0.18 * height):
                chars.append(ch)
                x1 = max(x1, cx1)
                top, bottom = min(top, ctop), max(bottom, cbottom)
                continue
            words.append(Word(x0, x1, top, bottom, "".join(chars)))
        chars = [ch]
        x0, x1, top, bottom = cx0, cx1, ctop, cbottom
    if chars:
        words.append(Word(x0, x1, top, bottom, "".join(chars)))
    return words


def _page_edges(page, page_width: float, page_height: float) -> list[dict]:
    """Rules of the page as pdfplumber edges (top-down coordinates)."""
    import pypdfium2.raw as pdfium_c

    edges: list[dict] = []

    def add(orientation: str, x0: float, x1: float, top: float, bottom: float) -> None:
        edges.append({"orientation": orientation, "x0": x0, "x1": x1, "top": top, "bottom": bottom,
                      "width": x1 - x0, "height": bottom - top, "object_type": "line"})

    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=1):
        try:
            left, low, right, high = obj.get_bounds()
        except Exception:  # a path PDFium cannot measure is not a rule
            continue
        top, bottom = page_height - high, page_height - low
        w, h = right - left, bottom - top
        if w * h > 0.5 * page_width * page_height or (w < 3 and h < 3):
            continue  # page background, dots
        if h <= 3:
            mid = (top + bottom) / 2
            add("h", left, right, mid, mid)
        elif w <= 3:
            mid = (left + right) / 2
            add("v", mid, mid, top, bottom)
        else:  # a box: its four sides
            add("h", left, right, top, top)
            add("h", left, right, bottom, bottom)
            add("v", left, left, top, bottom)
            add("v", right, right, top, bottom)
    return edges


def read_pages(data: bytes, name: str) -> list[Page]:
    """Open the PDF and read every page's words and rules; refuse what cannot be read."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if exc.err_code == pdfium_c.FPDF_ERR_PASSWORD or "password" in str(exc).lower():
            raise _fail(name, "tệp PDF được đặt mật khẩu. Hãy mở bằng trình đọc PDF, bỏ mật khẩu "
                        "(hoặc in ra PDF mới) rồi nhập lại.") from exc
        if exc.err_code == pdfium_c.FPDF_ERR_SECURITY:
            raise _fail(name, "tệp PDF được mã hóa theo cách không hỗ trợ. Hãy in ra một tệp PDF mới rồi nhập lại.") from exc
        log.warning("%s: PDFium cannot open: %s", name, exc)
        raise _fail(name, "tệp PDF bị hỏng hoặc không đầy đủ (không mở được). Hãy lấy lại tệp gốc.") from exc
    pages: list[Page] = []
    try:
        total = len(pdf)
        if total == 0:
            raise _fail(name, "tệp PDF không có trang nào (tệp bị hỏng hoặc không đầy đủ).")
        if total > MAX_PAGES:
            raise _fail(name, f"tệp PDF có {total} trang, quá nhiều cho một kế hoạch (tối đa {MAX_PAGES}).")
        for index in range(total):
            page = pdf[index]
            try:
                width, height = page.get_size()
                textpage = page.get_textpage()
                try:
                    words = _page_words(textpage, height)
                finally:
                    textpage.close()
                images = 0 if words else sum(1 for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))
                pages.append(Page(index + 1, width, height, words, _page_edges(page, width, height), images))
            finally:
                page.close()
    except pdfium.PdfiumError as exc:
        log.warning("%s: PDFium failed on a page: %s", name, exc)
        raise _fail(name, "tệp PDF bị hỏng (không đọc được nội dung trang). Hãy lấy lại tệp gốc.") from exc
    finally:
        pdf.close()
    return pages


# --- the document --------------------------------------------------------------------------------


def read_pdf(data: bytes, name: str) -> Document:
    from cds_desktop.importers import pdf_layout

    pages = read_pages(data, name)
    letters = sum(len(w.text) for p in pages for w in p.words)
    if letters < 20:
        if any(p.images for p in pages):
            raise _fail(name, "tệp PDF chỉ có ảnh quét, không có lớp chữ nên không đọc được nội dung. "
                        "Hãy dùng tệp Word (.docx) gốc, hoặc nhận dạng chữ (OCR) rồi lưu lại dạng .docx.")
        raise _fail(name, "tệp PDF không có chữ nào đọc được.")
    try:
        blocks = pdf_layout.document_blocks(pages)
    except Exception as exc:  # a layout this reader does not expect must not end in a traceback
        log.exception("%s: cannot lay out the PDF pages", name)
        raise _fail(name, "không đọc được bố cục các trang PDF. Hãy dùng tệp Word (.docx) gốc, "
                    "hoặc sao chép bảng từ PDF và dán vào.") from exc
    tables = [b for b in blocks if isinstance(b, RawTable)]
    for number, table in enumerate(tables, start=1):
        table.index = number
    notes: list[str] = []
    empty = [p.number for p in pages if not p.words and p.images]
    if empty:
        notes.append("Các trang " + ", ".join(map(str, empty[:10])) + " chỉ có ảnh quét (không có chữ), đã bỏ qua.")
    return Document(name=name, blocks=blocks, origin="pdf", notes=notes)


__all__ = ["Line", "Page", "RawRow", "Word", "read_pages", "read_pdf"]

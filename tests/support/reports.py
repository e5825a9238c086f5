"""Helpers shared by the report tests (no tests here): reading PDFs and workbooks back."""

from __future__ import annotations

import re
import unicodedata
import zipfile
from pathlib import Path

from pypdf import PdfReader

MM = 72 / 25.4
_SPACE = re.compile(r"\s+")


def squash(text: str) -> str:
    """Text without any whitespace (cells wrap anywhere), NFC."""
    return _SPACE.sub("", unicodedata.normalize("NFC", text))


def pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(str(path)).pages]


def pdf_text(path: Path) -> str:
    return "\n".join(pdf_pages(path))


def assert_in_order(haystack: str, needles: list[str], *, prefix: int = 40) -> None:
    """Every needle (its first *prefix* characters, whitespace ignored) occurs, in this order."""
    flat = squash(haystack)
    pos = 0
    for needle in needles:
        key = squash(needle)[: prefix]
        found = flat.find(key, pos)
        assert found >= 0, f"missing or out of order: {needle[:60]!r}"
        pos = found + len(key)


def top_margin_texts(path: Path) -> list[list[tuple[str, float]]]:
    """Per page, the texts drawn above the top margin (20 mm) with their x position."""
    out = []
    for page in PdfReader(str(path)).pages:
        height = float(page.mediabox.height)
        found: list[tuple[str, float]] = []

        def visit(text, cm, tm, font_dict, font_size, found=found, height=height):
            if text.strip():
                x = tm[4] * cm[0] + cm[4]
                y = tm[5] * cm[3] + cm[5]
                if y > height - 20 * MM:
                    found.append((text.strip(), x))

        page.extract_text(visitor_text=visit)
        out.append(found)
    return out


def page_sizes(path: Path) -> list[tuple[float, float]]:
    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in PdfReader(str(path)).pages]


def font_problems(path: Path) -> list[str]:
    """Fonts used by the PDF that are not embedded TrueType fonts."""
    problems = []
    seen = set()
    for page in PdfReader(str(path)).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for name, ref in fonts.items():
            font = ref.get_object()
            base = str(font.get("/BaseFont"))
            if base in seen:
                continue
            seen.add(base)
            descriptor = font.get("/FontDescriptor")
            if descriptor is None or "/FontFile2" not in descriptor.get_object():
                problems.append(f"{name} {base}")
    if not seen:
        problems.append("no fonts at all")
    return problems


def sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return "".join(zf.read(n).decode("utf-8") for n in zf.namelist() if n.startswith("xl/worksheets/sheet"))


def sheet_strings(ws) -> list[str]:
    """Every non-empty cell value of a worksheet, row by row, as text."""
    return [str(c.value) for row in ws.iter_rows() for c in row if c.value not in (None, "")]

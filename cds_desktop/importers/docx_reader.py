"""Word (.docx) plan documents read as paragraphs and tables, with Word's automatic numbering written out.

The zip is checked first (:func:`cds_desktop.importers.office.check_zip`); a paragraph numbered by Word
("I.", "1.", "a)") gets its number as printed, so that group rows read as the officer sees them.
"""

from __future__ import annotations

import io
import logging
import re
from typing import Any

from cds_desktop.importers.document import Document, RawRow, RawTable
from cds_desktop.importers.office import check_zip, office_failure

log = logging.getLogger(__name__)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += letters
            n -= value
    return out


def _letters(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _format_number(n: int, fmt: str) -> str:
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


class _Numbering:
    """Renders Word's automatic list numbers ("1.", "I.", "a)") as text."""

    def __init__(self, document: Any) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[str, list[int]] = {}
        self.style_numbering = self._styles(document)
        try:
            root = document.part.numbering_part.element
        except (AttributeError, KeyError, NotImplementedError):
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for node in root.findall(f"{_W}abstractNum"):
            levels = {}
            for lvl in node.findall(f"{_W}lvl"):
                fmt = lvl.find(f"{_W}numFmt")
                text = lvl.find(f"{_W}lvlText")
                start = lvl.find(f"{_W}start")
                levels[int(lvl.get(f"{_W}ilvl", "0"))] = (
                    fmt.get(f"{_W}val", "decimal") if fmt is not None else "decimal",
                    text.get(f"{_W}val", "") if text is not None else "",
                    int(start.get(f"{_W}val", "1")) if start is not None else 1,
                )
            abstract[node.get(f"{_W}abstractNumId", "")] = levels
        for num in root.findall(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            if ref is not None:
                self.levels[num.get(f"{_W}numId", "")] = dict(abstract.get(ref.get(f"{_W}val", ""), {}))

    @staticmethod
    def _numpr(node: Any) -> tuple[str | None, int | None]:
        numpr = node.find(f"{_W}numPr") if node is not None else None
        if numpr is None:
            return None, None
        num_id_el, ilvl_el = numpr.find(f"{_W}numId"), numpr.find(f"{_W}ilvl")
        return (num_id_el.get(f"{_W}val", "") if num_id_el is not None else None,
                int(ilvl_el.get(f"{_W}val", "0")) if ilvl_el is not None else None)

    def _styles(self, document: Any) -> dict[str, tuple[str, int]]:
        """Paragraph styles that number their paragraphs ("List Number"), following "basedOn"."""
        try:
            root = document.styles.element
        except AttributeError:
            return {}
        own: dict[str, tuple[str | None, int | None, str | None]] = {}
        for style in root.findall(f"{_W}style"):
            based = style.find(f"{_W}basedOn")
            num_id, ilvl = self._numpr(style.find(f"{_W}pPr"))
            own[style.get(f"{_W}styleId", "")] = (num_id, ilvl, based.get(f"{_W}val") if based is not None else None)
        out: dict[str, tuple[str, int]] = {}
        for style_id in own:
            seen, current = set(), style_id
            while current in own and current not in seen:
                seen.add(current)
                num_id, ilvl, based = own[current]
                if num_id:
                    out[style_id] = (num_id, ilvl or 0)
                    break
                current = based or ""
        return out

    def label(self, paragraph: Any) -> str:
        ppr = paragraph.find(f"{_W}pPr")
        num_id, ilvl = self._numpr(ppr)
        if num_id is None and ppr is not None:
            style = ppr.find(f"{_W}pStyle")
            if style is not None and style.get(f"{_W}val") in self.style_numbering:
                num_id, style_level = self.style_numbering[style.get(f"{_W}val")]
                ilvl = style_level if ilvl is None else ilvl
        if not num_id or num_id == "0":
            return ""
        ilvl = ilvl or 0
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id, [0] * 9)
        fmt, text, start = levels[ilvl]
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else start
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        if fmt in ("bullet", "none"):
            return ""

        def render(match: re.Match[str]) -> str:
            level = int(match.group(1)) - 1
            lfmt = levels.get(level, ("decimal", "", 1))[0]
            value = counters[level] or levels.get(level, ("", "", 1))[2]
            return _format_number(value, lfmt)

        return re.sub(r"%(\d)", render, text).strip()


def _paragraph_text(paragraph: Any, numbering: _Numbering) -> str:
    parts: list[str] = []
    for node in paragraph.iter():
        tag = node.tag
        if tag == f"{_W}t" and node.text:
            parts.append(node.text)
        elif tag in (f"{_W}tab",):
            parts.append(" ")
        elif tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
    text = "".join(parts)
    label = numbering.label(paragraph)
    return f"{label} {text}".strip() if label else text


def _cell_text_docx(tc: Any, numbering: _Numbering) -> str:
    lines = [_paragraph_text(p, numbering) for p in tc.iter(f"{_W}p")]
    return "\n".join(line for line in lines if line.strip()).strip()


def _table_rows(tbl: Any, numbering: _Numbering) -> list[RawRow]:
    rows: list[RawRow] = []
    for r_index, tr in enumerate(tbl.findall(f"{_W}tr"), start=1):
        cells: list[str] = []
        spans: list[int] = []
        vmerged: set[int] = set()
        trpr = tr.find(f"{_W}trPr")
        before = trpr.find(f"{_W}gridBefore") if trpr is not None else None
        for _ in range(int(before.get(f"{_W}val", "0")) if before is not None else 0):
            cells.append("")
            spans.append(1)
        for tc in tr.findall(f"{_W}tc"):
            tcpr = tc.find(f"{_W}tcPr")
            span, vmerge = 1, None
            if tcpr is not None:
                grid = tcpr.find(f"{_W}gridSpan")
                if grid is not None:
                    span = max(1, int(grid.get(f"{_W}val", "1")))
                merge = tcpr.find(f"{_W}vMerge")
                if merge is not None:
                    vmerge = merge.get(f"{_W}val", "continue")
            col = len(cells)
            if vmerge == "continue":
                vmerged.add(col)
                cells.append("")
            else:
                cells.append(_cell_text_docx(tc, numbering))
            spans.append(span)
            for _ in range(span - 1):
                cells.append("")
                spans.append(0)
        rows.append(RawRow(cells, r_index, spans, vmerged))
    return rows


def read_docx(data: bytes, name: str) -> Document:
    import docx

    check_zip(data, name)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on damaged files
        log.warning("%s: python-docx failed", name, exc_info=True)
        raise office_failure(name, "tệp Word bị hỏng hoặc không đọc được.") from exc
    numbering = _Numbering(document)
    blocks: list[str | RawTable] = []
    count = 0

    def walk(parent: Any) -> None:
        nonlocal count
        for child in parent:
            if child.tag == f"{_W}p":
                text = _paragraph_text(child, numbering)
                blocks.extend(text.split("\n") if text.strip() else [""])
            elif child.tag == f"{_W}tbl":
                count += 1
                rows = _table_rows(child, numbering)
                if rows:
                    blocks.append(RawTable(rows, "docx", count))
            elif child.tag == f"{_W}sdt":
                content = child.find(f"{_W}sdtContent")
                if content is not None:
                    walk(content)

    walk(document.element.body)
    return Document(name=name, blocks=blocks, origin="docx")

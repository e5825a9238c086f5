"""Targets (chỉ tiêu) as officers write them, turned into comparable numbers.

Two entry points:

- :func:`parse_target` reads a target *cell* (``100%``, ``≥ 98%``, ``20-30%``,
  ``Trên 90%``, ``Không phát sinh``, ``05 nhiệm vụ``);
- :func:`extract_target` finds the target *embedded* in an indicator's content
  sentence (``Tỷ lệ hồ sơ xử lý đúng hạn đạt ≥ 95%``).

Rules (one set for both functions):

- An explicit comparator wins: symbols (``≥ >= > < ≤ <= =``) and words
  (``tối thiểu``/``ít nhất`` -> ge, ``trên``/``hơn`` -> gt, ``tối đa``/
  ``không quá`` -> le, ``dưới`` -> lt, ``từ N% trở lên`` -> ge).
- Two numbers joined by a dash, ``đến`` or ``tới`` with ``%`` (``20-30%``,
  ``60%- 70%``, ``từ 20 đến 30%``) are a ``range`` (lower < upper).
- **"Reach N" rule.** A quantity written without a comparator (``40% cuộc họp``,
  ``đạt 85%``, cell ``85%``, ``05 nhiệm vụ``) is read as *at least N*
  (comparator ``ge``, note says so), because for positive indicators officers
  mean "reach at least". The one exception is exactly ``100%``, which is
  ``eq`` (nothing lies above 100%).
- ``Giảm ...`` before the number marks a *reduction* (the number is the size
  of the cut, higher is better; note ``reduction``). ``giảm xuống (còn) N``
  without a comparator is a ceiling (``le``).
- In content, only percentages and explicitly compared counts (``tối thiểu 05
  kênh``) are targets; dates (``01/10/2026``), document numbers
  (``42/2022/NĐ-CP``), ages (``từ 15 tuổi trở lên``) and bare numbers are not.
- Several targets in one text give a primary target plus ``extra`` clauses;
  a qualitative clause (``Không phát sinh ...``, ``... được cải thiện``) in a
  clause of its own is kept as a qualitative extra.
- Text that cannot be understood gives ``understood=False`` and keeps the
  text; nothing is guessed.

``Target.text`` is the cleaned cell for :func:`parse_target`; for several
targets (and for :func:`extract_target`) each target's ``text`` is the clause
of the sentence it governs (``tối thiểu 85% chợ dân sinh ...``).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, replace

from cds_desktop.services.target_display import (  # re-exported: the parser's callers import them here
    COMPARATOR_SYMBOLS,
    COMPARATORS,
    QUALITATIVE_LABEL,
    Target,
    display_target,
    format_target,
)
from cds_desktop.text import clean_text, fold

__all__ = ["COMPARATORS", "COMPARATOR_SYMBOLS", "QUALITATIVE_LABEL", "Target", "display_target", "extract_target",
           "format_target", "parse_target"]

NOTE_REACH = "no comparator written: 'reach N' read as at least N"
NOTE_EMBEDDED = "embedded in content"
NOTE_REDUCTION = "reduction"
NOTE_NOT_UNDERSTOOD = "not understood: no number, comparator or known phrase"
NOTE_SHARE = "'a/b units' (a of the b units) read as at least a"
# "32/32 tổ dân phố", "Đạt 5/5 thôn": a of the b units (never a date: a unit is named, or b > 12)
_SHARE = re.compile(r"^(?:đạt\s+)?(\d{1,6})\s*/\s*(\d{1,6})(?:\s+(\D.*))?$", re.I)


# --------------------------------------------------------------------------
# Text preparation

_BARE_LATEX = [
    (re.compile(r"\\geq?(?![a-z])|\\geqslant"), "≥"),
    (re.compile(r"\\leq?(?![a-z])|\\leqslant"), "≤"),
    (re.compile(r"\\%"), "%"),
]
_DASHES = "-–—‒−"


def _prepare(value: str | None) -> str:
    """NFC, cleaned text; also LaTeX left outside ``$...$``."""
    text = clean_text(value)
    if "\\" in text:
        for pattern, repl in _BARE_LATEX:
            text = pattern.sub(repl, text)
        text = clean_text(text.replace("$", ""))
    return text


def _fold_map(text: str) -> tuple[str, list[int]]:
    """Fold *text* char by char; return the folded text and, for each folded
    character, the index of the original character it came from."""
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if ch.isspace():
            piece = " "
        elif ch in _DASHES:
            piece = "-"
        elif "\u0338" in unicodedata.normalize("NFD", ch):
            piece = "≠"  # "≠ ≮ ≯": fold() would drop the slash and leave "=", "<", ">"
        else:
            piece = fold(ch)
        out.append(piece)
        index.extend([i] * len(piece))
    return "".join(out), index


# --------------------------------------------------------------------------
# Patterns (matched on folded text)

_QUALIFIERS: dict[str, str] = {
    "≥": "ge", ">=": "ge", "=>": "ge", "toi thieu": "ge", "it nhat": "ge",
    "khong thap hon": "ge", "khong duoi": "ge", "khong it hon": "ge",
    ">": "gt", "tren": "gt", "hon": "gt", "cao hon": "gt", "lon hon": "gt",
    "nhieu hon": "gt", "vuot": "gt",
    "≤": "le", "<=": "le", "=<": "le", "toi da": "le", "khong qua": "le",
    "khong vuot qua": "le", "khong cao hon": "le", "khong lon hon": "le",
    "khong tren": "le", "khong nhieu hon": "le",
    "<": "lt", "duoi": "lt", "thap hon": "lt", "nho hon": "lt", "it hon": "lt",
    "=": "eq", "bang": "eq",
}
_QUAL_ALT = "|".join(re.escape(q) for q in sorted(_QUALIFIERS, key=len, reverse=True))
_NUM = r"\d+(?:[.,]\d+)*"
_TARGET_RE = re.compile(
    r"(?:(?<!\w)(?P<dat>phan dau dat|phan dau|dat muc|dat)\s+)?"
    r"(?:(?<![\w<>=≥≤])(?P<qual>" + _QUAL_ALT + r")\s*)?"
    r"(?:(?<!\w)(?P<tu>tu)\s+)?"
    r"(?<![\w/])(?<!\d[.,])(?P<a>" + _NUM + r")(?![\d/])\s*(?P<pa>%)?"
    r"(?:\s*(?P<sep>-|~|den|toi)\s*(?P<b>" + _NUM + r")(?![\d/])\s*(?P<pb>%)?)?"
    r"(?:\s*(?P<tail>tro len|tro xuong)\b)?"
)
_REDUCTION_RE = re.compile(r"(?<!\w)giam(?!\w)")
_REDUCE_TO_RE = re.compile(r"(?<!\w)(?:xuong|con)\s*$")
_INCREASE_RE = re.compile(r"(?<!\w)tang(?!\w)")

# Units recognised after a count (folded form -> as written is taken from text).
_UNIT_WORDS = (
    "nhiem vu", "bai giang", "san pham", "he thong", "van ban", "ho so",
    "doanh nghiep", "tai khoan", "cuoc hop", "hoi nghi", "lop hoc", "luot",
    "phut", "gio", "ngay", "kenh", "lop", "bai", "nguoi", "ho", "thon",
    "diem", "cuoc", "ung dung", "nen tang", "video", "tin", "bao cao",
)
_NOT_UNITS = {"tuoi"}

_QUALITATIVE_CELL_EXACT = {
    "dat", "co", "khong", "khong co", "hoan thanh", "da hoan thanh", "xong",
    "dam bao", "bao dam", "cai thien", "tot", "duy tri",
}
_QUALITATIVE_CELL_PREFIX = re.compile(
    r"^(?:khong phat sinh|khong xay ra|khong de xay ra|khong co\s|duoc\s+\w+"
    r"|cai thien|dam bao|bao dam|hoan thanh|nang cao|duy tri"
    r"|(?:tang|giam) so voi)"
)
_QUALITATIVE_CONTENT = re.compile(
    r"(?<!\w)(?:khong phat sinh|khong (?:de )?xay ra"
    r"|duoc (?:cai thien|dam bao|bao dam|nang cao|duy tri)"
    r"|(?:cai thien|tang|giam) so voi cung ky)(?!\w)"
)
_CLAUSE_SEP = re.compile(r";|\.\s|\n|\s[-+•]\s|:\s")


# --------------------------------------------------------------------------
# Scanning

@dataclass(frozen=True)
class _Hit:
    start: int  # folded positions
    end: int
    comparator: str
    value: float
    value_max: float | None
    unit: str
    explicit: bool
    notes: tuple[str, ...]


def _number(raw: str) -> float:
    """Vietnamese-aware number: ``1,5`` -> 1.5, ``1.000`` -> 1000, ``98.5`` -> 98.5."""
    if "," in raw and "." in raw:
        # The separator appearing last is the decimal one.
        if raw.rfind(",") > raw.rfind("."):
            raw = raw.replace(".", "").replace(",", ".")
        else:
            raw = raw.replace(",", "")
    elif "," in raw:
        parts = raw.split(",")
        raw = raw.replace(",", ".") if len(parts) == 2 else raw.replace(",", "")
    elif "." in raw:
        parts = raw.split(".")
        if len(parts) > 2 or len(parts[1]) == 3:
            raw = raw.replace(".", "")
    return float(raw)


def _unit_after(text: str, folded: str, fmap: list[int], fpos: int) -> str | None:
    """Unit written after a count, as in the original text ('' if none, None
    when the word shows the number is not a target, e.g. an age)."""
    stripped = folded[fpos:].lstrip()
    if not stripped or not stripped[0].isalpha():
        return ""
    offset = len(folded) - len(stripped)
    word = next((w for w in _UNIT_WORDS if re.match(re.escape(w) + r"(?!\w)", stripped)), None)
    if word is None:
        first = re.match(r"\w+", stripped)
        word = first.group(0) if first else ""
        if word in _NOT_UNITS:
            return None
        if len(stripped.split()) <= 3 and not any(ch.isdigit() for ch in stripped):
            word = stripped.rstrip(" .;,")
    return text[fmap[offset]: fmap[offset + len(word) - 1] + 1] if word else ""


def _scan(text: str, *, cell: bool) -> tuple[str, list[int], list[_Hit]]:
    """All numeric targets in *text* (cell mode also accepts a leading bare count)."""
    folded, fmap = _fold_map(text)
    hits: list[_Hit] = []
    pos = 0
    while (m := _TARGET_RE.search(folded, pos)) is not None:
        pos = end = m.end()
        a = _number(m.group("a"))
        b = _number(m.group("b")) if m.group("b") else None
        if not math.isfinite(a) or folded[: m.start()].rstrip().endswith("≠"):
            continue
        percent = bool(m.group("pa") or m.group("pb"))
        tail = m.group("tail")
        if b is not None and b <= a:
            # "80% - 20%" is two targets, not a range: stop after the first number.
            b = tail = None
            pos = end = m.end("pa") if m.group("pa") else m.end("a")
            percent = bool(m.group("pa"))
        qual = _QUALIFIERS.get(m.group("qual") or "")
        unit: str | None = "%" if percent else _unit_after(text, folded, fmap, end)
        if unit is None:
            continue
        if not percent and not (qual or tail) and not (cell and m.start() == 0):
            continue  # bare numbers in content are not targets
        notes: tuple[str, ...] = ()
        if b is not None:
            comparator = "range"
        elif tail:
            comparator = "ge" if tail == "tro len" else "le"
        elif qual:
            comparator = qual
        elif m.group("tu"):
            comparator = "ge"
        elif percent and a == 100:
            comparator = "eq"
        else:
            comparator, notes = "ge", (NOTE_REACH,)
        explicit = bool(qual or m.group("tu") or tail)
        hits.append(_Hit(m.start(), end, comparator, a, b, unit, explicit, notes))
    return folded, fmap, hits


def _clause_starts(folded: str, hits: list[_Hit]) -> list[int]:
    """Folded position where each hit's clause begins (the first one at 0)."""
    starts = [0] if hits else []
    for prev, hit in zip(hits, hits[1:], strict=False):
        start = hit.start
        for sep in _CLAUSE_SEP.finditer(folded, prev.end, hit.start + 1):
            start = sep.end()
        starts.append(min(start, hit.start))
    return starts


def _span(text: str, fmap: list[int], fstart: int, fend: int) -> str:
    """Original text of the folded span, trimmed of separators."""
    if fend <= fstart or not fmap:
        return ""
    piece = text[fmap[fstart]: fmap[min(fend, len(fmap)) - 1] + 1]
    return piece.strip(" ;,.-+•:–").strip()


def _qualitative_clauses(folded: str, hits: list[_Hit]) -> list[tuple[int, int]]:
    """Folded (start, end) of qualitative clauses that hold no numeric target."""
    found: list[tuple[int, int]] = []
    seps = [0] + [m.end() for m in _CLAUSE_SEP.finditer(folded)]
    ends = [m.start() for m in _CLAUSE_SEP.finditer(folded)] + [len(folded)]
    for m in _QUALITATIVE_CONTENT.finditer(folded):
        cstart = max(s for s in seps if s <= m.start())
        cend = min(e for e in ends if e >= m.end())
        if any(h.start < cend and h.end > cstart for h in hits):
            continue
        if (cstart, cend) not in found:
            found.append((cstart, cend))
    return found


def _build(text: str, *, cell: bool) -> Target | None:
    """Target(s) found in *text* (primary + extras), or None when there are none."""
    folded, fmap, hits = _scan(text, cell=cell)
    qualitative = _qualitative_clauses(folded, hits) if not cell else []
    if not hits and not qualitative:
        return None
    # Every item (numeric hit or qualitative clause) owns the text up to the next one.
    items: list[tuple[int, _Hit | None, int]] = [
        (start, hit, -1) for start, hit in zip(_clause_starts(folded, hits), hits, strict=True)
    ] + [(start, None, end) for start, end in qualitative]
    if hits and any(end <= hits[0].start for _, end in qualitative):
        # A qualitative clause comes first: the first hit's clause starts later.
        seps = [m.end() for m in _CLAUSE_SEP.finditer(folded, 0, hits[0].start + 1)]
        items[0] = (max(seps, default=hits[0].start), hits[0], -1)
    items.sort(key=lambda item: item[0])
    targets: list[Target] = []
    for i, (cstart, hit, qend) in enumerate(items):
        cend = items[i + 1][0] if i + 1 < len(items) else len(folded)
        if hit is None:
            clause = _span(text, fmap, cstart, qend)
            note = f"{NOTE_EMBEDDED}; qualitative" if not hits else "qualitative clause"
            targets.append(Target(clause, "qualitative", None, None, "", True, note=note))
            continue
        notes = list(hit.notes)
        before = folded[cstart: hit.start]
        comparator = hit.comparator
        if _REDUCTION_RE.search(before):
            if _REDUCE_TO_RE.search(before):
                if not hit.explicit and comparator != "range":
                    comparator = "le"
                    notes = ["reduce to: read as at most N"]
            else:
                notes.insert(0, NOTE_REDUCTION)
        elif _INCREASE_RE.search(before):
            notes.insert(0, "increase")
        if not cell:
            notes.insert(0, NOTE_EMBEDDED)
        clause = text if len(items) == 1 else _span(text, fmap, cstart, cend)
        targets.append(Target(clause, comparator, hit.value, hit.value_max, hit.unit, True,
                              note="; ".join(notes)))
    # The primary target is the first numeric one; the rest keep text order.
    primary_index = next((i for i, t in enumerate(targets) if t.comparator != "qualitative"), 0)
    primary = targets.pop(primary_index)
    return replace(primary, extra=tuple(targets))


# --------------------------------------------------------------------------
# Public API

def _empty() -> Target:
    return Target("", "none", None, None, "", True, note="no target")


def parse_target(text: str | None) -> Target:
    """Parse a target cell such as ``100%``, ``≥ 98%``, ``20-30%`` or ``Không phát sinh``."""
    cleaned = _prepare(text)
    if not cleaned:
        return _empty()
    if "≠" in _fold_map(cleaned)[0]:
        return Target(cleaned, "none", None, None, "", False, note="negated comparator (≠) not supported")
    found = _build(cleaned, cell=True)
    if found is not None:
        return found
    share = _SHARE.match(cleaned)
    if share:
        done, of, unit = int(share[1]), int(share[2]), (share[3] or "").strip(" .;,")
        if 0 < done <= of and (unit or of > 12):
            return Target(cleaned, "ge", float(done), None, unit, True, note=NOTE_SHARE)
    key = fold(cleaned).strip(" .;,")
    if key in _QUALITATIVE_CELL_EXACT or _QUALITATIVE_CELL_PREFIX.match(key):
        return Target(cleaned, "qualitative", None, None, "", True, note="qualitative")
    return Target(cleaned, "none", None, None, "", False, note=NOTE_NOT_UNDERSTOOD)


def extract_target(content: str | None) -> Target:
    """Find the target written inside an indicator's content sentence.

    Content without any target gives comparator ``none`` (understood: there
    is simply no number to track).
    """
    cleaned = _prepare(content)
    if not cleaned:
        return _empty()
    found = _build(cleaned, cell=False)
    if found is not None:
        return found
    return Target(cleaned, "none", None, None, "", True, note="no target in content")

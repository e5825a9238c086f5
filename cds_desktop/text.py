"""Vietnamese text handling: NFC normalisation, cleaning of conversion debris,
and folding for accent- and case-insensitive search and sorting.

Everything that enters the database passes through :func:`nfc` (or
:func:`clean_text`), so stored text is always NFC.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache

__all__ = ["nfc", "clean_text", "fold", "sort_key", "contains_folded", "parse_date", "format_number", "format_mb",
           "date_cut_inside_year"]


def nfc(value: str | None) -> str:
    """Return *value* NFC-normalised ('' for None)."""
    if value is None:
        return ""
    return unicodedata.normalize("NFC", str(value))


_LATEX_REPLACEMENTS = [
    (re.compile(r"\\geq?\b|\\geqslant\b"), "≥"),
    (re.compile(r"\\leq?\b|\\leqslant\b"), "≤"),
    (re.compile(r"\\times\b"), "×"),
    (re.compile(r"\\pm\b"), "±"),
    (re.compile(r"\\%"), "%"),
    (re.compile(r"\\&"), "&"),
    (re.compile(r"\\textless\b"), "<"),
    (re.compile(r"\\textgreater\b"), ">"),
]
_LATEX_MATH = re.compile(r"\$([^$\n]{1,80})\$")
_HTML_TAG = re.compile(r"</?(?:p|li|ul|ol|i|b|u|em|strong|br|span|div|sup|sub)\b[^>]*>", re.I)
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1|(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])")
_SPACES = re.compile(r"[ \t\u00a0\u2002\u2003\u2009\u200b]+")


def _latex(match: re.Match[str]) -> str:
    inner = match.group(1)
    for pattern, repl in _LATEX_REPLACEMENTS:
        inner = pattern.sub(repl, inner)
    inner = inner.replace("{", "").replace("}", "")
    return inner.strip()


def clean_text(value: str | None, *, keep_newlines: bool = False) -> str:
    """Clean a cell or paragraph converted from Word/Excel/PDF (see :func:`_clean`); short texts are cached,
    an import cleans the same cells many times."""
    if value is None:
        return ""
    value = value if isinstance(value, str) else str(value)
    return _clean_cached(value, keep_newlines) if len(value) <= 600 else _clean(value, keep_newlines)


def number_key(value: str | None) -> str:
    """A document number as it is matched: folded, without spaces (``"139/KH-UBND"`` -> ``"139/kh-ubnd"``)."""
    return fold(value).replace(" ", "")


def plan_number_keys(number: str | None) -> set[str]:
    """What finds a plan by its number: the whole number and its first part
    (``"139/KH-UBND"`` is found by ``"139/kh-ubnd"`` and by ``"139"``)."""
    key = number_key(number)
    return {key, key.split("/")[0]} - {""}


@lru_cache(maxsize=16384)
def _clean_cached(value: str, keep_newlines: bool) -> str:
    return _clean(value, keep_newlines)


def _clean(value: str, keep_newlines: bool) -> str:
    """Clean a cell or paragraph converted from Word/Excel/PDF.

    - NFC normalisation;
    - LaTeX-like math (``$\\geq 98\\%$``) turned into plain text (``≥ 98%``);
    - HTML fragments (``<p>``, ``<li>``, ``<i>``) removed, entities decoded;
    - Markdown emphasis markers (``**bold**``, ``*italic*``) removed;
    - runs of spaces collapsed, stray line breaks joined (unless *keep_newlines*).
    """
    text = nfc(value)
    if not text:
        return ""
    if "$" in text:
        text = _LATEX_MATH.sub(_latex, text)
    if "<" in text:
        text = re.sub(r"</(?:p|li|div)>\s*", "\n", text, flags=re.I)
        text = _HTML_TAG.sub("", text)
    if "&" in text:
        import html  # (its entity table costs ~2 ms to import: not before the window's first paint)

        text = html.unescape(text)
    if "*" in text or "__" in text:
        text = _MD_EMPHASIS.sub(lambda m: m.group(2) or m.group(3) or "", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if keep_newlines:
        lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
        text = "\n".join(line for line in lines if line)
    else:
        text = _SPACES.sub(" ", text.replace("\n", " ")).strip()
    # No space before closing punctuation that conversion often leaves.
    text = re.sub(r" +([,.;:%)])", r"\1", text)
    return unicodedata.normalize("NFC", text)


_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "ł": "l"})


def fold(value: str | None) -> str:
    """Fold text for search and sorting: no diacritics, lower case, single spaces.

    ``fold("Phòng Văn hóa - Xã hội") == "phong van hoa - xa hoi"``;
    ``fold("Thôn Đông") == "thon dong"``.
    """
    if not value:
        return ""
    value = value if isinstance(value, str) else str(value)
    return _fold_cached(value) if len(value) <= 600 else _fold(value)


@lru_cache(maxsize=16384)
def _fold_cached(value: str) -> str:
    return _fold(value)


def _fold(value: str) -> str:
    text = unicodedata.normalize("NFD", str(value).translate(_FOLD_EXTRA))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold().translate(_FOLD_EXTRA)
    return _SPACES.sub(" ", text).strip()


def sort_key(value: str | None) -> tuple[str, str]:
    """Key that sorts Vietnamese text ignoring accents and case, stable for ties."""
    return (fold(value), nfc(value))


def contains_folded(haystack: str | None, needle: str | None) -> bool:
    """True when *needle* occurs in *haystack* ignoring diacritics and case."""
    return fold(needle) in fold(haystack)


def parse_date(text: str | None) -> date | None:
    """A day as the officer types it: dd/mm/yyyy (also d/m/yyyy, with - or .); '' is None.
    Raises ValueError on anything else, or on a day that does not exist."""
    text = nfc(text).strip()
    if not text:
        return None
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    if not match:
        raise ValueError(text)
    day, month, year = (int(x) for x in match.groups())
    return date(year, month, day)


_VI_SEPARATORS = str.maketrans(",.", ".,")


def format_number(value: float, decimals: int = 0) -> str:
    """A number with Vietnamese separators: ``1029`` -> ``1.029``, ``3.25`` (2 decimals) -> ``3,25``.

    The one number formatter of the messages; never write ``f"{n:,}"`` in text for the officer."""
    return f"{value:,.{decimals}f}".translate(_VI_SEPARATORS)


def format_mb(size_bytes: float, decimals: int = 0) -> str:
    """``3_200_000`` -> ``3 MB`` (decimal megabytes, Vietnamese separators)."""
    return f"{format_number(size_bytes / 1e6, decimals)} MB"


_CUT_DATE = re.compile(r"\b\d{1,2}/(\d{1,2}/)?\d{1,3}$")


def date_cut_inside_year(before: str, after: str) -> bool:
    """*before* ends on a date whose year went on the next printed line (*after*): "15/10/202" / "6"."""
    head = after.split()[0] if after.split() else ""
    return bool(_CUT_DATE.search(before)) and head.isdigit() and bool(re.search(r"\b\d{1,2}/(\d{1,2}/)?\d{4}$",
                                                                                 before + head))

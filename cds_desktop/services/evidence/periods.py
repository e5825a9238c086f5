"""Reporting periods of an evidence, as stable codes with Vietnamese labels.

Codes: ``"2026"`` (năm), ``"2026-H1"``/``"2026-H2"`` (6 tháng), ``"2026-Q2"``
(quý), ``"2026-05"`` (tháng).  ``""`` means no period.  Officers type periods
the way documents write them ("Quý II/2026", "tháng 5/2026", "6 tháng đầu năm
2026"); :func:`normalize_period` turns that into a code.
"""

from __future__ import annotations

import re

from cds_desktop.services.common import ServiceError
from cds_desktop.text import fold

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_ROMAN_VALUE = {v.lower(): k for k, v in ROMAN.items()}

_CODE = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2]|Q[1-4]|H[12]))?$")


def is_code(code: str) -> bool:
    return code == "" or bool(_CODE.match(code))


def period_label(code: str | None) -> str:
    """``"2026-05"`` → ``"Tháng 5/2026"``; ``"2026-Q2"`` → ``"Quý II/2026"``; unknown text as is."""
    if not code:
        return ""
    match = _CODE.match(code)
    if not match:
        return code
    year, part = match.groups()
    if part is None:
        return f"Năm {year}"
    if part.startswith("Q"):
        return f"Quý {ROMAN[int(part[1])]}/{year}"
    if part == "H1":
        return f"6 tháng đầu năm {year}"
    if part == "H2":
        return f"6 tháng cuối năm {year}"
    return f"Tháng {int(part)}/{year}"


def _year(text: str) -> str | None:
    match = re.search(r"\b(20\d{2}|19\d{2})\b", text)
    return match.group(1) if match else None


def normalize_period(text: str | None) -> str:
    """A period code from a code or from the way documents write a period.

    Raises :class:`ServiceError` (Vietnamese) when the text is not a period.
    """
    raw = (text or "").strip()
    if not raw:
        return ""
    if _CODE.match(raw.upper()):
        return raw.upper()
    folded = fold(raw)
    year = _year(folded)
    if year is None:
        raise ServiceError(f"Kỳ «{raw}» không rõ năm. Ví dụ: «Tháng 5/2026», «Quý II/2026», «Năm 2026».")
    rest = re.sub(r"\s+", " ", folded.replace(year, " ")).strip(" /-.,")
    rest = re.sub(r"(?:^| )nam$", "", rest).strip(" /-.,") or rest  # "quý 4 năm 2026"
    if re.search(r"\b6 thang\b|\bsau thang\b|\bnua nam\b|^h[12]$", rest):
        return f"{year}-H2" if ("cuoi" in rest or rest == "h2") else f"{year}-H1"
    quarter = re.fullmatch(r"(?:quy|q)\s*\.?\s*([ivx]+|[1-4])", rest)
    if quarter:
        value = quarter.group(1)
        number = int(value) if value.isdigit() else _ROMAN_VALUE.get(value)
        if number:
            return f"{year}-Q{number}"
    month = re.fullmatch(r"(?:thang|t)?\s*\.?\s*(\d{1,2})", rest)
    if month and 1 <= int(month.group(1)) <= 12:
        return f"{year}-{int(month.group(1)):02d}"
    if rest in ("", "nam", "ca", "ca nam"):
        return year
    raise ServiceError(
        f"Không hiểu kỳ «{raw}». Ví dụ: «Tháng 5/2026», «Quý II/2026», «6 tháng đầu năm 2026», «Năm 2026»."
    )


def contained_codes(code: str) -> list[str]:
    """The codes that fall within *code* (itself included): a quarter holds its
    months, a half-year its quarters and months, a year everything in it."""
    match = _CODE.match(code or "")
    if not match:
        return [code] if code else []
    year, part = match.groups()
    if part is None:
        months = range(1, 13)
        codes = [year, f"{year}-H1", f"{year}-H2"] + [f"{year}-Q{q}" for q in range(1, 5)]
    elif part.startswith("H"):
        half = int(part[1])
        months = range(6 * half - 5, 6 * half + 1)
        codes = [code] + [f"{year}-Q{q}" for q in (2 * half - 1, 2 * half)]
    elif part.startswith("Q"):
        quarter = int(part[1])
        months = range(3 * quarter - 2, 3 * quarter + 1)
        codes = [code]
    else:
        return [code]
    return codes + [f"{year}-{m:02d}" for m in months]


def period_sort_key(code: str) -> tuple[str, int, str]:
    """Chronological order: year, then month / quarter / half / whole year."""
    match = _CODE.match(code or "")
    if not match:
        return ("9999", 99, code or "")
    year, part = match.groups()
    if part is None:
        return (year, 99, "")
    if part.startswith("Q"):
        return (year, 3 * int(part[1]), "q")
    if part.startswith("H"):
        return (year, 6 * int(part[1]), "r")
    return (year, int(part), "")

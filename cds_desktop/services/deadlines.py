"""Deadlines (thời hạn) as officers write them, turned into dates or recurrences.

:func:`parse_deadline` keeps the text as written and derives:

- ``kind="date"``: a one-off deadline; ``due_date`` is the *last day* of the
  period named (``Quý II/2026`` -> 30/06/2026, ``Tháng 6/2026`` -> 30/06/2026,
  ``Năm 2026`` -> 31/12/2026, ``Trước 30/6/2026`` -> 30/06/2026). When several
  periods are named (``Quý II, III/2026``) the last one ends the deadline.
- ``kind="recurring"``: ``Thường xuyên`` (continuous), ``Hằng tháng`` (monthly),
  ``Hàng quý`` (quarterly), ``6 tháng/lần`` (half-yearly), ``Hằng năm`` (yearly),
  ``Hằng tuần`` (weekly). A yearly recurrence is due 31/12 of the plan year
  when one is given; ``Năm 2026 và các năm tiếp theo`` is yearly from 2026.
- ``kind="event"``: it happens when something external happens (``Khi phát
  sinh``, ``Theo tiến độ của Thành phố``); there is no date.
- ``kind="none"`` for an empty cell and ``kind="unparsed"`` (``understood=False``)
  for anything else, including invalid periods (``Quý V/2026``,
  ``Tháng 13/2026``) and periods without a year when no plan year is known.

``start_date`` is set only when the text names a span: ``Từ tháng 3/2026 ...``,
``Cả năm 2026``, ranges and lists (``Quý II-III/2026``) and ``... các năm
tiếp theo``. A period without a year (``Quý II``, ``Cả năm``) takes the plan year.
Matching is done on :func:`~cds_desktop.text.fold`-ed text, so case,
diacritics (``hằng``/``hàng``), extra spaces and NFD input do not matter.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from cds_desktop.text import clean_text, fold

__all__ = ["KINDS", "RECURRENCES", "Deadline", "describe_deadline", "parse_deadline"]

KINDS = ("date", "recurring", "event", "none", "unparsed")
RECURRENCES = ("continuous", "weekly", "monthly", "quarterly", "half-yearly", "yearly")

NOTE_NEEDS_YEAR = "year not stated; plan year needed"
NOTE_INVALID = "invalid period (quarter, month or date out of range)"
NOTE_UNKNOWN = "not understood"


@dataclass(frozen=True)
class Deadline:
    """A deadline as written plus what it means."""

    text: str
    kind: str
    due_date: date | None
    start_date: date | None
    recurrence: str | None
    periods: tuple[str, ...]
    understood: bool
    note: str = ""


@dataclass
class _Period:
    """One period named in the text (year may still be missing)."""

    pos: int
    unit: str  # "year", "half", "quarter", "month", "day"
    numbers: list[int]  # halves, quarters, months or [day, month]; [] for a year
    year: int | None
    year2: int | None = None  # end year of a "2026-2030" span
    is_start: bool = False  # preceded by "từ"
    whole: bool = False  # "Cả năm": the span starts at the beginning of the year


# Words that make "quy" (folded) mean "quy định", "quy trình"... rather than "quý".
_NOT_QUY = r"(?!\s*(?:dinh|trinh|che|mo|hoach|tac|uoc|chuan|doi|luat|tu|trach)(?!\w))"
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_QNUM = r"(?:[ivx]+|\d{1,2}(?!\d))(?!\w)"
_MNUM = r"\d{1,2}(?!\d)"
_SEP = r"\s*(?:,|-|va|den|toi|&|\+)\s*"
_YEAR_TAIL = r"(?:\s*(?:/|-|,)?\s*(?:nam\s*)?(?P<y>\d{4}))?(?!\d)"

_RECURRENCE_RES: list[tuple[str, re.Pattern[str]]] = [
    ("half-yearly", re.compile(
        r"(?:dinh ky\s*)?(?<!\w)(?:0?6|sau)\s*thang\s*(?:/|mot)\s*lan|hang nua nam|dinh ky\s*(?:0?6|sau)\s*thang")),
    ("weekly", re.compile(r"(?<!\w)(?:(?:hang|moi)\s*tuan|dinh ky\s*(?:hang\s*)?tuan)(?!\w)")),
    ("monthly", re.compile(r"(?<!\w)(?:(?:hang|moi|theo)\s*thang|dinh ky\s*(?:hang\s*)?thang)(?!\w)")),
    ("quarterly", re.compile(r"(?<!\w)(?:(?:hang|moi|theo)\s*quy|dinh ky\s*(?:hang\s*)?quy)(?!\w)" + _NOT_QUY)),
    ("yearly", re.compile(
        r"(?<!\w)(?:(?:hang|moi)\s*nam|thuong nien|dinh ky\s*(?:hang\s*)?nam"
        r"|(?:va\s*)?(?:cac|nhung)\s*nam\s*(?:tiep theo|sau|tiep))(?!\w)")),
    ("continuous", re.compile(r"(?<!\w)(?:thuong xuyen|lien tuc)(?!\w)")),
]
_NEXT_YEARS_RE = re.compile(r"(?:cac|nhung)\s*nam\s*(?:tiep theo|sau|tiep)")
_EVENT_RE = re.compile(
    r"^(?:khi|sau khi|ngay khi|tuy theo|tuy)(?!\w)|(?<!\w)(?:khi phat sinh|dot xuat"
    r"|theo\s+(?:tien do|huong dan|chi dao|yeu cau|ke hoach|lo trinh|thong bao|van ban))(?!\w)"
)
_START_RE = re.compile(r"(?<!\w)(?:tu|ke tu|bat dau tu)\s*$")

# (unit, pattern) in the order they are tried; matched text is masked afterwards.
_PERIOD_RES: list[tuple[str, re.Pattern[str]]] = [
    ("school", re.compile(r"(?<!\w)nam hoc\s*(?P<y>\d{4})\s*-\s*(?P<y2>\d{4})(?!\d)")),
    ("half", re.compile(
        r"(?<!\w)(?:(?:0?6|sau)\s*thang|nua)\s*(?P<h>dau|cuoi)\s*nam" + _YEAR_TAIL)),
    ("day", re.compile(
        r"(?<![\d/])(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>\d{4})(?![\d/])"
        r"|(?<!\w)ngay\s*(?P<d2>\d{1,2})\s*thang\s*(?P<m2>\d{1,2})\s*(?:nam\s*)?(?P<y3>\d{4})(?!\d)")),
    ("day", re.compile(
        r"(?<!\w)(?:truoc|ngay|han|den|cham nhat)\s*(?:ngay\s*)?(?P<d>\d{1,2})/(?P<m>\d{1,2})(?![\d/])")),
    ("quarter", re.compile(r"(?<!\w)quy\s*(?P<list>" + _QNUM + r"(?:" + _SEP + r"(?:quy\s*)?"
                           + _QNUM + r")*)" + _YEAR_TAIL)),
    ("month", re.compile(r"(?<!\w)thang\s*(?P<list>" + _MNUM + r"(?:" + _SEP + r"(?:thang\s*)?"
                         + _MNUM + r")*)" + _YEAR_TAIL)),
    ("month", re.compile(r"(?<![\w/.])t?(?P<list>\d{1,2})\s*/\s*(?P<y>\d{4})(?![\d/])")),
    ("year", re.compile(r"(?<![\d/])(?:giai doan\s*|nam\s*)?(?P<y>\d{4})\s*-\s*(?P<y2>\d{4})(?![\d/])")),
    ("year", re.compile(r"(?<!\w)(?P<ca>ca\s*)?nam\s*(?P<y>\d{4})(?!\d)")),
    ("year", re.compile(r"(?<!\w)(?P<ca>ca|trong|het|cuoi|den het)\s*nam(?!\s*\d)(?!\w)")),
    ("year", re.compile(r"^\W*(?P<y>\d{4})\W*$")),
]
# Period words left over after all valid periods are masked mean an invalid period.
_LEFTOVER_RE = re.compile(r"(?<!\w)quy(?!\w)" + _NOT_QUY + r"|(?<!\w)thang\s*\d")


def _number_list(raw: str, roman: bool) -> list[int] | None:
    """``"ii, iii"`` -> [2, 3]; ``"1-3"`` -> [1, 2, 3]; None if a number is invalid."""
    items = re.split(r"(\s*(?:,|-|va|den|toi|&|\+)\s*)", raw)
    numbers: list[int] = []
    span = False
    for i, item in enumerate(items):
        if i % 2:
            span = item.strip() in ("-", "den", "toi")
            continue
        item = re.sub(r"^(?:quy|thang)\s*", "", item.strip())
        value = _ROMAN.get(item) if roman and not item.isdigit() else int(item) if item.isdigit() else None
        if value is None:
            return None
        if span and numbers and value > numbers[-1]:
            numbers.extend(range(numbers[-1] + 1, value + 1))
        else:
            numbers.append(value)
    return numbers


def _bounds(p: _Period) -> tuple[date, date, list[str]]:
    """First day, last day and period codes of *p* (its year resolved)."""
    y = p.year or 0
    if p.unit == "year":
        y2 = p.year2 or y
        return date(y, 1, 1), date(y2, 12, 31), [str(v) for v in range(y, y2 + 1)]
    if p.unit == "school":
        return date(y, 9, 1), date(p.year2 or y + 1, 5, 31), []
    if p.unit == "day":
        day = date(y, p.numbers[1], p.numbers[0])
        return day, day, []
    size = {"half": 6, "quarter": 3, "month": 1}[p.unit]
    fmt = {"half": "{y}-H{n}", "quarter": "{y}-Q{n}", "month": "{y}-{n:02d}"}[p.unit]
    # "tháng 10 đến tháng 3/2027": the numbers before the wrap belong to the year before.
    wrap = next((i for i in range(1, len(p.numbers)) if p.numbers[i] < p.numbers[i - 1]), 0)
    years = [y - 1 if i < wrap else y for i in range(len(p.numbers))]
    first, last = p.numbers[0], p.numbers[-1]
    return (date(years[0], size * (first - 1) + 1, 1), _month_end(y, size * last),
            [fmt.format(y=yy, n=n) for yy, n in zip(years, p.numbers, strict=True)])


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _valid(p: _Period) -> bool:
    years = [y for y in (p.year, p.year2) if y is not None]
    if any(not 2000 <= y <= 2100 for y in years) or (p.year2 and p.year and p.year2 < p.year):
        return False
    limits = {"half": 2, "quarter": 4, "month": 12}
    if p.unit in limits:
        return bool(p.numbers) and all(1 <= n <= limits[p.unit] for n in p.numbers)
    if p.unit == "day":
        try:
            date(p.year or 2000, p.numbers[1], p.numbers[0])
        except ValueError:
            return False
    return True


def _find_periods(work: str) -> tuple[list[_Period], str, bool]:
    """Periods in folded text *work*; returns them, the masked text, and
    whether an invalid period was seen."""
    periods: list[_Period] = []
    invalid = False
    for unit, pattern in _PERIOD_RES:
        for m in pattern.finditer(work):
            groups = {k: v for k, v in m.groupdict().items() if v}
            year = groups.get("y") or groups.get("y3")
            p = _Period(m.start(), unit, [], int(year) if year else None,
                        int(groups["y2"]) if "y2" in groups else None)
            if unit == "half":
                p.numbers = [1 if groups["h"] == "dau" else 2]
            elif unit == "day":
                p.numbers = [int(groups.get("d") or groups["d2"]), int(groups.get("m") or groups["m2"])]
            elif unit in ("quarter", "month"):
                p.numbers = _number_list(groups["list"], roman=unit == "quarter") or []
            elif groups.get("ca", "").strip() == "ca":
                p.whole = True
            p.is_start = (bool(_START_RE.search(work[: m.start()]))
                          and (unit == "day" or len(p.numbers) <= 1) and p.year2 is None)
            if _valid(p):
                periods.append(p)
            else:
                invalid = True
        work = pattern.sub(lambda m: " " * len(m.group(0)), work)
    if _LEFTOVER_RE.search(work):
        invalid = True
    periods.sort(key=lambda p: p.pos)
    return periods, work, invalid


def _resolve_years(periods: list[_Period], plan_year: int | None) -> bool:
    """Fill missing years from the next period that has one (``tháng 10 đến
    tháng 3/2027`` -> 10/2026), then the previous one, then *plan_year*;
    False if some year stays unknown."""
    for i, p in enumerate(periods):
        if p.year is not None:
            continue
        later = [q for q in periods[i + 1:] if q.year is not None]
        earlier = [q.year for q in periods[:i] if q.year is not None]
        if later:
            q = later[0]
            wraps = q.unit == p.unit and p.numbers and q.numbers and p.numbers[0] > q.numbers[-1]
            p.year = (q.year or 0) - 1 if wraps else q.year
        else:
            p.year = earlier[-1] if earlier else plan_year
        if p.year is None:
            return False
    return True


def _result(text: str, kind: str, *, due: date | None = None, start: date | None = None,
            recurrence: str | None = None, periods: tuple[str, ...] = (),
            understood: bool = True, note: str = "") -> Deadline:
    return Deadline(text, kind, due, start, recurrence, periods, understood, note)


def parse_deadline(text: str | None, plan_year: int | None = None) -> Deadline:
    """Read a deadline cell such as ``Quý II/2026``, ``Thường xuyên`` or ``Khi phát sinh``.

    *plan_year* supplies the year for texts that do not state one
    (``Cả năm``, ``Quý II``, ``Hằng năm``).
    """
    cleaned = clean_text(text)
    if not cleaned:
        return _result("", "none", note="no deadline")
    if plan_year is not None and not 2000 <= plan_year <= 2100:
        plan_year = None  # an impossible plan year is as good as none
    work = fold(cleaned).replace("–", "-").replace("—", "-")
    work = re.sub(r"(?:\s*/)+\s*", "/", work).strip(" .;,")

    recurrence: str | None = None
    for name, pattern in _RECURRENCE_RES:
        if pattern.search(work):
            recurrence = recurrence or name
            work = pattern.sub(lambda m: " " * len(m.group(0)), work)
    next_years = bool(_NEXT_YEARS_RE.search(fold(cleaned)))

    periods, _, invalid = _find_periods(work)
    if invalid:
        return _result(cleaned, "unparsed", understood=False, note=NOTE_INVALID)
    if periods and not _resolve_years(periods, plan_year):
        return _result(cleaned, "unparsed", recurrence=recurrence, understood=False,
                       note=NOTE_NEEDS_YEAR)
    try:
        bounds = [_bounds(p) for p in periods]
    except ValueError:  # e.g. 29/02 once the plan year is known
        return _result(cleaned, "unparsed", understood=False, note=NOTE_INVALID)
    codes = tuple(code for _, _, cs in bounds for code in cs)
    ends = [end for p, (_, end, _) in zip(periods, bounds, strict=True) if not p.is_start]
    due = max(ends) if ends else None
    start: date | None = None
    starts = [b[0] for p, b in zip(periods, bounds, strict=True) if p.is_start]
    if starts:
        start = min(starts)
    elif periods and (next_years or any(p.whole for p in periods) or len(codes) > 1
                      or any(p.year2 or p.unit == "school" for p in periods)):
        start = min(b[0] for b in bounds)
    if start and due and start > due:
        return _result(cleaned, "unparsed", understood=False, note="start after the deadline")
    notes = ["year taken from the plan"] if any(
        p.year == plan_year and str(plan_year) not in cleaned for p in periods) else []

    if recurrence:
        if due is None and recurrence == "yearly" and plan_year and not starts:
            due = date(plan_year, 12, 31)
        return _result(cleaned, "recurring", due=due, start=start, recurrence=recurrence,
                       periods=codes, note="; ".join(notes))
    if periods and due is None:
        return _result(cleaned, "recurring", start=start, recurrence="continuous",
                       periods=codes, note="from a start, no end stated")
    if periods:
        if _EVENT_RE.search(work):
            notes.append("depends on an external event")
        return _result(cleaned, "date", due=due, start=start, periods=codes, note="; ".join(notes))
    if _EVENT_RE.search(work):
        return _result(cleaned, "event", note="when an external event happens; no fixed date")
    return _result(cleaned, "unparsed", understood=False, note=NOTE_UNKNOWN)


_RECURRENCE_LABELS = {
    "continuous": "Thường xuyên",
    "weekly": "Định kỳ hằng tuần",
    "monthly": "Định kỳ hằng tháng",
    "quarterly": "Định kỳ hằng quý",
    "half-yearly": "Định kỳ 6 tháng",
    "yearly": "Định kỳ hằng năm",
}


def _d(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def describe_deadline(d: Deadline) -> str:
    """Short Vietnamese explanation of *d* for the UI."""
    if d.kind == "none":
        return "Không có thời hạn"
    if d.kind == "event":
        return f"{d.text} (không có hạn cố định)"
    if d.kind == "recurring":
        label = _RECURRENCE_LABELS.get(d.recurrence or "", "Định kỳ")
        if d.start_date:
            label += f", từ {_d(d.start_date)}"
        if d.due_date:
            label += f" (hạn: {_d(d.due_date)})"
        return label
    if d.kind == "date" and d.due_date:
        if d.start_date:
            return f"Từ {_d(d.start_date)}, hạn: {_d(d.due_date)}"
        return f"Hạn: {_d(d.due_date)}"
    if d.note == NOTE_NEEDS_YEAR:
        return "Thiếu năm — cần năm của kế hoạch để tính hạn"
    return "Không hiểu được — giữ nguyên văn bản"

"""How a target reads: the structured :class:`Target` and its display ("≥ 98%", "20–30%", "Định tính").

Light on purpose (no regular expressions compiled at import): the plan table's first paint shows the
targets before the parser (:mod:`cds_desktop.services.targets`) is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass

from cds_desktop.text import fold

COMPARATORS = ("eq", "ge", "gt", "le", "lt", "range", "qualitative", "none")
COMPARATOR_SYMBOLS = {
    "eq": "=", "ge": "≥", "gt": ">", "le": "≤", "lt": "<", "range": "–", "qualitative": "", "none": "",
}


@dataclass(frozen=True)
class Target:
    """One target, normalised. ``extra`` holds further clauses of the same text."""

    text: str
    comparator: str
    value: float | None
    value_max: float | None
    unit: str
    understood: bool
    note: str = ""
    extra: tuple[Target, ...] = ()

    @property
    def lower_is_better(self) -> bool:
        """True when the target is a ceiling (``<`` or ``≤``)."""
        return self.comparator in ("lt", "le")


def _fmt_number(value: float) -> str:
    if value.is_integer():
        return str(int(value))
    return f"{value:.4f}".rstrip("0").rstrip(".").replace(".", ",")


def _fmt_one(t: Target) -> str:
    if t.understood and t.comparator == "none":
        return ""
    if not t.understood or t.comparator == "qualitative" or t.value is None:
        return t.text
    unit = t.unit
    spacer = "" if unit in ("%", "") else " "
    if t.comparator == "range" and t.value_max is not None:
        return f"{_fmt_number(t.value)}–{_fmt_number(t.value_max)}{spacer}{unit}"
    number = f"{_fmt_number(t.value)}{spacer}{unit}"
    if t.comparator == "eq" and unit == "%" and t.value == 100:
        return number
    return f"{COMPARATOR_SYMBOLS[t.comparator]} {number}"


QUALITATIVE_LABEL = "Định tính"


def display_target(item, *, as_written: bool = False) -> str:
    """How an indicator's target reads everywhere (plan table, month entry, PDF, unit workbook).

    The target column as written in the plan; else the structured target
    (``≥ 95%``, read from the content); ``Định tính`` for a qualitative target;
    '' when there is none.  *item* is an ``Item`` or anything with its
    ``target_*`` attributes.  A unit the plan wrote in a column of its own
    ("Đơn vị tính") follows the number ("≥ 98" → "≥ 98%"), unless *as_written*
    (a printed table that has that column beside it).
    """
    text = (item.target_text or "").strip()
    unit = (getattr(item, "target_unit", "") or "").strip()
    if text and unit and not as_written and getattr(item, "target_comparator", "none") not in ("none", "qualitative") and \
            fold(unit) not in fold(text):
        return text + unit if unit == "%" else f"{text} {unit}"
    if text:
        return text
    comparator = item.target_comparator or "none"
    if comparator == "qualitative":
        return QUALITATIVE_LABEL
    if comparator == "none" or item.target_value is None:
        return ""
    return format_target(Target("", comparator, item.target_value, item.target_value_max, item.target_unit or "", True))


def format_target(t: Target) -> str:
    """Normalised display: ``≥ 98%``, ``20–30%``, ``100%``, ``Không phát sinh``.

    Extra clauses follow the primary one, separated by ``"; "``.
    """
    parts = [_fmt_one(t)] + [_fmt_one(e) for e in t.extra]
    return "; ".join(p for p in parts if p)

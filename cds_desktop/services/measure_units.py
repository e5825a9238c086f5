"""The unit of measure a plan writes in a column of its own.

Many indicator tables put the unit beside the target instead of in it: "Đơn vị tính | Chỉ tiêu năm
2026" → "% | ≥ 98", "Cuộc | ≥ 12".  The column is kept as the plan wrote it (an extra column, printed
back as written); the target is understood with its unit ("≥ 98%", "≥ 12 cuộc"), so that a percent
stays within 0–100 and the figure reads right wherever the plan's own column is not shown.
"""

from __future__ import annotations

from cds_desktop.text import clean_text, fold

UNIT_HEADERS = frozenset({"don vi tinh", "dvt", "don vi do"})


def is_unit_header(header: str) -> bool:
    return fold(header).strip(" .:") in UNIT_HEADERS


def measure_unit(extra: dict | None) -> str:
    """The unit of measure the plan's own column gives for an item ('' when none)."""
    for header, value in (extra or {}).items():
        if is_unit_header(str(header)):
            return clean_text(str(value or ""))
    return ""


def with_measure_unit(target_text: str, unit: str) -> str:
    """*target_text* completed with *unit* when it has a number and no unit of its own ("≥ 98" + "%")."""
    from cds_desktop.services.targets import parse_target

    text, unit = (target_text or "").strip(), (unit or "").strip()
    if not text or not unit:
        return text
    target = parse_target(text)
    if target.comparator in ("none", "qualitative") or target.unit:
        return text
    if unit == "%":
        return text + "%"
    inline = unit[:1].lower() + unit[1:] if unit[1:2].islower() or len(unit) == 1 else unit  # "Cuộc" → "cuộc"
    return f"{text} {inline}"

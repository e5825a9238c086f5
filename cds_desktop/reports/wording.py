"""Wording of administrative documents (Nghị định 30/2020/NĐ-CP, Phụ lục I):
place-and-date lines, number lines, issuing body, "Kèm theo" lines.

Blanks the officer fills in by hand are runs of non-breaking spaces, so that
neither the PDF paragraph engine nor a reader collapses them.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from cds_desktop.text import fold, nfc

if TYPE_CHECKING:
    from cds_desktop.models import Plan

NBSP = "\u00a0"
BLANK_NUMBER = NBSP * 6  # "Số:      /KH-UBND"
BLANK_DAY = NBSP * 5  # "ngày     tháng     năm 2026"


def day_text(day: int) -> str:
    """Days below 10 take a leading zero."""
    return f"{day:02d}"


def month_text(month: int) -> str:
    """Only months 1 and 2 take a leading zero (so "tháng 01", but "tháng 4")."""
    return f"{month:02d}" if month in (1, 2) else str(month)


def date_words(value: date | None, year: int | None = None) -> str:
    """"ngày 03 tháng 4 năm 2026", or the blank form "ngày     tháng     năm 2026"."""
    if value is None:
        y = str(year) if year else BLANK_DAY
        return f"ngày{BLANK_DAY}tháng{BLANK_DAY}năm {y}"
    return f"ngày {day_text(value.day)} tháng {month_text(value.month)} năm {value.year}"


def place_date_line(place: str, value: date | None, year: int | None = None) -> str:
    """"Bát Tràng, ngày 03 tháng 4 năm 2026"."""
    place = nfc(place).strip()
    words = date_words(value, year)
    return f"{place}, {words}" if place else words


def split_number(number: str, default_suffix: str = "/KH-UBND") -> tuple[str, str]:
    """("139", "/KH-UBND") from "139/KH-UBND"; ("", default) when blank."""
    number = nfc(number).strip()
    if not number:
        return "", default_suffix
    if "/" in number:
        head, _, tail = number.partition("/")
        return head.strip(), "/" + tail.strip()
    return number, ""


def number_line(number: str, default_suffix: str = "/KH-UBND") -> str:
    """"Số: 139/KH-UBND", or "Số:      /KH-UBND" when the number is still blank."""
    head, suffix = split_number(number, default_suffix)
    if not head:
        return f"Số:{BLANK_NUMBER}{suffix}"
    return f"Số: {head}{suffix}"


def plan_number_words(plan: Plan) -> str:
    """"số 139/KH-UBND" or "số      /KH-UBND" for "Kèm theo Kế hoạch …"."""
    head, suffix = split_number(plan.number)
    return f"số {head}{suffix}" if head else f"số{BLANK_NUMBER}{suffix}"


def commune_words(plan: Plan) -> str:
    """"xã Bát Tràng" / "phường Hoàn Kiếm"."""
    return f"{plan.commune.kind} {plan.commune.name}".strip()


def plan_place(plan: Plan) -> str:
    return plan.place or plan.commune.name


def issuing_body(plan: Plan) -> list[str]:
    """["ỦY BAN NHÂN DÂN", "XÃ BÁT TRÀNG"]."""
    return ["ỦY BAN NHÂN DÂN", commune_words(plan).upper()]


def plan_issuer(plan: Plan) -> dict:
    """The header of a plan another body than the People's Committee issued (``{"issuer": [lines],
    "national_title": …}``, read from its document), or ``{}``."""
    header = (plan.appendices or {}).get("header") or {}
    return header if isinstance(header, dict) and header.get("issuer") else {}


def issuer_words(plan: Plan) -> str:
    """Who issued the plan, in a sentence: "UBND xã Bát Tràng", "Ban chỉ đạo chuyển đổi số xã Sóc Sơn"."""
    lines = plan_issuer(plan).get("issuer") or []
    if not lines:
        return f"UBND {commune_words(plan)}"
    body = nfc(str(lines[-1])).strip()
    body = body[:1] + body[1:].lower()
    commune = commune_words(plan)
    return body if fold(commune) in fold(body) else f"{body} {commune}"


def plan_reference(plan: Plan) -> str:
    """"Kế hoạch số 139/KH-UBND ngày 03 tháng 4 năm 2026 của UBND xã Bát Tràng"."""
    return (
        f"Kế hoạch {plan_number_words(plan)} {date_words(plan.issue_date, plan.year)} "
        f"của {issuer_words(plan)}"
    )


def attached_line(plan: Plan) -> str:
    """"(Kèm theo Kế hoạch số 139/KH-UBND ngày 03 tháng 4 năm 2026 của UBND xã Bát Tràng)"."""
    return f"(Kèm theo {plan_reference(plan)})"


def count_words(n: int) -> str:
    """Counts as the plans write them: "03", "12"."""
    return f"{n:02d}"


def upper(text: str) -> str:
    """Vietnamese capitals (NFC in, NFC out)."""
    return nfc(nfc(text).upper())

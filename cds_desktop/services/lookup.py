"""Finding the plan or the unit the user means, the same way in every command and screen.

A plan is named by its UUID, its number ("139/KH-UBND" or just "139") or words
of its title ("chuyen doi so 2026"; diacritics and case ignored).  A unit is
named by its UUID, its name, short name or any alias, or words of its name.
Several matches give a Vietnamese message listing the candidates.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from cds_desktop.models import Plan, Unit
from cds_desktop.services.catalog import find_unit
from cds_desktop.services.common import NotFoundError, ServiceError
from cds_desktop.services.plans import list_plans
from cds_desktop.text import fold, number_key, plan_number_keys

NO_PLAN = "Chưa có kế hoạch nào trong cơ sở dữ liệu (dùng lệnh «demo» để tạo kế hoạch mẫu)."
MAX_LISTED = 8


def plan_candidate(plan: Plan) -> str:
    """How a plan is named in messages: number, year and title."""
    number = plan.number or "chưa có số"
    title = f" «{plan.title}»" if plan.title else ""
    return f"{number} (năm {plan.year}){title}"


def _listing(labels: list[str]) -> str:
    shown = "; ".join(labels[:MAX_LISTED])
    more = len(labels) - MAX_LISTED
    return shown + (f"; và {more} mục khác" if more > 0 else "")


def _words(text: str) -> list[str]:
    return fold(text).replace("/", " ").replace(",", " ").split()


def _has_words(words: list[str], text: str) -> bool:
    """Every word of the query starts a word of *text* ("chuyen doi" finds "Chuyển đổi số")."""
    own = _words(text)
    return bool(words) and all(any(o.startswith(w) for o in own) for w in words)


def resolve_plan(session: Session, ref: str | None = None, *, year: int | None = None,
                 year_required: bool = False) -> Plan:
    """The live plan *ref* names (UUID, number, or words of its title).

    Without *ref*: the most recent plan of *year* if there is one (required when
    *year_required*), else the most recent plan.
    """
    ref = (ref or "").strip()
    if ref:
        plan = session.scalar(select(Plan).where(Plan.uuid == ref.lower()))
        if plan is not None:
            return plan
    plans = list_plans(session)
    if not ref:
        if year is not None:
            of_year = [p for p in plans if p.year == year]
            if of_year:
                return of_year[0]
            if year_required:
                raise NotFoundError(f"Không có kế hoạch năm {year}.")
        if not plans:
            raise NotFoundError(NO_PLAN)
        return plans[0]
    if not plans:
        raise NotFoundError(NO_PLAN)
    key = number_key(ref)
    matches = [p for p in plans if key in plan_number_keys(p.number)]
    if not matches:
        words = _words(ref)
        matches = [p for p in plans if _has_words(words, " ".join(p.search_parts()))]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise ServiceError(
            f"«{ref}» khớp với {len(matches)} kế hoạch: {_listing([plan_candidate(p) for p in matches])}. "
            "Hãy ghi rõ hơn (số đầy đủ hoặc mã UUID)."
        )
    known = _listing([plan_candidate(p) for p in plans])
    raise NotFoundError(f"Không tìm thấy kế hoạch «{ref}». Các kế hoạch có: {known}.")


def resolve_unit(session: Session, ref: str | None) -> Unit:
    """The live unit *ref* names (UUID, name, short name, alias, or words of its name)."""
    ref = (ref or "").strip()
    if not ref:
        raise ServiceError("Chưa chọn đơn vị.")
    unit = session.scalar(select(Unit).where(Unit.uuid == ref.lower()))
    unit = unit or find_unit(session, ref)
    if unit is not None:
        return unit
    words = _words(ref)
    units = session.scalars(select(Unit).order_by(Unit.sort_key))
    matches = [u for u in units if _has_words(words, f"{u.name} {u.short_name or ''}")]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise ServiceError(
            f"«{ref}» khớp với {len(matches)} đơn vị: {_listing([u.name for u in matches])}. Hãy ghi rõ hơn."
        )
    raise NotFoundError(f"Không tìm thấy đơn vị «{ref}».")


def resolve_plan_uuid(session: Session, ref: str | None) -> str | None:
    """UUID of the plan *ref* names; None when *ref* is empty (meaning "every plan")."""
    return resolve_plan(session, ref).uuid if ref and ref.strip() else None


def resolve_unit_uuid(session: Session, ref: str | None) -> str | None:
    """UUID of the unit *ref* names; None when *ref* is empty."""
    return resolve_unit(session, ref).uuid if ref and ref.strip() else None

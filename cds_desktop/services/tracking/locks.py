"""Locking a consolidated period.

A write to period P is refused while P, or any period of the same plan that
contains P (its quarter, half year, year), is locked.  Unlocking needs a
reason; the reason goes on the audit entries of the unlock (the session's
``reason`` is set for that flush only), so the log says who unlocked what and why.
"""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from cds_desktop.models import PeriodLock, ReportingPeriod
from cds_desktop.services.common import ServiceError
from cds_desktop.services.tracking.calendar import period_label
from cds_desktop.text import nfc

log = logging.getLogger(__name__)


def _lock_row(session: Session, period: ReportingPeriod) -> PeriodLock | None:
    return session.scalar(select(PeriodLock).where(PeriodLock.period_id == period.id)
            .execution_options(include_deleted=True))


def is_locked(session: Session, period: ReportingPeriod) -> bool:
    row = _lock_row(session, period)
    return bool(row is not None and row.deleted_at is None and row.locked)


def locking_period(session: Session, period: ReportingPeriod) -> ReportingPeriod | None:
    """The locked period (P itself or one containing it) that forbids writing to P, if any."""
    stmt = (
        select(ReportingPeriod)
        .join(PeriodLock, PeriodLock.period_id == ReportingPeriod.id)
        .where(
            ReportingPeriod.plan_id == period.plan_id,
            ReportingPeriod.start_date <= period.start_date,
            ReportingPeriod.end_date >= period.end_date,
            PeriodLock.locked.is_(True),
            )
        .order_by(ReportingPeriod.end_date, ReportingPeriod.start_date.desc())
    )
    return session.scalars(stmt).first()


def check_writable(session: Session, period: ReportingPeriod) -> None:
    """Raise ServiceError (Vietnamese) when *period* may not be written to."""
    locker = locking_period(session, period)
    if locker is None:
        return
    if locker.id == period.id:
        raise ServiceError(
            f"Kỳ {period_label(period.code)} đã khóa sau khi tổng hợp: muốn sửa số liệu, "
            "hãy mở khóa kỳ (cần nêu lý do)."
        )
    raise ServiceError(
        f"Kỳ {period_label(period.code)} thuộc kỳ {period_label(locker.code)} đã khóa: "
        "muốn sửa số liệu, hãy mở khóa kỳ đó (cần nêu lý do)."
    )


def lock_period(session: Session, period: ReportingPeriod, reason: str = "") -> PeriodLock:
    """Lock *period* (idempotent)."""
    row = _lock_row(session, period)
    reason = nfc(reason).strip()
    if row is None:
        row = PeriodLock(period_id=period.id, locked=True, reason=reason)
        session.add(row)
    else:
        row.deleted_at = None
        row.locked = True
        row.reason = reason
    _flush_with_reason(session, reason)
    log.info("Period %s of plan %s locked", period.code, period.plan_id)
    return row


def unlock_period(session: Session, period: ReportingPeriod, reason: str) -> PeriodLock:
    """Unlock *period*; *reason* is required and recorded in the audit log."""
    reason = nfc(reason).strip()
    if not reason:
        raise ServiceError("Mở khóa kỳ báo cáo cần nêu lý do.")
    row = _lock_row(session, period)
    if row is None or not row.locked or row.deleted_at is not None:
        raise ServiceError(f"Kỳ {period_label(period.code)} không bị khóa.")
    row.locked = False
    row.reason = reason
    _flush_with_reason(session, reason)
    log.info("Period %s of plan %s unlocked: %s", period.code, period.plan_id, reason)
    return row


def _flush_with_reason(session: Session, reason: str) -> None:
    """Flush so that the audit entries written now carry *reason* (unless the session has one)."""
    previous = session.info.get("reason", "")
    if reason and not previous:
        session.info["reason"] = reason
    try:
        session.flush()
    finally:
        session.info["reason"] = previous


def locked_codes(session: Session, plan_id: int) -> set[str]:
    stmt = (
        select(ReportingPeriod.code)
        .join(PeriodLock, PeriodLock.period_id == ReportingPeriod.id)
        .where(ReportingPeriod.plan_id == plan_id, PeriodLock.locked.is_(True))
    )
    return set(session.scalars(stmt))

"""The exchange history: what was sent to whom and received from whom, when."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cds_desktop.database import Database
from cds_desktop.models.exchange import DIRECTIONS, ExchangeHistory

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HistoryRow:
    uuid: str
    at: datetime
    direction: str
    package_uuid: str
    peer_name: str
    peer_installation: str
    file_name: str
    scope: dict[str, Any]
    counts: dict[str, Any]
    note: str

    @property
    def direction_label(self) -> str:
        return DIRECTIONS.get(self.direction, self.direction)

    @property
    def when(self) -> str:
        local = self.at.astimezone()
        return local.strftime("%d/%m/%Y %H:%M")

    @property
    def scope_label(self) -> str:
        scope = self.scope or {}
        parts = [scope.get(key) for key in ("plan_label", "unit_label", "period_label") if scope.get(key)]
        if parts:
            return ", ".join(parts)
        return "Toàn bộ dữ liệu" if scope.get("kind") == "all" else ""

    @property
    def counts_label(self) -> str:
        c = self.counts or {}
        if "records" in c and "created" not in c:
            return f"{c.get('records', 0)} bản ghi, {c.get('evidence_files', 0)} tệp minh chứng"
        if "rows" in c and "created" not in c:
            return f"{c.get('rows', 0)} dòng"
        parts = [f"{c.get('created', 0)} mới", f"{c.get('updated', 0)} cập nhật",
                 f"{c.get('unchanged', 0)} không đổi"]
        if c.get("deleted"):
            parts.append(f"{c['deleted']} xóa")
        if c.get("conflicts"):
            parts.append(f"{c['conflicts']} xung đột")
        if c.get("invalid"):
            parts.append(f"{c['invalid']} không hợp lệ")
        return ", ".join(parts)


def add_history(session: Session, direction: str, **fields: Any) -> ExchangeHistory:
    row = ExchangeHistory(direction=direction, **fields)
    session.add(row)
    session.flush()
    return row


def record_history(db: Database, direction: str, **fields: Any) -> None:
    """Add a history row in its own short session (after an export)."""
    with db.session(source="exchange") as session:
        add_history(session, direction, **fields)


def history_rows(session: Session, limit: int = 500) -> list[HistoryRow]:
    rows = session.scalars(select(ExchangeHistory).order_by(ExchangeHistory.at.desc(), ExchangeHistory.id.desc())
                           .limit(limit))
    return [
        HistoryRow(r.uuid, r.at, r.direction, r.package_uuid, r.peer_name, r.peer_installation, r.file_name,
                   dict(r.scope or {}), dict(r.counts or {}), r.note)
        for r in rows
    ]


def load_history(db: Database, limit: int = 500) -> list[HistoryRow]:
    """The history, newest first, read in a session of its own (the exchange screen's list)."""
    with db.session(source="ui") as session:
        return history_rows(session, limit)


def previous_imports(session: Session, package_uuid: str) -> list[HistoryRow]:
    """Earlier imports of the same package or workbook (by its uuid)."""
    rows = session.scalars(select(ExchangeHistory).where(
        ExchangeHistory.package_uuid == package_uuid,
        ExchangeHistory.direction.in_(("import_package", "import_workbook"))).order_by(ExchangeHistory.at))
    return [
        HistoryRow(r.uuid, r.at, r.direction, r.package_uuid, r.peer_name, r.peer_installation, r.file_name,
                   dict(r.scope or {}), dict(r.counts or {}), r.note)
        for r in rows
    ]

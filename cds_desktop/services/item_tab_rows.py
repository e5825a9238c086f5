"""The rows of an item's «Phân công» and «Lịch sử» tabs: its assignments (unit, role, deadline) and its
audited changes (who changed what, when, from where), read for the detail panel.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from cds_desktop.models import (
    Item,
    Unit,
)
from cds_desktop.services import history
from cds_desktop.services.common import get
from cds_desktop.services.view_rows import (  # the rows are shared with the light first-paint reader
    SECTION_TITLES,  # noqa: F401 (re-exported)
    fmt_date,  # noqa: F401 (re-exported)
    )

# Audit fields derived by the parsers: noise in an item's history, except the due date.
DERIVED_FIELDS = {
    "target_source", "target_comparator", "target_value", "target_value_max", "target_unit",
    "target_understood", "deadline_kind", "start_date", "recurrence", "deadline_understood", "extra",
}


def fmt_datetime_local(value: datetime | None) -> str:
    """dd/mm/yyyy HH:MM in the computer's local time."""
    return value.astimezone().strftime("%d/%m/%Y %H:%M") if value else ""


@dataclass(frozen=True)
class AssignmentRow:
    uuid: str
    unit_uuid: str
    unit_name: str
    role: str
    role_label: str
    leader_name: str
    specialist_name: str
    leader_uuid: str = ""
    specialist_uuid: str = ""


def assignment_rows(session: Session, item_uuid: str) -> list[AssignmentRow]:
    item = get(session, Item, item_uuid)
    rows = [
        AssignmentRow(
            a.uuid, a.unit.uuid, a.unit.name, a.role, a.role_label,
            a.leader.name if a.leader else "", a.specialist.name if a.specialist else "",
            a.leader.uuid if a.leader else "", a.specialist.uuid if a.specialist else "",
        )
        for a in item.assignments
        if a.deleted_at is None and a.unit.deleted_at is None
    ]
    rows.sort(key=lambda r: (r.role != "lead",))
    return rows


def add_assignment(session: Session, item_uuid: str, unit_uuid: str, role: str) -> str:
    from cds_desktop.services.assignments import assign

    return assign(session, get(session, Item, item_uuid), get(session, Unit, unit_uuid), role).uuid


@dataclass(frozen=True)
class HistoryRow:
    at: datetime
    text: str
    source: str

    @property
    def when(self) -> str:
        return fmt_datetime_local(self.at)


SOURCE_LABELS = {"ui": "Giao diện", "cli": "Dòng lệnh", "demo": "Dữ liệu mẫu", "system": "Hệ thống"}


def history_rows(session: Session, item_uuid: str) -> list[HistoryRow]:
    item = get(session, Item, item_uuid, include_deleted=True)
    rows = []
    for entry in history.item_history(session, item):
        if entry.action == "update" and entry.field in DERIVED_FIELDS:
            continue
        text = history.describe(entry)
        if entry.action == "update" and entry.field == "due_date":
            text = f"Hạn tính được: «{entry.old_value or ''}» → «{entry.new_value or ''}»"
        source = SOURCE_LABELS.get(entry.source, entry.source)
        if source.startswith("import:"):
            source = "Nhập từ " + source.removeprefix("import:")
        rows.append(HistoryRow(entry.at, text, source))
    return rows

"""What the item panels and the deleted-items list show, and restoring a deleted item:
each function is one unit of work of its own (a fresh session), so the Qt models and
dialogs that call them never open a session (Qt-free)."""

from __future__ import annotations

from cds_desktop.database import Database
from cds_desktop.services import item_tab_rows, plan_view
from cds_desktop.services.item_tab_rows import AssignmentRow, HistoryRow
from cds_desktop.services.items import restore_item
from cds_desktop.services.plan_view import ItemRow


def load_assignments(db: Database, item_uuid: str) -> list[AssignmentRow]:
    """The units assigned to an item, with their role and the people in charge."""
    with db.session(source="ui") as session:
        return item_tab_rows.assignment_rows(session, item_uuid)


def load_history(db: Database, item_uuid: str) -> list[HistoryRow]:
    """An item's change history as the detail panel lists it."""
    with db.session(source="ui") as session:
        return item_tab_rows.history_rows(session, item_uuid)


def load_deleted_items(db: Database, plan_id: int) -> list[ItemRow]:
    """The plan's deleted items, the most recently deleted first."""
    with db.session(source="ui") as session:
        return plan_view.deleted_item_rows(session, plan_id)


def restore_deleted_item(db: Database, item_uuid: str) -> None:
    """Put a deleted item back into its plan."""
    with db.session(source="ui") as session:
        restore_item(session, item_uuid)

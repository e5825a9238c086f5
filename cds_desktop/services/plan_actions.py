"""The plan screen's actions, one unit of work each (the widgets of ``ui/plan`` open no session).

Reads return plain rows; edits run inside :func:`cds_desktop.services.structure.run_change`
and return the recorded :class:`~cds_desktop.services.changes.Change` (what the
operation returned is in ``change.result``), which the window puts on its undo stack.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from cds_desktop.database import Database
from cds_desktop.models import Item, Plan
from cds_desktop.services import item_tab_rows, plan_view
from cds_desktop.services.changes import Change
from cds_desktop.services.common import get
from cds_desktop.services.items import create_item, delete_item, move_item, restore_item, update_item
from cds_desktop.services.structure import run_change

# --------------------------------------------------------------------------
# Reads


def load_item_rows(
    db: Database, plan_id: int, kind: str, group_ids: list[int] | None = None, search: str | None = None,
    order: str = "position", descending: bool = False, item_filter=None,
) -> list[plan_view.ItemRow]:
    with db.session(source="ui") as session:
        return plan_view.item_rows(session, plan_id, kind, group_ids, search, order, descending, item_filter)


def load_group_tree(db: Database, plan_id: int) -> list[plan_view.GroupNode]:
    with db.session(source="ui") as session:
        return plan_view.group_tree(session, plan_id)


def load_item_detail(db: Database, uuid: str) -> plan_view.ItemDetail:
    with db.session(source="ui") as session:
        return plan_view.item_detail(session, uuid)


def load_places_for_new_item(db: Database, plan_uuid: str, kind: str) -> list[plan_view.GroupPlace]:
    with db.session(source="ui") as session:
        return plan_view.places_for_new_item(session, plan_uuid, kind)


def load_import_targets(db: Database) -> list[tuple[str, str]]:
    """(label, uuid) of the plans a plan import can be matched with."""
    from cds_desktop.services.plans import list_plans

    with db.session(source="ui") as session:
        return [(f"{p.title} — {p.number or 'chưa có số'} ({p.commune.name})", p.uuid) for p in list_plans(session)]


def load_catalogue_matches(db: Database, draft: dict[str, Any]) -> dict[str, str | None]:
    from cds_desktop.services.plan_draft import catalogue_matches

    with db.session(source="ui") as session:
        return catalogue_matches(session, draft)


# --------------------------------------------------------------------------
# Edits (undoable: each returns its Change)


def _as_seen(session: Session, uuid: str, seen_version: int | None) -> None:
    """The item is still the version the screen showed (else ``StaleWriteError``, nothing written)."""
    from cds_desktop.database.conflicts import check_seen_version

    if seen_version is not None:
        check_seen_version(session, get(session, Item, uuid), seen_version)


def save_item(db: Database, uuid: str, fields: dict[str, str], seen_version: int | None = None) -> Change:
    """Store the edited fields of an item; ``change.result`` lists the fields that changed.  With
    *seen_version* (the version the panel showed) a change made elsewhere since is refused."""

    def operation(session: Session) -> list[str]:
        _as_seen(session, uuid, seen_version)
        return update_item(session, uuid, **fields)

    return run_change(db, "Sửa mục", operation)


def remove_item(db: Database, uuid: str, seen_version: int | None = None) -> Change:
    def operation(session: Session) -> None:
        _as_seen(session, uuid, seen_version)
        delete_item(session, uuid)

    return run_change(db, "Xóa mục", operation)


def add_item(db: Database, plan_uuid: str, kind: str, group_uuid: str, content: str, description: str) -> Change:
    """Create an item in the group *group_uuid* ("" : none); ``change.result`` is its uuid."""

    def operation(session: Session) -> str:
        group = plan_view.group_for_new_item(session, group_uuid, kind)
        return create_item(session, get(session, Plan, plan_uuid), kind, group, content=content).uuid

    return run_change(db, description, operation)


def move(db: Database, uuid: str, offset: int) -> Change:
    """Move an item up/down in its group; ``change.result`` tells whether it moved."""
    return run_change(db, "Chuyển mục", lambda s: move_item(s, uuid, offset))


def change_assignments(db: Database, action: Callable[[Session], Any]) -> Change:
    """Run an edit of an item's assignments (*action(session)*) as one undoable change."""
    return run_change(db, "Sửa phân công", action)


def add_assignment(db: Database, item_uuid: str, unit_uuid: str, role: str) -> Change:
    return change_assignments(db, lambda s: item_tab_rows.add_assignment(s, item_uuid, unit_uuid, role))


def remove_assignment(db: Database, assignment_uuid: str) -> Change:
    from cds_desktop.services.assignments import unassign

    return change_assignments(db, lambda s: unassign(s, assignment_uuid))


def restore(db: Database, uuid: str) -> None:
    """Bring a deleted item back (the status bar's «Hoàn tác» after a delete)."""
    with db.session(source="ui") as session:
        restore_item(session, uuid)

"""Tombstones are left out of every query by one default criterion; code that needs them asks."""

from __future__ import annotations

from sqlalchemy import func, select

from cds_desktop.database.tombstones import including_deleted
from cds_desktop.models import Assignment, Item, Unit
from cds_desktop.services import items
from cds_desktop.services.plan_view import deleted_item_rows, item_rows


def _delete_first_item(db) -> tuple[str, int]:
    with db.session("test") as s:
        item = s.scalars(select(Item).join(Assignment).order_by(Item.id)).first()
        items.delete_item(s, item.uuid)
        return item.uuid, item.plan_id


def test_queries_leave_tombstones_out_unless_asked(demo_db):
    with demo_db.session("test") as s:
        total = s.scalar(select(func.count()).select_from(Item))
    uuid, plan_id = _delete_first_item(demo_db)
    with demo_db.session("test") as s:
        assert s.scalar(select(func.count()).select_from(Item)) == total - 1
        assert s.scalar(select(Item).where(Item.uuid == uuid)) is None
        # joins and subqueries too: no assignment of the deleted item is reached through it
        through_join = s.scalars(select(Assignment).join(Item, Item.id == Assignment.item_id)
                                 .where(Item.uuid == uuid)).all()
        assert through_join == []
        in_subquery = s.scalar(select(func.count()).select_from(Assignment)
                               .where(Assignment.item_id.in_(select(Item.id).where(Item.uuid == uuid))))
        assert in_subquery == 0
        # asked for: per statement, per session, and by primary key
        asked = s.scalar(select(Item).where(Item.uuid == uuid).execution_options(include_deleted=True))
        assert asked is not None and asked.is_deleted
        assert s.get(Item, asked.id) is asked
        with including_deleted(s):
            assert s.scalar(select(func.count()).select_from(Item)) == total
        assert s.scalar(select(func.count()).select_from(Item)) == total - 1
        # what the screens show
        assert uuid not in {r.uuid for r in item_rows(s, plan_id)}
        assert [r.uuid for r in deleted_item_rows(s, plan_id)] == [uuid]


def test_restore_finds_the_tombstone(demo_db):
    uuid, plan_id = _delete_first_item(demo_db)
    with demo_db.session("test") as s:
        items.restore_item(s, uuid)
    with demo_db.session("test") as s:
        assert uuid in {r.uuid for r in item_rows(s, plan_id)}
        assert deleted_item_rows(s, plan_id) == []


def previous(path, number: int) -> str:
    lines = path.read_text(encoding="utf-8").splitlines()
    return lines[number - 2] if number >= 2 else ""


def test_the_source_has_no_hand_written_tombstone_filter_left():
    """A new query needs no ``deleted_at IS NULL``: the default criterion adds it."""
    from pathlib import Path

    import cds_desktop

    root = Path(cds_desktop.__file__).parent
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for path in root.rglob("*.py") if "migrations" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "deleted_at.is_(None)" in line and "# tombstones:" not in line and "# tombstones:" not in previous(path, number)
    ]
    assert offenders == []


def test_a_deleted_unit_is_gone_from_the_catalogue_but_listed_when_asked(demo_db):
    from cds_desktop.services.catalog import delete_unit, units_query

    with demo_db.session("test") as s:
        unit = s.scalars(select(Unit).order_by(Unit.id)).first()
        delete_unit(s, unit.uuid)
    with demo_db.session("test") as s:
        assert unit.uuid not in {u.uuid for u in s.scalars(units_query())}
        assert unit.uuid in {u.uuid for u in s.scalars(units_query(include_deleted=True))}


def test_setting_a_deleted_calendar_again_revives_it(demo_db):
    """A commune's calendar tombstoned (by a package from another office, or undo) is taken
    up again: the unique commune_id would refuse a second row."""
    from cds_desktop.models import Plan, ReportingCalendar
    from cds_desktop.services.common import tombstone
    from cds_desktop.services.tracking.calendar import calendar_settings, set_calendar

    with demo_db.session("test") as s:
        plan = s.scalars(select(Plan).order_by(Plan.id)).first()
        set_calendar(s, plan, due_day=20)
        calendar = s.scalar(select(ReportingCalendar).where(ReportingCalendar.commune_id == plan.commune_id))
        calendar_uuid = calendar.uuid
        tombstone(calendar)
    with demo_db.session("test") as s:
        plan = s.scalars(select(Plan).order_by(Plan.id)).first()
        assert calendar_settings(s, plan).due_day == (plan.report_day or 15)  # the deleted one is not used
        assert set_calendar(s, plan, due_day=10, quarterly=False).due_day == 10
    with demo_db.session("test") as s:
        rows = s.scalars(select(ReportingCalendar).execution_options(include_deleted=True)).all()
        assert [(r.uuid, r.is_deleted, r.due_day, r.quarterly) for r in rows] == [(calendar_uuid, False, 10, False)]

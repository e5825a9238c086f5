"""Services without Qt: CRUD with tombstones and restore, audit log, accent-insensitive search."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cds_desktop.models import COORDINATING, LEAD, AuditEntry, Group, Item, Plan, Unit
from cds_desktop.services import assignments, catalog, items, plans
from cds_desktop.services.common import ServiceError
from cds_desktop.services.history import describe, item_history
from cds_desktop.services.search import search


@pytest.fixture
def plan_uuid(db):
    with db.session("test") as s:
        commune = plans.get_or_create_commune(s, "Thạch Thất", "xã")
        plan = plans.create_plan(s, commune, 2026, title="Chuyển đổi số xã Thạch Thất năm 2026", number="")
        g1 = plans.create_group(s, plan, "indicators", "I", "Chính quyền số")
        plans.create_group(s, plan, "tasks", "I", "Đổi mới chỉ đạo, điều hành")
        office = catalog.create_unit(s, "Văn phòng HĐND-UBND", kind="department", aliases=["VP HĐND – UBND"])
        culture = catalog.create_unit(s, "Phòng Văn hóa - Xã hội", kind="department", aliases=["Phòng VHXH"])
        village = catalog.create_unit(s, "Thôn Đông Hạ", kind="village")
        item = items.create_item(
            s, plan, "indicator", g1, number="1", content="100% các thôn hình thành cộng đồng số trên iHanoi"
        )
        assignments.assign(s, item, culture, LEAD)
        assignments.assign(s, item, village, COORDINATING)
        items.create_item(s, plan, "indicator", g1, number="2", content="Tỷ lệ hồ sơ xử lý đúng hạn đạt ≥ 98%")
        assert office.uuid
        return plan.uuid


def _plan(s, uuid) -> Plan:
    return s.scalar(select(Plan).where(Plan.uuid == uuid))


def test_create_parses_targets_and_deadlines(db, plan_uuid):
    with db.session("test") as s:
        plan = _plan(s, plan_uuid)
        task_group = plans.live_groups(s, plan, "tasks")[0]
        task = items.create_item(s, plan, "task", task_group, number="1", content="Rà soát", deadline_text="Quý II/2026")
        assert task.due_date.isoformat() == "2026-06-30"
        assert task.deadline_kind == "date"
        first = s.scalar(select(Item).where(Item.plan_id == plan.id, Item.number == "2"))
        assert (first.target_comparator, first.target_value, first.target_source) == ("ge", 98.0, "content")
        weird = items.create_item(s, plan, "task", task_group, content="X", deadline_text="Quý V/2026")
        assert weird.deadline_understood is False
        assert weird.deadline_text == "Quý V/2026"  # kept as written, flagged


def test_edit_writes_audit_entries_with_old_and_new(db, plan_uuid):
    with db.session("test") as s:
        item = s.scalar(select(Item).where(Item.number == "2"))
        uuid, version = item.uuid, item.version
    with db.session("ui") as s:
        changed = items.update_item(s, uuid, content="Tỷ lệ hồ sơ xử lý đúng hạn đạt ≥ 99%", note="Sửa theo chỉ đạo")
        assert set(changed) == {"content", "note"}
    with db.session("test") as s:
        item = s.scalar(select(Item).where(Item.uuid == uuid))
        assert item.version == version + 1
        assert item.target_value == 99.0
        assert item.changed_by == db.installation_id
        entries = s.scalars(
            select(AuditEntry).where(AuditEntry.entity_uuid == uuid, AuditEntry.action == "update")
        ).all()
        by_field = {e.field: e for e in entries}
        assert by_field["content"].old_value.endswith("≥ 98%")
        assert by_field["content"].new_value.endswith("≥ 99%")
        assert by_field["content"].source == "ui"
        assert by_field["note"].new_value == "Sửa theo chỉ đạo"
        history = item_history(s, item)
        assert any("Nội dung" in describe(e) for e in history)


def test_no_change_no_audit(db, plan_uuid):
    with db.session("test") as s:
        item = s.scalar(select(Item).where(Item.number == "1"))
        count = len(s.scalars(select(AuditEntry)).all())
        assert items.update_item(s, item.uuid, content=item.content) == []
    with db.session("test") as s:
        assert len(s.scalars(select(AuditEntry)).all()) == count


def test_text_is_nfc_at_the_boundary(db, plan_uuid):
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Thôn Đoài")
    with db.session("test") as s:
        unit = catalog.create_unit(s, decomposed, kind="village")
        assert unit.name == unicodedata.normalize("NFC", "Thôn Đoài")


def test_delete_is_a_tombstone_and_restore_brings_it_back(db, plan_uuid):
    with db.session("test") as s:
        item = s.scalar(select(Item).where(Item.number == "1"))
        uuid = item.uuid
        items.delete_item(s, uuid)
    with db.session("test") as s:
        item = s.scalar(select(Item).where(Item.uuid == uuid).execution_options(include_deleted=True))
        assert item is not None and item.deleted_at is not None  # row kept for exchange
        assert all(a.deleted_at is not None for a in item.assignments)
        plan = _plan(s, plan_uuid)
        live = s.scalars(items.items_query(plan.id, "indicator")).all()
        assert uuid not in {i.uuid for i in live}
        actions = [e.action for e in s.scalars(select(AuditEntry).where(AuditEntry.entity_uuid == uuid))]
        assert "delete" in actions
        with pytest.raises(ServiceError):
            items.update_item(s, uuid, content="x")
    with db.session("test") as s:
        items.restore_item(s, uuid)
    with db.session("test") as s:
        item = s.scalar(select(Item).where(Item.uuid == uuid))
        assert item.deleted_at is None
        assert all(a.deleted_at is None for a in item.assignments)
        assert "restore" in [e.action for e in s.scalars(select(AuditEntry).where(AuditEntry.entity_uuid == uuid))]


def test_reorder_items_and_groups(db, plan_uuid):
    with db.session("test") as s:
        plan = _plan(s, plan_uuid)
        second = s.scalar(select(Item).where(Item.number == "2"))
        assert items.move_item(s, second.uuid, -1)
        assert not items.move_item(s, second.uuid, -1)  # already first
        order = [i.number for i in s.scalars(items.items_query(plan.id, "indicator"))]
        assert order == ["2", "1"]
        g2 = plans.create_group(s, plan, "indicators", "II", "Kinh tế số")
        assert plans.move_group(s, g2.uuid, -1)
        labels = [g.label for g in plans.live_groups(s, plan, "indicators")]
        assert labels == ["II", "I"]


def test_group_delete_refused_while_not_empty(db, plan_uuid):
    with db.session("test") as s:
        group = s.scalar(select(Group).where(Group.label == "I", Group.section == "indicators"))
        with pytest.raises(ServiceError, match="còn 2 mục"):
            plans.delete_group(s, group.uuid)


def test_plans_delete_restore_and_validation(db, plan_uuid):
    with db.session("test") as s:
        plans.delete_plan(s, plan_uuid)
        assert plans.list_plans(s) == []
        plans.restore_plan(s, plan_uuid)
        assert [p.uuid for p in plans.list_plans(s)] == [plan_uuid]
        with pytest.raises(ServiceError):
            plans.update_plan(s, plan_uuid, report_day=45)


def test_units_aliases_people_and_assignment_roles(db, plan_uuid):
    with db.session("test") as s:
        unit = catalog.find_unit(s, "VP HĐND-UBND")
        assert unit is not None and unit.name == "Văn phòng HĐND-UBND"
        assert catalog.find_unit(s, "Văn phòng HĐND - UBND") is unit
        assert catalog.find_unit(s, "văn phòng hđnd-ubnd") is unit
        with pytest.raises(ServiceError, match="đã có"):
            catalog.create_unit(s, "Văn phòng HĐND – UBND")
        catalog.add_alias(s, unit, "Văn phòng HĐND&UBND xã")
        assert catalog.find_unit(s, "Văn phòng HĐND&UBND xã") is unit
        person = catalog.create_person(s, "Đỗ Hồng Sơn", title="Phó Chủ tịch UBND xã", unit_id=unit.id)
        item = s.scalar(select(Item).where(Item.number == "2"))
        link = assignments.assign(s, item, unit, LEAD)
        assert assignments.assign(s, item, unit, LEAD) is link  # idempotent
        assignments.set_people(s, link.uuid, leader_uuid=person.uuid)
        assert link.leader is person
        culture = catalog.find_unit(s, "Phòng VHXH")
        assignments.set_item_units(s, item, lead=[culture], coordinating=[unit])
        live = {(a.unit.name, a.role) for a in assignments.live_assignments(item)}
        assert live == {("Phòng Văn hóa - Xã hội", LEAD), ("Văn phòng HĐND-UBND", COORDINATING)}
        led = assignments.unit_items(s, culture)
        assert {i.number for i, _ in led} == {"1", "2"}
        catalog.delete_unit(s, unit.uuid)
        assert catalog.find_unit(s, "VP HĐND-UBND") is None
        catalog.restore_unit(s, unit.uuid)
        assert catalog.find_unit(s, "VP HĐND-UBND") is unit


@pytest.mark.parametrize(
    ("query", "expect_item", "expect_unit"),
    [
        ("thon", "1", "Thôn Đông Hạ"),  # "thon" finds "thôn"
        ("THÔN", "1", "Thôn Đông Hạ"),
        ("dong ha", "1", "Thôn Đông Hạ"),  # through the coordinating village
        ("vhxh", "1", "Phòng Văn hóa - Xã hội"),  # through the alias
        ("van hoa", "1", "Phòng Văn hóa - Xã hội"),
        ("dung han", "2", None),
    ],
)
def test_search_ignores_diacritics_and_case(db, plan_uuid, query, expect_item, expect_unit):
    with db.session("test") as s:
        results = search(s, query)
        assert expect_item in {i.number for i in results.items}
        if expect_unit:
            assert expect_unit in {u.name for u in results.units}


def test_search_escapes_like_wildcards(db, plan_uuid):
    with db.session("test") as s:
        assert search(s, "1_0%").items == []  # "_" is not a wildcard: "100%" must not match
        assert search(s, "tho%").items == []
        assert {i.number for i in search(s, "98%").items} == {"2"}


def test_units_sort_ignoring_diacritics(db, plan_uuid):
    with db.session("test") as s:
        for name in ("Thôn Ấp Bắc", "Thôn An Lạc", "thôn Ba Vì"):
            catalog.create_unit(s, name, kind="village")
        names = [u.name for u in s.scalars(catalog.units_query(kind="village"))]
        assert names == ["Thôn An Lạc", "Thôn Ấp Bắc", "thôn Ba Vì", "Thôn Đông Hạ"]


# Per-installation bookkeeping of the exchange itself (merge clocks, what was sent and
# received): never exported, so it carries no exchange columns (models/exchange.py); likewise
# the receiving mode's bookkeeping and figures derived from received data (models/rollup.py).
LOCAL_TABLES = {"exchange_clocks", "exchange_history", "rollup_sources", "rollup_figures", "rollup_indicators",
                "rollup_matches", "user_roles"}


def test_every_table_has_exchange_columns():
    from cds_desktop.models import Base

    tables = [t for t in Base.metadata.tables.values() if t.name not in LOCAL_TABLES]
    assert len(tables) > 10
    for table in tables:
        for column in ("uuid", "created_at", "updated_at", "changed_by", "version", "deleted_at"):
            assert column in table.c, f"{table.name} lacks {column}"


def test_units_query_search_through_alias(db, plan_uuid):
    with db.session("test") as s:
        assert [u.name for u in s.scalars(catalog.units_query("vhxh"))] == ["Phòng Văn hóa - Xã hội"]
        assert isinstance(s.scalars(catalog.units_query()).first(), Unit)


def test_every_item_field_has_a_vietnamese_history_label():
    from cds_desktop.models import Item
    from cds_desktop.services.history import FIELD_LABELS

    skip = Item.__audit_skip__ | {"plan_id", "kind"}
    missing = [c.key for c in Item.__table__.columns if c.key not in skip and c.key not in FIELD_LABELS]
    assert missing == []


def test_catalogue_and_item_actions_are_units_of_work_of_their_own(demo_db):
    """What the catalogue dialogs, pickers and the deleted-items dialog call: each function
    opens its own session and returns plain rows."""
    from cds_desktop.services import catalog_view, item_panels
    from cds_desktop.services.plan_view import item_rows

    def item_rows_of(db, plan_id):
        with db.session("test") as s:
            return item_rows(s, plan_id)

    uuid = catalog_view.store_unit(demo_db, None, name="Tổ công nghệ số cộng đồng thôn Thử", short_name="TCNS",
                                   kind="other", aliases=["Tổ CNS thôn Thử"])
    found = catalog_view.load_units(demo_db, search="to cong nghe so cong dong thon thu")
    assert [(u.uuid, u.aliases) for u in found] == [(uuid, ("Tổ CNS thôn Thử",))]
    catalog_view.delete_unit(demo_db, uuid)
    assert catalog_view.load_units(demo_db, search="TCNS") == []
    assert [u.deleted for u in catalog_view.load_units(demo_db, search="TCNS", include_deleted=True)] == [True]
    catalog_view.restore_unit(demo_db, uuid)
    person = catalog_view.store_person(demo_db, None, name="Nguyễn Văn Thử", title="Tổ trưởng", phone="",
                                       email="", unit_uuid=uuid)
    assert [(p.uuid, p.unit_uuid) for p in catalog_view.load_people(demo_db, search="nguyen van thu")] == [(person, uuid)]
    catalog_view.delete_person(demo_db, person)
    assert catalog_view.load_people(demo_db, search="nguyen van thu") == []

    with demo_db.session("test") as s:
        from cds_desktop.models import Assignment

        item = s.scalars(select(Item).join(Assignment).order_by(Item.id)).first()
        item_uuid, plan_id = item.uuid, item.plan_id
        items.delete_item(s, item_uuid)
    assert [r.uuid for r in item_panels.load_deleted_items(demo_db, plan_id)] == [item_uuid]
    assert item_panels.load_history(demo_db, item_uuid) != []
    item_panels.restore_deleted_item(demo_db, item_uuid)
    assert item_panels.load_deleted_items(demo_db, plan_id) == []
    assert item_uuid in {r.uuid for r in item_rows_of(demo_db, plan_id)}
    assert item_panels.load_assignments(demo_db, item_uuid) != []

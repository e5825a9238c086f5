"""Plans built by hand for the tests (no tests here)."""

from __future__ import annotations

from cds_desktop import models
from cds_desktop.services import items, plans


def import_plan_file(db, path) -> dict:
    """Import a plan document into *db* through the real import path; the import report."""
    from cds_desktop.importers.run import analyse_path, import_analysis

    return import_analysis(db, analyse_path(path))


def database_with_plan(folder, path):
    """A new data folder *folder* holding the plan document *path*, imported (close it when done)."""
    from cds_desktop.database import open_database

    db = open_database(folder)
    import_plan_file(db, path)
    return db


def parts_plan(db) -> str:
    """A plan with parts A/B (two-level task groups), assignments, a deleted item and a deleted assignment."""
    from cds_desktop.services.assignments import assign
    from cds_desktop.services.catalog import create_unit

    with db.session("test") as s:
        commune = plans.get_or_create_commune(s, "Phù Đổng", "xã")
        plan = plans.create_plan(s, commune, 2026, title="Kế hoạch CĐS năm 2026", number="12/KH-UBND")
        police = create_unit(s, "Công an xã")
        office = create_unit(s, "Văn phòng HĐND-UBND")
        gone = create_unit(s, "Đơn vị đã xóa")
        dropped = []
        ind = plans.create_group(s, plan, "indicators", "I", "Chính quyền số")
        items.create_item(s, plan, "indicator", ind, number="1", content="Tỷ lệ hồ sơ đúng hạn đạt ≥ 98%")
        items.create_item(s, plan, "indicator", ind, number="2", content="Chỉ tiêu", target_text="20-30%")
        items.create_item(s, plan, "indicator", None, number="3", content="Chỉ số được cải thiện")
        for part in ("A", "B"):
            top = plans.create_group(s, plan, "tasks", part, f"Phần {part}")
            pillar = plans.create_group(s, plan, "tasks", "I", "Đổi mới chỉ đạo", parent=top)
            theme = plans.create_group(s, plan, "tasks", "I.1", "Chủ đề", parent=pillar)
            first = items.create_item(s, plan, "task", pillar, number=f"{part}1", local_number="1",
                                      content=f"Nhiệm vụ {part}", deadline_text="Quý II/2026")
            second = items.create_item(s, plan, "task", theme, number=f"{part}2", local_number="1",
                                       content=f"Nhiệm vụ chủ đề {part}", deadline_text="khi có hướng dẫn",
                                       lead_text="Phòng Kinh tế")
            s.flush()
            assign(s, first, police)
            assign(s, first, office, "coordinating")
            assign(s, first, gone, "coordinating")
            assign(s, second, office, "coordinating")
            dropped.append(items.create_item(s, plan, "task", theme, content=f"Đã xóa {part}").uuid)
        s.flush()
        uuid = plan.uuid
    with db.session("test") as s:
        for item_uuid in dropped:
            items.delete_item(s, item_uuid)
        from cds_desktop.services.common import get, tombstone

        tombstone(get(s, models.Unit, gone.uuid))
    return uuid

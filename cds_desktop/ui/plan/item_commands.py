"""Commands of the main window on items and on the data folder: add, move,
delete/undo, the demo plan on first start, opening the data folder and log.

A mixin of :class:`cds_desktop.ui.main_window.MainWindow` (kept apart to keep
modules small); it uses the window's models, views and detail panel.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QInputDialog, QMessageBox

from cds_desktop.ui.common.errors import show_error
from cds_desktop.ui.common.jobs import Job, run_job


class ItemCommandsMixin:
    """Item and first-start commands (see the module docstring)."""

    def _after_item_deleted(self, uuid: str) -> None:
        self.last_deleted = uuid
        self.refresh()
        # One widget for the message and its action: a temporary status message would be
        # drawn over the button.
        self.statusBar().clearMessage()
        self.undo_button.setText("Đã xóa mục · Hoàn tác")
        self.undo_button.show()
        QTimer.singleShot(60_000, self.undo_button.hide)

    def undo_delete(self) -> None:
        uuid = self.last_deleted
        if not uuid:
            return
        from cds_desktop.services.plan_actions import restore

        try:
            restore(self.db, uuid)
        except Exception as exc:
            show_error(exc, self)
            return
        self.last_deleted = None
        self.undo_button.hide()
        self.statusBar().showMessage("Đã khôi phục mục.", 5_000)
        self.refresh(uuid)

    def add_item(self, kind: str, content: str | None = None) -> str | None:
        """Create an indicator/task in the selected group (asks for the content if not given)."""
        from cds_desktop.models import INDICATOR, SECTION_OF_KIND
        from cds_desktop.services import plan_actions

        plan = self.current_plan()
        if plan is None:
            return None
        label = "chỉ tiêu" if kind == INDICATOR else "nhiệm vụ"
        node = self.selected_group_node()
        group_uuid = ""
        if node is not None and not node.is_section and node.section == SECTION_OF_KIND[kind]:
            group_uuid = node.uuid
        elif self.current_kind() == kind and self.detail.item_uuid:
            group_uuid = plan_actions.load_item_detail(self.db, self.detail.item_uuid).group_uuid
        if not group_uuid:
            group_uuid = self._ask_group(plan.uuid, kind, label)
            if group_uuid is None:
                return None
        if content is None:
            content, ok = QInputDialog.getMultiLineText(self, f"Thêm {label}", f"Nội dung của {label} mới:")
            if not ok or not content.strip():
                return None
        try:
            change = plan_actions.add_item(self.db, plan.uuid, kind, group_uuid, content, f"Thêm {label}")
        except Exception as exc:
            show_error(exc, self)
            return None
        uuid = change.result
        self.record_change(change)
        self.refresh(uuid)
        return uuid

    def _ask_group(self, plan_uuid: str, kind: str, label: str) -> str | None:
        """The group a new item goes into when none of its appendix is selected: the only one,
        or the officer's choice (None: cancelled; "" when the appendix has no group yet)."""
        from cds_desktop.services.plan_actions import load_places_for_new_item

        places = load_places_for_new_item(self.db, plan_uuid, kind)
        if len(places) <= 1:
            return places[0].uuid if places else ""
        names = [("      " * p.depth) + p.label for p in places]
        choice, ok = QInputDialog.getItem(self, f"Thêm {label}", f"Đặt {label} mới vào nhóm:", names, 0, False)
        if not ok or choice not in names:
            return None
        return places[names.index(choice)].uuid

    def move_current(self, offset: int) -> None:
        uuid = self.current_item_uuid()
        if not uuid:
            return
        from cds_desktop.services.plan_actions import move

        try:
            change = move(self.db, uuid, offset)
        except Exception as exc:
            show_error(exc, self)
            return
        if change.result:
            self.record_change(change)
            self.refresh(uuid)

    # -- first start --------------------------------------------------------------
    def has_plans(self) -> bool:
        return bool(self.plans)

    def offer_demo(self, auto: bool = False) -> Job | None:
        """First start (no plan yet): the plan screens say what to do next, with one button per
        choice (Nhập kế hoạch… / Tạo kế hoạch trống… / Dùng kế hoạch mẫu, ``empty_state``), and
        nothing is asked on top of them; with *auto* (``--demo``, ``CDS_AUTO_DEMO``) the demo plan
        is made at once.  Returns the demo's job, if one was started."""
        if self.has_plans() or not auto:
            return None
        return self.create_demo_plan()

    def create_demo_plan(self) -> Job:
        from cds_desktop.services.demo import create_demo
        from cds_desktop.services.demo_progress import create_demo_progress

        db = self.db

        def work(_ctx) -> str:
            plan, _created = create_demo(db)
            create_demo_progress(db)  # a few months of sample reports, so every screen has data
            return plan.uuid

        def done(uuid: str) -> None:
            self.reload_plans(uuid)
            self.statusBar().showMessage(
                "Đã tạo kế hoạch mẫu của xã Bát Tràng, kèm số liệu báo cáo mẫu tháng 4–9/2026.", 10_000)
            self.demoCreated.emit(uuid)

        return run_job(work, title="Đang tạo kế hoạch mẫu…", parent=self, on_success=done)

    # -- misc -------------------------------------------------------------------
    def open_data_dir(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.db.paths.data_dir)))

    def open_log_file(self) -> None:
        from cds_desktop.logging_setup import current_log_file

        log_file = current_log_file()
        if log_file is None or not log_file.exists():
            QMessageBox.information(self, "Tệp nhật ký", "Chưa có tệp nhật ký.")
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_file)))

"""Commands on the plan's structure: blank plan, plan header, groups (add, rename,
reorder, move, delete), items to another group; the undo stack (Sửa → Hoàn tác / Làm lại).
Their context menus and menu-bar entries are in :mod:`cds_desktop.ui.plan.structure_menus`.

A mixin of :class:`cds_desktop.ui.main_window.MainWindow`.  Every command runs
one service operation of :mod:`cds_desktop.services.structure` inside
:func:`~cds_desktop.services.structure.run_change`, and pushes the recorded
:class:`~cds_desktop.services.changes.Change` on the window's undo stack.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QAbstractItemView, QMenu, QMessageBox

from cds_desktop.ui.common.errors import show_error
from cds_desktop.ui.plan.structure_menus import StructureMenusMixin

log = logging.getLogger(__name__)


class ChangeCommand(QUndoCommand):
    """A recorded change on the undo stack; the first redo() is the operation already done."""

    def __init__(self, window, change) -> None:
        super().__init__(change.description)
        self.window = window
        self.change = change
        self.done = True

    def redo(self) -> None:
        if self.done:
            return
        self.done = self.window._replay(self.change, forward=True)
        if not self.done:
            self.setObsolete(True)

    def undo(self) -> None:
        if not self.done:
            return
        self.done = not self.window._replay(self.change, forward=False)
        if self.done:
            self.setObsolete(True)


def confirm(parent, title: str, text: str, yes: str) -> bool:
    """A question with Vietnamese buttons (*yes* / Hủy)."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    ok = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Hủy", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(ok)
    box.exec()
    return box.clickedButton() is ok


class StructureCommandsMixin(StructureMenusMixin):
    """Structure commands (see the module docstring)."""

    def setup_structure(self) -> None:
        """Undo stack, drag and drop and context menus of the plan screen (after the views exist)."""
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(200)
        tree = self.tree_view
        tree.setDragEnabled(True)
        tree.setAcceptDrops(True)
        tree.setDropIndicatorShown(True)
        tree.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        tree.setDefaultDropAction(Qt.DropAction.MoveAction)
        tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        tree.customContextMenuRequested.connect(self.show_tree_menu)
        queued = Qt.ConnectionType.QueuedConnection  # never reload the tree inside its own drop event
        self.tree_model.itemsDropped.connect(self.move_items_to_group, queued)
        self.tree_model.groupDropped.connect(self.reparent_group, queued)
        for view in (self.indicator_view, self.task_view):
            view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
            view.setDragEnabled(True)
            view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            view.customContextMenuRequested.connect(lambda pos, v=view: self.show_item_menu(v, pos))
        self.context_menu: QMenu | None = None
        self.detail.changeRecorded.connect(self.record_change)  # item edits, deletes, assignments

    def structure_actions(self) -> dict[str, QAction]:
        """The actions of the Sửa and Kế hoạch menus (built once)."""
        if getattr(self, "_structure_actions", None):
            return self._structure_actions
        undo = self.undo_stack.createUndoAction(self, "Hoàn tác")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, "Làm lại")
        redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])

        def action(text: str, slot, shortcut: str | None = None) -> QAction:
            a = QAction(text, self)
            if shortcut:
                a.setShortcut(QKeySequence(shortcut))
            a.triggered.connect(lambda _checked=False: slot())
            return a

        self._structure_actions = {
            "undo": undo, "redo": redo,
            "blank_plan": action("Tạo kế hoạch trống…", self.new_blank_plan),
            "header": action("Thông tin kế hoạch (số, ngày, người ký, trích yếu)…", self.edit_plan_header),
            "add_group": action("Thêm nhóm…", lambda: self.add_group(sub=False)),
            "add_subgroup": action("Thêm nhóm con…", lambda: self.add_group(sub=True)),
            "rename_group": action("Đổi tên nhóm…", self.rename_group, "F2"),
            "group_up": action("Chuyển nhóm lên", lambda: self.move_group(-1)),
            "group_down": action("Chuyển nhóm xuống", lambda: self.move_group(1)),
            "delete_group": action("Xóa nhóm…", self.delete_group),
            "move_items": action("Chuyển sang nhóm…", lambda: self.move_items_to_group()),
        }
        return self._structure_actions

    # -- running changes ----------------------------------------------------------
    def _warn(self, exc: BaseException) -> None:
        from cds_desktop.services.common import ServiceError

        if isinstance(exc, ServiceError):
            QMessageBox.warning(self, "Không thực hiện được", str(exc))
        else:
            show_error(exc, self)

    def run_structure_change(self, description: str, operation, select_group: str | None = None):
        """Run *operation(session)* as one undoable change; returns the Change (None if refused)."""
        from cds_desktop.services.structure import run_change

        try:
            change = run_change(self.db, description, operation)
        except Exception as exc:
            self._warn(exc)
            return None
        if not change.empty:
            self.undo_stack.push(ChangeCommand(self, change))
            self._after_change(change, select_group)
        return change

    def record_change(self, change) -> None:
        """Put a change already done (and shown) on the undo stack."""
        if change is not None and not change.empty:
            self.undo_stack.push(ChangeCommand(self, change))
            self.detail.own_change_done(change)

    def _replay(self, change, forward: bool) -> bool:
        from cds_desktop.services.structure import replay_change

        try:
            replay_change(self.db, change, forward)
        except Exception as exc:
            self._warn(exc)
            return False
        self._after_change(change)
        verb = "Đã làm lại" if forward else "Đã hoàn tác"
        self.statusBar().showMessage(f"{verb}: {change.description}.", 6000)
        return True

    def _after_change(self, change, select_group: str | None = None) -> None:
        touched = {t for t, _u in change.created} | {r.table for r in change.records}
        if "plans" in touched:
            plan = self.current_plan()
            uuid = change.result if isinstance(change.result, str) and change.created else None
            self.reload_plans(uuid or (plan.uuid if plan else None))
            return
        shown = self.detail.item_uuid
        self.refresh(self.current_item_uuid())
        if shown and self.detail.item_uuid == shown and not self.detail.has_unsaved_changes():
            # the same item stays selected: show its new values (typing not yet saved is kept)
            self.detail.show_item(shown if self.current_item_uuid() == shown else None)
        elif shown and self.detail.item_uuid == shown:
            self.detail.own_change_done(change)  # typing kept: only the version this window now stands on
        if select_group:
            self.select_group_uuid(select_group)

    def select_group_uuid(self, uuid: str) -> bool:
        from PySide6.QtCore import QItemSelectionModel

        index = self.tree_model.find_uuid(uuid)
        if not index.isValid():
            return False
        self.tree_view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        return True

    # -- plans -------------------------------------------------------------------
    def new_blank_plan(self):
        from cds_desktop.services import structure
        from cds_desktop.ui.plan.structure_dialogs import BlankPlanDialog

        plan = self.current_plan()
        name, kind = ("", "xã")
        if plan is not None:
            name, kind = structure.load_commune(self.db, plan.uuid)
        dialog = BlankPlanDialog(name, kind, parent=self)

        def accept(d: BlankPlanDialog) -> bool:
            values = d.values()
            change = self.run_structure_change(
                "Tạo kế hoạch trống", lambda s: structure.create_blank_plan(
                    s, values.pop("commune_name"), values.pop("year"), values.pop("commune_kind"), **values))
            if change is None:
                return False
            self.workspace.show_screen("plan")
            self.statusBar().showMessage("Đã tạo kế hoạch trống: hãy thêm nhóm, chỉ tiêu và nhiệm vụ.", 10_000)
            return True

        dialog.on_accept = accept
        dialog.open()
        return dialog

    def edit_plan_header(self):
        from cds_desktop.services import structure
        from cds_desktop.ui.plan.structure_dialogs import PlanHeaderDialog

        plan = self.current_plan()
        if plan is None:
            return None
        values = structure.load_header(self.db, plan.uuid)
        dialog = PlanHeaderDialog(values, self)

        def accept(d: PlanHeaderDialog) -> bool:
            new = d.values()
            try:
                change = structure.run_change(self.db, "Sửa thông tin kế hoạch",
                                              lambda s: structure.edit_header(s, plan.uuid, **new))
            except Exception as exc:
                d.fail(str(exc))
                return False
            if not change.empty:
                self.undo_stack.push(ChangeCommand(self, change))
                self._after_change(change)
            return True

        dialog.on_accept = accept
        dialog.open()
        return dialog

    # -- groups ------------------------------------------------------------------
    def _section_for_new_group(self):
        from cds_desktop.models import SECTION_INDICATORS, SECTION_TASKS

        node = self.selected_group_node()
        if node is not None:
            return node.section, node
        return (SECTION_INDICATORS if self.tabs.currentIndex() == 0 else SECTION_TASKS), None

    def add_group(self, sub: bool = False):
        from cds_desktop.services import structure
        from cds_desktop.services.plan_view import SECTION_TITLES
        from cds_desktop.ui.plan.structure_dialogs import GroupDialog

        plan = self.current_plan()
        if plan is None:
            return None
        section, node = self._section_for_new_group()
        parent_uuid = None
        if sub:
            while node is not None and node.parent is not None and not node.parent.is_section:
                node = node.parent  # a subgroup's parent: its top-level group
            if node is None or node.is_section:
                QMessageBox.information(self, "Thêm nhóm con", "Hãy chọn một nhóm cấp trên trong cây nhóm trước.")
                return None
            parent_uuid = node.uuid
        label = structure.load_label_suggestion(self.db, plan.uuid, section, parent_uuid)
        where = f"Trong nhóm: {node.display}" if parent_uuid else f"Trong: {SECTION_TITLES[section]}"
        dialog = GroupDialog("Thêm nhóm con" if sub else "Thêm nhóm", label, "", self, where)

        def accept(d: GroupDialog) -> bool:
            new_label, title = d.values()
            change = self.run_structure_change(
                "Thêm nhóm", lambda s: structure.add_group(s, plan.uuid, section, title, new_label, parent_uuid))
            if change is not None:
                self.select_group_uuid(change.result)
            return change is not None

        dialog.on_accept = accept
        dialog.open()
        return dialog

    def rename_group(self):
        from cds_desktop.services import structure
        from cds_desktop.ui.plan.structure_dialogs import GroupDialog

        node = self.selected_group_node()
        if node is None or node.is_section:
            return None
        dialog = GroupDialog("Đổi tên nhóm", node.label, node.title, self)

        def accept(d: GroupDialog) -> bool:
            label, title = d.values()
            return self.run_structure_change(
                "Đổi tên nhóm", lambda s: structure.rename_group(s, node.uuid, title, label),
                select_group=node.uuid) is not None

        dialog.on_accept = accept
        dialog.open()
        return dialog

    def move_group(self, offset: int) -> None:
        from cds_desktop.services import structure

        node = self.selected_group_node()
        if node is None or node.is_section:
            return
        self.run_structure_change("Chuyển nhóm lên" if offset < 0 else "Chuyển nhóm xuống",
                                  lambda s: structure.move_group(s, node.uuid, offset), select_group=node.uuid)

    def reparent_group(self, uuid: str, parent_uuid: str, index: int = -1) -> None:
        from cds_desktop.services import structure

        self.run_structure_change(
            "Chuyển nhóm", lambda s: structure.reparent_group(s, uuid, parent_uuid or None,
                                                             None if index < 0 else index),
            select_group=uuid)

    def delete_group(self) -> None:
        from cds_desktop.services import structure

        node = self.selected_group_node()
        if node is None or node.is_section:
            return
        items, subgroups = structure.load_group_contents(self.db, node.uuid)
        text = f"Xóa nhóm «{node.display}»?"
        if items or subgroups:
            text += (f"\n\nNhóm còn {items} mục và {subgroups} nhóm con: chúng sẽ bị xóa cùng nhóm. "
                     "Có thể hoàn tác bằng Sửa → Hoàn tác (Ctrl+Z).")
        if not confirm(self, "Xóa nhóm", text, "Xóa nhóm"):
            return
        self.run_structure_change(
            "Xóa nhóm", lambda s: structure.delete_group(s, node.uuid, with_contents=True))

    # -- items -------------------------------------------------------------------
    def selected_item_uuids(self) -> list[str]:
        view = self.current_view()
        rows = sorted(i.row() for i in view.selectionModel().selectedRows())
        return [u for u in (view.model().uuid_at(r) for r in rows) if u]

    def group_choices(self, section: str) -> list[tuple[str, str, int]]:
        root = next((r for r in self.tree_model.roots if r.section == section), None)
        if root is None:
            return []
        return [(n.uuid, n.display, 0 if n.parent is root else 1) for n in root.walk() if not n.is_section]

    def move_items_to_group(self, uuids: list | None = None, group_uuid: str | None = None):
        """Move items (default: the selected ones) to a group (default: asked in a dialog)."""
        from cds_desktop.models import INDICATOR, SECTION_OF_KIND
        from cds_desktop.services import structure
        from cds_desktop.ui.plan.structure_dialogs import ChooseGroupDialog

        uuids = list(uuids) if uuids else self.selected_item_uuids()
        if not uuids:
            QMessageBox.information(self, "Chuyển sang nhóm", "Hãy chọn mục cần chuyển trong bảng trước.")
            return None

        def run(target: str) -> bool:
            change = self.run_structure_change(
                f"Chuyển {len(uuids)} mục sang nhóm", lambda s: structure.move_items_to_group(s, uuids, target))
            if change is not None:
                self.select_item(uuids[0])
                self.statusBar().showMessage(f"Đã chuyển {len(uuids)} mục sang nhóm khác.", 6000)
            return change is not None

        if group_uuid:
            run(group_uuid)
            return None
        section = SECTION_OF_KIND[INDICATOR if self.tabs.currentIndex() == 0 else "task"]
        dialog = ChooseGroupDialog(self.group_choices(section), len(uuids), self)
        dialog.on_accept = lambda d: run(d.group_uuid())
        dialog.open()
        return dialog


__all__ = ["ChangeCommand", "StructureCommandsMixin", "confirm"]

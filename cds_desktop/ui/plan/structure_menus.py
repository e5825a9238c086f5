"""The plan screen's context menus (group tree, item tables) and the structure commands' place in
the menu bar.

A mixin of :class:`cds_desktop.ui.main_window.MainWindow` through
:class:`cds_desktop.ui.plan.structure_commands.StructureCommandsMixin`, whose actions it shows.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QMenu


class StructureMenusMixin:
    """Context menus of the plan screen (see the module docstring)."""

    def _popup(self, menu: QMenu, widget, pos: QPoint) -> QMenu:
        self.context_menu = menu
        menu.popup(widget.mapToGlobal(pos))
        return menu

    def show_tree_menu(self, pos: QPoint) -> QMenu | None:
        index = self.tree_view.indexAt(pos)
        if index.isValid():
            self.tree_view.setCurrentIndex(index)
        node = self.selected_group_node()
        actions = self.structure_actions()
        menu = QMenu(self)
        menu.addAction(actions["add_group"])
        if node is not None and not node.is_section:
            menu.addAction(actions["add_subgroup"])
            menu.addSeparator()
            for key in ("rename_group", "group_up", "group_down"):
                menu.addAction(actions[key])
            tops = [n for n in self._section_root(node.section).children if n.uuid != node.uuid]
            if not node.children and tops:
                into = menu.addMenu("Đặt vào nhóm")
                for top in tops:
                    into.addAction(top.display, lambda uuid=top.uuid: self.reparent_group(node.uuid, uuid))
            if node.parent is not None and not node.parent.is_section:
                menu.addAction("Đưa lên cấp trên cùng", lambda: self.reparent_group(node.uuid, ""))
            menu.addSeparator()
            menu.addAction(actions["delete_group"])
        return self._popup(menu, self.tree_view.viewport(), pos)

    def _section_root(self, section: str):
        return next(r for r in self.tree_model.roots if r.section == section)

    def show_item_menu(self, view, pos: QPoint) -> QMenu | None:
        from cds_desktop.models import INDICATOR, SECTION_OF_KIND

        index = view.indexAt(pos)
        if index.isValid() and not view.selectionModel().isRowSelected(index.row(), index.parent()):
            view.selectRow(index.row())
        uuids = self.selected_item_uuids()
        menu = QMenu(self)
        if uuids:
            section = SECTION_OF_KIND[INDICATOR if view is self.indicator_view else "task"]
            into = menu.addMenu("Chuyển sang nhóm")
            for uuid, display, depth in self.group_choices(section):
                into.addAction(("    " * depth) + display,
                               lambda g=uuid, u=list(uuids): self.move_items_to_group(u, g))
            menu.addAction(self.structure_actions()["move_items"])
        for action in (self.add_indicator_action if view is self.indicator_view else self.add_task_action,):
            menu.addAction(action)
        return self._popup(menu, view.viewport(), pos)


def add_structure_menus(window, file_menu: QMenu, plan_menu: QMenu) -> None:
    """Tệp → Tạo kế hoạch trống; Sửa → Hoàn tác/Làm lại; the group commands in Kế hoạch."""
    actions = window.structure_actions()
    first = file_menu.actions()[0] if file_menu.actions() else None
    file_menu.insertAction(first, actions["blank_plan"])
    edit_menu = QMenu("&Sửa", window)
    edit_menu.addAction(actions["undo"])
    edit_menu.addAction(actions["redo"])
    window.menuBar().insertMenu(plan_menu.menuAction(), edit_menu)
    plan_menu.insertAction(plan_menu.actions()[0] if plan_menu.actions() else None, actions["header"])
    plan_menu.insertSeparator(plan_menu.actions()[1] if len(plan_menu.actions()) > 1 else None)
    plan_menu.addSeparator()
    for key in ("add_group", "add_subgroup", "rename_group", "group_up", "group_down", "delete_group"):
        plan_menu.addAction(actions[key])
    plan_menu.addSeparator()
    plan_menu.addAction(actions["move_items"])
    for key in ("header", "add_group", "add_subgroup", "rename_group", "group_up", "group_down", "delete_group",
                "move_items"):
        window.plan_actions.append(actions[key])


__all__ = ["StructureMenusMixin", "add_structure_menus"]

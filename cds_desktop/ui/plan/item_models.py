"""Qt models of a plan: the item tables (indicators, tasks) and the group tree.

Filtering and sorting of the item tables happen in SQL
(``services.items.items_query`` through ``services.plan_view.item_rows``).

At start-up the models have no database yet: they read their rows from a
:class:`~cds_desktop.services.view_rows.LightReader` (plain ``sqlite3``, set as
``light``) so that the plan paints at once; ``take_over(db)`` then switches them to
the ORM-backed services, keeping what is on screen when the rows are the same.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractItemModel, QMimeData, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QIcon
from PySide6.QtWidgets import QApplication

from cds_desktop.services.view_rows import INDICATOR, TASK, GroupNode, ItemRow, LightReader, fmt_date
from cds_desktop.ui.common.table_model import (
    ALIGNMENT,
    BACKGROUND,
    DECORATION,
    DISPLAY,
    FONT,
    TOOLTIP,
    UUID_ROLE,
    Column,
    Index,
    RowTableModel,
)

CENTER_TOP = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
INDICATOR_COLUMNS = (
    Column("number", "STT", 48, align=CENTER_TOP, sort="number"),
    Column("content", "Nội dung", 340, sort="content", tooltip=True),
    Column("target", "Chỉ tiêu", 86, sort="target_text", tooltip=True),
    Column("lead_text", "Đơn vị chủ trì", 160, sort="lead_text", tooltip=True),
    Column("coordinating_text", "Đơn vị phối hợp", 190, sort="coordinating_text", tooltip=True),
    Column("basis", "Căn cứ", 190, sort="basis", tooltip=True),
    Column("note", "Ghi chú", 130, sort="note", tooltip=True),
)
TASK_COLUMNS = (
    Column("number", "STT", 48, align=CENTER_TOP, sort="number"),
    Column("content", "Nội dung", 330, sort="content", tooltip=True),
    Column("lead_text", "Đơn vị chủ trì", 150, sort="lead_text", tooltip=True),
    Column("coordinating_text", "Đơn vị phối hợp", 170, sort="coordinating_text", tooltip=True),
    Column("deadline_text", "Thời hạn", 120, sort="deadline_text", tooltip=True),
    Column("due_date", "Hạn", 90, align=CENTER_TOP, sort="due_date"),
    Column("expected_result", "Kết quả cần đạt", 200, sort="expected_result", tooltip=True),
    Column("output_product", "Sản phẩm đầu ra", 180, sort="output_product", tooltip=True),
)
WARNING_BACKGROUND = QColor("#fff4d6")
# Drag and drop inside the plan screen: items onto a group, a group onto another place in the tree.
ITEMS_MIME = "application/x-cds-items"  # "kind\nuuid\nuuid..."
GROUP_MIME = "application/x-cds-group"  # "section\nuuid\nhas_children"
_warning_icon: QIcon | None = None

if TYPE_CHECKING:  # the data layer loads after the first paint
    from cds_desktop.database import Database


def warning_icon() -> QIcon:
    global _warning_icon
    if _warning_icon is None:
        # QStyle is a large enum class (~15 ms to resolve): not before the first paint
        from PySide6.QtWidgets import QStyle

        _warning_icon = QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
    return _warning_icon


class ItemsTableModel(RowTableModel):
    """Indicators or tasks of one plan, filtered by group and search text, sorted in SQL."""

    def __init__(self, db: Database | None, kind: str, parent=None) -> None:
        super().__init__(db, parent)
        self.light: LightReader | None = None  # rows before the data layer is loaded
        if kind not in (INDICATOR, TASK):
            raise ValueError(kind)
        self.kind = kind
        self.columns = INDICATOR_COLUMNS if kind == INDICATOR else TASK_COLUMNS
        self.plan_id: int | None = None
        self.group_ids: list[int] | None = None
        self.search = ""
        self.order = "position"
        self.descending = False
        self.item_filter = None  # an ItemFilter of services.item_filters (None: no filter)

    def fetch(self) -> list[ItemRow]:
        if self.plan_id is None:
            return []
        if self.db is None:  # the first paint: document order, no search or filter yet
            return self.light.item_rows(self.plan_id, self.kind, self.group_ids) if self.light else []
        from cds_desktop.services import plan_actions

        return plan_actions.load_item_rows(
            self.db, self.plan_id, self.kind, self.group_ids, self.search or None, self.order, self.descending,
            self.item_filter,
        )

    # -- drag (onto a group of the tree) ----------------------------------
    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        return flags | Qt.ItemFlag.ItemIsDragEnabled if index.isValid() else flags

    def mimeTypes(self) -> list[str]:
        return [ITEMS_MIME]

    def mimeData(self, indexes) -> QMimeData:
        rows = sorted({i.row() for i in indexes if i.isValid()})
        uuids = [u for u in (self.uuid_at(r) for r in rows) if u]
        data = QMimeData()
        data.setData(ITEMS_MIME, "\n".join([self.kind, *uuids]).encode())
        return data

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def set_filter(
        self, plan_id: int | None, group_ids: list[int] | None = None, search: str | None = None
    ) -> None:
        self.plan_id = plan_id
        self.group_ids = group_ids
        if search is not None:
            self.search = search
        self.reload()

    def take_over(self, db: Database, rows: list[ItemRow] | None = None) -> None:
        """Read from the ORM from now on; the rows on screen stay (with their selection and
        scroll) when the ORM gives the same rows (*rows*: read already, in the background)."""
        self.db, self.light = db, None
        if rows is None or self.item_filter is not None:
            rows = self.fetch()
        if rows != self.rows:
            self.set_rows(rows)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.columns[column].sort if 0 <= column < len(self.columns) else None
        self.order = key or "position"
        self.descending = order == Qt.SortOrder.DescendingOrder and key is not None
        self.reorder(self.fetch())

    # -- display ------------------------------------------------------------
    def _warning(self, row: ItemRow, column: Column) -> str | None:
        if column.key == "target" and not row.target_understood:
            return f"Chưa hiểu được chỉ tiêu «{row.target}»: hãy ghi lại rõ hơn (ví dụ: ≥ 95%)."
        if column.key == "deadline_text" and not row.deadline_understood:
            return f"Chưa hiểu được thời hạn «{row.deadline_text}»: hãy ghi rõ hơn (ví dụ: Quý II/2026)."
        return None

    def display(self, row: ItemRow, column: Column) -> str:
        if column.key == "due_date":
            return fmt_date(row.due_date)
        return super().display(row, column)

    def tooltip(self, row: ItemRow, column: Column) -> str | None:
        return self._warning(row, column) or super().tooltip(row, column)

    def extra_data(self, row: ItemRow, column: Column, role: int) -> Any:
        if role == DECORATION and self._warning(row, column):
            return warning_icon()
        if role == BACKGROUND and self._warning(row, column):
            return QBrush(WARNING_BACKGROUND)
        return None


class GroupTreeModel(QAbstractItemModel):
    """Two roots (Phụ lục 01 — Chỉ tiêu, Phụ lục 02 — Nhiệm vụ), groups nested by parent."""

    HEADERS = ("Nhóm", "Số mục")
    itemsDropped = Signal(list, str)  # item uuids, group uuid
    groupDropped = Signal(str, str, int)  # group uuid, new parent uuid ('' = top level), index among siblings

    def __init__(self, db: Database | None, parent=None) -> None:
        super().__init__(parent)
        self.db = db
        self.light: LightReader | None = None  # the tree before the data layer is loaded
        self.plan_id: int | None = None
        self.roots: list[GroupNode] = []
        self._keys: dict[int, GroupNode] = {}
        self._key_of: dict[int, int] = {}  # id(node) -> key

    def read(self, plan_id: int | None) -> list[GroupNode]:
        if plan_id is None:
            return []
        if self.db is None:
            return self.light.group_tree(plan_id) if self.light else []
        from cds_desktop.services import plan_actions

        return plan_actions.load_group_tree(self.db, plan_id)

    def take_over(self, db: Database, roots: list[GroupNode] | None = None) -> bool:
        """Read from the ORM from now on; True if the tree on screen stays as it is (same groups;
        *roots*: read already, in the background)."""
        self.db, self.light = db, None
        if roots is None:
            roots = self.read(self.plan_id)
        if [r.shape() for r in roots] == [r.shape() for r in self.roots]:
            return True
        self.load(self.plan_id)
        return False

    def load(self, plan_id: int | None) -> None:
        self.set_roots(plan_id, self.read(plan_id))

    def set_roots(self, plan_id: int | None, roots: list[GroupNode]) -> None:
        """Show the tree of *plan_id* (*roots*: read already, e.g. by a background job)."""
        self.plan_id = plan_id
        self.beginResetModel()
        self.roots = roots
        self._keys = {}
        self._key_of = {}
        for root in roots:
            for node in root.walk():
                key = len(self._keys) + 1
                self._keys[key] = node
                self._key_of[id(node)] = key
        self.endResetModel()

    def reload(self) -> None:
        self.load(self.plan_id)

    # -- helpers ------------------------------------------------------------
    def node(self, index: Index) -> GroupNode | None:
        if not index.isValid():
            return None
        return self._keys.get(int(index.internalId()))

    def _siblings(self, node: GroupNode) -> list[GroupNode]:
        return node.parent.children if node.parent is not None else self.roots

    def index_of(self, node: GroupNode, column: int = 0) -> QModelIndex:
        row = self._siblings(node).index(node)
        return self.createIndex(row, column, self._key_of[id(node)])

    def find(self, section: str, label: str | None = None) -> QModelIndex:
        """Index of the section root, or of the group with *label* in that section."""
        for root in self.roots:
            if root.section != section:
                continue
            for node in root.walk():
                if (label is None and node.is_section) or (label is not None and node.label == label):
                    return self.index_of(node)
        return QModelIndex()

    def find_uuid(self, uuid: str) -> QModelIndex:
        for root in self.roots:
            for node in root.walk():
                if node.uuid == uuid:
                    return self.index_of(node)
        return QModelIndex()

    # -- Qt interface -------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column < 0 or column >= len(self.HEADERS):
            return QModelIndex()
        children = self.roots if not parent.isValid() else getattr(self.node(parent), "children", [])
        if parent.isValid() and parent.column() != 0:
            return QModelIndex()
        if not 0 <= row < len(children):
            return QModelIndex()
        return self.createIndex(row, column, self._key_of[id(children[row])])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        node = self.node(index)
        if node is None or node.parent is None:
            return QModelIndex()
        return self.index_of(node.parent)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self.roots)
        if parent.column() != 0:
            return 0
        node = self.node(parent)
        return len(node.children) if node else 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            if 0 <= section < len(self.HEADERS):
                return self.HEADERS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDropEnabled
        node = self.node(index)
        if node is not None and not node.is_section:
            flags |= Qt.ItemFlag.ItemIsDragEnabled
        return flags

    # -- drag and drop --------------------------------------------------------
    def mimeTypes(self) -> list[str]:
        return [ITEMS_MIME, GROUP_MIME]

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeData(self, indexes) -> QMimeData:
        data = QMimeData()
        node = next((self.node(i) for i in indexes if self.node(i) is not None), None)
        if node is not None and not node.is_section:
            data.setData(GROUP_MIME, f"{node.section}\n{node.uuid}\n{int(bool(node.children))}".encode())
        return data

    def _drop_target(self, data: QMimeData, row: int, parent: Index):
        """What a drop means: ("items", uuids, group uuid) or ("group", uuid, parent uuid, index); None: refused."""
        node = self.node(parent)
        if node is None:
            return None
        if data.hasFormat(ITEMS_MIME):
            kind, *uuids = bytes(data.data(ITEMS_MIME).data()).decode().split("\n")
            section = {INDICATOR: "indicators", TASK: "tasks"}.get(kind)
            if row >= 0 or node.is_section or node.section != section or not uuids:
                return None  # items go onto a group, never between groups or outside any group
            return ("items", uuids, node.uuid)
        if data.hasFormat(GROUP_MIME):
            section, uuid, has_children = bytes(data.data(GROUP_MIME).data()).decode().split("\n")
            if section != node.section or uuid == node.uuid:
                return None
            if not node.is_section and (node.parent is None or not node.parent.is_section or has_children == "1"):
                return None  # two levels at most
            children = node.children
            if row < 0:
                row = len(children)
            current = next((i for i, c in enumerate(children) if c.uuid == uuid), None)
            if current is not None and current < row:
                row -= 1  # the group leaves its old place first
            return ("group", uuid, "" if node.is_section else node.uuid, row)
        return None

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                        parent: Index) -> bool:
        return self._drop_target(data, row, parent) is not None

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index) -> bool:
        target = self._drop_target(data, row, parent)
        if target is None:
            return False
        if target[0] == "items":
            self.itemsDropped.emit(target[1], target[2])
        else:
            self.groupDropped.emit(target[1], target[2], target[3])
        return False  # the window reloads the tree; nothing for the view to remove

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        node = self.node(index)
        if node is None:
            return None
        column = index.column()
        if role == DISPLAY:
            return node.display if column == 0 else str(node.count)
        if role == TOOLTIP:
            return f"{node.display} — {node.count} mục"
        if role == FONT and node.is_section:
            font = QFont()
            font.setBold(True)
            return font
        if role == ALIGNMENT and column == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == UUID_ROLE:
            return node.uuid
        return None


__all__ = ["GroupTreeModel", "ItemsTableModel"]

"""The one table-model base of the UI (a list of plain rows described by column
specs) and the small tables built on it: assignments, history, units, people.

Each concrete model says how to load its rows (one session per load) and
what each column shows; editable models say what may be edited and how an
edit is stored.  Rows carry a ``uuid``; views find the
record to act on through ``uuid_at(row)``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

if TYPE_CHECKING:  # imported when a model is made: the plan tables paint before the data layer loads
    from cds_desktop.database import Database

UUID_ROLE = Qt.ItemDataRole.UserRole + 1
# The roles data() compares with, looked up once (``Qt.ItemDataRole.X`` costs ~0.3 µs each time;
# a table's first paint asks data() thousands of times)
DISPLAY, EDIT, TOOLTIP = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, Qt.ItemDataRole.ToolTipRole
CHECK_STATE, ALIGNMENT = Qt.ItemDataRole.CheckStateRole, Qt.ItemDataRole.TextAlignmentRole
DECORATION, BACKGROUND, FONT = Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.FontRole
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    """What one column of a table model shows (as Vorta's column constants)."""

    key: str  # attribute of the row (or a name the model's display() knows)
    header: str
    width: int = 120
    editable: bool = False  # the model's is_editable() may still refuse a row
    align: int | None = None  # Qt.AlignmentFlag; None: the model's ``alignment``
    sort: str | None = None  # SQL sort key, for models that sort in SQL
    tooltip: bool = False  # show the full text as a tooltip
    tip: str | None = None  # the header's tooltip (default: the header)
    checkable: bool = False  # a check box (check_state() / edit() with CheckStateRole)


class RowTableModel(QAbstractTableModel):
    """The one table-model base: a table over ``self.rows`` described by ``columns``.

    Subclasses set ``columns`` and override only the hooks: ``display`` (and
    ``tooltip`` / ``extra_data`` for other roles), ``is_editable`` / ``edit_text`` /
    ``edit`` for editable tables, ``fetch`` for tables that load themselves.
    """

    columns: Sequence[Column] = ()
    alignment: int | None = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

    def __init__(self, db: Database | None = None, parent=None) -> None:
        super().__init__(parent)
        self.db = db
        self.rows: list[Any] = []

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)

    # -- Qt interface -------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.columns[section].header
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.columns[section].tip or self.columns[section].header
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self.rows):
            return str(section + 1)
        return None

    def valid(self, index: Index) -> bool:
        return index.isValid() and 0 <= index.row() < len(self.rows) and 0 <= index.column() < len(self.columns)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not self.valid(index):
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        column = self.columns[index.column()]
        if column.checkable:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        if self.is_editable(self.rows[index.row()], column):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not self.valid(index):
            return None
        row = self.rows[index.row()]
        column = self.columns[index.column()]
        if role == DISPLAY:
            return self.display(row, column)
        if role == EDIT:
            return self.edit_text(row, column)
        if role == TOOLTIP:
            return self.tooltip(row, column)
        if role == CHECK_STATE and column.checkable:
            return self.check_state(row, column)
        if role == UUID_ROLE:
            return getattr(row, "uuid", None)
        if role == ALIGNMENT:
            return column.align if column.align is not None else self.alignment
        return self.extra_data(row, column, role)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not self.valid(index):
            return False
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.EditRole:
            allowed = self.is_editable(self.rows[index.row()], column)
        else:
            allowed = role == Qt.ItemDataRole.CheckStateRole and column.checkable
        if not allowed or not self.edit(index.row(), column, value, role):
            return False
        self.dataChanged.emit(index, index)
        return True

    # -- hooks ----------------------------------------------------------------
    def display(self, row: Any, column: Column) -> str:
        value = getattr(row, column.key, "")
        return "" if value is None else str(value)

    def edit_text(self, row: Any, column: Column) -> str:
        return self.display(row, column)

    def tooltip(self, row: Any, column: Column) -> str | None:
        if column.tooltip:
            text = self.display(row, column)
            return text or None
        return None

    def check_state(self, row: Any, column: Column) -> Qt.CheckState | None:
        return None

    def extra_data(self, row: Any, column: Column, role: int):
        return None

    def is_editable(self, row: Any, column: Column) -> bool:
        return column.editable

    def edit(self, row_index: int, column: Column, value: Any, role: int) -> bool:
        """Store an edit of an editable (or checkable) cell; True if something changed."""
        return False

    def fetch(self) -> list[Any]:
        return []

    # -- loading ----------------------------------------------------------------
    def reload(self) -> None:
        self.set_rows(self.fetch())

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def reorder(self, rows: list[Any]) -> None:
        """Replace the rows by the same rows in another order, keeping selections."""
        if sorted(r.uuid for r in rows) != sorted(r.uuid for r in self.rows):
            self.set_rows(rows)
            return
        self.layoutAboutToBeChanged.emit()
        new_rows = {r.uuid: i for i, r in enumerate(rows)}
        moved_from = self.persistentIndexList()
        moved_to = []
        for index in moved_from:
            uuid = self.rows[index.row()].uuid
            moved_to.append(self.index(new_rows[uuid], index.column()))
        self.rows = list(rows)
        self.changePersistentIndexList(moved_from, moved_to)
        self.layoutChanged.emit()

    # -- helpers ----------------------------------------------------------------
    def uuid_at(self, row: int) -> str | None:
        return self.rows[row].uuid if 0 <= row < len(self.rows) else None

    def row_at(self, row: int) -> Any:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def row_of(self, uuid: str | None) -> int:
        for i, row in enumerate(self.rows):
            if row.uuid == uuid:
                return i
        return -1


class QueryTableModel(RowTableModel):
    """A table whose rows come from one service function ``query(db, **params)`` that reads
    them in a unit of work of its own (the model never opens a session)."""

    def __init__(self, db: Database, query: Callable[..., list[Any]], parent=None) -> None:
        super().__init__(db, parent)
        self._query = query
        self.params: dict[str, Any] = {}

    def fetch(self) -> list[Any]:
        if self.db is None:
            return []
        return self._query(self.db, **self.params)

    def load(self, **params: Any) -> None:
        self.params = params
        self.reload()


class ItemQueryModel(QueryTableModel):
    """A table about one item (its assignments, its history); empty without an item."""

    def load_item(self, item_uuid: str | None) -> None:
        if item_uuid:
            self.load(item_uuid=item_uuid)
        else:
            self.params = {}
            self.set_rows([])


class AssignmentsModel(ItemQueryModel):
    columns = (
        Column("unit_name", "Đơn vị", 165, tooltip=True),
        Column("role_label", "Vai trò", 66),
        Column("leader_name", "Lãnh đạo phụ trách", 140, tooltip=True),
        Column("specialist_name", "Chuyên viên chủ trì", 140, tooltip=True),
    )

    def __init__(self, db: Database, parent=None) -> None:
        from cds_desktop.services import item_panels

        super().__init__(db, item_panels.load_assignments, parent)


class HistoryModel(ItemQueryModel):
    columns = (
        Column("when", "Thời gian", 120),
        Column("text", "Thay đổi", 320, tooltip=True),
        Column("source", "Nguồn", 90),
    )

    def __init__(self, db: Database, parent=None) -> None:
        from cds_desktop.services import item_panels

        super().__init__(db, item_panels.load_history, parent)


class UnitsModel(QueryTableModel):
    columns = (
        Column("name", "Tên đơn vị", 240, tooltip=True),
        Column("short_name", "Tên viết tắt", 130),
        Column("kind_label", "Loại", 170),
        Column("aliases", "Tên gọi khác", 300, tooltip=True),
    )

    def __init__(self, db: Database, parent=None) -> None:
        from cds_desktop.services import catalog_view

        super().__init__(db, catalog_view.load_units, parent)
        self.params = {"search": None, "include_deleted": False}

    def display(self, row: Any, column: Column) -> str:
        if column.key == "aliases":
            return ", ".join(row.aliases)
        if column.key == "name" and row.deleted:
            return f"{row.name} (đã xóa)"
        return super().display(row, column)

    def extra_data(self, row: Any, column: Column, role: int):
        if role == Qt.ItemDataRole.ForegroundRole and row.deleted:
            from PySide6.QtGui import QColor

            return QColor("#888888")
        return None


class PeopleModel(QueryTableModel):
    columns = (
        Column("name", "Họ và tên", 180),
        Column("title", "Chức vụ", 200, tooltip=True),
        Column("phone", "Điện thoại", 110),
        Column("email", "Thư điện tử", 170),
        Column("unit_name", "Đơn vị", 200, tooltip=True),
    )

    def __init__(self, db: Database, parent=None) -> None:
        from cds_desktop.services import catalog_view

        super().__init__(db, catalog_view.load_people, parent)
        self.params = {"search": None}

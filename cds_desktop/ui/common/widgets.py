"""Shared widget helpers: configured table views and a word-wrapping tree delegate."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QRect, QSize, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTreeView,
)

from cds_desktop.ui.common.table_model import RowTableModel


def make_table(
    model: RowTableModel,
    *,
    max_row_height: int = 96,
    stretch: int | None = None,
    fit: tuple[int, ...] = (),
    sortable: bool = False,
) -> QTableView:
    """A read-only, row-selecting table with word wrap and rows sized to their content
    (up to *max_row_height*); columns get the widths the model's columns ask for."""
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(True)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.verticalHeader().hide()
    view.row_sizer = RowSizer(view, max_row_height)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    for i, column in enumerate(model.columns):
        header.resizeSection(i, column.width)
    for i in fit:
        header.setSectionResizeMode(i, QHeaderView.ResizeMode.ResizeToContents)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    else:
        header.setStretchLastSection(True)
    if sortable:
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        view.setSortingEnabled(True)
    return view


class RowSizer(QObject):
    """Fits row heights to their (word-wrapped) content, up to a maximum, but only for
    the rows that are on screen: a 1,000-row plan opens as fast as a 20-row one."""

    def __init__(self, view: QTableView, max_height: int) -> None:
        super().__init__(view)
        self.view = view
        self.sized: set[int] = set()
        header = view.verticalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setMaximumSectionSize(max_height)
        header.setDefaultSectionSize(view.fontMetrics().lineSpacing() * 2 + 8)
        self.timer = QTimer(self, singleShot=True, interval=0)
        self.timer.timeout.connect(self.size_visible_rows)
        model = view.model()
        for signal in (model.modelReset, model.layoutChanged, model.rowsInserted, model.rowsRemoved):
            signal.connect(self.reset)
        model.dataChanged.connect(lambda *_a: self.reset())
        view.horizontalHeader().sectionResized.connect(lambda *_a: self.reset())
        view.horizontalScrollBar().valueChanged.connect(lambda _v: self.reset())
        view.verticalScrollBar().valueChanged.connect(lambda _v: self.timer.start())
        # The view's own show and resize: not its viewport's, whose first Python wrapper costs 13-20 ms
        # once per process (PySide looks for its most derived type among every widget class; the
        # first paint does not wait for that).  A viewport resized alone (a scroll bar shown) resizes
        # the stretched column (sectionResized above), or changes its height by less than the 5
        # rows sized beyond the last one visible.
        view.installEventFilter(self)

    def reset(self, *_args) -> None:
        self.sized.clear()
        self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Show, QEvent.Type.Resize):
            self.timer.start()
        return False

    def size_visible_rows(self) -> None:
        view = self.view
        rows = view.model().rowCount()
        if not rows or not view.isVisible():
            return
        for _pass in range(3):  # resizing changes which rows are visible
            first = max(view.rowAt(0), 0)
            last = view.rowAt(view.maximumViewportSize().height() - 1)  # (no viewport(): see __init__)
            last = rows - 1 if last < 0 else min(last + 5, rows - 1)
            todo = [r for r in range(first, last + 1) if r not in self.sized]
            if not todo:
                return
            for row in todo:
                view.resizeRowToContents(row)
                self.sized.add(row)


class WrappingTreeDelegate(QStyledItemDelegate):
    """Lets long group titles wrap onto several lines in a tree view's first column (set it for that
    column: ``setItemDelegateForColumn(0, …)``)."""

    def __init__(self, view: QTreeView) -> None:
        super().__init__(view)
        self.view = view
        # (text, fonts, width) -> size: the tree's layout asks again and again (expanding,
        # sizing the count column: ~70 times for 15 rows before the first paint, 0.2-0.4 ms each)
        self._sizes: dict[tuple[str, str, str, int], QSize] = {}
        view.header().sectionResized.connect(lambda *_a: view.isVisible() and view.scheduleDelayedItemsLayout())

    def _depth(self, index: QModelIndex) -> int:
        depth = 0
        parent = index.parent()
        while parent.isValid():
            depth += 1
            parent = parent.parent()
        return depth

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        if index.column() != 0:
            return super().sizeHint(option, index)
        indent = self.view.indentation() * (self._depth(index) + (1 if self.view.rootIsDecorated() else 0))
        width = max(self.view.columnWidth(0) - indent - 8, 60)
        font = index.data(Qt.ItemDataRole.FontRole)
        key = (str(index.data(Qt.ItemDataRole.DisplayRole) or ""), font.key() if font is not None else "",
               option.font.key(), width)
        size = self._sizes.get(key)
        if size is None:
            if len(self._sizes) > 2000:
                self._sizes.clear()
            base = super().sizeHint(option, index)
            opt = QStyleOptionViewItem(option)
            self.initStyleOption(opt, index)
            rect = opt.fontMetrics.boundingRect(QRect(0, 0, width, 10_000), int(Qt.TextFlag.TextWordWrap), opt.text)
            size = self._sizes[key] = QSize(base.width(), max(base.height(), rect.height() + 6))
        return QSize(size)

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        super().initStyleOption(option, index)
        if index.column() == 0:
            option.features |= QStyleOptionViewItem.ViewItemFeature.WrapText

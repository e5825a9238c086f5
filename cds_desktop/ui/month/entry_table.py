"""The month-entry table view: the keyboard flow of paper entry (Tab skips cells
that cannot be edited, Enter saves and goes down, Delete clears a cell) and the
lists offered for the status and source cells."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QStyledItemDelegate,
    QTableView,
    QWidget,
)

from cds_desktop.services.tracking import codes
from cds_desktop.ui.month.models import ENTRY_COLUMNS, LOCKED_MESSAGE

CHOICES = {"status": list(codes.STATUS_LABELS.values()), "source": list(codes.SOURCE_LABELS.values())}


class EntryDelegate(QStyledItemDelegate):
    """Lists for status and source, a line edit for the rest."""

    def createEditor(self, parent: QWidget, option, index: QModelIndex) -> QWidget:
        key = ENTRY_COLUMNS[index.column()].key
        if key in CHOICES:
            combo = QComboBox(parent)
            combo.addItems(CHOICES[key])
            return combo
        return super().createEditor(parent, option, index)

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        if isinstance(editor, QComboBox):
            text = index.data(Qt.ItemDataRole.EditRole) or ""
            position = editor.findText(text)
            editor.setCurrentIndex(max(position, 0))
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: QModelIndex) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)


class EntryTable(QTableView):
    """Keyboard flow of paper entry: Tab skips cells that cannot be edited, Enter goes down."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setItemDelegate(EntryDelegate(self))
        self.setEditTriggers(QAbstractItemView.EditTrigger.AnyKeyPressed
                             | QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTabKeyNavigation(True)
        self.setAlternatingRowColors(False)
        self.setWordWrap(False)
        self.verticalHeader().setDefaultSectionSize(26)

    def _editable(self, row: int, column: int) -> bool:
        model = self.model()
        return bool(model.flags(model.index(row, column)) & Qt.ItemFlag.ItemIsEditable)

    def step(self, index: QModelIndex, forward: bool) -> QModelIndex:
        """The next (or previous) editable cell after *index*, row by row."""
        model = self.model()
        rows, columns = model.rowCount(), model.columnCount()
        if rows == 0:
            return QModelIndex()
        position = (index.row() * columns + index.column()) if index.isValid() else -1
        for _ in range(rows * columns):
            position = (position + (1 if forward else -1)) % (rows * columns)
            row, column = divmod(position, columns)
            if self._editable(row, column):
                return model.index(row, column)
        return index

    def moveCursor(self, action, modifiers):
        if action == QAbstractItemView.CursorAction.MoveNext:
            return self.step(self.currentIndex(), True)
        if action == QAbstractItemView.CursorAction.MovePrevious:
            return self.step(self.currentIndex(), False)
        return super().moveCursor(action, modifiers)

    def closeEditor(self, editor: QWidget, hint) -> None:
        submitted = hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache
        super().closeEditor(editor, hint)
        refused = getattr(self.model(), "refused_text", None)
        if refused is not None and refused(self.currentIndex()) is not None:
            return  # the refused text stays in its cell, the cursor too, for correction
        if submitted:  # Enter: go down one row, same column
            current = self.currentIndex()
            below = self.model().index(current.row() + 1, current.column())
            if below.isValid():
                self.setCurrentIndex(below)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        current = self.currentIndex()
        model = self.model()
        typing = bool(event.text().strip()) and not event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier
        if getattr(model, "locked", False) and current.isValid() and (typing or event.key() in (
                Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Delete, Qt.Key.Key_Backspace, Qt.Key.Key_F2)):
            model.errorOccurred.emit(getattr(model, "locked_message", LOCKED_MESSAGE))  # say why, instead of ignoring the key
            return
        if self.state() != QAbstractItemView.State.EditingState and current.isValid():
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._editable(current.row(), current.column()):
                self.edit(current)
                return
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self._editable(
                    current.row(), current.column()):
                self.model().setData(current, "", Qt.ItemDataRole.EditRole)
                return
        super().keyPressEvent(event)

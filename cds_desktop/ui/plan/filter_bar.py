"""The filter bar above the Kế hoạch tables: unit, leader, status, warning kind, group
or pillar, deadline range; saved filters of the plan; and the exact list behind a
dashboard figure ("Đang xem: Chậm, quá hạn: 5 — Bỏ lọc").

The bar only builds an :class:`~cds_desktop.services.item_filters.ItemFilter`
and emits ``filterChanged``; the tables filter in SQL.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from cds_desktop.ui.common.errors import show_error

if TYPE_CHECKING:  # the data layer is imported when first needed: the bar is built before it (first paint)
    from cds_desktop.database import Database
    from cds_desktop.services.item_filters import ItemFilter

NO_DATE = QDate(2000, 1, 1)
COMBOS = (
    ("unit_uuid", "Đơn vị", "units"),
    ("leader_uuid", "Lãnh đạo", "leaders"),
    ("status", "Tình trạng", "statuses"),
    ("warning_kind", "Cảnh báo", "warning_kinds"),
    ("pillar_uuid", "Nhóm", "pillars"),
)


def _filters():
    from cds_desktop.services import item_filters

    return item_filters


def _date_edit() -> QDateEdit:
    edit = QDateEdit()
    edit.setDisplayFormat("dd/MM/yyyy")
    edit.setCalendarPopup(True)
    edit.setMinimumDate(NO_DATE)
    edit.setSpecialValueText("—")  # the minimum means "no bound"
    edit.setDate(NO_DATE)
    return edit


class FilterBar(QWidget):
    filterChanged = Signal(object)  # ItemFilter or None

    def __init__(self, db: Database | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filterBar")
        self.db = db
        self.plan_uuid: str | None = None
        self.today: date | None = None  # "today" of status and warnings (None: the computer's date)
        self.exact: ItemFilter | None = None
        self._loading = False
        self._stale = True  # choices not read yet for this plan

        self.toggle_button = QPushButton("Bộ lọc…")
        self.toggle_button.setCheckable(True)
        self.toggle_button.setToolTip("Lọc bảng theo đơn vị, lãnh đạo, tình trạng, cảnh báo, nhóm, thời hạn")
        self.toggle_button.toggled.connect(self._on_toggled)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("filterSummary")
        self.summary_label.setWordWrap(True)
        self.summary_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.summary_label.setStyleSheet("color: #0d47a1;")
        self.clear_button = QPushButton("Bỏ lọc")
        self.clear_button.setToolTip("Hiện lại mọi chỉ tiêu và nhiệm vụ của kế hoạch")
        self.clear_button.clicked.connect(self.clear)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.toggle_button)
        top.addWidget(self.summary_label, 1)
        top.addWidget(self.clear_button)

        self.panel = QWidget()
        grid = QGridLayout(self.panel)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(3)
        self.combos: dict[str, QComboBox] = {}
        for n, (key, label, _choices) in enumerate(COMBOS):
            combo = QComboBox()
            combo.setObjectName(f"filter_{key}")
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(6)
            combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            combo.currentIndexChanged.connect(self._on_changed)
            self.combos[key] = combo
            row, col = divmod(n, 2)
            grid.addWidget(QLabel(label + ":"), row, col * 2)
            grid.addWidget(combo, row, col * 2 + 1)
        self.due_from = _date_edit()
        self.due_to = _date_edit()
        for edit in (self.due_from, self.due_to):
            edit.dateChanged.connect(self._on_changed)
        dates = QHBoxLayout()
        dates.addWidget(self.due_from)
        dates.addWidget(QLabel("đến"))
        dates.addWidget(self.due_to)
        grid.addWidget(QLabel("Hạn từ:"), 2, 2)
        grid.addLayout(dates, 2, 3)
        self.saved_combo = QComboBox()
        self.saved_combo.setObjectName("filter_saved")
        self.saved_combo.setMinimumContentsLength(8)
        self.saved_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.saved_combo.activated.connect(self._on_saved_chosen)
        self.save_button = QPushButton("Lưu bộ lọc…")
        self.save_button.clicked.connect(lambda: self.save_current())
        self.delete_button = QPushButton("Xóa")
        self.delete_button.setToolTip("Xóa bộ lọc đã lưu đang chọn")
        self.delete_button.clicked.connect(self.delete_saved)
        saved = QHBoxLayout()
        saved.addWidget(self.saved_combo, 1)
        saved.addWidget(self.save_button)
        saved.addWidget(self.delete_button)
        grid.addWidget(QLabel("Đã lưu:"), 3, 0)
        grid.addLayout(saved, 3, 1, 1, 3)
        for col in (1, 3):
            grid.setColumnStretch(col, 1)
        self.panel.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 2)
        layout.setSpacing(3)
        layout.addLayout(top)
        layout.addWidget(self.panel)
        self._update_summary()

    # -- plan -------------------------------------------------------------------
    def set_plan(self, plan_uuid: str | None) -> None:
        """Follow the plan; the filter is dropped (a filter belongs to its plan).  The choices
        are read when the bar is opened (start-up does not wait for them)."""
        changed = plan_uuid != self.plan_uuid
        had_filter = self.criteria() is not None
        self.plan_uuid = plan_uuid or None
        self._stale = True
        if changed:
            self._loading = True
            try:
                for combo in self.combos.values():
                    combo.clear()
                    combo.addItem("Tất cả", None)
                self.saved_combo.clear()
                self.saved_combo.addItem("(chọn bộ lọc đã lưu)", None)
                for edit in (self.due_from, self.due_to):
                    edit.setDate(NO_DATE)
            finally:
                self._loading = False
            self.exact = None
        if self.panel.isVisible():
            self.load_choices()
        if changed and had_filter:
            self._emit()
            return
        self._update_summary()

    def load_choices(self) -> None:
        """Units, leaders, groups... of the plan and its saved filters (keeping what is chosen)."""
        self._stale = False
        self._loading = True
        try:
            choices, saved = None, []
            if self.plan_uuid:
                choices, saved = _filters().load_filter_bar(self.db, self.plan_uuid)
            for key, _label, attr in COMBOS:
                combo = self.combos[key]
                current = combo.currentData()
                combo.clear()
                combo.addItem("Tất cả", None)
                for value, text in getattr(choices, attr, ()) if choices else ():
                    combo.addItem(text, value)
                combo.setCurrentIndex(max(0, combo.findData(current)) if current else 0)
            self._fill_saved(saved)
        finally:
            self._loading = False

    def _load_saved(self) -> None:
        self._fill_saved(_filters().load_saved_filters(self.db, self.plan_uuid) if self.plan_uuid else [])

    def _fill_saved(self, saved: list) -> None:
        self.saved_combo.clear()
        self.saved_combo.addItem("(chọn bộ lọc đã lưu)", None)
        for entry in saved:
            self.saved_combo.addItem(entry.name, entry)

    # -- the filter ---------------------------------------------------------------
    def criteria(self) -> ItemFilter | None:
        """The filter on screen (None: everything)."""
        if self.exact is not None:
            return self.exact
        values = {key: combo.currentData() for key, combo in self.combos.items()}
        if not any(values.values()) and self.due_from.date() == NO_DATE and self.due_to.date() == NO_DATE:
            return None
        from cds_desktop.services.item_filters import ItemFilter

        f = ItemFilter(
            **{k: v for k, v in values.items() if v},
            due_from=self.due_from.date().toPython() if self.due_from.date() != NO_DATE else None,
            due_to=self.due_to.date().toPython() if self.due_to.date() != NO_DATE else None,
            today=self.today,
        )
        return None if f.empty else f

    def apply(self, f: ItemFilter | None) -> None:
        """Show *f* in the bar (an exact list shows as a banner) and emit ``filterChanged``."""
        if self._stale and f is not None and f.uuids is None:
            self.load_choices()
        self._loading = True
        try:
            if f is not None and f.uuids is not None:
                self.exact = f
            else:
                self.exact = None
                for key, combo in self.combos.items():
                    value = getattr(f, key) if f is not None else None
                    combo.setCurrentIndex(max(0, combo.findData(value)) if value else 0)
                for edit, value in ((self.due_from, f.due_from if f else None), (self.due_to, f.due_to if f else None)):
                    edit.setDate(QDate(value) if value else NO_DATE)
        finally:
            self._loading = False
        self._emit()

    def show_exact(self, caption: str, uuids: list[str]) -> None:
        self.apply(_filters().exact(uuids, caption))

    def clear(self) -> None:
        self.saved_combo.setCurrentIndex(0)
        self.apply(None)

    def _on_changed(self, *_args) -> None:
        if self._loading:
            return
        self.exact = None  # touching a criterion leaves the figure's list
        self._emit()

    def _emit(self) -> None:
        self._update_summary()
        self.filterChanged.emit(self.criteria())

    def _on_toggled(self, shown: bool) -> None:
        if shown and self._stale:
            self.load_choices()
        self.panel.setVisible(shown)
        self.toggle_button.setText("Ẩn bộ lọc" if shown else "Bộ lọc…")

    def _update_summary(self, counts: str = "") -> None:
        f = self.criteria()
        self.clear_button.setVisible(f is not None)
        if f is None:
            self.summary_label.setText("")
            return
        try:
            text = _filters().describe_filter(self.db, f)
        except Exception:  # a record deleted meanwhile: still say that a filter is on
            text = "đang lọc"
        prefix = "Đang xem" if f.uuids is not None else "Đang lọc"
        self.summary_label.setText(f"{prefix}: {text}" + (f" — {counts}" if counts else ""))

    def show_counts(self, indicators: int, tasks: int) -> None:
        """After the tables reloaded: how many rows the filter left."""
        if self.criteria() is not None:
            self._update_summary(f"{indicators} chỉ tiêu, {tasks} nhiệm vụ")

    # -- saved filters ------------------------------------------------------------
    def _on_saved_chosen(self, index: int) -> None:
        saved = self.saved_combo.itemData(index)
        if saved is not None:
            self.apply(saved.filter)

    def save_current(self, name: str | None = None) -> bool:
        f = self.criteria()
        if not self.plan_uuid:
            return False
        if name is None:
            name, ok = QInputDialog.getText(self, "Lưu bộ lọc", "Tên bộ lọc:")
            if not ok:
                return False
        try:
            _filters().store_filter(self.db, self.plan_uuid, name, f or _filters().ItemFilter())
        except Exception as exc:
            from cds_desktop.services.common import ServiceError

            if isinstance(exc, ServiceError):
                self.summary_label.setText(str(exc))
            else:
                show_error(exc, self)
            return False
        self._load_saved()
        self.saved_combo.setCurrentIndex(max(0, self.saved_combo.findText(name.strip())))
        return True

    def delete_saved(self) -> None:
        saved = self.saved_combo.currentData()
        if saved is None:
            return
        _filters().remove_filter(self.db, saved.uuid)
        self._load_saved()


__all__ = ["FilterBar"]


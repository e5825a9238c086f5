"""Entering a month fast ("Báo cáo tháng 5/2026"): every report expected for a period in one table.

Type to edit a cell; Enter saves and goes down, Tab saves and goes to the next
cell that can be edited (Shift+Tab back), Delete clears a cell.  Each edit is
saved at once (one unit of work) through
:func:`cds_desktop.services.tracking.month.save_cell`; a refused edit shows its
Vietnamese reason under the table.  Filters by unit, village, leader, status,
pillar/group and kind can be saved by name; a locked period is read-only until
unlocked with a reason (kept in the audit log).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cds_desktop.database import Database
from cds_desktop.database.errors import StaleWriteError
from cds_desktop.services.common import ServiceError
from cds_desktop.services.tracking import codes
from cds_desktop.services.tracking.filters import Criteria
from cds_desktop.services.tracking.month import MonthRow
from cds_desktop.ui.common import questions
from cds_desktop.ui.common.errors import show_error
from cds_desktop.ui.common.jobs import run_job
from cds_desktop.ui.common.screen import ScreenWidget
from cds_desktop.ui.month.entry_table import EntryTable
from cds_desktop.ui.month.models import COLUMN_INDEX, ENTRY_COLUMNS, MonthEntryModel

log = logging.getLogger(__name__)
TYPING_HINT = ("Gõ để nhập · Enter: lưu và xuống dòng · Tab: ô tiếp theo · Delete: xóa ô · "
               "ô vàng: chưa có báo cáo · ô xám: không nhập")


class MonthEntryWidget(ScreenWidget):
    """``set_plan(uuid)`` lists the reports expected in the current period; filters, lock, saved filters."""

    refreshed = Signal()

    def __init__(self, db: Database | None, parent: QWidget | None = None,
                 today: Callable[[], date] = date.today) -> None:
        super().__init__(parent)
        self.db = db
        self.plan_uuid: str | None = None
        self.today_provider = today
        self.view_data = None
        self.options = None
        self._loading = False
        self._generation = 0

        self.title = QLabel("Báo cáo kỳ")
        font = self.title.font()
        font.setPointSize(font.pointSize() + 5)
        font.setBold(True)
        self.title.setFont(font)
        self.summary = QLabel("")
        self.summary.setStyleSheet("color: #455a64;")
        self.lock_button = QPushButton("Khóa kỳ")
        self.lock_button.clicked.connect(self.toggle_lock)

        self.combos: dict[str, QComboBox] = {}
        filters = QGridLayout()
        specs = [("period_code", "Kỳ"), ("unit_uuid", "Đơn vị"), ("village_uuid", "Thôn"), ("leader_uuid", "Lãnh đạo"),
                 ("status", "Trạng thái"), ("group_uuid", "Trụ cột / nhóm"), ("kind", "Loại"), ("saved", "Bộ lọc đã lưu")]
        for position, (key, label) in enumerate(specs):
            combo = QComboBox()
            combo.setMinimumWidth(120)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(14)
            self.combos[key] = combo
            filters.addWidget(QLabel(label), 0, position)
            filters.addWidget(combo, 1, position)
            combo.currentIndexChanged.connect(self._on_saved_filter if key == "saved" else self._on_filter)
        save_filter = QPushButton("Lưu bộ lọc…")
        save_filter.clicked.connect(self.save_current_filter)
        clear = QPushButton("Bỏ lọc")
        clear.clicked.connect(self.clear_filters)
        filters.addWidget(save_filter, 1, len(specs))
        filters.addWidget(clear, 1, len(specs) + 1)

        self.source_combo = QComboBox()
        for code, label in codes.SOURCE_LABELS.items():
            self.source_combo.addItem(label, code)

        self.model = MonthEntryModel(self._save, self)
        self.model.errorOccurred.connect(self._on_error)
        self.model.rowSaved.connect(lambda _row: self._update_summary())
        self.table = EntryTable()
        self.table.setModel(self.model)
        for column, spec in enumerate(ENTRY_COLUMNS):
            self.table.setColumnWidth(column, spec.width)
        self.table.horizontalHeader().setSectionResizeMode(COLUMN_INDEX["content"], QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.doubleClicked.connect(self._on_double_click)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.message = QLabel(TYPING_HINT)
        self.message.setStyleSheet("color: #607d8b;")

        header = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.title)
        titles.addWidget(self.summary)
        header.addLayout(titles, 1)
        header.addWidget(QLabel("Hình thức nhận mặc định:"))
        header.addWidget(self.source_combo)
        header.addWidget(self.lock_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addLayout(header)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)

    # -- public API -----------------------------------------------------------
    def set_plan(self, plan_uuid: str | None) -> None:
        """Show *plan_uuid*'s reports; nothing of the previous plan stays (rows, filters, period)."""
        self.plan_uuid = plan_uuid or None
        self.options = None
        self.view_data = None
        self._loading = True
        try:
            for combo in self.combos.values():
                combo.clear()
        finally:
            self._loading = False
        self.model.set_rows([])
        self.title.setText("Báo cáo kỳ")
        self.summary.setText("Đang mở…" if self.plan_uuid else "Chưa có kế hoạch.")
        self.reload()

    def set_today(self, day: date) -> None:
        self.today_provider = lambda: day
        self.options = None
        self.reload()

    def criteria(self) -> Criteria:
        values = {key: combo.currentData() for key, combo in self.combos.items() if key != "saved"}
        return Criteria(**{k: v for k, v in values.items() if v})

    def reload(self) -> None:
        """Load the rows (in the background); ``refreshed`` is emitted when they are shown."""
        self._generation += 1
        generation = self._generation
        if self.db is None or self.plan_uuid is None:
            self.model.set_rows([])
            self.title.setText("Báo cáo kỳ")
            self.refreshed.emit()
            return
        db, plan_uuid, today, criteria = self.db, self.plan_uuid, self.today_provider(), self.criteria()
        need_options = self.options is None

        def load(_ctx):
            from cds_desktop.services.tracking.month_screen import load_month_screen

            return load_month_screen(db, plan_uuid, today, criteria, with_options=need_options)

        run_job(load, title="Đang mở báo cáo kỳ…", parent=self,
                on_success=lambda result: self._apply(generation, *result))

    # -- internals --------------------------------------------------------------
    def _apply(self, generation: int, options, view, saved) -> None:
        if generation != self._generation:
            return
        if options is not None:
            self.options = options
            self._fill_filters(options, view.period_code if view else options.default_period)
        self._fill_saved(saved)
        self.view_data = view
        self.model.set_rows(view.rows if view else [], locked=bool(view and (view.locked or view.read_only)),
                            message=f"{view.read_only}: không sửa được trên máy này." if view and view.read_only else "")
        self._update_summary()
        self.refreshed.emit()

    def _fill_filters(self, options, period_code: str) -> None:
        self._loading = True
        try:
            lists = {
                "period_code": [(c.key, c.label) for c in options.periods],
                "unit_uuid": [(None, "Tất cả")] + [(c.key, c.label) for c in options.units],
                "village_uuid": [(None, "Tất cả")] + [(c.key, c.label) for c in options.villages],
                "leader_uuid": [(None, "Tất cả")] + [(c.key, c.label) for c in options.leaders],
                "status": [(None, "Tất cả"), (codes.NO_REPORT, "Chưa có báo cáo")]
                + list(codes.STATUS_LABELS.items()),
                "group_uuid": [(None, "Tất cả")] + [(c.key, ("   " * c.depth) + c.label) for c in options.groups],
                "kind": [(None, "Tất cả"), ("indicator", "Chỉ tiêu"), ("task", "Nhiệm vụ")],
            }
            for key, items in lists.items():
                combo = self.combos[key]
                combo.clear()
                for data, label in items:
                    combo.addItem(label, data)
            self.combos["period_code"].setCurrentIndex(max(self.combos["period_code"].findData(period_code), 0))
        finally:
            self._loading = False

    def _fill_saved(self, saved) -> None:
        self._loading = True
        try:
            combo = self.combos["saved"]
            combo.clear()
            combo.addItem("(chọn)", None)
            for entry in saved:
                combo.addItem(entry.name, entry.criteria)
        finally:
            self._loading = False

    def _update_summary(self) -> None:
        view = self.view_data
        if view is None:
            self.title.setText("Báo cáo kỳ")
            self.summary.setText("Kế hoạch chưa có kỳ báo cáo.")
            return
        rows = self.model.rows
        expected = sum(r.expected for r in rows)
        received = sum(r.expected and r.has_report for r in rows)
        lock = f" · ĐÃ KHÓA ({view.locked_by}) — mở khóa để sửa" if view.locked else ""
        if view.read_only:  # a received commune's plan (receiving mode): nothing to type, lock or unlock
            lock = f" · {view.read_only}"
        self.title.setText(view.title)
        self.summary.setText(f"Hạn nộp {view.due:%d/%m/%Y} · đã nhận {received}/{expected} báo cáo · "
                             f"{len(rows)} dòng{lock}")
        self.summary.setStyleSheet("color: #b71c1c;" if view.locked or view.read_only else "color: #455a64;")
        self.lock_button.setText("Mở khóa…" if view.locked else "Khóa kỳ")
        self.lock_button.setEnabled(not view.read_only)
        if view.read_only:
            self.message.setStyleSheet("color: #607d8b;")
            self.message.setText("Chỉ xem · xã, phường gửi gói mới để thay đổi số liệu")
        elif self.message.text().startswith("Chỉ xem"):
            self.message.setText(TYPING_HINT)

    def _save(self, row: MonthRow, field: str, text: str) -> MonthRow:
        from cds_desktop.services.tracking.month_screen import save_month_cell

        assert self.db is not None and self.view_data is not None and self.plan_uuid is not None
        try:
            saved = save_month_cell(self.db, self.plan_uuid, self.view_data.period_code, row.item.uuid,
                                    row.unit_uuid, field, text, today=self.today_provider(),
                                    default_source=self.source_combo.currentData(), seen_version=row.version)
        except StaleWriteError as exc:  # changed elsewhere since shown: say who and when, show it as it is now
            QTimer.singleShot(0, self.reload)
            raise ServiceError(str(exc)) from exc
        self.message.setStyleSheet("color: #2e7d32;")
        self.message.setText(f"Đã lưu: {row.item.title} — {row.unit_name}.")
        return saved

    def _on_error(self, text: str) -> None:
        self.message.setStyleSheet("color: #b71c1c; font-weight: bold;")
        self.message.setText(text)
        QApplication.beep()

    def _on_filter(self, _index: int) -> None:
        if not self._loading:
            self.reload()

    def _on_saved_filter(self, _index: int) -> None:
        criteria = self.combos["saved"].currentData()
        if self._loading or criteria is None:
            return
        self.apply_criteria(criteria)

    def apply_criteria(self, criteria: Criteria) -> None:
        self._loading = True
        try:
            for key, combo in self.combos.items():
                if key == "saved":
                    continue
                value = getattr(criteria, key)
                if key == "period_code" and not value:
                    continue
                combo.setCurrentIndex(max(combo.findData(value), 0))
        finally:
            self._loading = False
        self.reload()

    def clear_filters(self) -> None:
        self.apply_criteria(Criteria(period_code=self.combos["period_code"].currentData()))

    def save_current_filter(self) -> None:
        name, ok = QInputDialog.getText(self, "Lưu bộ lọc", "Tên bộ lọc:")
        if not ok or not name.strip() or self.db is None:
            return
        from cds_desktop.services.tracking.month_screen import save_month_filter

        try:
            save_month_filter(self.db, self.plan_uuid, name, self.criteria())
        except Exception as exc:
            show_error(exc, self)
            return
        self.reload()

    def toggle_lock(self) -> None:
        """Lock the period (after a confirmation) or unlock it (with a reason, kept in the audit log)."""
        view = self.view_data
        if view is None or self.db is None:
            return
        if view.locked:
            reason, ok = QInputDialog.getMultiLineText(
                self, "Mở khóa kỳ", f"Lý do mở khóa {view.title.lower()} (bắt buộc, được ghi vào nhật ký):")
            if ok:
                self.set_locked(False, reason)
            return
        rows = self.model.rows
        missing = sum(r.expected and not r.has_report for r in rows)
        expected = sum(r.expected for r in rows)
        state = (f"Còn {missing}/{expected} báo cáo chưa nhận." if missing else
                 f"Đã nhận đủ {expected} báo cáo." if expected else "Kỳ này không có báo cáo nào phải nộp.")
        if questions.ask(self, "Khóa kỳ", f"Khóa {view.title.lower()} sau khi đã tổng hợp?",
                         informative=f"{state} Muốn sửa lại phải mở khóa và nêu lý do.",
                         yes="Khóa kỳ", no="Hủy", default_yes=not missing):
            self.set_locked(True)

    def set_locked(self, locked: bool, reason: str = "") -> bool:
        from cds_desktop.services.tracking.month_screen import set_period_locked

        assert self.db is not None and self.view_data is not None and self.plan_uuid is not None
        if not locked and not (reason or "").strip():
            self._on_error("Chưa mở khóa: cần nêu lý do mở khóa (lý do được ghi vào nhật ký).")
            return False
        try:
            set_period_locked(self.db, self.plan_uuid, self.view_data.period_code, locked, reason)
        except ServiceError as exc:  # a rule of the period, told under the table
            self._on_error(str(exc))
            return False
        except Exception as exc:
            show_error(exc, self)
            return False
        self.reload()
        return True

    def _on_double_click(self, index: QModelIndex) -> None:
        if not self.model.flags(index) & Qt.ItemFlag.ItemIsEditable:
            row = self.model.row_at(index.row())
            if row is not None:
                self.itemsRequested.emit([row.item.uuid])

    def _context_menu(self, pos) -> None:
        row = self.model.row_at(self.table.indexAt(pos).row())
        if row is None:
            return
        menu = QMenu(self)
        menu.addAction("Đánh dấu / bỏ đánh dấu nguy cơ chậm muộn…", lambda: self.flag_at_risk(row))
        menu.addAction("Xem mục trong kế hoạch", lambda: self.itemsRequested.emit([row.item.uuid]))
        menu.exec(self.table.viewport().mapToGlobal(pos))

    def flag_at_risk(self, row: MonthRow, reason: str | None = None) -> bool:
        """Toggle the officer's "at risk" flag of the row's item (asks the reason when flagging)."""
        from cds_desktop.services.tracking.month_screen import flag_item_at_risk, item_at_risk

        assert self.db is not None
        flagged = item_at_risk(self.db, row.item.uuid)
        if not flagged and reason is None:
            reason, ok = QInputDialog.getText(self, "Nguy cơ chậm muộn", f"{row.item.title}\nLý do (không bắt buộc):")
            if not ok:
                return False
        flag_item_at_risk(self.db, row.item.uuid, not flagged, reason or "")
        word = "Bỏ đánh dấu" if flagged else "Đã đánh dấu"
        self.message.setStyleSheet("color: #6a1b9a;")
        self.message.setText(f"{word} nguy cơ chậm muộn: {row.item.title}.")
        return True

    def focus_cell(self, row: int, key: str) -> None:
        index = self.model.index(row, COLUMN_INDEX[key])
        self.table.setCurrentIndex(index)
        self.table.setFocus()

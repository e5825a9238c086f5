"""The evidence library (Kho minh chứng): every evidence file, filtered by item,
unit, period and kind, searched without diacritics, with a preview (image
thumbnail) and the file actions; the store check and clean-up run in the
background.

The main window embeds :class:`EvidenceLibraryWidget` (a tab or a dialog) and
may add :func:`run_store_check` to its menu.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cds_desktop.database import Database
from cds_desktop.services.evidence import (
    EvidenceFilter,
    EvidenceRow,
    StoreCancelled,
    StoreCheck,
    gc,
)
from cds_desktop.services.evidence.actions import delete_evidence_in, library_choices, library_rows
from cds_desktop.services.evidence.maintenance import check_store
from cds_desktop.services.evidence.queries import fmt_size
from cds_desktop.ui.common import questions
from cds_desktop.ui.common.errors import show_error
from cds_desktop.ui.common.jobs import Job, JobCancelled, JobContext, run_job
from cds_desktop.ui.common.screen import ScreenWidget
from cds_desktop.ui.evidence.metadata_dialog import MetadataDialog, edit_metadata
from cds_desktop.ui.evidence.models import (
    FULL_COLUMNS,
    THUMB,
    EvidenceTableModel,
    open_with_system,
    read_thumbnail,
    save_copy,
    show_in_folder,
    throttled,
)

log = logging.getLogger(__name__)

PREVIEW = 260  # px


def _combo(placeholder: str, width: int) -> QComboBox:
    combo = QComboBox()
    combo.addItem(placeholder, "")
    combo.setMinimumWidth(width)
    combo.setMaximumWidth(width + 120)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    return combo


class EvidencePreview(QFrame):
    """Right-hand side: picture or file badge, metadata, linked items."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setMinimumSize(PREVIEW, 180)
        self.picture.setStyleSheet("background: #f3f5f7; border-radius: 4px;")
        self.name = QLabel()
        self.name.setWordWrap(True)
        self.name.setStyleSheet("font-weight: bold;")
        self.form = QFormLayout()
        self.fields: dict[str, QLabel] = {}
        for key, label in (("kind_label", "Loại"), ("doc_number", "Số, ký hiệu"), ("doc_date_text", "Ngày ban hành"),
                           ("issuer", "Cơ quan ban hành"), ("period_label", "Kỳ"), ("unit_name", "Đơn vị"),
                           ("size_text", "Dung lượng"), ("added_text", "Ngày thêm"), ("description", "Mô tả")):
            value = QLabel()
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[key] = value
            self.form.addRow(label, value)
        self.links = QLabel()
        self.links.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.picture)
        layout.addWidget(self.name)
        layout.addLayout(self.form)
        layout.addWidget(QLabel("<b>Minh chứng cho:</b>"))
        layout.addWidget(self.links)
        layout.addStretch(1)
        self.show_row(None, None)

    def show_row(self, row: EvidenceRow | None, model: EvidenceTableModel | None) -> None:
        if row is None or model is None:
            self.picture.setPixmap(QLabel().pixmap())
            self.picture.setText("Chọn một minh chứng để xem")
            self.name.setText("")
            for value in self.fields.values():
                value.setText("")
            self.links.setText("")
            return
        pixmap = None
        if row.is_image:
            image = read_thumbnail(model.thumbnails.store.path_for(row.sha256), PREVIEW)
            if not image.isNull():
                from PySide6.QtGui import QPixmap

                pixmap = QPixmap.fromImage(image)
        self.picture.setPixmap(pixmap if pixmap is not None else model.icon_for(row).scaled(
            96, 96, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))
        self.name.setText(row.original_name)
        for key, value in self.fields.items():
            value.setText(str(getattr(row, key) or "—"))
        self.links.setText("\n".join(f"• {lk.label}" for lk in row.links) or "(chưa gắn với mục nào)")


class EvidenceLibraryWidget(ScreenWidget):
    """Kho minh chứng."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.plan_uuid = ""
        self.job: Job | None = None
        self.setObjectName("evidenceLibrary")

        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Tìm theo tên tệp, số ký hiệu, cơ quan ban hành, mô tả… (không cần dấu)")
        self.search_edit.setClearButtonEnabled(True)
        self.kind_combo = _combo("Mọi loại", 120)
        self.period_combo = _combo("Mọi kỳ", 130)
        self.unit_combo = _combo("Mọi đơn vị", 170)
        self.item_combo = _combo("Mọi chỉ tiêu, nhiệm vụ", 260)
        self.clear_button = QPushButton("Bỏ lọc")
        self._search_timer = QTimer(self, singleShot=True, interval=250)
        self._search_timer.timeout.connect(self.reload)
        self.search_edit.textChanged.connect(lambda _t: self._search_timer.start())
        for combo in (self.kind_combo, self.period_combo, self.unit_combo, self.item_combo):
            combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.clear_button.clicked.connect(self.clear_filters)
        filters = QHBoxLayout()
        filters.addWidget(self.search_edit, 3)
        for combo in (self.kind_combo, self.period_combo, self.unit_combo, self.item_combo):
            filters.addWidget(combo, 1)
        filters.addWidget(self.clear_button)

        self.model = EvidenceTableModel(db, FULL_COLUMNS, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(True)
        self.view.setIconSize(QSize(THUMB, THUMB))
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.verticalHeader().setMinimumSectionSize(THUMB + 6)
        self.view.verticalHeader().setMaximumSectionSize(THUMB + 30)
        header = self.view.horizontalHeader()
        for i, column in enumerate(FULL_COLUMNS):
            header.resizeSection(i, column.width)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.view.doubleClicked.connect(lambda _i: self.open_selected())
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())

        self.preview = EvidencePreview()
        self.preview.setMinimumWidth(PREVIEW + 30)
        splitter = QSplitter()
        splitter.addWidget(self.view)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(0, 1)
        splitter.setSizes([1000, PREVIEW + 60])

        self.open_button = QPushButton("Mở")
        self.folder_button = QPushButton("Mở thư mục")
        self.save_button = QPushButton("Lưu bản sao…")
        self.edit_button = QPushButton("Sửa thông tin…")
        self.delete_button = QPushButton("Xóa minh chứng")
        self.check_button = QPushButton("Kiểm tra kho minh chứng")
        self.gc_button = QPushButton("Dọn tệp không dùng")
        self.open_button.clicked.connect(self.open_selected)
        self.folder_button.clicked.connect(self.show_selected_in_folder)
        self.save_button.clicked.connect(self.save_selected)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.check_button.clicked.connect(lambda: run_store_check(self.db, self))
        self.gc_button.clicked.connect(self.collect)
        self.status = QLabel()
        bottom = QHBoxLayout()
        for button in (self.open_button, self.folder_button, self.save_button, self.edit_button, self.delete_button):
            bottom.addWidget(button)
        bottom.addSpacing(16)
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.check_button)
        bottom.addWidget(self.gc_button)

        title = QLabel("Kho minh chứng")
        title.setStyleSheet("font-weight: bold; font-size: 13pt;")
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        self.refresh_choices()
        self.reload()

    # -- filters ----------------------------------------------------------------
    def set_plan(self, plan_uuid: str | None) -> None:
        """Offer only this plan's items in the item filter (the list itself is not limited)."""
        self.plan_uuid = plan_uuid or ""
        self.refresh_choices()

    def refresh_choices(self) -> None:
        choices = library_choices(self.db, self.plan_uuid)
        for combo, options in ((self.kind_combo, choices.kinds), (self.period_combo, choices.periods),
                               (self.unit_combo, choices.units), (self.item_combo, choices.items)):
            current = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for option in options:
                combo.addItem(option.label, option.value)
                combo.setItemData(combo.count() - 1, option.label, Qt.ItemDataRole.ToolTipRole)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)

    def current_filter(self) -> EvidenceFilter:
        return EvidenceFilter(
            search=self.search_edit.text(), kind=self.kind_combo.currentData() or "",
            period=self.period_combo.currentData() or "", unit_uuid=self.unit_combo.currentData() or "",
            item_uuid=self.item_combo.currentData() or "",
        )

    def set_filter(self, *, item_uuid: str = "", unit_uuid: str = "", period: str = "", kind: str = "",
                   search: str = "") -> None:
        for combo, value in ((self.item_combo, item_uuid), (self.unit_combo, unit_uuid),
                             (self.period_combo, period), (self.kind_combo, kind)):
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(value)))
            combo.blockSignals(False)
        self.search_edit.blockSignals(True)
        self.search_edit.setText(search)
        self.search_edit.blockSignals(False)
        self.reload()

    def clear_filters(self) -> None:
        self.set_filter()

    def reload(self) -> None:
        selected = self.selected_row()
        try:
            rows = library_rows(self.db, self.current_filter())
        except Exception as exc:
            show_error(exc, self)
            rows = []
        self.model.set_rows(rows)
        self.status.setText(f"{len(rows)} minh chứng · {fmt_size(self.model.total_size())}")
        row = self.model.row_of(selected.uuid if selected else None)
        if row >= 0:
            self.view.selectRow(row)
        self._selection_changed()

    def refresh(self) -> None:
        self.refresh_choices()
        self.reload()

    # -- selection and actions ----------------------------------------------------
    def selected_row(self) -> EvidenceRow | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _selection_changed(self) -> None:
        row = self.selected_row()
        self.preview.show_row(row, self.model)
        for button in (self.open_button, self.folder_button, self.save_button, self.edit_button, self.delete_button):
            button.setEnabled(row is not None)

    def _act(self, action: Callable[[EvidenceRow], object]) -> None:
        row = self.selected_row()
        if row is None:
            return
        try:
            action(row)
        except Exception as exc:
            show_error(exc, self)

    def open_selected(self) -> None:
        self._act(lambda row: open_with_system(self.db, row))

    def show_selected_in_folder(self) -> None:
        self._act(lambda row: show_in_folder(self.db, row))

    def save_selected(self) -> None:
        self._act(lambda row: save_copy(self.db, row, self))

    def edit_selected(self) -> MetadataDialog | None:
        row = self.selected_row()
        return edit_metadata(self, self.db, row, self._after_edit) if row is not None else None

    def _after_edit(self) -> None:
        self.refresh()
        self.evidenceChanged.emit()

    def delete_selected(self, confirm: bool = True) -> bool:
        row = self.selected_row()
        if row is None:
            return False
        if confirm and not questions.ask(
            self, "Xóa minh chứng",
            f"Xóa «{row.original_name}» khỏi mọi chỉ tiêu, nhiệm vụ ({len(row.links)} mục)?\n"
            "Tệp còn giữ trong kho cho tới lần dọn kho tiếp theo.",
            yes="Xóa", no="Hủy",
        ):
            return False
        try:
            delete_evidence_in(self.db, row.uuid)
        except Exception as exc:
            show_error(exc, self)
            return False
        self.refresh()
        self.evidenceChanged.emit()
        return True

    def collect(self) -> Job:
        db = self.db
        self.job = run_job(lambda _ctx: gc(db), title="Đang dọn kho minh chứng…", parent=self,
                           on_success=lambda result: QMessageBox.information(self, "Dọn kho minh chứng",
                                                                             result.summary()))
        return self.job


def run_store_check(db: Database, parent: QWidget | None) -> Job:
    """Check the evidence store in the background (hashes every file), with progress
    and cancel, then show what was found.  For the main window's menu too."""

    def work(ctx: JobContext) -> StoreCheck:
        try:
            return check_store(db, progress=throttled(ctx), cancel=lambda: ctx.cancelled)
        except StoreCancelled as exc:
            raise JobCancelled() from exc

    return run_job(work, title="Đang kiểm tra kho minh chứng…", parent=parent, cancellable=True,
                   on_success=lambda result: show_store_check(result, parent))


def show_store_check(result: StoreCheck, parent: QWidget | None) -> QMessageBox:
    if result.ok:
        text = f"Kho minh chứng không có lỗi: {result.files} tệp, nội dung đều khớp mã băm."
        if result.collectable:
            text += f"\n{len(result.collectable)} tệp của minh chứng đã xóa có thể dọn bằng «Dọn tệp không dùng»."
        box = QMessageBox(QMessageBox.Icon.Information, "Kiểm tra kho minh chứng", text, parent=parent)
    else:
        problems = "\n".join(f"• {p}" for p in result.problems())
        box = QMessageBox(QMessageBox.Icon.Warning, "Kiểm tra kho minh chứng",
                          f"Phát hiện vấn đề trong kho minh chứng:\n{problems}", parent=parent)
        details = [f.path for f in result.missing + result.mismatches + result.orphans + result.temporary + result.stray]
        box.setDetailedText(f"Thư mục kho: {result.root}\n" + "\n".join(details))
    box.open()
    return box

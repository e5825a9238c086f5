"""The evidence of one record (an indicator, a task, a progress report...), for the
detail panel: list, drop files to attach, add through a file dialog, open, edit,
unlink (the metadata dialog is in :mod:`cds_desktop.ui.evidence.metadata_dialog`).

Attaching runs as a background job (copy and hash of possibly large files) with
progress and cancel; errors go to the one error dialog.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragLeaveEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGridLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cds_desktop.database import Database
from cds_desktop.models import TARGET_ITEM
from cds_desktop.services.evidence import (
    AttachResult,
    EvidenceMetadata,
    EvidenceRow,
)
from cds_desktop.services.evidence.actions import evidence_of, target_label, unlink_evidence
from cds_desktop.services.evidence.queries import fmt_size
from cds_desktop.ui.common import questions
from cds_desktop.ui.common.errors import show_error
from cds_desktop.ui.common.jobs import Job
from cds_desktop.ui.evidence.metadata_dialog import MetadataDialog, edit_metadata
from cds_desktop.ui.evidence.models import (
    PANEL_COLUMNS,
    THUMB,
    EvidenceTableModel,
    local_paths,
    open_with_system,
    run_attach,
    show_in_folder,
)

log = logging.getLogger(__name__)

DROP_HINT = "Kéo thả tệp vào đây (quyết định, kế hoạch, biên bản, báo cáo, ảnh chụp…) hoặc bấm «Thêm tệp…»"


class EvidencePanel(QWidget):
    """Evidence of the record set with :meth:`set_target`; accepts dropped files."""

    evidenceChanged = Signal(str, str)  # target type, target uuid

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.target: tuple[str, str] | None = None
        self.target_label = ""
        self.attach_dialog: MetadataDialog | None = None
        self.job: Job | None = None
        self.setAcceptDrops(True)
        self.setObjectName("evidencePanel")

        self.title = QLabel("Minh chứng")
        self.title.setStyleSheet("font-weight: bold;")
        self.model = EvidenceTableModel(db, PANEL_COLUMNS, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setIconSize(QSize(THUMB, THUMB))
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(THUMB + 6)
        header = self.view.horizontalHeader()
        for i, column in enumerate(PANEL_COLUMNS):
            header.resizeSection(i, column.width)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.view.doubleClicked.connect(lambda _i: self.open_selected())
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

        self.hint = QLabel(DROP_HINT)
        self.hint.setWordWrap(True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setStyleSheet("color: #5b6b7b; border: 2px dashed #9fb3c8; border-radius: 6px; padding: 10px;")

        self.add_button = QPushButton("Thêm tệp…")
        self.open_button = QPushButton("Mở")
        self.folder_button = QPushButton("Mở thư mục")
        self.edit_button = QPushButton("Sửa thông tin…")
        self.unlink_button = QPushButton("Gỡ khỏi mục này")
        self.add_button.clicked.connect(self.add_files)
        self.open_button.clicked.connect(self.open_selected)
        self.folder_button.clicked.connect(self.show_selected_in_folder)
        self.edit_button.clicked.connect(self.edit_selected)
        self.unlink_button.clicked.connect(self.unlink_selected)
        # Two rows, so that the buttons fit the narrow detail panel as well as a wide window.
        buttons = QGridLayout()
        for position, button in enumerate(
            (self.add_button, self.open_button, self.folder_button, self.edit_button, self.unlink_button)
        ):
            buttons.addWidget(button, position // 3, position % 3)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.hint)
        layout.addLayout(buttons)
        self.set_target(None, None)

    # -- target ---------------------------------------------------------------
    def set_target(self, target_type: str | None, target_uuid: str | None, label: str | None = None) -> None:
        """Show the evidence of a record (``("item", uuid)``...); ``None`` clears the panel."""
        self.target = (target_type, target_uuid) if target_type and target_uuid else None
        self.target_label = label or ""
        if self.target is not None and label is None:
            self.target_label = target_label(self.db, self.target)
        self.reload()

    def reload(self) -> None:
        rows: list[EvidenceRow] = []
        if self.target is not None:
            rows = evidence_of(self.db, self.target)
        self.model.set_rows(rows)
        count = f" ({len(rows)})" if rows else ""
        self.title.setText(f"Minh chứng{count}" + (f" — {fmt_size(self.model.total_size())}" if rows else ""))
        self.hint.setText(DROP_HINT if self.target else "Chọn một chỉ tiêu hoặc nhiệm vụ để xem minh chứng.")
        self.add_button.setEnabled(self.target is not None)
        self._update_buttons()

    def selected_row(self) -> EvidenceRow | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        has = self.selected_row() is not None
        for button in (self.open_button, self.folder_button, self.edit_button, self.unlink_button):
            button.setEnabled(has)

    # -- drag and drop ------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.target is not None and local_paths(event):
            event.acceptProposedAction()
            self.hint.setStyleSheet("color: #1d5f9b; border: 2px dashed #1d5f9b; border-radius: 6px; padding: 10px;"
                                    " background: #eaf2fb;")
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self.target is not None and local_paths(event):
            event.acceptProposedAction()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self._reset_hint()
        super().dragLeaveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        self._reset_hint()
        paths = local_paths(event)
        if self.target is None or not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.attach_paths(paths)

    def _reset_hint(self) -> None:
        self.hint.setStyleSheet("color: #5b6b7b; border: 2px dashed #9fb3c8; border-radius: 6px; padding: 10px;")

    # -- actions ----------------------------------------------------------------
    def add_files(self) -> None:
        if self.target is None:
            return
        files, _ = QFileDialog.getOpenFileNames(self, "Chọn tệp minh chứng", str(Path.home()))
        if files:
            self.attach_paths([Path(f) for f in files])

    def attach_paths(self, paths: list[Path]) -> MetadataDialog | None:
        """Ask for the metadata, then attach in the background.  Folders are refused."""
        if self.target is None:
            return None
        folders = [p for p in paths if p.is_dir()]
        files = [p for p in paths if not p.is_dir()]
        if folders:
            names = ", ".join(f"«{p.name}»" for p in folders[:3])
            QMessageBox.warning(
                self, "Không thêm được thư mục",
                f"{names} là thư mục. Chỉ thêm được tệp: hãy mở thư mục và chọn các tệp bên trong."
                + ("\nCác tệp còn lại vẫn được thêm." if files else ""),
            )
        if not files:
            return None
        dialog = MetadataDialog(self.db, files=files, target_label=self.target_label, parent=self)
        dialog.accepted.connect(lambda: self._start_attach(files, dialog.metadata()))
        dialog.finished.connect(lambda _r: setattr(self, "attach_dialog", None))
        self.attach_dialog = dialog
        dialog.open()
        return dialog

    def _start_attach(self, files: list[Path], meta: EvidenceMetadata) -> None:
        assert self.target is not None
        target = self.target
        self.job = run_attach(self.db, files, [target], meta, self, on_done=lambda r: self._attached(target, r))

    def _attached(self, target: tuple[str, str], result: AttachResult) -> None:
        log.info("%s (%.0f MB/s)", result.summary(), result.mb_per_s)
        if self.target == target:
            self.reload()
            uuids = {f.evidence_uuid for f in result.files}
            for i, row in enumerate(self.model.rows):
                if row.uuid in uuids:
                    self.view.selectRow(i)
                    break
        self.evidenceChanged.emit(*target)

    def open_selected(self) -> None:
        row = self.selected_row()
        if row is not None:
            try:
                open_with_system(self.db, row)
            except Exception as exc:
                show_error(exc, self)

    def show_selected_in_folder(self) -> None:
        row = self.selected_row()
        if row is not None:
            try:
                show_in_folder(self.db, row)
            except Exception as exc:
                show_error(exc, self)

    def edit_selected(self) -> MetadataDialog | None:
        row = self.selected_row()
        return edit_metadata(self, self.db, row, self._after_edit) if row is not None else None

    def _after_edit(self) -> None:
        self.reload()
        if self.target:
            self.evidenceChanged.emit(*self.target)

    def unlink_selected(self, confirm: bool = True) -> bool:
        row = self.selected_row()
        if row is None or self.target is None:
            return False
        target = self.target
        if target[0] == TARGET_ITEM and not any(
            (lk.target_type, lk.target_uuid) == target for lk in row.links
        ):
            QMessageBox.information(self, "Gỡ minh chứng",
                                    "Minh chứng này thuộc một báo cáo tiến độ của mục; hãy gỡ ở báo cáo đó.")
            return False
        if confirm and not questions.ask(
            self, "Gỡ minh chứng", f"Gỡ «{row.original_name}» khỏi mục này?"
            + ("\nMinh chứng không còn gắn với mục nào khác nên sẽ bị xóa (có thể khôi phục trước khi dọn kho)."
               if len(row.links) <= 1 else ""),
            yes="Gỡ", no="Hủy",
        ):
            return False
        try:
            unlink_evidence(self.db, row.uuid, target)
        except Exception as exc:
            show_error(exc, self)
            return False
        self.reload()
        self.evidenceChanged.emit(*target)
        return True

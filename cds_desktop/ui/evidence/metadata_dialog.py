"""The evidence metadata dialog (kind, number, date, issuer, description, period,
unit), used when attaching files and when editing evidence, in the item panel and
in the library."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from cds_desktop.database import Database
from cds_desktop.models import EVIDENCE_KINDS
from cds_desktop.services.common import ServiceError
from cds_desktop.services.evidence import (
    EvidenceMetadata,
    EvidenceRow,
)
from cds_desktop.services.evidence.actions import edit_evidence
from cds_desktop.services.evidence.periods import normalize_period, period_label
from cds_desktop.services.evidence.queries import fmt_size
from cds_desktop.ui.common.errors import show_error
from cds_desktop.ui.evidence.models import (
    parse_date,
)

log = logging.getLogger(__name__)


class MetadataDialog(QDialog):
    """Kind, number, date, issuer, description, period and unit of evidence.

    In attach mode the files and the record they will prove are listed on top
    and "Loại" may be left to be guessed from each file name."""

    def __init__(self, db: Database, *, files: list[Path] | None = None, target_label: str = "",
                 row: EvidenceRow | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.row = row
        attach = row is None
        self.setWindowTitle("Thêm minh chứng" if attach else "Thông tin minh chứng")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        if attach:
            total = sum(p.stat().st_size for p in files or [] if p.is_file())
            names = "\n".join(f"• {p.name}" for p in (files or [])[:8])
            more = f"\n… và {len(files) - 8} tệp khác" if files and len(files) > 8 else ""
            intro = QLabel(f"<b>{len(files or [])} tệp ({fmt_size(total)})</b> sẽ được lưu vào kho minh chứng:")
            self.files_label = QLabel(names + more)
            self.files_label.setWordWrap(True)
            layout.addWidget(intro)
            layout.addWidget(self.files_label)
            if target_label:
                target = QLabel(f"Gắn vào: <i>{target_label}</i>")
                target.setWordWrap(True)
                layout.addWidget(target)
        form = QFormLayout()
        self.name_edit = QLineEdit(row.original_name if row else "")
        if not attach:
            form.addRow("Tên minh chứng", self.name_edit)
        self.kind_combo = QComboBox()
        if attach:
            self.kind_combo.addItem("Tự nhận biết theo tên tệp", None)
        for code, label in EVIDENCE_KINDS.items():
            self.kind_combo.addItem(label, code)
        if row:
            self.kind_combo.setCurrentIndex(self.kind_combo.findData(row.kind))
        form.addRow("Loại", self.kind_combo)
        self.number_edit = QLineEdit(row.doc_number if row else "")
        self.number_edit.setPlaceholderText("ví dụ: 12/QĐ-UBND")
        form.addRow("Số, ký hiệu", self.number_edit)
        self.date_edit = QLineEdit(row.doc_date_text if row else "")
        self.date_edit.setPlaceholderText("ngày/tháng/năm, ví dụ 05/03/2026")
        form.addRow("Ngày ban hành", self.date_edit)
        self.issuer_edit = QLineEdit(row.issuer if row else "")
        self.issuer_edit.setPlaceholderText("ví dụ: UBND xã")
        form.addRow("Cơ quan ban hành", self.issuer_edit)
        self.period_combo = QComboBox()
        self.period_combo.setEditable(True)
        self.period_combo.addItem("")
        year = date.today().year
        for code in [f"{year}-{m:02d}" for m in range(1, 13)] + [f"{year}-Q{q}" for q in range(1, 5)] + [
            f"{year}-H1", f"{year}-H2", str(year),
        ]:
            self.period_combo.addItem(period_label(code), code)
        self.period_combo.setCurrentText(row.period_label if row else "")
        self.period_combo.lineEdit().setPlaceholderText("ví dụ: Tháng 5/2026, Quý II/2026")
        form.addRow("Kỳ báo cáo", self.period_combo)
        self.unit_combo = QComboBox()
        self.unit_combo.addItem("(không chọn)", None)
        from cds_desktop.services.evidence.actions import library_choices

        for choice in library_choices(db, None).units:
            self.unit_combo.addItem(choice.label, choice.value)
        if row and row.unit_uuid:
            self.unit_combo.setCurrentIndex(max(0, self.unit_combo.findData(row.unit_uuid)))
        form.addRow("Đơn vị", self.unit_combo)
        self.description_edit = QPlainTextEdit(row.description if row else "")
        self.description_edit.setFixedHeight(64)
        self.description_edit.setPlaceholderText("Nội dung, trích yếu của văn bản hoặc ảnh")
        form.addRow("Mô tả", self.description_edit)
        layout.addLayout(form)
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        layout.addWidget(self.error_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Lưu minh chứng" if attach else "Lưu")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _period(self) -> str:
        index = self.period_combo.currentIndex()
        text = self.period_combo.currentText().strip()
        if index > 0 and self.period_combo.itemText(index) == text:
            return str(self.period_combo.itemData(index))
        return normalize_period(text)

    def metadata(self) -> EvidenceMetadata:
        """What the officer entered (raises ServiceError for a bad date or period)."""
        return EvidenceMetadata(
            kind=self.kind_combo.currentData(),
            doc_number=self.number_edit.text(),
            doc_date=parse_date(self.date_edit.text()),
            issuer=self.issuer_edit.text(),
            description=self.description_edit.toPlainText(),
            period=self._period(),
            unit_uuid=self.unit_combo.currentData(),
        )

    def fields(self) -> dict:
        meta = self.metadata()
        return {
            "original_name": self.name_edit.text(), "kind": meta.kind, "doc_number": meta.doc_number,
            "doc_date": meta.doc_date, "issuer": meta.issuer, "description": meta.description,
            "period": meta.period, "unit_uuid": meta.unit_uuid,
        }

    def accept(self) -> None:
        try:
            self.metadata()
        except ServiceError as exc:
            self.error_label.setText(str(exc))
            self.error_label.show()
            return
        super().accept()


def edit_metadata(parent: QWidget, db: Database, row: EvidenceRow, on_saved) -> MetadataDialog:
    """Open the metadata dialog for *row*; save through the service and call *on_saved*."""
    dialog = MetadataDialog(db, row=row, parent=parent)

    def save() -> None:
        try:
            edit_evidence(db, row.uuid, **dialog.fields())
        except Exception as exc:
            show_error(exc, parent)
            return
        on_saved()

    dialog.accepted.connect(save)
    dialog.open()
    return dialog

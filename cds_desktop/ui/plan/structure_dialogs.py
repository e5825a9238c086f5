"""Dialogs of the plan's structure: a blank plan, the plan header (số, ngày, người ký,
trích yếu), a group's label and name, the group to move items to.

Each dialog checks what it can before closing and says what is wrong inline
(in red, under the fields); the caller runs the service and, if the service
refuses, calls :meth:`FormDialog.fail` so the dialog stays open with the message.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cds_desktop.text import parse_date as parse_day

PLAN_STATUS_LABELS = {"draft": "Dự thảo", "issued": "Đã ban hành"}
GROUP_UUID_ROLE = Qt.ItemDataRole.UserRole + 1


class FormDialog(QDialog):
    """A form with OK/Hủy in Vietnamese and an inline error line."""

    def __init__(self, title: str, ok_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.error_label = QLabel()
        self.error_label.setObjectName("errorLabel")
        self.error_label.setStyleSheet("color: #c62828;")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setDefault(True)
        self.buttons.addButton("Hủy", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self._try_accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.on_accept = None  # callable(dialog) -> bool: runs the change; False keeps the dialog open

    def fail(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def check(self) -> str | None:
        """A Vietnamese message when the input is wrong (subclasses)."""
        return None

    def _try_accept(self) -> None:
        problem = self.check()
        if problem:
            self.fail(problem)
            return
        self.error_label.hide()
        if self.on_accept is not None and not self.on_accept(self):
            return
        self.accept()


class BlankPlanDialog(FormDialog):
    """Tệp → Tạo kế hoạch trống: the commune, the year, the title; optional pillars."""

    def __init__(self, commune: str = "", commune_kind: str = "xã", year: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__("Tạo kế hoạch trống", "Tạo kế hoạch", parent)
        self.kind_combo = QComboBox()
        self.kind_combo.addItems(["xã", "phường"])
        self.kind_combo.setCurrentText(commune_kind if commune_kind in ("xã", "phường") else "xã")
        self.commune_edit = QLineEdit(commune)
        self.commune_edit.setPlaceholderText("Ví dụ: Bát Tràng")
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(year or date.today().year)
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("Để trống: «Chuyển đổi số xã … năm …»")
        self.pillars_check = QCheckBox("Tạo sẵn ba trụ cột của Phụ lục 01 (I. Chính quyền số, II. Kinh tế số, "
                                       "III. Xã hội số)")
        self.pillars_check.setChecked(True)
        self.form.addRow("Cấp:", self.kind_combo)
        self.form.addRow("Tên xã/phường:", self.commune_edit)
        self.form.addRow("Năm kế hoạch:", self.year_spin)
        self.form.addRow("Trích yếu:", self.title_edit)
        self.form.addRow("", self.pillars_check)
        self.resize(560, self.sizeHint().height())

    def check(self) -> str | None:
        if not self.commune_edit.text().strip():
            self.commune_edit.setFocus()
            return "Hãy ghi tên xã/phường."
        return None

    def values(self) -> dict:
        values = {"commune_name": self.commune_edit.text(), "commune_kind": self.kind_combo.currentText(),
                  "year": self.year_spin.value(), "with_pillars": self.pillars_check.isChecked()}
        if self.title_edit.text().strip():
            values["title"] = self.title_edit.text()
        return values


class PlanHeaderDialog(FormDialog):
    """Kế hoạch → Thông tin kế hoạch: what the printed header and signature show."""

    def __init__(self, values: dict, parent: QWidget | None = None) -> None:
        super().__init__("Thông tin kế hoạch", "Lưu", parent)
        self.number_edit = QLineEdit(values.get("number") or "")
        self.number_edit.setPlaceholderText("Ví dụ: 139/KH-UBND (để trống khi chưa có số)")
        issue = values.get("issue_date")
        self.date_edit = QLineEdit(issue.strftime("%d/%m/%Y") if issue else "")
        self.date_edit.setPlaceholderText("dd/mm/yyyy")
        self.place_edit = QLineEdit(values.get("place") or "")
        self.kind_edit = QLineEdit(values.get("kind") or "")
        self.title_edit = QPlainTextEdit(values.get("title") or "")
        self.title_edit.setTabChangesFocus(True)
        self.title_edit.setFixedHeight(60)
        self.authority_edit = QLineEdit(values.get("authority") or "")
        self.position_edit = QLineEdit(values.get("position") or "")
        self.signer_edit = QLineEdit(values.get("signer") or "")
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(int(values.get("year") or date.today().year))
        self.status_combo = QComboBox()
        for code, label in PLAN_STATUS_LABELS.items():
            self.status_combo.addItem(label, code)
        self.status_combo.setCurrentIndex(max(0, self.status_combo.findData(values.get("status") or "draft")))
        self.report_day_spin = QSpinBox()
        self.report_day_spin.setRange(0, 31)
        self.report_day_spin.setSpecialValueText("Chưa đặt")
        self.report_day_spin.setValue(int(values.get("report_day") or 0))
        start = values.get("tracking_start")
        self.tracking_edit = QLineEdit(start.strftime("%d/%m/%Y") if start else "")
        self.tracking_edit.setPlaceholderText("dd/mm/yyyy — để trống: từ ngày ban hành")
        self.tracking_edit.setToolTip("Các kỳ báo cáo và thời hạn trước ngày này không bị tính là thiếu hay quá hạn "
                                      "(dùng khi bắt đầu theo dõi kế hoạch muộn hơn ngày ban hành).")
        for label, widget in (
            ("Số văn bản:", self.number_edit), ("Ngày ban hành:", self.date_edit), ("Địa danh:", self.place_edit),
            ("Loại văn bản:", self.kind_edit), ("Trích yếu:", self.title_edit),
            ("Thẩm quyền ký:", self.authority_edit), ("Chức vụ người ký:", self.position_edit),
            ("Người ký:", self.signer_edit), ("Năm kế hoạch:", self.year_spin), ("Trạng thái:", self.status_combo),
            ("Hạn báo cáo hằng tháng (ngày):", self.report_day_spin), ("Theo dõi từ ngày:", self.tracking_edit),
        ):
            self.form.addRow(label, widget)
        self.resize(620, self.sizeHint().height())

    def check(self) -> str | None:
        try:
            parse_day(self.date_edit.text())
        except ValueError:
            self.date_edit.setFocus()
            return f"Ngày ban hành «{self.date_edit.text().strip()}» không hợp lệ: hãy ghi theo dạng dd/mm/yyyy."
        try:
            parse_day(self.tracking_edit.text())
        except ValueError:
            self.tracking_edit.setFocus()
            return (f"Ngày bắt đầu theo dõi «{self.tracking_edit.text().strip()}» không hợp lệ: "
                    "hãy ghi theo dạng dd/mm/yyyy.")
        if not self.title_edit.toPlainText().strip():
            self.title_edit.setFocus()
            return "Trích yếu của kế hoạch không được để trống."
        return None

    def values(self) -> dict:
        return {
            "number": self.number_edit.text(), "issue_date": parse_day(self.date_edit.text()),
            "place": self.place_edit.text(), "kind": self.kind_edit.text(),
            "title": " ".join(self.title_edit.toPlainText().split()),
            "authority": self.authority_edit.text(), "position": self.position_edit.text(),
            "signer": self.signer_edit.text(), "year": self.year_spin.value(),
            "status": self.status_combo.currentData(), "report_day": self.report_day_spin.value() or None,
            "tracking_start": parse_day(self.tracking_edit.text()),
        }


class GroupDialog(FormDialog):
    """A group's label ("II", "I.2") and name."""

    def __init__(self, title: str, label: str = "", name: str = "", parent: QWidget | None = None,
                 where: str = "") -> None:
        super().__init__(title, "Lưu", parent)
        if where:
            self.form.addRow(QLabel(where))
        self.label_edit = QLineEdit(label)
        self.label_edit.setPlaceholderText("Ví dụ: IV hoặc I.3")
        self.label_edit.setMaximumWidth(120)
        self.name_edit = QLineEdit(name)
        self.name_edit.setPlaceholderText("Ví dụ: Phát triển hạ tầng số")
        self.form.addRow("Ký hiệu:", self.label_edit)
        self.form.addRow("Tên nhóm:", self.name_edit)
        self.resize(520, self.sizeHint().height())
        self.name_edit.setFocus()

    def check(self) -> str | None:
        if not self.name_edit.text().strip():
            self.name_edit.setFocus()
            return "Hãy ghi tên nhóm."
        return None

    def values(self) -> tuple[str, str]:
        return self.label_edit.text().strip(), self.name_edit.text().strip()


class ChooseGroupDialog(FormDialog):
    """Chuyển sang nhóm…: the groups of the items' appendix, indented by level."""

    def __init__(self, groups: list[tuple[str, str, int]], count: int, parent: QWidget | None = None) -> None:
        super().__init__("Chuyển sang nhóm", "Chuyển", parent)
        self.form.addRow(QLabel(f"Chuyển {count} mục đang chọn vào nhóm:"))
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for uuid, display, depth in groups:
            entry = QListWidgetItem(("      " * depth) + display)
            entry.setData(GROUP_UUID_ROLE, uuid)
            self.list.addItem(entry)
        self.list.itemDoubleClicked.connect(lambda _item: self._try_accept())
        self.form.addRow(self.list)
        self.resize(600, 420)

    def check(self) -> str | None:
        return None if self.list.currentItem() is not None else "Hãy chọn một nhóm trong danh sách."

    def group_uuid(self) -> str:
        item = self.list.currentItem()
        return item.data(GROUP_UUID_ROLE) if item is not None else ""


__all__ = ["BlankPlanDialog", "ChooseGroupDialog", "FormDialog", "GroupDialog", "PlanHeaderDialog", "parse_day"]

"""Digital signatures on the Reports screen: *Ký số…* saves the chosen report as a signed PDF
(the certificate's ``.p12``/``.pfx`` file or the USB token's PKCS#11 library is chosen once
and remembered in the settings; the password or PIN is asked each time and never kept);
*Kiểm tra chữ ký…* shows who signed a PDF, when, and whether it changed after signing."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

KIND_KEY, PATH_KEY, SLOT_KEY = "signing/kind", "signing/path", "signing/slot"
LIBRARY_FILTER = "Thư viện PKCS#11 (*.dll *.so *.dylib);;Mọi tệp (*)"
P12_FILTER = "Chứng thư số (*.p12 *.pfx)"


def stored_key(settings: QSettings):
    """The signing key remembered in *settings*, or None."""
    from cds_desktop.reports.pdf_sign import P12, PKCS11, SigningKey

    kind, path = str(settings.value(KIND_KEY, "") or ""), str(settings.value(PATH_KEY, "") or "")
    if kind not in (P12, PKCS11) or not path:
        return None
    return SigningKey(kind, path, int(settings.value(SLOT_KEY, 0) or 0) if kind == PKCS11 else None)


def store_key(settings: QSettings, key) -> None:
    settings.setValue(KIND_KEY, key.kind)
    settings.setValue(PATH_KEY, key.path)
    settings.setValue(SLOT_KEY, key.slot or 0)


class SigningKeyDialog(QDialog):
    """Choose once how to sign: a certificate file, or a USB token's library and slot."""

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from cds_desktop.reports.pdf_sign import PKCS11

        self.settings = settings
        self.setWindowTitle("Cách ký số")
        self.p12_radio = QRadioButton("Tệp chứng thư số (.p12, .pfx)")
        self.token_radio = QRadioButton("Thiết bị ký số (USB token) qua thư viện PKCS#11 của nhà cung cấp")
        group = QButtonGroup(self)
        group.addButton(self.p12_radio)
        group.addButton(self.token_radio)
        self.p12_edit, self.library_edit = QLineEdit(), QLineEdit()
        self.slot_spin = QSpinBox()
        self.slot_spin.setRange(0, 255)
        p12_pick, library_pick = QPushButton("Chọn…"), QPushButton("Chọn…")
        p12_pick.clicked.connect(lambda: self._pick(self.p12_edit, "Chọn tệp chứng thư số", P12_FILTER))
        library_pick.clicked.connect(lambda: self._pick(self.library_edit, "Chọn thư viện PKCS#11", LIBRARY_FILTER))
        form = QFormLayout()
        form.addRow(self.p12_radio)
        form.addRow("Tệp:", _row(self.p12_edit, p12_pick))
        form.addRow(self.token_radio)
        form.addRow("Thư viện:", _row(self.library_edit, library_pick))
        form.addRow("Khe (slot):", self.slot_spin)
        note = QLabel("Mật khẩu hoặc mã PIN được hỏi mỗi lần ký và không được lưu lại.")
        note.setWordWrap(True)
        self.error = QLabel("")
        self.error.setStyleSheet("color: #b00020")
        buttons = QDialogButtonBox()
        buttons.addButton("Lưu", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Hủy", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        key = stored_key(settings)
        if key is not None and key.kind == PKCS11:
            self.token_radio.setChecked(True)
            self.library_edit.setText(key.path)
            self.slot_spin.setValue(key.slot or 0)
        else:
            self.p12_radio.setChecked(True)
            self.p12_edit.setText(key.path if key is not None else "")

    def _pick(self, edit: QLineEdit, title: str, filters: str) -> None:
        path, _ = QFileDialog.getOpenFileName(self, title, edit.text(), filters)
        if path:
            edit.setText(path)
            (self.p12_radio if edit is self.p12_edit else self.token_radio).setChecked(True)

    def key(self):
        from cds_desktop.reports.pdf_sign import P12, PKCS11, SigningKey

        if self.p12_radio.isChecked():
            return SigningKey(P12, self.p12_edit.text().strip())
        return SigningKey(PKCS11, self.library_edit.text().strip(), self.slot_spin.value())

    def accept(self) -> None:
        key = self.key()
        if not key.path or not Path(key.path).is_file():
            self.error.setText("Hãy chọn tệp chứng thư số hoặc thư viện của thiết bị ký số có trên máy.")
            return
        store_key(self.settings, key)
        super().accept()


def _row(edit: QLineEdit, button: QPushButton) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(edit, 1)
    layout.addWidget(button)
    return row


def ask_password(parent: QWidget, key) -> str | None:
    from PySide6.QtWidgets import QInputDialog

    what = "Mật khẩu của tệp chứng thư số" if key.kind == "p12" else "Mã PIN của thiết bị ký số"
    text, ok = QInputDialog.getText(parent, "Ký số", f"{what} ({key.describe()}):", QLineEdit.EchoMode.Password)
    return text if ok else None


def show_checks(parent: QWidget, path: Path, checks: list) -> QMessageBox:
    """The result of *Kiểm tra chữ ký* (non-modal)."""
    box = QMessageBox(parent)
    box.setWindowTitle("Kiểm tra chữ ký số")
    if not checks:
        box.setIcon(QMessageBox.Icon.Information)
        box.setText(f"Tệp «{escape(path.name)}» không có chữ ký số nào.")
    else:
        good = all(c.ok for c in checks)
        box.setIcon(QMessageBox.Icon.Information if good else QMessageBox.Icon.Warning)
        parts = [f"<b>Tệp «{escape(path.name)}»: {len(checks)} chữ ký số.</b>"]
        for number, check in enumerate(checks, 1):
            lines = "<br>".join(escape(line) for line in check.lines())
            parts.append(f"<p><b>Chữ ký {number}</b><br>{lines}</p>")
        box.setText("".join(parts))
    box.addButton("Đóng", QMessageBox.ButtonRole.AcceptRole)
    box.open()
    return box

"""The question asked when a package comes from an office not trusted yet (its name and key
fingerprint, to read out over the phone) or carries no signature at all."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtWidgets import QMessageBox, QWidget

TRUST_TEXT = "Tin cậy và kiểm tra"
UNSIGNED_TEXT = "Vẫn kiểm tra gói không ký"
REFUSE_TEXT = "Không nhập"


def ask_about_signer(parent: QWidget, refusal, on_accept: Callable[[], None]) -> QMessageBox | None:
    """A non-modal question for a :class:`~cds_desktop.exchange.trust.SignerRefused` of kind
    "unknown" or "unsigned" (None for the other kinds: those are refused, not asked)."""
    box = QMessageBox(parent)
    box.setWindowTitle("Nơi gửi gói dữ liệu")
    box.setIcon(QMessageBox.Icon.Question)
    if refusal.kind == "unknown":
        signer = refusal.signer
        groups = signer.fingerprint.replace(" ", "&nbsp;&nbsp;")
        box.setText(f"Gói «{escape(refusal.file_name)}» được ký bởi một nơi gửi <b>chưa được tin cậy</b> trên máy này:"
                    f"<p>Nơi gửi: <b>{escape(signer.office or 'không rõ tên')}</b><br>"
                    f"Mã khóa: <span style='font-size:15pt; font-family:monospace'><b>{groups}</b></span></p>")
        box.setInformativeText("Hãy gọi điện cho nơi gửi và cùng đọc mã khóa. Chỉ tin cậy khi 30 chữ số trùng khớp; "
                               "từ lần sau, gói của nơi này được nhận ngay.")
        accept = box.addButton(TRUST_TEXT, QMessageBox.ButtonRole.AcceptRole)
    elif refusal.kind == "unsigned":
        box.setIcon(QMessageBox.Icon.Warning)
        box.setText(f"Gói «{escape(refusal.file_name)}» <b>không có chữ ký số</b> của nơi gửi (gói do phiên bản cũ "
                    "tạo ra, hoặc chữ ký đã bị gỡ): không biết chắc ai đã tạo ra gói.")
        box.setInformativeText("Chỉ kiểm tra và nhập khi bạn chắc chắn về nguồn gốc của gói.")
        accept = box.addButton(UNSIGNED_TEXT, QMessageBox.ButtonRole.AcceptRole)
    else:
        box.deleteLater()
        return None
    refuse = box.addButton(REFUSE_TEXT, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(refuse)
    box.setEscapeButton(refuse)

    def clicked(button) -> None:
        if button is accept:
            on_accept()

    box.buttonClicked.connect(clicked)
    box.open()
    return box

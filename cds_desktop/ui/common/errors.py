"""The one error dialog of the application, and the hook that routes uncaught
exceptions to it.

Known errors (:class:`DatabaseError`, :class:`ServiceError`) carry a
Vietnamese message for the officer: it is shown as is, with the technical
details folded away.  Anything else is a bug: the dialog says so, shows the
traceback, and every failure is written to the log file.
"""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cds_desktop.logging_setup import current_log_file

log = logging.getLogger(__name__)

_open_dialogs: list[ErrorDialog] = []


def known_errors() -> tuple[type[BaseException], ...]:
    """Errors whose message is meant for the officer (imported lazily: start-up stays light)."""
    from cds_desktop.database.errors import DatabaseError
    from cds_desktop.services.common import ServiceError

    return (DatabaseError, ServiceError)


def is_known(exc: BaseException) -> bool:
    """A message meant for the officer - also a failed file operation (full disk, no permission),
    said in Vietnamese naming where."""
    return isinstance(exc, known_errors()) or (isinstance(exc, OSError) and exc.errno is not None)


def user_message(exc: BaseException) -> str:
    """The Vietnamese sentence shown to the officer for *exc*."""
    if isinstance(exc, OSError) and exc.errno is not None and not isinstance(exc, known_errors()):
        from cds_desktop.database.errors import os_error_message

        return os_error_message(exc)
    if is_known(exc):
        return str(exc) or "Thao tác không thực hiện được."
    text = str(exc) or type(exc).__name__
    return f"Đã xảy ra lỗi không mong đợi: {text}\nChương trình vẫn chạy tiếp; chi tiết đã được ghi vào tệp nhật ký."


def format_details(exc: BaseException, tb_text: str | None = None) -> str:
    if tb_text:
        return tb_text
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


class ErrorDialog(QDialog):
    """Message, expandable details (traceback), copy button, log file path."""

    def __init__(
        self,
        message: str,
        details: str = "",
        *,
        title: str = "Lỗi",
        known: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"CĐS Desktop — {title}")
        self.setObjectName("errorDialog")
        self.message = message
        self.details = details
        log_file = current_log_file()
        self.log_path = str(log_file) if log_file else ""

        # QStyle and QPlainTextEdit cost ~15 ms each to resolve (their enums): only when a dialog
        # opens, not on the start-up path before the first paint
        from PySide6.QtWidgets import QPlainTextEdit, QStyle

        icon = QLabel()
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(40, 40))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.message_label = QLabel(message)
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.setMinimumWidth(420)
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addWidget(self.message_label, 1)

        self.log_label = QLabel(
            f"Tệp nhật ký: {self.log_path}" if self.log_path else "Chưa có tệp nhật ký."
        )
        self.log_label.setWordWrap(True)
        self.log_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.log_label.setStyleSheet("color: #555555;")

        self.details_edit = QPlainTextEdit(details)
        self.details_edit.setReadOnly(True)
        self.details_edit.setMinimumHeight(180)
        self.details_edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)

        self.details_button = QPushButton("Chi tiết kỹ thuật")
        self.details_button.setCheckable(True)
        self.details_button.toggled.connect(self._show_details)
        self.details_button.setEnabled(bool(details))
        self.copy_button = QPushButton("Sao chép")
        self.copy_button.setToolTip("Sao chép thông báo, chi tiết và đường dẫn tệp nhật ký để gửi cho người hỗ trợ")
        self.copy_button.clicked.connect(self.copy_to_clipboard)
        close = QPushButton("Đóng")
        close.setDefault(True)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.details_button)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.log_label)
        layout.addWidget(self.details_edit, 1)
        layout.addLayout(buttons)
        self.details_button.setChecked(bool(details) and not known)
        self._show_details(self.details_button.isChecked())

    def _show_details(self, shown: bool) -> None:
        self.details_edit.setVisible(shown)
        self.adjustSize()

    def clipboard_text(self) -> str:
        parts = [self.message]
        if self.details:
            parts.append(self.details)
        if self.log_path:
            parts.append(f"Tệp nhật ký: {self.log_path}")
        return "\n\n".join(parts)

    def copy_to_clipboard(self) -> None:
        QGuiApplication.clipboard().setText(self.clipboard_text())
        self.copy_button.setText("Đã sao chép")


def show_error(
    exc: BaseException,
    parent: QWidget | None = None,
    *,
    message: str | None = None,
    tb_text: str | None = None,
    block: bool = False,
    title: str = "Lỗi",
) -> ErrorDialog:
    """Log *exc* and show it in the error dialog (non-blocking unless *block*)."""
    known = is_known(exc)
    details = format_details(exc, tb_text)
    if known:
        log.warning("%s: %s", type(exc).__name__, exc, exc_info=(type(exc), exc, exc.__traceback__))
    else:
        log.error("Unexpected error: %s\n%s", exc, details)
    text = message or user_message(exc)
    dialog = ErrorDialog(text, details, title=title, known=known, parent=parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, not block)
    if block:
        dialog.exec()
    else:
        _open_dialogs.append(dialog)
        dialog.finished.connect(lambda _result, d=dialog: _forget(d))
        dialog.open()
    return dialog


def _forget(dialog: ErrorDialog) -> None:
    if dialog in _open_dialogs:
        _open_dialogs.remove(dialog)


def open_error_dialogs() -> list[ErrorDialog]:
    """Error dialogs currently shown (for tests and the start-up probe).

    A dialog deleted with its parent window never says ``finished``: it is forgotten here.
    """
    _open_dialogs[:] = [d for d in _open_dialogs if shiboken6.isValid(d)]
    return list(_open_dialogs)


def _excepthook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    tb_text = "".join(traceback.format_exception(exc_type, exc, tb))
    if QApplication.instance() is None:
        log.error("Uncaught exception\n%s", tb_text)
        sys.__excepthook__(exc_type, exc, tb)
        return
    try:
        show_error(exc, QApplication.activeWindow(), tb_text=tb_text)
    except Exception:  # never let the hook itself crash the application
        log.exception("The error dialog failed")
        sys.__excepthook__(exc_type, exc, tb)


def install_excepthook() -> None:
    """Route uncaught exceptions (also those raised in Qt slots) to the error dialog."""
    sys.excepthook = _excepthook

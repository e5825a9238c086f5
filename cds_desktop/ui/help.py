"""Trợ giúp → Hướng dẫn (F1): the Vietnamese guide shipped in ``resources/help``,
shown in a QTextBrowser, opened at the part about the screen on display."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from cds_desktop.paths import resources_dir

GUIDE = "huong_dan.html"
# Screen key -> anchor of its part of the guide.
ANCHORS = {"dashboard": "tong-quan", "plan": "ke-hoach", "month": "nhap-bao-cao", "evidence": "minh-chung",
           "reports": "in-bao-cao", "exchange": "trao-doi"}


def help_dir() -> Path:
    return resources_dir() / "help"


class HelpDialog(QDialog):
    """The guide, with its pictures; links inside it move within the guide, others open outside."""

    def __init__(self, anchor: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Hướng dẫn sử dụng")
        self.setObjectName("helpDialog")
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        self.browser.setSearchPaths([str(help_dir())])
        buttons = QDialogButtonBox()
        buttons.addButton("Đóng", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(960, 700)
        path = help_dir() / GUIDE
        if path.exists():
            self.browser.setSource(QUrl.fromLocalFile(str(path)))
            if anchor:
                self.browser.scrollToAnchor(anchor)
        else:
            self.browser.setHtml("<p>Không tìm thấy tệp hướng dẫn trong thư mục cài đặt "
                                 f"(<code>{path}</code>). Hãy cài lại chương trình.</p>")

    def show_part(self, anchor: str) -> None:
        self.browser.scrollToAnchor(anchor)


def open_help(window, screen_key: str | None = None) -> HelpDialog:
    """Show the guide (one dialog per window), at the part about *screen_key*."""
    anchor = ANCHORS.get(screen_key or "", "")
    dialog = getattr(window, "help_dialog", None)
    if dialog is None:
        dialog = HelpDialog(anchor, window)
        window.help_dialog = dialog
    elif anchor:
        dialog.show_part(anchor)
    dialog.show()
    dialog.raise_()
    return dialog


__all__ = ["ANCHORS", "GUIDE", "HelpDialog", "help_dir", "open_help"]

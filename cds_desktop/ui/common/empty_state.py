"""What a screen shows when there is nothing to show yet: a sentence and the next steps as buttons
("Chưa có kế hoạch: Nhập kế hoạch… / Tạo kế hoạch trống… / Dùng kế hoạch mẫu")."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

NO_PLAN_TITLE = "Chưa có kế hoạch"
NO_PLAN_TEXT = (
    "Hãy bắt đầu bằng một trong ba cách dưới đây. Kế hoạch nhập từ văn bản (Word, Excel, PDF đã chuyển thành "
    "văn bản) được xem trước khi lưu; kế hoạch trống để tự gõ các nhóm, chỉ tiêu, nhiệm vụ; kế hoạch mẫu của "
    "xã Bát Tràng để dùng thử mọi màn hình. Bấm F1 để xem Hướng dẫn."
)


class EmptyState(QWidget):
    """A title, a sentence and buttons, centred."""

    def __init__(self, title: str, text: str, actions: list[tuple[str, str, Callable[[], object]]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        heading = QLabel(title)
        heading.setObjectName("emptyTitle")
        font = QFont(heading.font())
        font.setPointSize(font.pointSize() + 6)
        font.setBold(True)
        heading.setFont(font)
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        body = QLabel(text)
        body.setWordWrap(True)
        body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        body.setFixedWidth(640)
        body.setStyleSheet("color: #455a64;")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.buttons: dict[str, QPushButton] = {}
        for text_, tip, slot in actions:
            button = QPushButton(text_)
            button.setToolTip(tip)
            button.setMinimumHeight(40)
            button.setMinimumWidth(180)
            button.clicked.connect(lambda _checked=False, slot=slot: slot())
            self.buttons[text_] = button
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(heading)
        layout.addSpacing(8)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(body)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addSpacing(16)
        layout.addLayout(buttons)
        layout.addStretch(3)


def no_plan_state(window) -> EmptyState:
    """The page of every plan screen while there is no plan (buttons run the main window's commands)."""
    from cds_desktop.ui import menus

    return EmptyState(NO_PLAN_TITLE, NO_PLAN_TEXT, [
        ("Nhập kế hoạch…", "Mở văn bản kế hoạch (Word, Excel, văn bản) và xem trước khi nhập",
         lambda: menus.import_plan(window)),
        ("Tạo kế hoạch trống…", "Tự gõ số, ngày, các nhóm, chỉ tiêu và nhiệm vụ", window.new_blank_plan),
        ("Dùng kế hoạch mẫu", "Kế hoạch của xã Bát Tràng năm 2026, kèm số liệu báo cáo mẫu",
         window.create_demo_plan),
    ])


__all__ = ["NO_PLAN_TEXT", "NO_PLAN_TITLE", "EmptyState", "no_plan_state"]

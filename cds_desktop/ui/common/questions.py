"""Questions to the officer with Vietnamese buttons, and Vietnamese for Qt's own buttons.

``ask(parent, title, text)`` is the one way a screen asks a yes/no question
(buttons *Có* / *Không*, or named ones such as *Khóa kỳ* / *Hủy*);
``ask_save(parent, title, text)`` asks *Lưu* / *Không lưu* / *Hủy*.
Qt ships no Vietnamese translation, so :func:`install_vietnamese` puts one
translator in front of Qt's standard texts (OK, Cancel, Yes, No, Save,
Close…) for the dialogs Qt builds itself (QInputDialog, QProgressDialog,
QMessageBox.information, the non-native file dialog, line edit menus).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import QMessageBox, QWidget

SAVE, DISCARD, CANCEL = "save", "discard", "cancel"

# Qt's source texts (all contexts) -> Vietnamese.
QT_TEXTS = {
    "OK": "Đồng ý", "&OK": "Đồng ý", "Cancel": "Hủy", "&Cancel": "Hủy",
    "Yes": "Có", "&Yes": "&Có", "No": "Không", "&No": "&Không",
    "Yes to All": "Có với tất cả", "Yes to &All": "Có với &tất cả",
    "No to All": "Không với tất cả", "N&o to All": "Không với tất &cả",
    "Save": "Lưu", "&Save": "&Lưu", "Save All": "Lưu tất cả", "Discard": "Không lưu",
    "Don't Save": "Không lưu", "Close": "Đóng", "&Close": "Đó&ng", "Apply": "Áp dụng",
    "Reset": "Đặt lại", "Restore Defaults": "Khôi phục mặc định", "Help": "Trợ giúp",
    "Abort": "Dừng", "Retry": "Thử lại", "Ignore": "Bỏ qua", "Open": "Mở", "&Open": "&Mở",
    "Choose": "Chọn", "&Choose": "&Chọn", "Show Details...": "Xem chi tiết…", "Hide Details...": "Ẩn chi tiết…",
    "&Undo": "&Hoàn tác", "&Redo": "&Làm lại", "Cu&t": "Cắ&t", "&Copy": "&Sao chép", "&Paste": "&Dán",
    "Delete": "Xóa", "Select All": "Chọn tất cả", "Look in:": "Tìm trong:", "File &name:": "Tên &tệp:",
    "Files of type:": "Loại tệp:", "Directory:": "Thư mục:", "&Print": "&In", "Print": "In",
    # the file dialog's own overwrite confirmation (which no dialog of ours turns off)
    "%1 already exists.\nDo you want to replace it?": "Tệp %1 đã có.\nGhi đè lên tệp này?",
}


class VietnameseTranslator(QTranslator):
    """Translates Qt's standard texts (see ``QT_TEXTS``); everything else is left as is."""

    def translate(self, context, source_text, disambiguation=None, n=-1):
        return QT_TEXTS.get(source_text)  # None: no translation (an empty string would replace every other text)

    def isEmpty(self) -> bool:
        return False


_translator: VietnameseTranslator | None = None


def install_vietnamese() -> None:
    """Install the translator once on the running application."""
    global _translator
    app = QCoreApplication.instance()
    if app is None or _translator is not None:
        return
    _translator = VietnameseTranslator(app)
    app.installTranslator(_translator)


def ask(parent: QWidget | None, title: str, text: str, *, yes: str = "Có", no: str = "Không",
        default_yes: bool = True, informative: str = "") -> bool:
    """A yes/no question with Vietnamese buttons; True when the officer chose *yes*."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    if informative:
        box.setInformativeText(informative)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.YesRole)
    no_button = box.addButton(no, QMessageBox.ButtonRole.NoRole)
    box.setDefaultButton(yes_button if default_yes else no_button)
    box.setEscapeButton(no_button)
    box.exec()
    return box.clickedButton() is yes_button


def confirm_overwrite(parent: QWidget | None, paths) -> bool:
    """Ask before files that are already there are replaced; True to replace them."""
    from pathlib import Path

    paths = [Path(p) for p in paths]
    shown = "\n".join(f"• {p.name}" for p in paths[:5]) + (f"\n… và {len(paths) - 5} tệp khác" if len(paths) > 5 else "")
    what = "Tệp này đã có" if len(paths) == 1 else f"{len(paths)} tệp này đã có"
    return ask(parent, "Ghi đè tệp?", f"{what} trong thư mục «{paths[0].parent}»:\n{shown}",
               yes="Ghi đè", no="Hủy", default_yes=False, informative="Tệp cũ sẽ bị thay bằng tệp mới.")


def ask_save(parent: QWidget | None, title: str, text: str, *, cancel: bool = True) -> str:
    """*Lưu* / *Không lưu* (/ *Hủy*): returns SAVE, DISCARD or CANCEL."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    save = box.addButton("Lưu", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("Không lưu", QMessageBox.ButtonRole.DestructiveRole)
    cancel_button = box.addButton("Hủy", QMessageBox.ButtonRole.RejectRole) if cancel else None
    box.setDefaultButton(save)
    box.setEscapeButton(cancel_button or discard)
    box.exec()
    clicked = box.clickedButton()
    if clicked is save:
        return SAVE
    if clicked is discard:
        return DISCARD
    return CANCEL

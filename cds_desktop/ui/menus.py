"""Menus, toolbar and the commands behind them that open dialogs or run jobs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QStyle

from cds_desktop.models import INDICATOR, TASK
from cds_desktop.ui.common.jobs import Job, run_job

if TYPE_CHECKING:
    from cds_desktop.ui.main_window import MainWindow


def _action(window: MainWindow, text: str, slot, shortcut: str | None = None, icon=None, tip: str = "") -> QAction:
    action = QAction(text, window)
    if icon is not None:
        action.setIcon(window.style().standardIcon(icon))
    if shortcut:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setToolTip(tip)
        action.setStatusTip(tip)
    action.triggered.connect(lambda _checked=False: slot())
    return action


def build_menus(window: MainWindow) -> None:
    sp = QStyle.StandardPixmap
    add_indicator = _action(window, "Thêm chỉ tiêu", lambda: window.add_item(INDICATOR), "Ctrl+N",
                            None, "Thêm chỉ tiêu vào nhóm đang chọn")
    add_task = _action(window, "Thêm nhiệm vụ", lambda: window.add_item(TASK), "Ctrl+Shift+N",
                       None, "Thêm nhiệm vụ vào nhóm đang chọn")
    move_up = _action(window, "Lên", lambda: window.move_current(-1), "Ctrl+Up", sp.SP_ArrowUp,
                      "Chuyển mục đang chọn lên trên trong nhóm")
    move_down = _action(window, "Xuống", lambda: window.move_current(1), "Ctrl+Down", sp.SP_ArrowDown,
                        "Chuyển mục đang chọn xuống dưới trong nhóm")
    delete = _action(window, "Xóa mục", window.detail.confirm_delete, None, sp.SP_TrashIcon,
                     "Xóa mục đang chọn (có thể khôi phục)")
    deleted = _action(window, "Mục đã xóa…", lambda: open_deleted_items(window))
    window.plan_actions = [add_indicator, add_task, move_up, move_down, delete, deleted]
    window.add_indicator_action, window.add_task_action = add_indicator, add_task

    # The toolbar (plan selector, search) is on screen from the first paint (ui.first_view.make_toolbar).
    window.main_toolbar.insertActions(window.toolbar_spacer, [add_indicator, add_task, move_up, move_down, delete])
    focus_search = _action(window, "Tìm kiếm", lambda: window.search_edit.setFocus(), "Ctrl+F")
    window.addAction(focus_search)

    bar = window.menuBar()
    bar.clear()  # the menus shown at first paint (ui.first_view.add_menu_titles) are built for real now
    file_menu = bar.addMenu("&Tệp")
    file_menu.addAction(_action(window, "Nhập kế hoạch từ tệp (Word, Excel, văn bản)…",
                                lambda: import_plan(window), "Ctrl+O"))
    file_menu.addAction(_action(window, "Nhập kế hoạch từ bảng đã sao chép", lambda: paste_plan(window),
                                "Ctrl+Shift+V", tip="Dán bảng đã sao chép từ Word hoặc Excel"))
    file_menu.addSeparator()
    file_menu.addAction(_action(window, "Chế độ tổng hợp…", lambda: toggle_receiving(window),
                                tip="Nhận gói dữ liệu của nhiều xã, phường để xem và lập báo cáo tổng hợp"))
    file_menu.addSeparator()
    file_menu.addAction(_action(window, "Kiểm tra chữ ký số của tệp PDF…", lambda: check_pdf_signature(window),
                                tip="Ai đã ký, khi nào, tài liệu có bị sửa sau khi ký không"))
    file_menu.addSeparator()
    file_menu.addAction(_action(window, "Mở thư mục dữ liệu", window.open_data_dir))
    file_menu.addSeparator()
    from cds_desktop.ui import backup_actions

    file_menu.addAction(_action(window, "Sao lưu…", lambda: backup_actions.backup_now(window),
                                tip="Ghi toàn bộ dữ liệu (kế hoạch, báo cáo, minh chứng) vào một tệp .cdsbak"))
    file_menu.addAction(_action(window, "Khôi phục…", lambda: backup_actions.restore_from(window),
                                tip="Thay dữ liệu bằng một bản sao lưu (kiểm tra trước; dữ liệu hiện tại được giữ lại)"))
    file_menu.addAction(_action(window, "Thư mục sao lưu thứ hai…", lambda: backup_actions.choose_second_folder(window),
                                tip="Chép thêm bản sao lưu tự động hằng ngày vào ổ USB hoặc thư mục dùng chung"))
    file_menu.addSeparator()
    file_menu.addAction(_action(window, "Thoát", window.close, "Ctrl+Q"))

    plan_menu = bar.addMenu("&Kế hoạch")
    for action in window.plan_actions:
        plan_menu.addAction(action)
    from cds_desktop.ui.plan.structure_menus import add_structure_menus

    add_structure_menus(window, file_menu, plan_menu)

    catalog_menu = bar.addMenu("&Danh mục")
    catalog_menu.addAction(_action(window, "Đơn vị, thôn/tổ dân phố…", lambda: open_units(window)))
    catalog_menu.addAction(_action(window, "Cán bộ…", lambda: open_people(window)))

    view_menu = bar.addMenu("&Màn hình")
    for number, (key, page) in enumerate(window.workspace.pages.items(), start=1):
        view_menu.addAction(_action(window, page.spec.title,
                                    lambda key=key: window.workspace.show_screen(key), f"Ctrl+{number}"))

    tools_menu = bar.addMenu("&Công cụ")
    tools_menu.addAction(_action(window, "Kiểm tra cơ sở dữ liệu", lambda: check_database(window)))

    help_menu = bar.addMenu("Trợ &giúp")
    help_menu.addAction(_action(window, "Hướng dẫn", lambda: show_help(window), "F1",
                                tip="Hướng dẫn sử dụng, mở ở phần về màn hình đang xem"))
    help_menu.addAction(_action(window, "Giới thiệu", lambda: about(window)))
    help_menu.addAction(_action(window, "Mở tệp nhật ký", window.open_log_file))


def toggle_receiving(window: MainWindow, on: bool | None = None) -> bool:
    """Turn receiving mode (Chế độ tổng hợp) on or off (asked when *on* is None); returns the new state."""
    from cds_desktop.rollup.mode import receiving, store_receiving
    from cds_desktop.ui.common.questions import ask

    current = receiving(window.db)
    if on is None:
        if current:
            on = not ask(window, "Chế độ tổng hợp",
                         "Thư mục dữ liệu này đang ở chế độ tổng hợp: dữ liệu nhận từ các xã, phường chỉ để xem. "
                         "Tắt chế độ tổng hợp (dữ liệu đã nhận trở thành sửa được)?", yes="Tắt", no="Giữ nguyên")
        else:
            on = ask(window, "Chế độ tổng hợp",
                     "Bật chế độ tổng hợp: thư mục dữ liệu này nhận gói dữ liệu của nhiều xã, phường, xem số liệu "
                     "theo trụ cột và lập báo cáo tổng hợp; dữ liệu nhận được chỉ để xem.", yes="Bật", no="Không")
    if on != current:
        store_receiving(window.db, on)
        window.reload_plans()  # a received commune's plan on screen becomes read-only, or editable again
    if on:
        window.workspace.show_screen("rollup")
    window.statusBar().showMessage("Đang ở chế độ tổng hợp." if on else "Đã tắt chế độ tổng hợp.", 5000)
    return on


def _import_dialog(window: MainWindow):
    from cds_desktop.ui.plan.import_preview import open_import_dialog

    dialog = open_import_dialog(window, window.db)
    dialog.imported.connect(lambda report: window.reload_plans_later((report.get("plan") or {}).get("uuid")))
    return dialog


def import_plan(window: MainWindow):
    """Open a plan document (file dialog inside the import preview)."""
    dialog = _import_dialog(window)
    dialog.choose_file()
    return dialog


def paste_plan(window: MainWindow):
    """Import the table(s) on the clipboard (Word/Excel copy tab-separated rows)."""
    dialog = _import_dialog(window)
    dialog.paste()
    return dialog


def check_pdf_signature(window: MainWindow):
    """Tệp > Kiểm tra chữ ký số: on the Reports screen (its result shows there)."""
    screen = window.workspace.show_screen("reports")
    if screen is not None:
        screen.check_signature_dialog()
    return screen


def open_units(window: MainWindow):
    from cds_desktop.ui.common.catalog_dialogs import UnitsDialog

    dialog = UnitsDialog(window.db, window)
    dialog.catalogChanged.connect(window.refresh)
    dialog.open()
    return dialog


def open_people(window: MainWindow):
    from cds_desktop.ui.common.catalog_dialogs import PeopleDialog

    dialog = PeopleDialog(window.db, window)
    dialog.catalogChanged.connect(window.refresh)
    dialog.open()
    return dialog


def open_deleted_items(window: MainWindow):
    from cds_desktop.ui.common.misc_dialogs import DeletedItemsDialog

    plan = window.current_plan()
    if plan is None:
        return None
    dialog = DeletedItemsDialog(window.db, plan.id, window)
    dialog.itemRestored.connect(window.refresh)
    dialog.open()
    return dialog


def check_database(window: MainWindow) -> Job:
    from cds_desktop.services.check import check_database as check
    from cds_desktop.ui.common.misc_dialogs import show_check_result

    db = window.db
    return run_job(
        lambda _ctx: check(db), title="Đang kiểm tra cơ sở dữ liệu…", parent=window,
        on_success=lambda result: show_check_result(result, window),
    )


def show_help(window: MainWindow):
    from cds_desktop.ui.help import open_help

    return open_help(window, window.workspace.current_key())


def about(window: MainWindow) -> None:
    from cds_desktop.ui.common.misc_dialogs import show_about

    show_about(window)

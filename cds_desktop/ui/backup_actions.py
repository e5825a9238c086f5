"""Tệp → Sao lưu… / Khôi phục… / Thư mục sao lưu thứ hai…, and the automatic backup of the day
(the work is :mod:`cds_desktop.services.backup`; here only the dialogs and the jobs)."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QMessageBox

from cds_desktop.ui.common import questions
from cds_desktop.ui.common.jobs import Job, JobContext, run_job

if TYPE_CHECKING:
    from cds_desktop.ui.main_window import MainWindow

log = logging.getLogger(__name__)

FILTER = "Bản sao lưu CĐS Desktop (*.cdsbak)"


def _reporter(ctx: JobContext):
    def report(done: int, total: int, what: str) -> None:
        ctx.report(done // 1024, max(total // 1024, 1), f"Đang {what}…" if what else "")
    return report


def _documents() -> str:
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())


def _sqlite_only(window: MainWindow) -> bool:
    if window.db.is_sqlite:
        return True
    QMessageBox.information(window, "Sao lưu", "Dữ liệu đang ở máy chủ PostgreSQL: việc sao lưu do máy chủ đảm nhận "
                            "(pg_dump). Sao lưu trong phần mềm dành cho dữ liệu trên máy này.")
    return False


def backup_now(window: MainWindow, out: str | None = None) -> Job | None:
    """Ask where (a file name with today's date), then write the backup with progress and *Hủy*."""
    from cds_desktop import __version__
    from cds_desktop.services.backup import create_backup

    if not _sqlite_only(window):
        return None
    if out is None:
        suggested = str(Path(_documents()) / f"CDS-sao-luu-{date.today():%Y-%m-%d}.cdsbak")
        out, _filter = QFileDialog.getSaveFileName(window, "Sao lưu dữ liệu", suggested, FILTER)
        if not out:
            return None
    target = Path(out) if out.lower().endswith(".cdsbak") else Path(out + ".cdsbak")
    paths = window.db.paths

    def work(ctx: JobContext):
        return create_backup(paths.db_file, paths.evidence_dir, target, app_version=__version__,
                             overwrite=True,  # the save dialog asked before overwriting
                             progress=_reporter(ctx), cancel=lambda: ctx.cancelled)

    def done(info) -> None:
        text = f"{info.describe()}.\nTệp: {info.path}"
        if info.skipped:
            text += f"\nBỏ qua {len(info.skipped)} tệp minh chứng bị hỏng trong kho (xem nhật ký)."
        window.statusBar().showMessage(f"Đã sao lưu vào {info.path}", 10_000)
        QMessageBox.information(window, "Đã sao lưu", text)

    return run_job(work, title="Đang sao lưu dữ liệu…", parent=window, on_success=done, cancellable=True)


def restore_from(window: MainWindow, source: str | None = None) -> Job | None:
    """Choose a backup, verify it completely, ask (saying what will be replaced), then restore."""
    from cds_desktop.services.backup import verify_backup

    if not _sqlite_only(window):
        return None
    if source is None:
        source, _filter = QFileDialog.getOpenFileName(window, "Khôi phục dữ liệu từ bản sao lưu", _documents(),
                                                      FILTER)
        if not source:
            return None
    path = Path(source)

    def checked(info) -> None:
        if questions.ask(
            window, "Khôi phục dữ liệu", f"Khôi phục {info.describe()[0].lower()}{info.describe()[1:]}?",
            informative=("Toàn bộ dữ liệu hiện tại (kế hoạch, báo cáo, minh chứng) sẽ được thay bằng dữ liệu "
                         "trong bản sao lưu. Dữ liệu hiện tại được sao lưu vào thư mục «backups» trước khi thay."),
            yes="Khôi phục", no="Không", default_yes=False,
        ):
            _restore(window, path)

    return run_job(lambda ctx: verify_backup(path, progress=_reporter(ctx), cancel=lambda: ctx.cancelled),
                   title="Đang kiểm tra bản sao lưu…", parent=window, on_success=checked, cancellable=True)


def _restore(window: MainWindow, path: Path) -> Job:
    from cds_desktop import __version__
    from cds_desktop.services.backup import restore_backup

    db = window.db

    def done(result) -> None:
        window.undo_stack.clear()  # the changes it holds were made to the data replaced
        window.reload_plans_later()
        window.statusBar().showMessage("Đã khôi phục dữ liệu", 10_000)
        QMessageBox.information(window, "Đã khôi phục", result.describe())

    return run_job(lambda ctx: restore_backup(db.paths, path, db=db, app_version=__version__,
                                              progress=_reporter(ctx), cancel=lambda: ctx.cancelled),
                   title="Đang khôi phục dữ liệu…", parent=window, on_success=done)


def choose_second_folder(window: MainWindow) -> None:
    """The folder that gets a copy of each automatic backup (a USB drive, a shared folder)."""
    from cds_desktop.services.backup import second_folder, set_second_folder

    current = second_folder(window.db.paths)
    folder = QFileDialog.getExistingDirectory(window, "Thư mục sao lưu thứ hai (ổ USB, thư mục dùng chung)",
                                              str(current or _documents()))
    if folder:
        set_second_folder(window.db.paths, folder)
        window.statusBar().showMessage(f"Bản sao lưu tự động hằng ngày sẽ được chép thêm vào {folder}", 10_000)


def daily_backup(window: MainWindow) -> Job | None:
    """At the first start of the day: a backup in ``backups/`` (and the second folder), quietly;
    a failure is told in the status bar and the log (the officer's work goes on)."""
    from cds_desktop import __version__
    from cds_desktop.services.backup import auto_backup

    db = window.db
    if db is None or not db.is_sqlite:
        return None

    def done(result) -> None:
        info, note = result
        if info is not None:
            window.statusBar().showMessage(" ".join(x for x in ("Đã sao lưu tự động dữ liệu hôm nay.", note) if x),
                                           10_000)

    def failed(exc: BaseException, _tb: str) -> None:
        log.error("Automatic backup failed: %s", exc)
        window.statusBar().showMessage(f"Chưa sao lưu tự động được: {exc}", 20_000)

    return run_job(lambda _ctx: auto_backup(db.paths, date.today(), app_version=__version__),
                   title="Đang sao lưu tự động…", parent=window, on_success=done, on_error=failed, progress=False)

"""«In…» on the Reports screen: the previewed PDF's pages made as 200 dpi images in a worker process,
then painted on the printer chosen in Qt's print dialog, on a thread, page by page in short steps (the
window never waits).  Mixed into :class:`cds_desktop.ui.reports.screen.ReportsWidget`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QPageSize
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog

from cds_desktop.ui.reports.pages import paint_pages

PRINT_DPI = 200


class PrintingActions:
    """The printing actions of the Reports screen (a mixin: ``self`` is the ReportsWidget)."""

    def print_dialog(self) -> None:
        if self.preview_pdf is None:
            self.status_label.setText("Hãy bấm «Xem trước» trước khi in.")
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setFullPage(True)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.print_to(printer)

    def print_to(self, printer: QPrinter) -> None:
        """Print the previewed PDF's pages (as 200 dpi images) on *printer*."""
        pdf = self.preview_pdf
        if pdf is None:
            return
        from cds_desktop.ui.reports.report_tasks import page_images

        def paint(pages: list[Path]) -> None:  # on a thread: painting goes through Qt, in short steps
            self._start(lambda ctx: (len(pages), paint_pages(printer, pages, ctx.report)), "Đang in…",
                        lambda result: self._printed(*result))

        # the pages are made in a worker process, then painted on a thread: printing never holds the window
        self._start(page_images, "Đang chuẩn bị trang in…", paint,
                    args=(str(pdf), str(Path(self._tmp.name) / "in"), PRINT_DPI))

    def _printed(self, pages: int, sent: bool) -> None:
        if sent:
            self.status_label.setText(f"Đã gửi {pages} trang tới máy in.")
        else:
            self.status_label.setText("Không mở được máy in.")

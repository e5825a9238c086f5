"""The pages of a previewed report (page images in a scroll area, as wide as the
area allows) and printing page images on a printer, each page in its own orientation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QImageReader, QPageLayout, QPageSize, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget


def load_page(path: Path) -> QImage:
    """A page image (always PNG), read as PNG: Qt's guess lets an image plugin without a
    signature (TGA) claim the file once the plugins are loaded in another order, and the
    page came out empty (printed blank, in the wrong orientation)."""
    return QImageReader(str(path), b"png").read()


class PagesView(QScrollArea):
    """Page images one under the other, on a grey background."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pixmaps: list[QPixmap] = []
        self.pages_widget = QWidget()
        self.pages_layout = QVBoxLayout(self.pages_widget)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.pages_layout.setSpacing(12)
        self.setWidgetResizable(True)
        self.setWidget(self.pages_widget)
        self.pages_widget.setStyleSheet("background: #8a8f94;")

    def show_pages(self, pages: list[Path], images: list[QImage] | None = None) -> None:
        """Show the page images (*images*: the same pages already decoded, e.g. on a worker thread)."""
        while self.pages_layout.count():
            child = self.pages_layout.takeAt(0).widget()
            if child is not None:
                child.deleteLater()
        self.pixmaps = [QPixmap.fromImage(image) for image in images] if images is not None else [
            QPixmap.fromImage(load_page(path)) for path in pages]
        for number, _pixmap in enumerate(self.pixmaps, start=1):
            label = QLabel()
            label.setToolTip(f"Trang {number}")
            label.setStyleSheet("background: white; border: 1px solid #555;")
            self.pages_layout.addWidget(label)
        self.fit_pages()

    def fit_pages(self) -> None:
        """Pages as wide as the preview area allows (never enlarged beyond the rendered size)."""
        width = max(self.viewport().width() - 40, 200)
        for index, pixmap in enumerate(self.pixmaps):
            item = self.pages_layout.itemAt(index)
            label = item.widget() if item is not None else None
            if label is None:
                continue
            shown = pixmap if pixmap.width() <= width else pixmap.scaledToWidth(
                width, Qt.TransformationMode.SmoothTransformation)
            label.setPixmap(shown)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.pixmaps:
            self.fit_pages()


def paint_pages(printer: QPrinter, pages: list[Path], progress: Callable[[int, int, str], None] | None = None) -> bool:
    """Print the page images on *printer*, each in its own orientation; False if the printer cannot
    be opened.  Safe on a worker thread (QPainter on a QPrinter); the printer's paint engine scales
    each image to the page (no full-resolution copy is made in memory)."""
    painter = QPainter()
    if not printer.pageLayout().pageSize().isValid():  # a printer without a paper size prints 0 × 0 pages
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    try:
        for index, path in enumerate(pages):
            if progress is not None:
                progress(index, len(pages), f"Đang in trang {index + 1}/{len(pages)}…")
            image = load_page(path)
            if image.isNull():
                from cds_desktop.services.common import ServiceError

                raise ServiceError(f"Không đọc được ảnh của trang {index + 1} để in.")
            landscape = image.width() > image.height()
            printer.setPageOrientation(QPageLayout.Orientation.Landscape if landscape
                                       else QPageLayout.Orientation.Portrait)
            if index == 0:
                if not painter.begin(printer):
                    raise OSError("printer")
                painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            else:
                printer.newPage()
            target = painter.viewport()
            size = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(target.topLeft(), size), image)
    except OSError:
        return False
    finally:
        if painter.isActive():
            painter.end()
    return True

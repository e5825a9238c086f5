"""The pages of a previewed report (page images in a scroll area, as wide as the
area allows) and printing page images on a printer, each page in its own orientation."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QImageReader, QPageLayout, QPageSize, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget


def load_page(path: Path) -> QImage:
    """A page image (always PNG), read as PNG: Qt's guess lets an image plugin without a
    signature (TGA) claim the file once the plugins are loaded in another order, and the
    page came out empty (printed blank, in the wrong orientation)."""
    return QImageReader(str(path), b"png").read()


class PagesView(QScrollArea):
    """Page images one under the other, on a grey background.

    The images are decoded by Pillow on a thread (it lets go of the interpreter lock while
    it decodes) and fitted to the width a few at a time on the GUI thread (a timer, ~20 ms
    a slice), so that a long report never holds the window; ``shown`` says when all are there."""

    shown = Signal()
    SLICE_S = 0.02

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pixmaps: list[QPixmap] = []
        self.paths: list[Path] = []
        self._next = 0  # the next page to read or fit
        self._announced = True
        self._pending: list[Future] = []
        self._slices = QTimer(self)
        self._slices.setInterval(5)
        self._slices.timeout.connect(self._slice)
        self.pages_widget = QWidget()
        self.pages_layout = QVBoxLayout(self.pages_widget)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.pages_layout.setSpacing(12)
        self.setWidgetResizable(True)
        self.setWidget(self.pages_widget)
        self.pages_widget.setStyleSheet("background: #8a8f94;")

    def show_pages(self, pages: list[Path]) -> None:
        """Show the page images (read in slices; ``shown`` when all are in)."""
        while self.pages_layout.count():
            child = self.pages_layout.takeAt(0).widget()
            if child is not None:
                child.deleteLater()
        for pending in self._pending:
            pending.cancel()
        self.paths, self.pixmaps = list(pages), []
        self._pending = [_decoder().submit(_decoded, path) for path in self.paths]
        for number in range(1, len(self.paths) + 1):
            label = QLabel()
            label.setToolTip(f"Trang {number}")
            label.setStyleSheet("background: white; border: 1px solid #555;")
            self.pages_layout.addWidget(label)
        self._announced = False
        self.fit_pages()

    def has_pages(self) -> bool:
        return bool(self.paths)

    def fit_pages(self) -> None:
        """Pages as wide as the preview area allows (never enlarged beyond the rendered size), in slices."""
        self._next = 0
        self._slices.start()

    def _slice(self) -> None:
        deadline = time.perf_counter() + self.SLICE_S
        width = max(self.viewport().width() - 40, 200)
        while self._next < len(self.paths) and time.perf_counter() < deadline:
            index = self._next
            if index >= len(self.pixmaps):
                if not self._pending[index].done():
                    break  # the next slice takes it
                try:
                    image, _data = self._pending[index].result()
                except Exception:  # Pillow could not read it: Qt's reader says what it can
                    image = load_page(self.paths[index])
                self.pixmaps.append(QPixmap.fromImage(image))
            pixmap = self.pixmaps[index]
            item = self.pages_layout.itemAt(index)
            label = item.widget() if item is not None else None
            if isinstance(label, QLabel):
                label.setPixmap(pixmap if pixmap.width() <= width else pixmap.scaledToWidth(
                    width, Qt.TransformationMode.SmoothTransformation))
            self._next += 1
        if self._next >= len(self.paths):
            self._slices.stop()
            if not self._announced:
                self._announced = True
                self.shown.emit()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.paths and event.size().width() != event.oldSize().width():  # not for a new height
            self.fit_pages()


_pool: ThreadPoolExecutor | None = None


def _decoder() -> ThreadPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cds-pages")
    return _pool


YIELD_S = 0.0005
PRINT_BANDS = 24  # a page is drawn in bands: each drawImage() holds the interpreter lock only briefly


def _decoded(path: Path) -> tuple[QImage, bytes]:
    """A page image decoded by Pillow (which lets go of the interpreter lock while it decodes,
    unlike QImageReader), as a QImage over its bytes (kept alive by the caller)."""
    from PIL import Image

    with Image.open(path) as opened:
        image = opened.convert("RGB")
    data = image.tobytes()
    return QImage(data, image.width, image.height, 3 * image.width, QImage.Format.Format_RGB888), data


def paint_pages(printer: QPrinter, pages: list[Path], progress: Callable[[int, int, str], None] | None = None) -> bool:
    """Print the page images on *printer*, each in its own orientation; False if the printer cannot
    be opened.  Safe on a worker thread (QPainter on a QPrinter); the printer's paint engine scales
    each image to the page (no full-resolution copy is made in memory).  Each page is drawn in
    horizontal bands: a PySide6 call keeps the interpreter lock for all its length, and a whole
    page in one drawImage() held the window for ~0.3 s."""
    painter = QPainter()
    if not printer.pageLayout().pageSize().isValid():  # a printer without a paper size prints 0 × 0 pages
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    try:
        for index, path in enumerate(pages):
            if progress is not None:
                progress(index, len(pages), f"Đang in trang {index + 1}/{len(pages)}…")
            try:
                image, _data = _decoded(path)
            except OSError:
                image = QImage()
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
            scale = size.height() / image.height()
            height = image.height()
            for band in range(PRINT_BANDS):
                top, bottom = height * band // PRINT_BANDS, height * (band + 1) // PRINT_BANDS
                if bottom > top:
                    painter.drawImage(QRectF(target.left(), target.top() + top * scale, size.width(),
                                             (bottom - top) * scale),
                                      image, QRectF(0, top, image.width(), bottom - top))
                    time.sleep(YIELD_S)  # let the window have the interpreter lock between bands
    except OSError:
        return False
    finally:
        if painter.isActive():
            painter.end()
    return True

"""Qt side of the evidence: the table model of evidence rows (with image
thumbnails loaded in the background and file-type badges), the file actions
shared by the library and the item panel (open with the system's application,
show in folder, save a copy), and attaching as a background job.

Store files are never opened, renamed or shown in place: the actions work on a
copy named with the original file name, in a temporary folder.
"""

from __future__ import annotations

import itertools
import logging
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path

import shiboken6
from PySide6.QtCore import (
    QObject,
    QProcess,
    QRunnable,
    Qt,
    QThreadPool,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QImage,
    QImageReader,
    QPainter,
    QPixmap,
)
from PySide6.QtWidgets import QFileDialog, QWidget

from cds_desktop.database import Database
from cds_desktop.services.common import ServiceError
from cds_desktop.services.evidence import (
    AttachResult,
    EvidenceMetadata,
    EvidenceRow,
    StoreCancelled,
    attach_files,
    store_for,
)
from cds_desktop.ui.common.jobs import Job, JobCancelled, JobContext, run_job
from cds_desktop.ui.common.table_model import Column, RowTableModel

log = logging.getLogger(__name__)

ROW_ROLE = Qt.ItemDataRole.UserRole + 2
THUMB = 40  # px, thumbnails in tables
OPEN_DIR = Path(tempfile.gettempdir()) / "cds-desktop-minh-chung"
_BADGE_COLORS = {
    "pdf": "#c0392b", "doc": "#2b579a", "docx": "#2b579a", "xls": "#217346", "xlsx": "#217346",
    "ppt": "#d24726", "pptx": "#d24726", "zip": "#7f6a00", "rar": "#7f6a00",
}


FULL_COLUMNS: tuple[Column, ...] = (
    Column("original_name", "Tên tệp", 250),
    Column("kind_label", "Loại", 78),
    Column("doc_number", "Số, ký hiệu", 100),
    Column("doc_date_text", "Ngày", 82),
    Column("issuer", "Cơ quan ban hành", 145),
    Column("period_label", "Kỳ", 105),
    Column("unit_name", "Đơn vị", 130),
    Column("links_short", "Minh chứng cho", 125),
    Column("size_text", "Dung lượng", 90),
)
PANEL_COLUMNS: tuple[Column, ...] = (  # the detail panel is narrow: the file name takes what is left
    Column("original_name", "Tên tệp", 220),
    Column("kind_label", "Loại", 72),
    Column("doc_date_text", "Ngày", 82),
    Column("period_label", "Kỳ", 88),
)


def badge(extension: str, size: int = THUMB) -> QPixmap:
    """A small coloured label with the file extension ("PDF", "DOCX") for non-images."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(_BADGE_COLORS.get(extension.lower(), "#6b7b8c")))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawRoundedRect(2, 6, size - 4, size - 12, 5, 5)
    font = QFont()
    text = (extension or "?").upper()[:4]
    font.setPixelSize(max(8, int(size * (0.32 if len(text) <= 3 else 0.26))))
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return pixmap


_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", b"png"), (b"\xff\xd8\xff", b"jpeg"), (b"GIF8", b"gif"), (b"BM", b"bmp"),
    (b"II*\x00", b"tiff"), (b"MM\x00*", b"tiff"), (b"\x00\x00\x01\x00", b"ico"),
)


def image_format(path: Path) -> bytes:
    """The picture's format from its first bytes (store files have no extension).  Qt's own
    guess from content asks every plugin in turn and one without a signature (TGA) may claim
    a PNG first, once the plugins are loaded in another order: that read fails."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(12)
    except OSError:
        return b""
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return b"webp"
    return next((fmt for magic, fmt in _SIGNATURES if head.startswith(magic)), b"")


def read_thumbnail(path: Path, size: int) -> QImage:
    """An image scaled to fit *size* × *size*, decoded at that size when the format allows."""
    fmt = image_format(path)
    reader = QImageReader(str(path), fmt) if fmt else QImageReader(str(path))
    reader.setDecideFormatFromContent(not fmt)  # store files have no extension
    reader.setAutoTransform(True)  # photos taken upright keep their EXIF orientation
    original = reader.size()
    if original.isValid() and (original.width() > size or original.height() > size):
        reader.setScaledSize(original.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    if image.isNull():
        return image
    if image.width() > size or image.height() > size:
        image = image.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
    return image


class _ThumbRelay(QObject):
    """Carries decoded images to the GUI thread.  One, created on the GUI thread and never
    deleted: the jobs hold no reference to a cache, model or widget that may be gone."""

    loaded = Signal(int, str, QImage)  # cache token, sha256, image (QImage is safe across threads)


_relay: _ThumbRelay | None = None
_pool: QThreadPool | None = None
_caches: dict[int, ThumbnailCache] = {}  # token -> live cache (GUI thread only)
_tokens = itertools.count(1)


def _deliver(token: int, sha: str, image: QImage) -> None:
    cache = _caches.get(token)
    if cache is not None and shiboken6.isValid(cache):
        cache._loaded(sha, image)


def _thumb_pool() -> QThreadPool:
    """The thumbnails' own pool (not Qt's global one), so that it can be drained."""
    global _pool, _relay
    if _pool is None:
        _relay = _ThumbRelay()
        _relay.loaded.connect(_deliver, Qt.ConnectionType.QueuedConnection)
        _pool = QThreadPool()
        _pool.setMaxThreadCount(2)
    return _pool


def wait_for_thumbnails(timeout_ms: int = 30_000, *, drop_queued: bool = True) -> bool:
    """Wait for the thumbnails being decoded (at shutdown, in tests), dropping those still
    queued unless *drop_queued* is False."""
    if _pool is None:
        return True
    if drop_queued:
        _pool.clear()
    return _pool.waitForDone(timeout_ms)


class _ThumbJob(QRunnable):
    """Decodes one picture.  Off the GUI thread only QImageReader/QImage are used; the
    QPixmap is made on the GUI thread when the image arrives."""

    def __init__(self, token: int, alive: threading.Event, sha: str, path: Path, size: int) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.token, self.alive, self.sha, self.path, self.size = token, alive, sha, path, size

    def run(self) -> None:
        if not self.alive.is_set():  # its table was closed while this waited in the queue
            return
        try:
            image = read_thumbnail(self.path, self.size)
        except Exception:  # a damaged picture must not break the list
            log.warning("Thumbnail failed for %s", self.path, exc_info=True)
            image = QImage()
        if self.alive.is_set() and _relay is not None:
            _relay.loaded.emit(self.token, self.sha, image)


class ThumbnailCache(QObject):
    """Thumbnails of store images, decoded on worker threads, cached per content."""

    ready = Signal(str)  # sha256

    def __init__(self, db: Database, size: int = THUMB, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store_for(db)
        self.size = size
        self._pixmaps: dict[str, QPixmap | None] = {}
        self._token = next(_tokens)
        self._alive = threading.Event()
        self._alive.set()
        _caches[self._token] = self
        token, alive = self._token, self._alive
        self.destroyed.connect(lambda *_: _forget(token, alive))

    def get(self, sha: str) -> QPixmap | None:
        """The thumbnail if ready; otherwise start loading it and return None."""
        if sha in self._pixmaps:
            return self._pixmaps[sha]
        self._pixmaps[sha] = None
        path = self.store.path_for(sha)
        if path.is_file():
            _thumb_pool().start(_ThumbJob(self._token, self._alive, sha, path, self.size))
        return None

    def close(self) -> None:
        """No more thumbnails for this cache: queued ones are skipped, late ones dropped."""
        _forget(self._token, self._alive)

    def _loaded(self, sha: str, image: QImage) -> None:
        self._pixmaps[sha] = None if image.isNull() else QPixmap.fromImage(image)
        self.ready.emit(sha)


def _forget(token: int, alive: threading.Event) -> None:
    alive.clear()
    _caches.pop(token, None)


class EvidenceTableModel(RowTableModel):
    """Read-only table of :class:`EvidenceRow`; the first column shows a thumbnail or badge."""

    alignment = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

    def __init__(self, db: Database, columns: Sequence[Column] = FULL_COLUMNS, parent=None) -> None:
        super().__init__(db, parent)
        self.columns = tuple(columns)
        self.thumbnails = ThumbnailCache(db, THUMB, self)
        self.thumbnails.ready.connect(self._thumbnail_ready)
        self._badges: dict[str, QPixmap] = {}

    def tooltip(self, row: EvidenceRow, column: Column) -> str | None:
        if column.key == "original_name":
            return "\n".join(x for x in (row.original_name, row.description, row.size_text) if x)
        if column.key == "links_short":
            return row.links_text or None
        return self.display(row, column) or None

    def extra_data(self, row: EvidenceRow, column: Column, role: int):
        if role == Qt.ItemDataRole.DecorationRole and column is self.columns[0]:
            return self.icon_for(row)
        if role == ROW_ROLE:
            return row
        return None

    def icon_for(self, row: EvidenceRow) -> QPixmap:
        if row.is_image:
            thumb = self.thumbnails.get(row.sha256)
            if thumb is not None:
                return thumb
        ext = row.extension or "?"
        if ext not in self._badges:
            self._badges[ext] = badge(ext)
        return self._badges[ext]

    def _thumbnail_ready(self, sha: str) -> None:
        for i, row in enumerate(self.rows):
            if row.sha256 == sha:
                index = self.index(i, 0)
                self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])

    def total_size(self) -> int:
        return sum(r.size for r in self.rows)


# -- file actions ---------------------------------------------------------------
def copy_for_viewing(db: Database, row: EvidenceRow) -> Path:
    """A copy of the store file under its original name, in a temporary folder
    (one folder per evidence, so two files with the same name do not collide)."""
    folder = OPEN_DIR / row.uuid[:8]
    try:
        return store_for(db).copy_out(row.sha256, row.original_name, folder)
    except ServiceError:
        # The previous copy may still be open in its application (Windows locks it): reuse it.
        previous = [p for p in folder.glob("*") if p.is_file() and p.stat().st_size == row.size]
        if previous:
            return previous[0]
        raise


def open_with_system(db: Database, row: EvidenceRow) -> Path:
    path = copy_for_viewing(db, row)
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
    return path


def show_in_folder(db: Database, row: EvidenceRow) -> Path:
    """Open the folder of the viewing copy with the file selected where the system allows."""
    path = copy_for_viewing(db, row)
    if sys.platform.startswith("win"):
        QProcess.startDetached("explorer.exe", ["/select,", os.path.normpath(str(path))])
    elif sys.platform == "darwin":
        QProcess.startDetached("open", ["-R", str(path)])
    else:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))
    return path


def save_copy(db: Database, row: EvidenceRow, parent: QWidget | None) -> Path | None:
    """Ask where to save a copy (for a USB stick or an e-mail) and write it there."""
    suggested = str(Path.home() / Path(row.original_name).name)
    chosen, _ = QFileDialog.getSaveFileName(parent, "Lưu bản sao minh chứng", suggested)
    if not chosen:
        return None
    target = Path(chosen)
    return store_for(db).copy_out(row.sha256, target.name, target.parent)


# -- attaching ------------------------------------------------------------------
def local_paths(event: QDropEvent | QDragEnterEvent | QDragMoveEvent) -> list[Path]:
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


def parse_date(text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ServiceError(f"Ngày «{text}» không hợp lệ; hãy ghi theo dạng ngày/tháng/năm, ví dụ 05/03/2026.")


def throttled(ctx: JobContext, interval: float = 0.1) -> Callable[[int, int, str], None]:
    """A byte-progress callback for a job: in KiB (Qt's int is 32 bits), at most every
    *interval* seconds and at the end (one signal per chunk would flood the GUI
    thread, and PySide6 6.12 leaks a reference to ``True`` on every emit)."""
    last = [-interval]

    def report(done: int, total: int, text: str) -> None:
        now = time.monotonic()
        if now - last[0] >= interval or done >= total:
            last[0] = now
            ctx.report(done // 1024, total // 1024, text)

    return report


def run_attach(db: Database, paths: list[Path], targets: list[tuple[str, str]], meta: EvidenceMetadata,
               parent: QWidget | None, on_done: Callable[[AttachResult], None] | None = None) -> Job:
    """Attach in the background with a cancellable progress dialog."""

    def work(ctx: JobContext) -> AttachResult:
        try:
            return attach_files(db, paths, targets, meta, progress=throttled(ctx), cancel=lambda: ctx.cancelled)
        except StoreCancelled as exc:
            raise JobCancelled() from exc

    return run_job(work, title="Đang lưu minh chứng vào kho…", parent=parent, cancellable=True,
                   on_success=on_done, delay_ms=300)

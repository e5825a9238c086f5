"""Evidence UI: files dropped on an item are attached and listed; the library
filters, previews and deletes; the store check runs as a background job.
Every Qt model passes pytest-qt's model tester."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import select

from cds_desktop.models import Item
from cds_desktop.services.evidence import EvidenceMetadata, attach_files, evidence_for_target, store_for

pytestmark = pytest.mark.gui


@pytest.fixture
def item_uuids(demo_db) -> list[str]:
    with demo_db.session("test") as s:
        return list(s.scalars(select(Item.uuid).order_by(Item.id).limit(3)))


def _png(path: Path, color: str = "#3a7bd5") -> Path:
    image = QImage(120, 80, QImage.Format.Format_RGB32)
    image.fill(color)
    image.save(str(path), "PNG")
    return path


def _files(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "drop"
    folder.mkdir()
    pdf = folder / "Quyết định 12-QĐ-UBND.pdf"
    pdf.write_bytes(b"%PDF-1.4 decision")
    return [pdf, _png(folder / "Ảnh tập huấn.png")]


def drop(widget, paths: list[Path]) -> tuple[bool, bool]:
    """Simulate dragging local files onto *widget* and dropping them; returns (entered, dropped)."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    center = widget.rect().center()
    enter = QDragEnterEvent(center, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    event = QDropEvent(QPointF(center), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)
    return enter.isAccepted(), event.isAccepted()


@pytest.fixture
def panel(qtbot, demo_db, item_uuids):
    from cds_desktop.ui.evidence.panel import EvidencePanel

    widget = EvidencePanel(demo_db)
    qtbot.addWidget(widget)
    widget.resize(720, 420)
    widget.set_target("item", item_uuids[0])
    widget.show()
    return widget


def test_models_pass_the_model_tester(qtmodeltester, qapp, demo_db, item_uuids, tmp_path):
    from cds_desktop.ui.evidence.models import FULL_COLUMNS, PANEL_COLUMNS, EvidenceTableModel

    attach_files(demo_db, _files(tmp_path), [("item", item_uuids[0])])
    with demo_db.session("test") as s:
        rows = evidence_for_target(s, "item", item_uuids[0])
    for columns in (FULL_COLUMNS, PANEL_COLUMNS):
        model = EvidenceTableModel(demo_db, columns)
        qtmodeltester.check(model)
        model.set_rows(rows)
        qtmodeltester.check(model)
        assert model.rowCount() == 2 and model.headerData(0, Qt.Orientation.Horizontal) == "Tên tệp"
        model.set_rows([])
        qtmodeltester.check(model)


def test_dropping_files_on_an_item_attaches_and_lists_them(qtbot, panel, demo_db, item_uuids, tmp_path):
    files = _files(tmp_path)
    entered, dropped = drop(panel, files)
    assert entered and dropped
    dialog = panel.attach_dialog
    assert dialog is not None and "2 tệp" in dialog.findChildren(type(panel.title))[0].text()
    dialog.number_edit.setText("12/QĐ-UBND")
    dialog.date_edit.setText("05/03/2026")
    dialog.period_combo.setCurrentText("Quý II/2026")
    dialog.accept()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2, timeout=10_000)
    names = sorted(panel.model.index(r, 0).data() for r in range(2))
    assert names == ["Quyết định 12-QĐ-UBND.pdf", "Ảnh tập huấn.png"]
    assert panel.title.text().startswith("Minh chứng (2)")
    row = next(r for r in panel.model.rows if r.is_image)
    assert (row.doc_number, row.doc_date_text, row.period) == ("12/QĐ-UBND", "05/03/2026", "2026-Q2")
    # the photo's thumbnail arrives from a worker thread
    index = panel.model.index(panel.model.row_of(row.uuid), 0)
    qtbot.waitUntil(lambda: panel.model.thumbnails.get(row.sha256) is not None, timeout=10_000)
    assert index.data(Qt.ItemDataRole.DecorationRole).width() <= 40
    with demo_db.session("test") as s:
        assert len(evidence_for_target(s, "item", item_uuids[0])) == 2


def test_a_dropped_folder_is_refused_with_a_message(qtbot, panel, tmp_path, monkeypatch):
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args, **kw: warnings.append(args[2]))
    folder = tmp_path / "Ảnh hội nghị"
    folder.mkdir()
    drop(panel, [folder])
    assert panel.attach_dialog is None
    assert "«Ảnh hội nghị» là thư mục" in warnings[0]
    files = _files(tmp_path)
    drop(panel, [folder, files[0]])
    assert len(warnings) == 2 and "Các tệp còn lại vẫn được thêm" in warnings[1]
    assert "Quyết định 12-QĐ-UBND.pdf" in panel.attach_dialog.files_label.text()
    panel.attach_dialog.reject()


def test_drop_without_a_selected_item_is_ignored(qtbot, demo_db, tmp_path):
    from cds_desktop.ui.evidence.panel import EvidencePanel

    widget = EvidencePanel(demo_db)
    qtbot.addWidget(widget)
    entered, _ = drop(widget, _files(tmp_path))
    assert not entered and widget.attach_dialog is None
    assert not widget.add_button.isEnabled()


def test_bad_date_keeps_the_dialog_open(qtbot, panel, tmp_path):
    drop(panel, _files(tmp_path)[:1])
    dialog = panel.attach_dialog
    dialog.date_edit.setText("31/02/2026")
    dialog.accept()
    assert dialog.isVisible() and "không hợp lệ" in dialog.error_label.text()
    dialog.reject()


def test_attach_job_can_be_cancelled(qtbot, demo_db, item_uuids, tmp_path):
    from cds_desktop.ui.evidence.models import run_attach

    big = tmp_path / "video.mp4"
    big.write_bytes(b"\0" * (64 << 20))
    job = run_attach(demo_db, [big], [("item", item_uuids[0])], EvidenceMetadata(), None)
    job.cancel()
    with qtbot.waitSignal(job.finished, timeout=30_000):
        pass
    assert job.state == "cancelled"
    assert list(store_for(demo_db).entries()) == [] and store_for(demo_db).temp_files() == []


def test_thumbnails_from_many_tables_survive_tables_closed_while_decoding(qtbot, demo_db, item_uuids, tmp_path):
    """Several tables ask for thumbnails and most are deleted while the pictures are still
    being decoded: the late images are dropped, nothing crashes, and the table left open
    gets its thumbnails (made into pixmaps on the GUI thread)."""
    import shiboken6
    from PySide6.QtCore import QThread

    from cds_desktop.ui.evidence import models as evidence_models
    from cds_desktop.ui.evidence.models import EvidenceTableModel, ThumbnailCache, wait_for_thumbnails

    folder = tmp_path / "photos"
    folder.mkdir()
    photos = []
    for i in range(12):  # large enough that decoding takes a moment
        image = QImage(1200, 900, QImage.Format.Format_RGB32)
        image.fill(f"#{40 + i * 15:02x}7b{200 - i * 10:02x}")
        image.save(str(folder / f"ảnh {i}.png"), "PNG")
        photos.append(folder / f"ảnh {i}.png")
    attach_files(demo_db, photos, [("item", item_uuids[0])])
    with demo_db.session("test") as s:
        rows = [r for r in evidence_for_target(s, "item", item_uuids[0]) if r.is_image]
    assert len(rows) == 12

    earlier = set(evidence_models._caches)  # tables an earlier test in this process left open
    loaded_on: list[bool] = []
    original = ThumbnailCache._loaded

    def loaded(self, sha, image):
        loaded_on.append(QThread.currentThread() is QApplication.instance().thread())
        original(self, sha, image)

    qtbot_monkeypatch = pytest.MonkeyPatch()
    qtbot_monkeypatch.setattr(ThumbnailCache, "_loaded", loaded)
    try:
        for _round in range(3):
            doomed = [EvidenceTableModel(demo_db) for _ in range(4)]
            for model in doomed:
                model.set_rows(rows)
                for r in range(model.rowCount()):
                    model.index(r, 0).data(Qt.ItemDataRole.DecorationRole)  # starts the decoding
            for model in doomed[::2]:
                shiboken6.delete(model)  # closed at once
            for model in doomed[1::2]:
                model.deleteLater()  # closed through the event loop
            QApplication.processEvents()
        kept = EvidenceTableModel(demo_db)
        kept.set_rows(rows)
        for r in range(kept.rowCount()):
            kept.index(r, 0).data(Qt.ItemDataRole.DecorationRole)
        qtbot.waitUntil(lambda: all(kept.thumbnails.get(r.sha256) is not None for r in rows), timeout=60_000)
    finally:
        qtbot_monkeypatch.undo()
    assert wait_for_thumbnails(30_000)
    QApplication.processEvents()
    assert loaded_on and all(loaded_on)  # pixmaps are only ever made on the GUI thread
    icon = kept.index(0, 0).data(Qt.ItemDataRole.DecorationRole)
    assert 0 < icon.width() <= 40 and 0 < icon.height() <= 40
    # of this test's tables only the open one is still known to the thumbnail workers
    def ours():
        return [cache for key, cache in evidence_models._caches.items() if key not in earlier]

    assert ours() == [kept.thumbnails]
    shiboken6.delete(kept)
    assert ours() == []


def test_edit_and_unlink_from_the_panel(qtbot, panel, demo_db, item_uuids, tmp_path):
    attach_files(demo_db, _files(tmp_path)[:1], [("item", item_uuids[0]), ("item", item_uuids[1])])
    panel.reload()
    panel.view.selectRow(0)
    dialog = panel.edit_selected()
    dialog.issuer_edit.setText("UBND xã Bát Tràng")
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("decision"))
    dialog.accept()
    assert panel.model.rows[0].issuer == "UBND xã Bát Tràng"
    panel.view.selectRow(0)
    assert panel.unlink_selected(confirm=False)
    assert panel.model.rowCount() == 0
    with demo_db.session("test") as s:
        assert len(evidence_for_target(s, "item", item_uuids[1])) == 1  # still proves the other item


@pytest.fixture
def library(qtbot, demo_db, item_uuids, tmp_path):
    from cds_desktop.ui.evidence.library import EvidenceLibraryWidget

    files = _files(tmp_path)
    attach_files(demo_db, files[:1], [("item", item_uuids[0])], EvidenceMetadata(kind="decision", period="2026-03"))
    attach_files(demo_db, files[1:], [("item", item_uuids[1])], EvidenceMetadata(period="2026-05"))
    widget = EvidenceLibraryWidget(demo_db)
    qtbot.addWidget(widget)
    widget.resize(1400, 850)
    widget.show()
    return widget


def test_library_filters_and_accent_insensitive_search(qtbot, library, item_uuids):
    assert library.model.rowCount() == 2
    library.search_edit.setText("anh tap huan")
    qtbot.waitUntil(lambda: library.model.rowCount() == 1, timeout=3000)
    assert library.model.rows[0].original_name == "Ảnh tập huấn.png"
    library.set_filter(item_uuid=item_uuids[0])
    assert [r.original_name for r in library.model.rows] == ["Quyết định 12-QĐ-UBND.pdf"]
    library.set_filter(period="2026-05")
    assert [r.period for r in library.model.rows] == ["2026-05"]
    library.kind_combo.setCurrentIndex(library.kind_combo.findData("decision"))
    assert library.model.rowCount() == 0
    library.clear_filters()
    assert library.model.rowCount() == 2
    assert "2 minh chứng" in library.status.text()
    periods = [library.period_combo.itemText(i) for i in range(library.period_combo.count())]
    assert periods == ["Mọi kỳ", "Tháng 3/2026", "Tháng 5/2026", "Năm 2026"]


def test_library_preview_and_delete(qtbot, library):
    photo = next(i for i, r in enumerate(library.model.rows) if r.is_image)
    library.view.selectRow(photo)
    assert library.preview.name.text() == "Ảnh tập huấn.png"
    assert not library.preview.picture.pixmap().isNull()
    assert library.delete_selected(confirm=False)
    assert library.model.rowCount() == 1


def test_store_check_runs_in_the_background_and_finds_a_missing_file(qtbot, library, demo_db):
    from cds_desktop.ui.evidence.library import run_store_check

    job = run_store_check(demo_db, library)
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    assert job.state == "ok" and job.result.ok
    store_for(demo_db).path_for(library.model.rows[0].sha256).unlink()
    job = run_store_check(demo_db, library)
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    assert not job.result.ok and len(job.result.missing) == 1
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    assert any("thiếu 1 tệp" in box.text() for box in boxes)
    for box in boxes:
        box.close()


def test_open_uses_a_copy_named_like_the_original(qtbot, library, monkeypatch):
    from PySide6.QtGui import QDesktopServices

    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    library.view.selectRow(0)
    library.open_selected()
    row = library.selected_row()
    assert Path(opened[0]).name == row.original_name
    assert Path(opened[0]).read_bytes() == store_for(library.db).path_for(row.sha256).read_bytes()
    assert store_for(library.db).has(row.sha256)


def test_screenshot_tool_writes_both_pictures(qapp, tmp_path, monkeypatch):
    import importlib.util

    import cds_desktop.logging_setup

    monkeypatch.setattr(cds_desktop.logging_setup, "configure_logging", lambda *_a, **_k: None)

    spec = importlib.util.spec_from_file_location(
        "screenshot_evidence", Path(__file__).resolve().parent.parent / "tools" / "screenshot_evidence.py"
    )
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    assert tool.main(["--out", str(tmp_path)]) == 0
    for name, size in (("evidence_library.png", (1400, 850)), ("evidence_panel.png", (720, 420))):
        image = QImage(str(tmp_path / name))
        assert (image.width(), image.height()) == size


def test_progress_to_the_gui_is_throttled_and_in_kib():
    from cds_desktop.ui.evidence.models import throttled

    class Ctx:
        reports: list = []

        def report(self, done, total, text):
            self.reports.append((done, total, text))

    ctx = Ctx()
    report = throttled(ctx, interval=60)
    total = 5 << 30  # 5 GiB: more than a 32-bit int in bytes
    for done in range(0, total, 1 << 20):
        report(done, total, "x")
    report(total, total, "x")
    assert ctx.reports == [(0, total // 1024, "x"), (total // 1024, total // 1024, "x")]



def test_thumbnails_know_the_format_from_the_first_bytes(qapp, tmp_path):
    """Store files have no extension; Qt's guess from content let the TGA plugin claim a PNG
    (after another test had loaded the plugins in another order) and the thumbnail was empty."""
    from cds_desktop.ui.evidence.models import image_format, read_thumbnail

    image = QImage(300, 200, QImage.Format.Format_RGB32)
    image.fill("#336699")
    for fmt in ("PNG", "JPEG", "BMP"):
        path = tmp_path / f"store-{fmt}"
        assert image.save(str(path), fmt)
        assert image_format(path) == fmt.lower().encode()
        thumb = read_thumbnail(path, 40)
        assert (thumb.width(), thumb.height()) == (40, 27) or (thumb.width(), thumb.height()) == (40, 26)
    (tmp_path / "notes").write_bytes(b"plain text")
    assert image_format(tmp_path / "notes") == b"" and image_format(tmp_path / "missing") == b""
